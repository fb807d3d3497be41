package io.nfchain.e2e.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nfchain.api.agent.v1.ListPortsRequest;
import io.nfchain.api.agent.v1.PortServiceGrpc;
import io.nfchain.api.function.v1.FunctionServiceGrpc;
import io.nfchain.api.function.v1.GetInfoRequest;
import io.nfchain.api.v1alpha1.Classifier;
import io.nfchain.api.v1alpha1.Conditions;
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
import io.nfchain.controller.NfchainOperator;
import io.nfchain.controller.RolloutJournal;
import io.nfchain.controller.model.ControllerSettings;
import io.nfchain.e2e.JavaProcess;
import io.nfchain.e2e.LocalNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A whole node driven through the Kubernetes API: fabric8's mock API server (CRUD mode, nfchain's
 * CRDs), the controller in this JVM, the datapath agent in Kubernetes mode as a real process
 * (node {@code node-a}), and the NF runner processes the controller's pods describe, started by
 * this test playing the node's kubelet ({@link ProcessKubelet}). The node's ports are a
 * generator and a sink. Applying an acl -> ttl-guard ServiceChain makes packets flow from the
 * generator through both NF processes into the sink, as the DatapathNode's status and the NFs'
 * own counters show; deleting it stops the flow (the sink's count stands still) and removes the NF
 * pods and their processes.
 * At the end no process, directory or server the test started is left.
 */
class OperatorEndToEndTest {
    static final String NS = "tenant-a";
    static final String NODE = "node-a";
    static final Duration STARTUP = Duration.ofSeconds(180);

    @Test
    void aServiceChainCarriesTrafficThroughItsNfProcessesUntilItIsDeleted() throws Exception {
        Path root = LocalNode.repositoryRoot();
        Path dir = Files.createTempDirectory("nfchain-opnode");
        Path sockets = Files.createDirectories(dir.resolve("sockets"));
        Path logs = Files.createDirectories(dir.resolve("logs"));
        List<Long> pids = new ArrayList<>();
        int apiPort;
        int agentPort = freePort();
        MockApiServer api = new MockApiServer(root.resolve("crds"));
        apiPort = URI.create(api.url()).getPort();
        JavaProcess agent = null;
        Operator operator = null;
        ProcessKubelet kubelet = null;
        try {
            KubernetesClient client = api.client();
            client.resource(nodeWithPorts()).create();
            agent = startAgent(root, api.url(), sockets, fakeSysfs(dir), logs, agentPort);
            pids.add(agent.pid());
            JavaProcess a = agent;
            await("the agent's status with capacity", STARTUP, () -> {
                assertTrue(a.isAlive(), () -> "agent exited:\n" + a.tail(40));
                DatapathNodeStatus st = node(client).getStatus();
                return st != null && st.capacity != null && st.capacity.cores != null && st.capacity.cores >= 2
                        && st.ports.size() == 2;
            });

            // The pods' hostPath is the socket directory the controller is configured with, the
            // agent's: no rewriting, the kubelet creates it (DirectoryOrCreate) as a real one does.
            ControllerSettings settings = new ControllerSettings("nfchain/function-runner:0.1.0", sockets.toString(),
                    Duration.ZERO);
            operator = NfchainOperator.create(api.client(), Clock.systemUTC(), settings, new SimpleMeterRegistry(),
                    new RolloutJournal());
            operator.start();
            kubelet = new ProcessKubelet(api.client(), NS, NODE,
                    root.resolve("functions/target/quarkus-app/quarkus-run.jar"), logs);

            client.resource(function("acl", FunctionType.ACL, Map.of("default-action", "permit"))).create();
            client.resource(function("guard", FunctionType.TTLGUARD, Map.of())).create();
            client.resource(chain("edge", "acl", "guard")).create();

            await("ServiceChain edge Ready", STARTUP, () -> {
                ServiceChain sc = client.resources(ServiceChain.class).inNamespace(NS).withName("edge").get();
                return sc.getStatus() != null && Conditions.isTrue(sc.getStatus().conditions, Conditions.READY);
            });
            Map<String, ProcessKubelet.Running> nfs = kubelet.running();
            assertEquals(2, nfs.size(), "one NF process per hop: " + nfs.keySet());
            pids.addAll(kubelet.everyPid());
            assertEquals(2, nfs.values().stream().map(ProcessKubelet.Running::ip).distinct().count(),
                    "each NF on its own pod IP");

            // Traffic: the status's sink counter grows, every link is up, and each NF's own
            // link counters grow.
            long sink0 = await("packets at the sink", Duration.ofSeconds(60), () -> {
                DatapathNodeStatus st = node(client).getStatus();
                long sink = sinkPackets(st);
                return sink > 0 && st.links.size() == 2 && st.links.stream().allMatch(l -> "up".equals(l.state))
                        ? sink : null;
            });
            Map<String, Long> nf0 = nfRx(nfs);
            long sink1 = await("the sink's counter growing", Duration.ofSeconds(30), () -> {
                long sink = sinkPackets(node(client).getStatus());
                return sink > sink0 ? sink : null;
            });
            Map<String, Long> nf1 = nfRx(nfs);
            for (String pod : nfs.keySet()) {
                assertTrue(nf1.get(pod) > nf0.get(pod), pod + " received nothing more: " + nf0 + " -> " + nf1);
            }
            assertTrue(sink1 > sink0);

            // Deleting the chain: its entries leave the node spec, its pods and processes go,
            // and the sink stops counting while the generator goes on.
            client.resources(ServiceChain.class).inNamespace(NS).withName("edge").delete();
            ProcessKubelet k = kubelet;
            await("the chain, its pods and processes gone", Duration.ofSeconds(60), () ->
                    client.resources(ServiceChain.class).inNamespace(NS).withName("edge").get() == null
                    && client.pods().inNamespace(NS).list().getItems().isEmpty() && k.running().isEmpty()
                    && node(client).getSpec().chains.isEmpty() && node(client).getSpec().functions.isEmpty());
            for (ProcessKubelet.Running r : nfs.values()) {
                assertFalse(r.process().isAlive(), r.pod() + " still runs");
            }
            await("the agent applied the empty node spec", Duration.ofSeconds(30), () -> {
                DatapathNode n = node(client);
                return n.getStatus().observedGeneration != null
                        && n.getStatus().observedGeneration.equals(n.getMetadata().getGeneration())
                        && n.getStatus().links.isEmpty();
            });
            // The status was written when the empty spec was applied; the agent's live counters
            // (its gRPC API) say the sink has stopped there.
            long stopped = sinkPackets(node(client).getStatus());
            long live0 = liveSinkPackets(agentPort);
            Thread.sleep(2_000);
            long live1 = liveSinkPackets(agentPort);
            assertEquals(live0, live1, "the sink counts on after the chain went");
            assertEquals(stopped, live1, "the status's sink count is the agent's");
        } finally {
            if (kubelet != null) {
                pids.addAll(kubelet.everyPid());
                kubelet.close();
            }
            if (operator != null) {
                operator.stop();
            }
            if (agent != null) {
                agent.stop(Duration.ofSeconds(10));
            }
            api.close();
            keepLogs(logs);
            deleteTree(dir);
        }
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " still runs");
        }
        assertEquals(3, pids.stream().distinct().count(), "the agent and two NF processes: " + pids);
        assertFalse(Files.exists(dir), dir + " still exists");
        try (Socket s = new Socket("127.0.0.1", apiPort)) {
            fail("the mock API server still listens on " + apiPort);
        } catch (IOException expected) {
            // gone
        }
    }

    static DatapathNode nodeWithPorts() {
        DatapathNode n = new DatapathNode();
        n.setMetadata(new ObjectMetaBuilder().withName(NODE).build());
        n.setSpec(new DatapathNodeSpec());
        NodePort gen = new NodePort();
        gen.name = "gen";
        gen.type = PortType.GEN;
        gen.ratePps = 2_000L;
        gen.flows = 64;
        gen.source = "10.0.0.0/16";
        gen.destination = "198.18.0.0/15";
        gen.protocol = "udp";
        gen.destinationPort = 80;
        NodePort sink = new NodePort();
        sink.name = "sink";
        sink.type = PortType.SINK;
        n.getSpec().ports = List.of(gen, sink);
        return n;
    }

    static NetworkFunction function(String name, FunctionType type, Map<String, String> config) {
        NetworkFunction nf = new NetworkFunction();
        nf.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        NetworkFunctionSpec s = new NetworkFunctionSpec();
        s.type = type;
        s.resources = new NetworkFunctionSpec.Resources();
        s.resources.cpu = 1;
        s.resources.memory = "256Mi";
        s.config = config;
        nf.setSpec(s);
        return nf;
    }

    static ServiceChain chain(String name, String... hops) {
        ServiceChain sc = new ServiceChain();
        sc.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        ServiceChainSpec s = new ServiceChainSpec();
        s.classifier = new Classifier();
        s.classifier.ingressPort = "gen";
        s.egressPort = "sink";
        for (String h : hops) {
            s.hops.add(new ServiceChainSpec.Hop(h, null));
        }
        sc.setSpec(s);
        return sc;
    }

    /**
     * A sysfs tree of an 8-CPU node: the agent's capacity is this machine's online CPUs minus its
     * own worker's, and a 2-CPU test machine would leave 1 core, too few for two one-core NFs.
     */
    static Path fakeSysfs(Path dir) throws IOException {
        Path sysfs = dir.resolve("sysfs");
        Files.createDirectories(sysfs.resolve("sys/devices/system/cpu"));
        Files.writeString(sysfs.resolve("sys/devices/system/cpu/online"), "0-7\n");
        Files.createDirectories(sysfs.resolve("sys/devices/system/node/node0"));
        Files.createDirectories(sysfs.resolve("sys/class/net"));
        return sysfs;
    }

    static JavaProcess startAgent(Path root, String apiUrl, Path sockets, Path sysfs, Path logs, int port)
            throws IOException {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("nfchain.agent.mode", "kubernetes");
        p.put("nfchain.agent.node-name", NODE);
        p.put("nfchain.agent.socket-directory", sockets.toString());
        p.put("nfchain.agent.sysfs-root", sysfs.toString());
        p.put("nfchain.agent.idle-strategy", "backoff");
        p.put("nfchain.agent.status-interval", "500ms");
        p.put("nfchain.agent.status-counters-interval", "1s");
        p.put("quarkus.http.port", Integer.toString(port));
        p.put("quarkus.http.host", "127.0.0.1");
        p.put("quarkus.kubernetes-client.api-server-url", apiUrl);
        p.put("quarkus.kubernetes-client.trust-certs", "true");
        p.put("quarkus.kubernetes-client.devservices.enabled", "false");
        return JavaProcess.start("agent", root.resolve("datapath-agent/target/quarkus-app/quarkus-run.jar"),
                List.of("--enable-native-access=ALL-UNNAMED"), p, logs.resolve("agent.log"));
    }

    static DatapathNode node(KubernetesClient client) {
        return client.resources(DatapathNode.class).withName(NODE).get();
    }

    static long sinkPackets(DatapathNodeStatus st) {
        return portPackets(st, "sink");
    }

    /** What a port carried: a sink transmits (the chain's egress), a generator receives. */
    static long portPackets(DatapathNodeStatus st, String port) {
        if (st == null) {
            return 0;
        }
        return st.ports.stream().filter(p -> port.equals(p.name)).mapToLong(p -> nz(p.rxPackets) + nz(p.txPackets))
                .sum();
    }

    private static long nz(Long v) {
        return v == null ? 0 : v;
    }

    /** What the agent's sink port has counted, live, through its gRPC API. */
    static long liveSinkPackets(int agentPort) throws InterruptedException {
        ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", agentPort).usePlaintext().build();
        try {
            return PortServiceGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .listPorts(ListPortsRequest.getDefaultInstance()).getPortsList().stream()
                    .filter(p -> p.getName().equals("sink")).mapToLong(p -> p.getRxPackets() + p.getTxPackets()).sum();
        } finally {
            ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Each NF's own count of packets its memif link received, over its gRPC API at its pod IP. */
    static Map<String, Long> nfRx(Map<String, ProcessKubelet.Running> nfs) throws InterruptedException {
        Map<String, Long> out = new LinkedHashMap<>();
        for (ProcessKubelet.Running r : nfs.values()) {
            ManagedChannel ch = ManagedChannelBuilder.forAddress(r.ip(), ControllerSettings.FUNCTION_HTTP_PORT)
                    .usePlaintext().build();
            try {
                out.put(r.pod(), FunctionServiceGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS)
                        .getInfo(GetInfoRequest.getDefaultInstance()).getLinks(0).getRxPackets());
            } finally {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        return out;
    }

    static <T> T await(String what, Duration wait, Supplier<T> value) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            T v = value.get();
            if (v != null && !Boolean.FALSE.equals(v)) {
                return v;
            }
            Thread.sleep(100);
        }
        return fail("timed out after " + wait.toSeconds() + " s waiting for " + what);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** With {@code -Dnfchain.e2e.logs=DIR} (surefire sets it) the processes' logs are kept there. */
    static void keepLogs(Path logs) {
        String keep = System.getProperty("nfchain.e2e.logs");
        if (keep == null) {
            return;
        }
        try (Stream<Path> files = Files.list(logs)) {
            Path target = Files.createDirectories(Path.of(keep).resolve("operator"));
            for (Path f : files.toList()) {
                Files.copy(f, target.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // a courtesy for whoever reads a failed run
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
