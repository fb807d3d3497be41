package io.nfchain.agent.datapath;

import io.nfchain.agent.port.Port;

/**
 * Immutable wiring: a port packets enter by and the chains classifying them, highest priority
 * first. Its {@code NO_CHAIN} drops are counted here (no chain owns them).
 */
final class Ingress {
    static final int NO_CHAIN = 0;

    final Port port;
    final Chain[] chains;
    /** Whether the first chain takes everything: no parse needed. */
    final boolean firstMatchesAll;
    final Counters counters;

    Ingress(Port port, Chain[] chains, Counters counters) {
        this.port = port;
        this.chains = chains;
        this.firstMatchesAll = chains.length > 0 && chains[0].matcher.matchesAll();
        this.counters = counters;
    }
}
