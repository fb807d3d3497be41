package io.nfchain.controller.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacerTest {
    private static ChainRequest chain(String key, int replicas, long... coresPerHop) {
        List<ChainRequest.Hop> hops = new java.util.ArrayList<>();
        for (int i = 0; i < coresPerHop.length; i++) {
            hops.add(new ChainRequest.Hop("f" + i, Resources.cores(coresPerHop[i]), Map.of()));
        }
        return new ChainRequest(key, hops, replicas, Set.of());
    }

    @Test
    void nothingFitsSaysHowMuchEachNodeHas() {
        var nodes = List.of(PlacementNode.of("node-b", Map.of(), Resources.cores(0)),
                PlacementNode.of("node-a", Map.of(), Resources.cores(1)));
        var result = Placer.place(nodes, List.of(chain("ns/web", 1, 1, 1)));
        var u = assertInstanceOf(Placement.Unschedulable.class, result.placements().get("ns/web"));
        assertEquals("no node has 2 cores free (node-a: 1 free, node-b: 0 free)", u.reason());
    }

    @Test
    void replicasSpreadOverDistinctNodesWithTheMostFreeCoresFirst() {
        var nodes = List.of(PlacementNode.of("a", Map.of(), Resources.cores(4)),
                PlacementNode.of("b", Map.of(), Resources.cores(8)),
                PlacementNode.of("c", Map.of(), Resources.cores(6)));
        var placed = assertInstanceOf(Placement.Placed.class,
                Placer.place(nodes, List.of(chain("ns/web", 2, 2))).placements().get("ns/web"));
        assertEquals(List.of("b", "c"), placed.nodes());
    }

    @Test
    void tooFewNodesForTheReplicasTakesNothingAndSaysSo() {
        var nodes = List.of(PlacementNode.of("a", Map.of(), Resources.cores(4)),
                PlacementNode.of("b", Map.of(), Resources.cores(1)));
        var result = Placer.place(nodes, List.of(chain("ns/web", 2, 2)));
        var u = assertInstanceOf(Placement.Unschedulable.class, result.placements().get("ns/web"));
        assertEquals("needs 2 distinct nodes with 2 cores free, 1 fit (a) (b: 1 free)", u.reason());
        assertEquals(Resources.cores(4), result.remaining().getFirst().totalFree());
    }

    @Test
    void nodeSelectorsOfEveryHopApply() {
        var nodes = List.of(PlacementNode.of("a", Map.of("disk", "ssd"), Resources.cores(4)),
                PlacementNode.of("b", Map.of("disk", "ssd", "nic", "e810"), Resources.cores(4)));
        var hops = List.of(new ChainRequest.Hop("acl", Resources.cores(1), Map.of("disk", "ssd")),
                new ChainRequest.Hop("upf", Resources.cores(1), Map.of("nic", "e810")));
        var placed = assertInstanceOf(Placement.Placed.class, Placer.place(nodes,
                List.of(new ChainRequest("ns/x", hops, 1, Set.of()))).placements().get("ns/x"));
        assertEquals(List.of("b"), placed.nodes());

        var none = Placer.place(nodes, List.of(new ChainRequest("ns/y",
                List.of(new ChainRequest.Hop("f", Resources.cores(1), Map.of("nic", "cx6"))), 1, Set.of())));
        assertEquals(new Placement.Unschedulable("no node matches the hops' node selectors {nic=cx6} (2 nodes)"),
                none.placements().get("ns/y"));
    }

    @Test
    void aChainInstanceStaysOnOneNumaNode() {
        var node = new PlacementNode("a", Map.of(), List.of(
                new PlacementNode.Zone(0, new Resources(2, 0, 0, 0)),
                new PlacementNode.Zone(1, new Resources(2, 0, 0, 0))));
        var result = Placer.place(List.of(node), List.of(chain("ns/web", 1, 2, 1)));
        var u = assertInstanceOf(Placement.Unschedulable.class, result.placements().get("ns/web"));
        assertEquals("no node has 3 cores free (a: 2 free on NUMA node 0)", u.reason());

        var placed = assertInstanceOf(Placement.Placed.class,
                Placer.place(List.of(node), List.of(chain("ns/web", 1, 1, 1))).placements().get("ns/web"));
        assertEquals(new Placement.Assignment("a", 0), placed.assignments().getFirst());
    }

    @Test
    void aChainKeepsItsNodesWhileTheyFit() {
        var nodes = List.of(PlacementNode.of("a", Map.of(), Resources.cores(2)),
                PlacementNode.of("b", Map.of(), Resources.cores(8)));
        var hops = List.of(new ChainRequest.Hop("f", Resources.cores(2), Map.<String, String>of()));
        var placed = assertInstanceOf(Placement.Placed.class, Placer.place(nodes,
                List.of(new ChainRequest("ns/x", hops, 1, Set.of("a")))).placements().get("ns/x"));
        assertEquals(List.of("a"), placed.nodes());
    }

    @Test
    void hugePagesAreADimensionOfTheirOwn() {
        var nodes = List.of(PlacementNode.of("a", Map.of(), new Resources(4, 1, 0, 0)));
        var hops = List.of(new ChainRequest.Hop("upf", new Resources(1, 2, 0, 0), Map.<String, String>of()));
        var u = assertInstanceOf(Placement.Unschedulable.class, Placer.place(nodes,
                List.of(new ChainRequest("ns/x", hops, 1, Set.of()))).placements().get("ns/x"));
        assertTrue(u.reason().equals("no node has 1 cores, 2 2Mi huge pages free (a: 1 2Mi huge pages free)"),
                u.reason());
    }

    @Test
    void aChainGoesOnlyWhereItsPortsAre() {
        var nodes = List.of(new PlacementNode("a", Map.of(), List.of(new PlacementNode.Zone(0, Resources.cores(8))), Set.of("wan")),
                new PlacementNode("b", Map.of(), List.of(new PlacementNode.Zone(0, Resources.cores(1))), Set.of("wan", "lan")));
        var hops = List.of(new ChainRequest.Hop("f", Resources.cores(1), Map.<String, String>of()));
        var placed = assertInstanceOf(Placement.Placed.class, Placer.place(nodes,
                List.of(new ChainRequest("ns/x", hops, 1, Set.of(), Set.of("wan", "lan")))).placements().get("ns/x"));
        assertEquals(List.of("b"), placed.nodes(), "a has more cores but no lan port");

        var none = Placer.place(nodes, List.of(new ChainRequest("ns/y", hops, 1, Set.of(), Set.of("wan", "core"))));
        assertEquals(new Placement.Unschedulable("no node has the ports [core, wan] (a: [wan], b: [lan, wan])"),
                none.placements().get("ns/y"));

        var full = Placer.place(nodes, List.of(new ChainRequest("ns/z",
                List.of(new ChainRequest.Hop("f", Resources.cores(2), Map.<String, String>of())), 1, Set.of(), Set.of("lan"))));
        assertEquals(new Placement.Unschedulable("no node has 2 cores free (b: 1 free); a lacks the ports [lan]"),
                full.placements().get("ns/z"));
    }
}
