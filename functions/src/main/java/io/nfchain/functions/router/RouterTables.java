package io.nfchain.functions.router;

/**
 * Immutable once published: the router's next-hop groups (indexed by the next-hop id the LPM
 * tables hold) and its static neighbours, swapped whole by the control thread through
 * {@link io.nfchain.functions.sdk.Published}. The poll thread reads one per burst.
 *
 * @param groups by next-hop id; an id no route uses may hold a stale group or null
 */
record RouterTables(NextHopGroup[] groups, NeighborTable staticNeighbors) {
    static final RouterTables EMPTY = new RouterTables(new NextHopGroup[0], new NeighborTable(8));
}
