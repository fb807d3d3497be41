package io.nfchain.controller.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Random clusters and chains, 2,000 cases per property, seeds printed on failure. */
class PlacerPropertyTest {
    private static final int CASES = 2_000;

    @Test
    void neverOverCommitsAndReplicasAreOnDistinctSelectedNodes() {
        for (int seed = 0; seed < CASES; seed++) {
            Random rnd = new Random(seed);
            List<PlacementNode> nodes = nodes(rnd);
            List<ChainRequest> chains = chains(rnd, nodes);
            Placer.Result result = Placer.place(nodes, chains);

            Map<String, Map<Integer, Resources>> used = new HashMap<>();
            for (ChainRequest c : chains) {
                Placement p = result.placements().get(c.key());
                if (!(p instanceof Placement.Placed placed)) {
                    assertTrue(!((Placement.Unschedulable) p).reason().isBlank(), "seed " + seed);
                    continue;
                }
                assertEquals(c.replicas(), placed.assignments().size(), "seed " + seed);
                assertEquals(c.replicas(), new HashSet<>(placed.nodes()).size(), "distinct, seed " + seed);
                for (Placement.Assignment a : placed.assignments()) {
                    PlacementNode n = nodes.stream().filter(x -> x.name().equals(a.node())).findFirst().orElseThrow();
                    assertTrue(c.selects(n.labels()), "selector, seed " + seed);
                    used.computeIfAbsent(a.node(), k -> new HashMap<>())
                            .merge(a.numaNode(), c.instanceDemand(), Resources::plus);
                }
            }
            for (PlacementNode n : nodes) {
                for (PlacementNode.Zone z : n.zones()) {
                    Resources u = used.getOrDefault(n.name(), Map.of()).getOrDefault(z.numaNode(), Resources.NONE);
                    if (!z.free().covers(u)) {
                        fail("seed " + seed + ": " + n.name() + " zone " + z.numaNode() + " over-committed: "
                                + u + " of " + z.free());
                    }
                }
            }
        }
    }

    @Test
    void sameInputSameAnswerAndARerunFromTheOutcomeKeepsEveryChainWhereItIs() {
        for (int seed = 0; seed < CASES; seed++) {
            Random rnd = new Random(seed);
            List<PlacementNode> nodes = nodes(rnd);
            List<ChainRequest> chains = chains(rnd, nodes);
            Placer.Result first = Placer.place(nodes, chains);
            assertEquals(first, Placer.place(nodes, chains), "deterministic, seed " + seed);

            // The controller's next pass: the placed chains report their nodes, and the free
            // capacity is again the whole node because their own pods are not counted against them.
            List<ChainRequest> again = new ArrayList<>();
            for (ChainRequest c : chains) {
                Set<String> current = first.placements().get(c.key()) instanceof Placement.Placed p
                        ? Set.copyOf(p.nodes()) : Set.of();
                again.add(new ChainRequest(c.key(), c.hops(), c.replicas(), current));
            }
            Placer.Result second = Placer.place(nodes, again);
            for (ChainRequest c : chains) {
                if (first.placements().get(c.key()) instanceof Placement.Placed p) {
                    Placement q = second.placements().get(c.key());
                    assertTrue(q instanceof Placement.Placed qp && Set.copyOf(qp.nodes()).equals(Set.copyOf(p.nodes())),
                            "seed " + seed + ": " + c.key() + " moved from " + p + " to " + q);
                }
            }
        }
    }

    private static List<PlacementNode> nodes(Random rnd) {
        int count = 1 + rnd.nextInt(6);
        List<PlacementNode> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int zones = 1 + rnd.nextInt(2);
            List<PlacementNode.Zone> zs = new ArrayList<>();
            for (int z = 0; z < zones; z++) {
                zs.add(new PlacementNode.Zone(z, new Resources(rnd.nextInt(9), rnd.nextInt(3) * 256L, rnd.nextInt(2), rnd.nextInt(4))));
            }
            Map<String, String> labels = rnd.nextBoolean() ? Map.of("pool", rnd.nextBoolean() ? "x" : "y") : Map.of();
            nodes.add(new PlacementNode("node-" + i, labels, zs));
        }
        return nodes;
    }

    private static List<ChainRequest> chains(Random rnd, List<PlacementNode> nodes) {
        int count = 1 + rnd.nextInt(8);
        List<ChainRequest> chains = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<ChainRequest.Hop> hops = new ArrayList<>();
            int hopCount = 1 + rnd.nextInt(3);
            for (int h = 0; h < hopCount; h++) {
                Map<String, String> selector = rnd.nextInt(4) == 0 ? Map.of("pool", "x") : Map.of();
                hops.add(new ChainRequest.Hop("f" + h, new Resources(1 + rnd.nextInt(2),
                        rnd.nextInt(3) == 0 ? 128 : 0, rnd.nextInt(5) == 0 ? 1 : 0, rnd.nextInt(4) == 0 ? 1 : 0), selector));
            }
            chains.add(new ChainRequest("ns/c" + i, hops, 1 + rnd.nextInt(3), Set.of()));
        }
        return chains;
    }
}
