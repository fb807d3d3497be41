package io.nfchain.controller.placement;

import java.util.List;

/** Immutable. The outcome of placing one chain: where its instances go, or why they cannot. */
public sealed interface Placement {
    /**
     * The chain's instances go on these nodes, one each, in preference order.
     *
     * @param assignments distinct nodes, as many as the chain's replicas
     */
    record Placed(List<Assignment> assignments) implements Placement {
        public Placed {
            assignments = List.copyOf(assignments);
        }

        public List<String> nodes() {
            return assignments.stream().map(Assignment::node).toList();
        }
    }

    /** Nothing was allocated; {@code reason} says what did not fit, node by node. */
    record Unschedulable(String reason) implements Placement {}

    /** Immutable. One chain instance on one node and the NUMA node its pods share. */
    record Assignment(String node, int numaNode) {}
}
