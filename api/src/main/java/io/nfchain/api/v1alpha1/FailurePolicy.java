package io.nfchain.api.v1alpha1;

/**
 * What a hop does while its network function is down, as the Kubernetes-facing resources spell
 * it ({@code FailOpen}); the node spec spells it as the agent does ({@link NodeFailurePolicy}).
 */
public enum FailurePolicy {
    /** Bypass the hop: packets go on to the next hop. */
    FailOpen,
    /** Drop the chain's packets at this hop. */
    FailClosed;

    /** The node spec's spelling of this policy. */
    public NodeFailurePolicy toNode() {
        return this == FailOpen ? NodeFailurePolicy.FAIL_OPEN : NodeFailurePolicy.FAIL_CLOSED;
    }
}
