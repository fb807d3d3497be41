package io.nfchain.functions.acl;

/**
 * The ACL's counters, each with the text people see in metrics, {@code show errors} and traces.
 * Immutable. Counts live in a {@code long[]} indexed by {@link #ordinal()}, owned by the worker.
 */
public enum AclCounter {
    ACL_PERMIT("ACL permit packets"),
    ACL_DENY("ACL deny packets"),
    ACL_DEFAULT_PERMIT("ACL packets permitted by the default action"),
    ACL_DEFAULT_DENY("ACL packets denied by the default action"),
    ACL_SET_DSCP("ACL packets permitted with DSCP rewritten"),
    ACL_NON_IP("ACL non-IP packets (given the default action)"),
    ACL_MALFORMED("ACL malformed packets dropped"),
    ACL_FLOW_PERMIT("ACL packets permitted by a tracked flow"),
    ACL_RETURN_PERMIT("ACL return packets permitted by a tracked flow"),
    ACL_FLOW_CREATED("ACL flows created"),
    ACL_FLOW_EXPIRED("ACL flows expired"),
    ACL_FLOW_EVICTED("ACL flows evicted: table full, flow not established"),
    ACL_FLOW_NOT_TRACKED("ACL flows not tracked: table full of established flows"),
    ACL_FRAGMENT_UNTRACKED("ACL non-first fragments classified by rules only");

    private final String text;

    AclCounter(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    /** A zeroed array with one count per counter. */
    public static long[] newCounts() {
        return new long[values().length];
    }
}
