package io.nfchain.controller.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.nfchain.api.v1alpha1.DatapathNodeSpec;
import io.nfchain.api.v1alpha1.NodeFailurePolicy;
import io.nfchain.api.v1alpha1.NodePort;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeSpecModelTest {
    @Test
    void aChainEditsOnlyItsOwnEntriesAndKeepsThePorts() {
        var chainSpec = Fixtures.chain("web", "acl").getSpec();
        DatapathNodeSpec spec = new DatapathNodeSpec();
        NodePort wan = new NodePort();
        wan.name = "wan";
        spec.ports = List.of(wan);
        spec = NodeSpecModel.withChain(spec, "ns.other", NodeSpecModel.chain("ns.other", chainSpec, List.of("o-0-x-aaaaa"),
                List.of(NodeFailurePolicy.FAIL_OPEN)), List.of(NodeSpecModel.function("o-0-x-aaaaa", "acl",
                NodeFailurePolicy.FAIL_CLOSED, null)), Set.of());
        spec = NodeSpecModel.withChain(spec, "ns.web", NodeSpecModel.chain("ns.web", chainSpec, List.of("web-0-acl-bbbbb"),
                List.of(NodeFailurePolicy.FAIL_CLOSED)), List.of(NodeSpecModel.function("web-0-acl-bbbbb", "acl",
                NodeFailurePolicy.FAIL_CLOSED, "10.1.1.1")), Set.of());
        assertEquals(List.of("ns.other", "ns.web"), spec.chains.stream().map(c -> c.name).toList());
        assertEquals("10.1.1.1:9091", NodeSpecModel.findFunction(spec, "web-0-acl-bbbbb").grpc);

        DatapathNodeSpec removed = NodeSpecModel.withChain(spec, "ns.web", null, List.of(), Set.of("web-0-acl-bbbbb"));
        assertEquals(List.of("ns.other"), removed.chains.stream().map(c -> c.name).toList());
        assertEquals(List.of("o-0-x-aaaaa"), removed.functions.stream().map(f -> f.name).toList());
        assertEquals(List.of(wan), removed.ports);
    }

    /** A region file is what keeps charging's usage exact across a crash; every other function keeps sealed memfds. */
    @Test
    void onlyFunctionsThatRunChargingMayMapUnsealedRegions() {
        assertEquals(Boolean.TRUE, NodeSpecModel.function("x", "charging", null, null).allowUnsealedRegions);
        assertEquals(Boolean.TRUE, NodeSpecModel.function("x", "upf+qos+charging", null, null).allowUnsealedRegions);
        for (String type : List.of("upf", "qos", "acl", "image")) {
            assertNull(NodeSpecModel.function("x", type, null, null).allowUnsealedRegions, type);
        }
    }
}
