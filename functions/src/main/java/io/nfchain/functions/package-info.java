/**
 * nfchain's network functions, one package each as VPP keeps one folder per node: the
 * function's datapath code, its rules and their validation, and its tests beside it.
 */
package io.nfchain.functions;
