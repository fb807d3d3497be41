package io.nfchain.controller.placement;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Immutable. What one service chain asks of placement: its hops' demands and node selectors, how
 * many instances (each on its own node), and where it runs now so a re-run keeps it there.
 *
 * @param key identifies the chain in the result ({@code namespace/name})
 * @param hops one entry per hop, in chain order
 * @param replicas instances wanted, each on a distinct node, >= 1
 * @param currentNodes nodes the chain runs on now; preferred while they still fit
 * @param ports datapath ports every node must have (the chain's ingress and egress): the agent
 *     refuses a node spec whose chain names a port it lacks, and with it every chain of the node
 */
public record ChainRequest(String key, List<Hop> hops, int replicas, Set<String> currentNodes, Set<String> ports) {
    public ChainRequest {
        hops = List.copyOf(hops);
        currentNodes = Set.copyOf(currentNodes);
        ports = Set.copyOf(ports);
        if (replicas < 1) {
            throw new IllegalArgumentException(key + ": replicas must be >= 1, not " + replicas);
        }
    }

    /** A chain that needs no particular ports. */
    public ChainRequest(String key, List<Hop> hops, int replicas, Set<String> currentNodes) {
        this(key, hops, replicas, currentNodes, Set.of());
    }

    /** What one instance of the chain (all its hops) takes from a node. */
    public Resources instanceDemand() {
        Resources sum = Resources.NONE;
        for (Hop h : hops) {
            sum = sum.plus(h.demand());
        }
        return sum;
    }

    /** True when {@code labels} satisfy every hop's node selector. */
    public boolean selects(Map<String, String> labels) {
        for (Hop h : hops) {
            for (Map.Entry<String, String> e : h.nodeSelector().entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Immutable. One hop's function: what one of its instances takes and where it may run.
     *
     * @param function the NetworkFunction's name, for messages
     */
    public record Hop(String function, Resources demand, Map<String, String> nodeSelector) {
        public Hop {
            nodeSelector = Map.copyOf(nodeSelector);
        }
    }
}
