package io.nfchain.agent.datapath;

import io.nfchain.agent.port.Port;
import io.nfchain.agent.spec.ChainSpec;
import io.nfchain.agent.spec.FailurePolicy;
import java.util.List;

/**
 * A chain as the worker runs it: its hops, its egress port, where a packet at each position
 * goes next (recomputed by the worker when a link goes up or down), and its counters.
 * Positions: 0 .. hops-1 are hops, {@code hops} is the egress port.
 */
public final class Chain {
    static final int RECEIVED = 0;
    static final int DELIVERED = 1;
    private static final int DROPS = 2;

    private final ChainSpec spec;
    final Hop[] hops;
    final Port egress;
    final ChainMatcher matcher;
    final Counters counters;
    /** Worker only: the port a packet at position k is sent to, or null: dropped as {@code dropReason[k]}. */
    final Port[] target;
    /** Worker only: the hop a packet at position k is sent to (target's hop), or -1 for the egress. */
    final int[] targetHop;
    final DatapathDrop[] dropReason;

    /** @param previous the chain of the same name in the plan before, whose counters go on; or null */
    Chain(ChainSpec spec, Hop[] hops, Port egress, Chain previous) {
        this.spec = spec;
        this.counters = previous != null ? previous.counters : new Counters(DROPS + DatapathDrop.values().length);
        this.hops = hops;
        this.egress = egress;
        this.matcher = new ChainMatcher(spec.classifier());
        int positions = hops.length + 1;
        target = new Port[positions];
        targetHop = new int[positions];
        dropReason = new DatapathDrop[positions];
        route();
    }

    public ChainSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    public List<Hop> hops() {
        return List.of(hops);
    }

    public Port egress() {
        return egress;
    }

    /** Packets the classifier gave this chain. */
    public long received() {
        return counters.get(RECEIVED);
    }

    /** Packets the egress port took. */
    public long delivered() {
        return counters.get(DELIVERED);
    }

    public long drops(DatapathDrop reason) {
        return counters.get(DROPS + reason.ordinal());
    }

    void countDrop(DatapathDrop reason, long n) {
        counters.add(DROPS + reason.ordinal(), n);
    }

    /**
     * Worker only. Recomputes where each position's packets go from the links' state: a hop whose
     * function is up takes them; a down hop that fails open passes them on, one that fails closed
     * drops them; past the last hop, the egress port.
     */
    void route() {
        for (int k = 0; k <= hops.length; k++) {
            int j = k;
            while (j < hops.length && !hops[j].link.isUp() && hops[j].policy() == FailurePolicy.FAIL_OPEN) {
                j++;
            }
            if (j == hops.length) {
                target[k] = egress;
                targetHop[k] = -1;
                dropReason[k] = DatapathDrop.EGRESS_DOWN;
            } else if (hops[j].link.isUp()) {
                target[k] = hops[j].link;
                targetHop[k] = j;
                dropReason[k] = DatapathDrop.RING_FULL;
            } else {
                target[k] = null;
                targetHop[k] = j;
                dropReason[k] = DatapathDrop.HOP_DOWN;
            }
        }
    }
}
