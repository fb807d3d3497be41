package io.nfchain.agent.datapath;

import io.nfchain.agent.port.MemifPort;
import io.nfchain.agent.spec.FailurePolicy;

/**
 * One hop of a chain: the link to the function instance that serves it, its failure policy and
 * its counters. The link changes only by a new {@link Plan}; counters are written by the worker
 * and read by anyone.
 */
public final class Hop {
    static final int SENT = 0;
    static final int RETURNED = 1;
    static final int BYPASSED = 2;
    static final int DROPPED_DOWN = 3;
    static final int RING_FULL = 4;

    private final String function;
    private final FailurePolicy policy;
    final MemifPort link;
    final Counters counters;

    Hop(String function, FailurePolicy policy, MemifPort link, Counters counters) {
        this.function = function;
        this.policy = policy;
        this.link = link;
        this.counters = counters;
    }

    public String function() {
        return function;
    }

    public FailurePolicy policy() {
        return policy;
    }

    public MemifPort link() {
        return link;
    }

    /** Packets handed to the function. */
    public long sent() {
        return counters.get(SENT);
    }

    /** Packets the function gave back. */
    public long returned() {
        return counters.get(RETURNED);
    }

    /** Packets that skipped this hop because its function was down (fail-open). */
    public long bypassed() {
        return counters.get(BYPASSED);
    }

    /** Packets dropped at this hop because its function was down (fail-closed). */
    public long droppedDown() {
        return counters.get(DROPPED_DOWN);
    }

    /** Packets dropped because the function's ring was full. */
    public long ringFull() {
        return counters.get(RING_FULL);
    }
}
