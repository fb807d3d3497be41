package io.nfchain.agent.datapath;

import io.nfchain.agent.port.MemifPort;

/**
 * Immutable wiring: a function link the worker polls and where what comes back from it goes:
 * chain position {@code next}. A draining link is one a make-before-break switch took out of its
 * hop: nothing new is sent to it, what it still returns goes on, and once it has been quiet for
 * the drain time the worker reports it drained.
 */
final class LinkRoute {
    final MemifPort port;
    final Chain chain;
    final int hop;
    final boolean draining;

    LinkRoute(MemifPort port, Chain chain, int hop, boolean draining) {
        this.port = port;
        this.chain = chain;
        this.hop = hop;
        this.draining = draining;
    }
}
