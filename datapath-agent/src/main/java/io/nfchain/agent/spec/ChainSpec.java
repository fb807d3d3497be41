package io.nfchain.agent.spec;

import java.util.List;

/**
 * Immutable. A service chain, in the shape of the {@code ServiceChain} custom resource's spec:
 * packets entering {@code classifier.ingressPort} that match it go through {@code hops} in
 * order and leave by {@code egressPort}. Of several chains on one ingress port, the one with the
 * highest {@code priority} that matches takes the packet (ties: the first in the spec).
 */
public record ChainSpec(String name, int priority, Classifier classifier, List<Hop> hops, String egressPort) {
    public ChainSpec {
        hops = List.copyOf(hops);
    }

    /**
     * @param vlan the outer 802.1Q VLAN id to match, or {@link #ANY_VLAN}; 0 matches untagged only
     */
    public record Classifier(String ingressPort, int vlan, MatchSpec match) {
        public static final int ANY_VLAN = -1;
    }

    /** One step: the function instance that processes the chain's packets, and what to do while it is down. */
    public record Hop(String function, FailurePolicy failurePolicy) {}
}
