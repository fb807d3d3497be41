package io.nfchain.controller.reconciler;

import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nfchain.api.v1alpha1.Classifier;
import io.nfchain.api.v1alpha1.DatapathNode;
import io.nfchain.api.v1alpha1.DatapathNodeSpec;
import io.nfchain.api.v1alpha1.DatapathNodeStatus;
import io.nfchain.api.v1alpha1.FunctionType;
import io.nfchain.api.v1alpha1.NetworkFunction;
import io.nfchain.api.v1alpha1.NetworkFunctionSpec;
import io.nfchain.api.v1alpha1.NodePort;
import io.nfchain.api.v1alpha1.PortType;
import io.nfchain.api.v1alpha1.ServiceChain;
import io.nfchain.api.v1alpha1.ServiceChainSpec;
import io.nfchain.controller.RolloutJournal;
import io.nfchain.controller.model.Names;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Not thread-safe. The test's side of a cluster on the mock API server: CRDs from {@code crds/}
 * (so status is a subresource, as on a real server), DatapathNodes with capacity as an agent would
 * report it, NetworkFunctions, ServiceChains, and the kubelet's part for NF pods.
 */
final class MockCluster {
    static final String NS = "tenant-a";
    static final Duration WAIT = Duration.ofSeconds(30);
    final KubernetesClient client;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final RolloutJournal journal = new RolloutJournal();

    MockCluster(KubernetesClient client) throws IOException {
        this.client = client;
        Path crds = Path.of("..", "crds");
        try (Stream<Path> files = Files.list(crds)) {
            for (Path f : files.sorted().toList()) {
                client.apiextensions().v1().customResourceDefinitions().load(f.toFile()).create();
            }
        }
    }

    DatapathNode node(String name, int cores, Map<String, String> labels) {
        DatapathNode n = new DatapathNode();
        n.setMetadata(new ObjectMetaBuilder().withName(name).withLabels(labels).build());
        n.setSpec(new DatapathNodeSpec());
        NodePort wan = new NodePort();
        wan.name = "wan";
        wan.type = PortType.AF_PACKET;
        wan.interfaceName = "eth1";
        NodePort lan = new NodePort();
        lan.name = "lan";
        lan.type = PortType.AF_PACKET;
        lan.interfaceName = "eth2";
        n.getSpec().ports = List.of(wan, lan);
        DatapathNode created = client.resource(n).create();
        setCores(name, cores);
        client.resource(new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build()).create();
        return created;
    }

    void setCores(String node, int cores) {
        DatapathNode n = client.resources(DatapathNode.class).withName(node).get();
        DatapathNodeStatus st = new DatapathNodeStatus();
        st.capacity = new DatapathNodeStatus.Resources();
        st.capacity.cores = cores;
        st.capacity.hugepages2Mi = "1Gi";
        n.setStatus(st);
        client.resource(n).updateStatus();
    }

    NetworkFunction function(String name, FunctionType type, int cpu, int replicas) {
        NetworkFunction nf = new NetworkFunction();
        nf.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        NetworkFunctionSpec s = new NetworkFunctionSpec();
        s.type = type;
        s.resources = new NetworkFunctionSpec.Resources();
        s.resources.cpu = cpu;
        s.resources.memory = "256Mi";
        s.placement = new NetworkFunctionSpec.Placement();
        s.placement.replicas = replicas;
        s.config = Map.of("log-level", "info");
        nf.setSpec(s);
        return client.resource(nf).create();
    }

    ServiceChain chain(String name, String... functions) {
        ServiceChain sc = new ServiceChain();
        sc.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        ServiceChainSpec s = new ServiceChainSpec();
        s.classifier = new Classifier();
        s.classifier.ingressPort = "wan";
        s.egressPort = "lan";
        s.priority = 10;
        for (String f : functions) {
            s.hops.add(new ServiceChainSpec.Hop(f, null));
        }
        sc.setSpec(s);
        return client.resource(sc).create();
    }

    List<Pod> pods(String chain) {
        return client.pods().inNamespace(NS).withLabel(Names.LABEL_CHAIN, chain).list().getItems().stream()
                .sorted((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName())).toList();
    }

    /** What the kubelet does once the NF's readiness probe passes: an IP, and Ready=True. */
    void markReady(Pod pod, String ip) {
        Pod p = client.pods().inNamespace(NS).withName(pod.getMetadata().getName()).get();
        p.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").withPodIP(ip)
                .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True").build()).build());
        client.pods().inNamespace(NS).resource(p).updateStatus();
    }

    void patchFunction(String name, String mergePatch) {
        client.resources(NetworkFunction.class).inNamespace(NS).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
    }

    ServiceChain getChain(String name) {
        return client.resources(ServiceChain.class).inNamespace(NS).withName(name).get();
    }

    DatapathNodeSpec nodeSpec(String node) {
        return client.resources(DatapathNode.class).withName(node).get().getSpec();
    }

    /** Polls until {@code value} is non-null (the operator works on its own threads); fails after 30 s. */
    static <T> T await(String what, Supplier<T> value) {
        return await(what, WAIT, value);
    }

    static <T> T await(String what, Duration wait, Supplier<T> value) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            T v = value.get();
            if (v != null && !Boolean.FALSE.equals(v)) {
                return v;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return fail("timed out after " + wait.toSeconds() + " s waiting for " + what);
    }
}
