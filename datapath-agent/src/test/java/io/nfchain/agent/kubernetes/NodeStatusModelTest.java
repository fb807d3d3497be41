package io.nfchain.agent.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.Condition;
import io.nfchain.agent.datapath.Datapath;
import io.nfchain.agent.datapath.DatapathWorker;
import io.nfchain.agent.inventory.NodeInventory;
import io.nfchain.agent.inventory.NodeInventory.HugepagePool;
import io.nfchain.agent.inventory.NodeInventory.Nic;
import io.nfchain.agent.inventory.NodeInventory.VirtualFunction;
import io.nfchain.agent.kubernetes.NodeStatusModel.SpecState;
import io.nfchain.agent.port.PortFactory;
import io.nfchain.api.v1alpha1.Conditions;
import io.nfchain.api.v1alpha1.DatapathNodeStatus;
import io.nfchain.core.runtime.NanoClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status model alone: an idle datapath (no worker thread needed to read it), a made-up inventory. */
class NodeStatusModelTest {
    private static final Instant T0 = Instant.parse("2026-11-27T04:00:00Z");
    private static final Instant T1 = Instant.parse("2026-11-27T04:05:00Z");

    private final Datapath idle = new Datapath(new DatapathWorker("w", NanoClock.SYSTEM, 32, 2048, 1_000_000L),
            PortFactory.standard(), Duration.ofSeconds(1));

    private static NodeInventory inventory(List<String> errors) {
        return new NodeInventory("0-7", 8, List.of(0, 1),
                List.of(new HugepagePool(2048, 1024, 1000, -1), new HugepagePool(1048576, 4, 4, -1),
                        new HugepagePool(2048, 512, 500, 0)),
                List.of(new Nic("ens1f0", "0000:3b:00.0", "ice", 1, 64, 3, List.of(
                        new VirtualFunction(0, "0000:3b:01.0", "vfio-pci"), new VirtualFunction(1, "0000:3b:01.1", ""),
                        new VirtualFunction(2, "0000:3b:01.2", "vfio-pci")))),
                errors);
    }

    private static Condition condition(DatapathNodeStatus s, String type) {
        return Conditions.find(s.conditions, type);
    }

    @Test
    void capacityIsTheCpusButTheAgentsAllHugepagesAndTheVfioVfs() {
        DatapathNodeStatus s = NodeStatusModel.status(inventory(List.of()), idle, SpecState.applied(1), null, T0);
        assertEquals(7, s.capacity.cores);
        assertEquals("2Gi", s.capacity.hugepages2Mi);
        assertEquals("4Gi", s.capacity.hugepages1Gi);
        assertEquals(2, s.capacity.vfs);
        assertEquals("1536Mi", NodeStatusModel.quantityMi(1536));
        assertEquals(2, s.inventory.numaNodes);
        assertNull(s.inventory.hugepages.get(0).numaNode, "the whole node's pool has no NUMA node");
        assertEquals(0, s.inventory.hugepages.get(2).numaNode);
        assertNull(s.inventory.nics.get(0).vfs.get(1).driver, "unbound");
    }

    @Test
    void conditionsFollowTheSpecAndKeepTheirTransitionTime() {
        DatapathNodeStatus none = NodeStatusModel.status(inventory(List.of()), idle, SpecState.NONE, null, T0);
        assertEquals("NoSpecYet", condition(none, Conditions.READY).getReason());
        assertNull(none.observedGeneration);

        DatapathNodeStatus applied = NodeStatusModel.status(inventory(List.of()), idle, SpecState.applied(3),
                none.conditions, T0);
        assertEquals("True", condition(applied, Conditions.READY).getStatus());
        assertEquals("SpecApplied", condition(applied, Conditions.READY).getReason());
        assertEquals(3L, condition(applied, Conditions.READY).getObservedGeneration());
        assertEquals("False", condition(applied, Conditions.DEGRADED).getStatus());
        assertNull(applied.lastError);

        DatapathNodeStatus again = NodeStatusModel.status(inventory(List.of()), idle, SpecState.applied(3),
                applied.conditions, T1);
        assertEquals("2026-11-27T04:00:00Z", condition(again, Conditions.READY).getLastTransitionTime(),
                "unchanged status keeps its transition time");

        SpecState refused = new SpecState(4L, "chains[0].egressPort: no port 'x' (ports: [])",
                NodeStatusModel.SPEC_REJECTED);
        DatapathNodeStatus bad = NodeStatusModel.status(inventory(List.of()), idle, refused, again.conditions, T1);
        assertEquals("False", condition(bad, Conditions.READY).getStatus());
        assertEquals("SpecRejected", condition(bad, Conditions.READY).getReason());
        assertEquals("2026-11-27T04:05:00Z", condition(bad, Conditions.READY).getLastTransitionTime());
        assertEquals("True", condition(bad, Conditions.DEGRADED).getStatus());
        assertEquals("chains[0].egressPort: no port 'x' (ports: [])", bad.lastError);
        assertEquals(4L, bad.observedGeneration);
    }

    @Test
    void anIncompleteInventoryDegradesTheNodeNamingTheFirstItem() {
        DatapathNodeStatus s = NodeStatusModel.status(inventory(List.of("/sys/x/numa_node: 'q' is not a whole number")),
                idle, SpecState.applied(1), null, T0);
        assertEquals("InventoryIncomplete", condition(s, Conditions.DEGRADED).getReason());
        assertEquals("1 item(s) of sysfs could not be read; the first: /sys/x/numa_node: 'q' is not a whole number",
                condition(s, Conditions.DEGRADED).getMessage());
        assertEquals("True", condition(s, Conditions.READY).getStatus(), "the spec still runs");
    }
}
