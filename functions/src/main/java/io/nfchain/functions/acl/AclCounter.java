package io.nfchain.functions.acl;

import io.nfchain.functions.sdk.FunctionCounter;

/**
 * The ACL's counters, each with the text people see in metrics, {@code show errors} and traces.
 * Immutable. The engine counts in a {@code long[]} indexed by {@link #ordinal()}, owned by the
 * worker; the ACL function copies them into its {@link io.nfchain.functions.sdk.CounterSet}.
 *
 * <p>The drops ({@link #isDrop()}) are the reasons a packet does not leave the function; every
 * dropped packet is counted by exactly one of them. Each packet that leaves is counted by exactly
 * one of the permits ({@link #ACL_PERMIT}, {@link #ACL_DEFAULT_PERMIT}, {@link #ACL_SET_DSCP},
 * {@link #ACL_FLOW_PERMIT}, {@link #ACL_RETURN_PERMIT}) or, if not IP, by {@link #ACL_NON_IP} less
 * {@link #ACL_NON_IP_DENY}. The flow counters count flows, not packets.
 */
public enum AclCounter implements FunctionCounter {
    ACL_PERMIT("ACL permit packets", false),
    ACL_DENY("ACL deny packets", true),
    ACL_DEFAULT_PERMIT("ACL packets permitted by the default action", false),
    ACL_DEFAULT_DENY("ACL packets denied by the default action", true),
    ACL_SET_DSCP("ACL packets permitted with DSCP rewritten", false),
    ACL_NON_IP("ACL non-IP packets (given the default action)", false),
    ACL_NON_IP_DENY("ACL non-IP packets denied by the default action", true),
    ACL_MALFORMED("ACL malformed packets dropped", true),
    ACL_FLOW_TABLE_FULL("ACL packets dropped: new flow, flow table full of established flows", true),
    ACL_FLOW_PERMIT("ACL packets permitted by a tracked flow", false),
    ACL_RETURN_PERMIT("ACL return packets permitted by a tracked flow", false),
    ACL_FLOW_CREATED("ACL flows created", false),
    ACL_FLOW_EXPIRED("ACL flows expired", false),
    ACL_FLOW_EVICTED("ACL flows evicted: table full, flow not established", false),
    ACL_FLOW_NOT_TRACKED("ACL flows not tracked: table full of established flows", false),
    ACL_FRAGMENT_UNTRACKED("ACL non-first fragments classified by rules only", false);

    private final String text;
    private final boolean drop;

    AclCounter(String text, boolean drop) {
        this.text = text;
        this.drop = drop;
    }

    @Override
    public String text() {
        return text;
    }

    @Override
    public boolean isDrop() {
        return drop;
    }

    /** A zeroed array with one count per counter. */
    public static long[] newCounts() {
        return new long[values().length];
    }
}
