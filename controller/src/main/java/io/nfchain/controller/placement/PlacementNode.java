package io.nfchain.controller.placement;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Immutable. A node as placement sees it: its labels (for node selectors) and what is still free
 * on each of its NUMA nodes once everything placed there, except the chains being placed now, is
 * taken off. A chain instance's pods share memory rings with the agent, so all of them go on
 * one NUMA node; a node that reports no NUMA split is one zone.
 *
 * @param name the Kubernetes node name (= the DatapathNode name)
 * @param labels the node's labels
 * @param zones free resources per NUMA node, at least one
 * @param ports the datapath ports the node's agent has (a chain needs its ingress and egress there)
 */
public record PlacementNode(String name, Map<String, String> labels, List<Zone> zones, Set<String> ports) {
    public PlacementNode {
        labels = Map.copyOf(labels);
        zones = List.copyOf(zones);
        ports = Set.copyOf(ports);
        if (zones.isEmpty()) {
            throw new IllegalArgumentException("node " + name + ": at least one zone");
        }
    }

    /** A node without ports, for chains that need none. */
    public PlacementNode(String name, Map<String, String> labels, List<Zone> zones) {
        this(name, labels, zones, Set.of());
    }

    /** A node without a NUMA split. */
    public static PlacementNode of(String name, Map<String, String> labels, Resources free) {
        return new PlacementNode(name, labels, List.of(new Zone(0, free)));
    }

    /** What is free on all zones together. */
    public Resources totalFree() {
        Resources sum = Resources.NONE;
        for (Zone z : zones) {
            sum = sum.plus(z.free());
        }
        return sum;
    }

    /** Immutable. One NUMA node's free resources. */
    public record Zone(int numaNode, Resources free) {}
}
