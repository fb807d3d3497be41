/** nfchain core: plain Java with no framework, shared by the agent and every network function. */
package io.nfchain.core;
