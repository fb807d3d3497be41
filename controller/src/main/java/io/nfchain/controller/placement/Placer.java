package io.nfchain.controller.placement;

import io.nfchain.controller.placement.Placement.Assignment;
import io.nfchain.controller.placement.Resources.Dimension;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Stateless, thread-safe. Places chain instances on nodes: every instance of a chain on its own
 * node (spread), all of one instance's pods on one NUMA node of one node whose labels satisfy
 * every hop's node selector, never more than a zone has free.
 *
 * <p>Deterministic: the same nodes and requests give the same answer. Chains are placed in the
 * order given and each takes its resources before the next is looked at. Among nodes that fit, a
 * chain keeps the nodes it runs on now, then takes the node with the most free cores (so load
 * spreads), then the lower name. A chain that cannot get all its replicas takes nothing.
 */
public final class Placer {
    private Placer() {}

    /** Immutable. The outcome per chain key, in request order, and what is left free per node. */
    public record Result(Map<String, Placement> placements, List<PlacementNode> remaining) {}

    public static Result place(List<PlacementNode> nodes, List<ChainRequest> requests) {
        Map<String, PlacementNode> state = new TreeMap<>();
        for (PlacementNode n : nodes) {
            if (state.put(n.name(), n) != null) {
                throw new IllegalArgumentException("node " + n.name() + " is given twice");
            }
        }
        Map<String, Placement> out = new LinkedHashMap<>();
        for (ChainRequest r : requests) {
            Placement p = placeOne(state, r);
            if (out.put(r.key(), p) != null) {
                throw new IllegalArgumentException("chain " + r.key() + " is given twice");
            }
            if (p instanceof Placement.Placed placed) {
                Resources demand = r.instanceDemand();
                for (Assignment a : placed.assignments()) {
                    state.put(a.node(), take(state.get(a.node()), a.numaNode(), demand));
                }
            }
        }
        return new Result(out, List.copyOf(state.values()));
    }

    private static Placement placeOne(Map<String, PlacementNode> nodes, ChainRequest r) {
        Resources demand = r.instanceDemand();
        List<PlacementNode> matching = new ArrayList<>();
        List<PlacementNode> selected = new ArrayList<>();
        for (PlacementNode n : nodes.values()) {
            if (r.selects(n.labels())) {
                matching.add(n);
                if (n.ports().containsAll(r.ports())) {
                    selected.add(n);
                }
            }
        }
        if (matching.isEmpty()) {
            return new Placement.Unschedulable("no node matches the hops' node selectors " + selectors(r)
                    + " (" + nodes.size() + " nodes)");
        }
        if (selected.isEmpty()) {
            List<String> have = matching.stream().map(n -> n.name() + ": " + new TreeSet<>(n.ports())).toList();
            return new Placement.Unschedulable("no node has the ports " + new TreeSet<>(r.ports()) + " ("
                    + String.join(", ", have) + ")");
        }
        List<PlacementNode> fitting = new ArrayList<>();
        for (PlacementNode n : selected) {
            if (bestZone(n, demand) != null) {
                fitting.add(n);
            }
        }
        if (fitting.size() < r.replicas()) {
            return new Placement.Unschedulable(reason(r, demand, matching, selected, fitting, nodes.size()));
        }
        fitting.sort(Comparator.comparing((PlacementNode n) -> !r.currentNodes().contains(n.name()))
                .thenComparing(n -> -bestZone(n, demand).free().cores())
                .thenComparing(PlacementNode::name));
        List<Assignment> chosen = new ArrayList<>();
        for (PlacementNode n : fitting.subList(0, r.replicas())) {
            chosen.add(new Assignment(n.name(), bestZone(n, demand).numaNode()));
        }
        return new Placement.Placed(chosen);
    }

    /** The zone that holds {@code demand} with the most cores left over (then the lower NUMA id), or null. */
    private static PlacementNode.Zone bestZone(PlacementNode n, Resources demand) {
        PlacementNode.Zone best = null;
        for (PlacementNode.Zone z : n.zones()) {
            if (z.free().covers(demand) && (best == null || z.free().cores() > best.free().cores())) {
                best = z;
            }
        }
        return best;
    }

    private static PlacementNode take(PlacementNode n, int numaNode, Resources demand) {
        List<PlacementNode.Zone> zones = new ArrayList<>();
        for (PlacementNode.Zone z : n.zones()) {
            Resources free = z.numaNode() == numaNode ? z.free().minus(demand) : z.free();
            if (!free.isNonNegative()) {
                throw new IllegalStateException("over-commit of " + n.name() + " zone " + numaNode);
            }
            zones.add(new PlacementNode.Zone(z.numaNode(), free));
        }
        return new PlacementNode(n.name(), n.labels(), zones);
    }

    /**
     * Says per short dimension what the nodes have, e.g. {@code no node has 2 free cores
     * (node-a: 1 free, node-b: 0 free)}; with several replicas, how many nodes fit of how many needed.
     */
    private static String reason(ChainRequest r, Resources demand, List<PlacementNode> matching, List<PlacementNode> selected,
            List<PlacementNode> fitting, int nodeCount) {
        StringBuilder sb = new StringBuilder();
        if (fitting.isEmpty()) {
            sb.append("no node has ").append(describe(demand)).append(" free");
        } else {
            sb.append("needs ").append(r.replicas()).append(" distinct nodes with ").append(describe(demand))
                    .append(" free, ").append(fitting.size()).append(" fit (")
                    .append(String.join(", ", fitting.stream().map(PlacementNode::name).toList())).append(")");
        }
        List<String> shortOnes = new ArrayList<>();
        for (PlacementNode n : selected) {
            if (!fitting.contains(n)) {
                shortOnes.add(n.name() + ": " + shortfall(n, demand));
            }
        }
        if (!shortOnes.isEmpty()) {
            sb.append(" (").append(String.join(", ", shortOnes)).append(")");
        }
        List<String> portless = matching.stream().filter(n -> !selected.contains(n)).map(PlacementNode::name).toList();
        if (!portless.isEmpty()) {
            sb.append("; ").append(String.join(", ", portless)).append(portless.size() == 1 ? " lacks" : " lack")
                    .append(" the ports ").append(new TreeSet<>(r.ports()));
        }
        int unselected = nodeCount - matching.size();
        if (unselected > 0) {
            sb.append("; ").append(unselected).append(unselected == 1 ? " node does" : " nodes do")
                    .append(" not match the node selectors ").append(selectors(r));
        }
        return sb.toString();
    }

    /** The demanded dimensions, e.g. {@code 2 free cores} or {@code 2 cores, 4 2Mi huge pages}. */
    private static String describe(Resources demand) {
        List<String> parts = new ArrayList<>();
        for (Dimension d : Dimension.values()) {
            if (demand.amount(d) > 0) {
                parts.add(demand.amount(d) + " " + d.words);
            }
        }
        return parts.isEmpty() ? "room" : String.join(", ", parts);
    }

    /** What the node's best zone lacks: {@code 1 free} when only cores are asked for, else per dimension. */
    private static String shortfall(PlacementNode n, Resources demand) {
        List<Dimension> asked = new ArrayList<>();
        for (Dimension d : Dimension.values()) {
            if (demand.amount(d) > 0) {
                asked.add(d);
            }
        }
        PlacementNode.Zone zone = n.zones().stream()
                .max(Comparator.comparingLong((PlacementNode.Zone z) -> z.free().cores())
                        .thenComparing(z -> -z.numaNode()))
                .orElseThrow();
        String numa = n.zones().size() > 1 ? " on NUMA node " + zone.numaNode() : "";
        if (asked.size() == 1) {
            return zone.free().amount(asked.getFirst()) + " free" + numa;
        }
        List<String> parts = new ArrayList<>();
        for (Dimension d : asked) {
            if (zone.free().amount(d) < demand.amount(d)) {
                parts.add(zone.free().amount(d) + " " + d.words);
            }
        }
        return (parts.isEmpty() ? "no single NUMA node fits" : String.join(", ", parts) + " free") + numa;
    }

    private static String selectors(ChainRequest r) {
        Map<String, String> all = new TreeMap<>();
        for (ChainRequest.Hop h : r.hops()) {
            all.putAll(h.nodeSelector());
        }
        return all.toString();
    }
}
