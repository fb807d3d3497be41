package io.nfchain.controller.reconciler;

import static io.nfchain.controller.reconciler.MockCluster.NS;
import static io.nfchain.controller.reconciler.MockCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.nfchain.api.v1alpha1.Conditions;
import io.nfchain.api.v1alpha1.DatapathNodeSpec;
import io.nfchain.api.v1alpha1.FunctionType;
import io.nfchain.api.v1alpha1.NetworkFunction;
import io.nfchain.api.v1alpha1.ServiceChain;
import io.nfchain.controller.NfchainOperator;
import io.nfchain.controller.model.ControllerSettings;
import io.nfchain.controller.model.Names;
import io.nfchain.controller.model.NodeSpecModel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The controller against the fabric8 mock API server in CRUD mode, the test playing kubelet and agent capacity. */
@EnableKubernetesMockClient(crud = true)
class ServiceChainOperatorTest {
    KubernetesClient client;
    MockCluster cluster;
    Operator operator;
    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));

    @BeforeEach
    void start() throws Exception {
        cluster = new MockCluster(client);
        operator = NfchainOperator.create(client, clock, ControllerSettings.defaults(), cluster.registry,
                cluster.journal);
        operator.start();
    }

    @AfterEach
    void stop() {
        operator.stop();
    }

    private static Condition ready(ServiceChain sc) {
        return sc == null || sc.getStatus() == null ? null : Conditions.find(sc.getStatus().conditions, Conditions.READY);
    }

    private ServiceChain awaitReady(String chain, String status, String reason) {
        return await(chain + " Ready=" + status + " " + reason, () -> {
            ServiceChain sc = cluster.getChain(chain);
            Condition c = ready(sc);
            return c != null && status.equals(c.getStatus()) && reason.equals(c.getReason())
                    && sc.getStatus().observedGeneration.equals(sc.getMetadata().getGeneration()) ? sc : null;
        });
    }

    /** Creates acl (1 core) -> router (2 cores) on two 8-core nodes and plays the kubelet until Ready. */
    private List<Pod> readyChain() {
        cluster.node("node-a", 8, Map.of("pool", "edge"));
        cluster.node("node-b", 8, Map.of("pool", "edge"));
        cluster.function("acl", FunctionType.ACL, 1, 1);
        cluster.function("router", FunctionType.ROUTER, 2, 1);
        cluster.chain("web", "acl", "router");
        List<Pod> pods = await("two pods", () -> cluster.pods("web").size() == 2 ? cluster.pods("web") : null);
        for (int i = 0; i < pods.size(); i++) {
            cluster.markReady(pods.get(i), "10.0.0." + (10 + i));
        }
        awaitReady("web", "True", "InstancesReady");
        return pods;
    }

    @Test
    void aChainBecomesPodsOnOneNodeAndItsEntriesInThatNodesSpec() {
        List<Pod> pods = readyChain();
        String node = pods.getFirst().getSpec().getNodeName();
        assertEquals(node, pods.get(1).getSpec().getNodeName(), "a chain instance's pods share a node");
        assertEquals(List.of("0", "1"), pods.stream().map(p -> p.getMetadata().getLabels().get(Names.LABEL_HOP)).toList());

        DatapathNodeSpec spec = await("grpc addresses in the spec", () -> {
            DatapathNodeSpec s = cluster.nodeSpec(node);
            return s.functions.size() == 2 && s.functions.stream().allMatch(f -> f.grpc != null) ? s : null;
        });
        assertEquals(2, spec.ports.size(), "the ports the controller did not write are kept");
        var entry = NodeSpecModel.findChain(spec, NS + ".web");
        assertEquals(List.of(pods.get(0).getMetadata().getName(), pods.get(1).getMetadata().getName()),
                entry.hops.stream().map(h -> h.function).toList());
        assertEquals("wan", entry.classifier.ingressPort);
        assertEquals("lan", entry.egressPort);
        assertEquals(10, entry.priority);
        var acl = NodeSpecModel.findFunction(spec, pods.getFirst().getMetadata().getName());
        assertEquals("acl", acl.type);
        assertEquals(pods.getFirst().getMetadata().getName() + "/memif.sock", acl.socket);
        assertTrue(acl.grpc.matches("10\\.0\\.0\\.1[01]:9091"), acl.grpc);

        String other = node.equals("node-a") ? "node-b" : "node-a";
        assertTrue(cluster.nodeSpec(other).chains.isEmpty() && cluster.nodeSpec(other).functions.isEmpty());

        ServiceChain sc = cluster.getChain("web");
        assertEquals(List.of(node), sc.getStatus().nodes);
        assertEquals(2, sc.getStatus().hops.size());
        assertTrue(sc.getStatus().hops.stream().allMatch(h -> h.ready));
        NetworkFunction nf = await("acl status", () -> {
            NetworkFunction f = client.resources(NetworkFunction.class).inNamespace(NS).withName("acl").get();
            return f.getStatus() != null && Integer.valueOf(1).equals(f.getStatus().readyInstances) ? f : null;
        });
        assertEquals(1, nf.getStatus().desiredInstances);
        assertEquals(node, nf.getStatus().instances.getFirst().node);
        assertEquals("web", nf.getStatus().instances.getFirst().chain);
    }

    @Test
    void aFullNodeSaysSoAndRoomLaterPlacesTheChain() {
        cluster.node("node-a", 1, Map.of());
        cluster.node("node-b", 0, Map.of());
        cluster.function("acl", FunctionType.ACL, 1, 1);
        cluster.function("router", FunctionType.ROUTER, 1, 1);
        cluster.chain("web", "acl", "router");
        ServiceChain sc = awaitReady("web", "False", "Unschedulable");
        assertEquals("no node has 2 cores free (node-a: 1 free, node-b: 0 free)", ready(sc).getMessage());
        assertTrue(cluster.pods("web").isEmpty());
        assertEquals(1, (int) cluster.registry.get("nfchain.controller.unschedulable.chains").gauge().value());

        cluster.setCores("node-b", 4); // the agent reports more room
        await("pods on node-b", () -> cluster.pods("web").size() == 2
                && cluster.pods("web").stream().allMatch(p -> "node-b".equals(p.getSpec().getNodeName())) ? true : null);
        await("gauge back to 0", () -> cluster.registry.get("nfchain.controller.unschedulable.chains").gauge().value() == 0
                ? true : null);
    }

    @Test
    void anImageChangeRollsMakeBeforeBreak() {
        List<Pod> before = readyChain();
        String node = before.getFirst().getSpec().getNodeName();
        String oldAcl = before.getFirst().getMetadata().getName();
        String router = before.get(1).getMetadata().getName();

        cluster.patchFunction("acl", "{\"spec\":{\"type\":null,\"image\":\"example.com/acl:2\"}}");
        Pod fresh = await("the replacement pod", () -> cluster.pods("web").stream()
                .filter(p -> "0".equals(p.getMetadata().getLabels().get(Names.LABEL_HOP)))
                .filter(p -> !p.getMetadata().getName().equals(oldAcl)).findFirst().orElse(null));
        assertEquals("example.com/acl:2", fresh.getSpec().getContainers().getFirst().getImage());
        String newAcl = fresh.getMetadata().getName();

        // Before the replacement is Ready: the old pod stays, the hop stays on it, and the new
        // instance already has its function entry (the agent must listen for it to connect).
        DatapathNodeSpec during = await("the new function entry", () -> {
            DatapathNodeSpec s = cluster.nodeSpec(node);
            return NodeSpecModel.findFunction(s, newAcl) != null ? s : null;
        });
        assertEquals(oldAcl, NodeSpecModel.findChain(during, NS + ".web").hops.getFirst().function);
        assertTrue(cluster.pods("web").stream().anyMatch(p -> p.getMetadata().getName().equals(oldAcl)));
        awaitReady("web", "False", "InstancesNotReady");

        cluster.markReady(fresh, "10.0.0.20"); // the kubelet: the new NF connected
        await("the old pod deleted", () -> cluster.pods("web").stream()
                .noneMatch(p -> p.getMetadata().getName().equals(oldAcl)) ? true : null);
        DatapathNodeSpec after = cluster.nodeSpec(node);
        assertEquals(List.of(newAcl, router), NodeSpecModel.findChain(after, NS + ".web").hops.stream().map(h -> h.function).toList());
        assertNull(NodeSpecModel.findFunction(after, oldAcl));
        awaitReady("web", "True", "InstancesReady");

        List<String> journal = cluster.journal.entries();
        int created = indexOf(journal, "pod-created " + NS + "/" + newAcl);
        int switched = indexOf(journal, "hop-switched " + node + " " + NS + ".web#0 " + oldAcl + " -> " + newAcl);
        int deleted = indexOf(journal, "pod-deleted " + NS + "/" + oldAcl);
        assertTrue(created < switched && switched < deleted, journal.toString());
    }

    @Test
    void deletingAChainRemovesItsPodsAndNodeEntries() {
        List<Pod> pods = readyChain();
        String node = pods.getFirst().getSpec().getNodeName();
        client.resources(ServiceChain.class).inNamespace(NS).withName("web").delete();
        await("chain gone", () -> cluster.getChain("web") == null ? true : null);
        assertTrue(cluster.pods("web").isEmpty());
        DatapathNodeSpec spec = cluster.nodeSpec(node);
        assertTrue(spec.chains.isEmpty(), "chains: " + spec.chains.size());
        assertTrue(spec.functions.isEmpty(), "functions: " + spec.functions.size());
        assertEquals(2, spec.ports.size());
    }

    @Test
    void aHopNamingAMissingFunctionSaysWhichAndRecoversWhenItAppears() {
        cluster.node("node-a", 8, Map.of());
        cluster.function("acl", FunctionType.ACL, 1, 1);
        cluster.chain("web", "acl", "nope");
        ServiceChain sc = awaitReady("web", "False", "InvalidReference");
        assertEquals("hops[1].function: no NetworkFunction 'nope' in namespace '" + NS + "' (functions: [acl])",
                ready(sc).getMessage());
        assertTrue(cluster.pods("web").isEmpty());

        cluster.function("nope", FunctionType.ROUTER, 1, 1);
        await("pods once the function exists", () -> cluster.pods("web").size() == 2 ? true : null);
    }

    /** The API server refuses such a key (CEL); the controller says so too when one reaches it, and makes no pod. */
    @Test
    void aUserPlaneKeyOfNoStageSaysWhichAndRecoversWhenFixed() {
        cluster.node("node-a", 8, Map.of());
        cluster.function("up", FunctionType.USER_PLANE, 1, 1); // its config is {log-level: info}
        cluster.chain("web", "up");
        ServiceChain sc = awaitReady("web", "False", "InvalidReference");
        assertEquals("hops[0].function: NetworkFunction 'up': config keys of upf+qos+charging start with the function"
                + " they set (upf., qos. or charging.); these do not: [log-level]", ready(sc).getMessage());
        assertTrue(cluster.pods("web").isEmpty());

        client.resources(NetworkFunction.class).inNamespace(NS).withName("up").edit(nf -> {
            nf.getSpec().config = Map.of("upf.n3-ipv4", "192.0.2.1");
            return nf;
        });
        Pod pod = await("the pod once the key names its stage", () -> cluster.pods("web").size() == 1
                ? cluster.pods("web").getFirst() : null);
        assertTrue(pod.getSpec().getContainers().getFirst().getEnv().stream()
                .anyMatch(e -> e.getName().equals("NFCHAIN_UPF_N3_IPV4") && e.getValue().equals("192.0.2.1")));
    }

    private static int indexOf(List<String> journal, String entryStart) {
        for (int i = 0; i < journal.size(); i++) {
            if (journal.get(i).startsWith(entryStart)) {
                return i;
            }
        }
        return fail(entryStart + " not in " + journal);
    }

    @Test
    void theOldInstanceDrainsForItsTimeOnTheControllersClock() {
        List<Pod> before = readyChain();
        String node = before.getFirst().getSpec().getNodeName();
        String oldAcl = before.getFirst().getMetadata().getName();
        cluster.patchFunction("acl", "{\"spec\":{\"config\":{\"log-level\":\"debug\"},\"updateStrategy\":{\"drainSeconds\":30}}}");
        Pod fresh = await("the replacement pod", () -> cluster.pods("web").stream()
                .filter(p -> "0".equals(p.getMetadata().getLabels().get(Names.LABEL_HOP)))
                .filter(p -> !p.getMetadata().getName().equals(oldAcl)).findFirst().orElse(null));
        clock.advance(Duration.ofSeconds(5));
        cluster.markReady(fresh, "10.0.0.30");
        await("the hop on the replacement", () -> fresh.getMetadata().getName().equals(
                NodeSpecModel.findChain(cluster.nodeSpec(node), NS + ".web").hops.getFirst().function) ? true : null);
        Pod old = await("the switch time on the old pod", () -> cluster.pods("web").stream()
                .filter(p -> p.getMetadata().getName().equals(oldAcl))
                .filter(p -> p.getMetadata().getAnnotations().containsKey(Names.ANNOTATION_SWITCHED_AT)).findFirst().orElse(null));
        assertEquals("2026-03-01T12:00:05Z", old.getMetadata().getAnnotations().get(Names.ANNOTATION_SWITCHED_AT));
        assertTrue(NodeSpecModel.findFunction(cluster.nodeSpec(node), oldAcl) != null, "draining: its link stays");

        clock.advance(Duration.ofSeconds(31));
        // Any event of the chain's pods makes it look again (JOSDK's own timer would, 30 s of wall time later).
        client.pods().inNamespace(NS).withName(fresh.getMetadata().getName()).edit(p -> {
            p.getMetadata().getAnnotations().put("test/poke", "1");
            return p;
        });
        await("the old pod deleted after its drain", () -> cluster.pods("web").stream()
                .noneMatch(p -> p.getMetadata().getName().equals(oldAcl)) ? true : null);
        assertNull(NodeSpecModel.findFunction(cluster.nodeSpec(node), oldAcl));
    }
}
