package io.nfchain.agent.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.nfchain.agent.datapath.Datapath;
import io.nfchain.agent.datapath.DatapathDrop;
import io.nfchain.agent.datapath.DatapathWorker;
import io.nfchain.agent.datapath.EchoFunction;
import io.nfchain.agent.inventory.InventoryReader;
import io.nfchain.agent.inventory.NodeInventory;
import io.nfchain.agent.port.PortFactory;
import io.nfchain.api.v1alpha1.Classifier;
import io.nfchain.api.v1alpha1.Conditions;
import io.nfchain.api.v1alpha1.DatapathNode;
import io.nfchain.api.v1alpha1.DatapathNodeSpec;
import io.nfchain.api.v1alpha1.DatapathNodeStatus;
import io.nfchain.api.v1alpha1.NodeFailurePolicy;
import io.nfchain.api.v1alpha1.NodePort;
import io.nfchain.api.v1alpha1.PortType;
import io.nfchain.core.runtime.AgentRunner;
import io.nfchain.core.runtime.IdleConfig;
import io.nfchain.core.runtime.IdleStrategies;
import io.nfchain.core.runtime.NanoClock;
import io.nfchain.core.runtime.RunnerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's Kubernetes mode against the fabric8 mock API server (CRUD mode, the DatapathNode
 * CRD registered with its status subresource): a real datapath worker, a real memif function
 * (an echo NF on its own thread), the spec and status going through the API server only.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesNodeSyncTest {
    static KubernetesMockServer server;
    static KubernetesClient client;

    private Path dir;
    private final List<AutoCloseable> agents = new ArrayList<>();

    /** One agent: worker, runner, datapath and its sync, closed in reverse order. */
    private final class Agent implements AutoCloseable {
        final DatapathWorker worker = new DatapathWorker("worker-0", NanoClock.SYSTEM, 32, 2048, 50_000_000L);
        final AgentRunner runner = new AgentRunner(worker, IdleStrategies.create("backoff", IdleConfig.defaults()),
                Throwable::printStackTrace, NanoClock.SYSTEM, RunnerSettings.named("k8s-test"));
        final Datapath datapath = new Datapath(worker, PortFactory.standard(), Duration.ofSeconds(5));
        final KubernetesNodeSync sync;

        Agent(String node, Duration countersInterval) {
            runner.start();
            sync = new KubernetesNodeSync(client, node, datapath, dir, new InventoryReader(Path.of("/")),
                    Duration.ofMillis(100), countersInterval, Clock.systemUTC());
            sync.start();
            agents.add(this);
        }

        @Override
        public void close() {
            sync.close();
            runner.close();
            datapath.close();
        }
    }

    /** The CRD as the chart installs it (generated into crds/): /status is a subresource. */
    @BeforeAll
    static void registerCrd() throws Exception {
        Path crd = Path.of(System.getProperty("user.dir")).getParent().resolve("crds/datapathnodes.nfchain.io-v1.yml");
        try (var in = Files.newInputStream(crd)) {
            client.apiextensions().v1().customResourceDefinitions().load(in).create();
        }
    }

    @BeforeEach
    void directory() throws Exception {
        dir = Files.createTempDirectory("nfchain-k8s");
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = agents.size() - 1; i >= 0; i--) {
            agents.get(i).close();
        }
        client.resources(DatapathNode.class).delete();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** gen0 -> echo function -> out, built with the CRD classes as the controller builds it. */
    private static DatapathNodeSpec chainSpec(String hopFunction) {
        return chainSpec(hopFunction, "echo-1");
    }

    /** gen0 -> {@code hopFunction} -> out, with the one function {@code function} placed. */
    private static DatapathNodeSpec chainSpec(String hopFunction, String function) {
        DatapathNodeSpec spec = new DatapathNodeSpec();
        NodePort gen = new NodePort();
        gen.name = "gen0";
        gen.type = PortType.GEN;
        gen.ratePps = 20_000L;
        gen.flows = 16;
        NodePort out = new NodePort();
        out.name = "out";
        out.type = PortType.SINK;
        spec.ports.add(gen);
        spec.ports.add(out);
        DatapathNodeSpec.NodeFunction echo = new DatapathNodeSpec.NodeFunction();
        echo.name = function;
        echo.type = "test";
        echo.failurePolicy = NodeFailurePolicy.FAIL_CLOSED;
        spec.functions.add(echo);
        DatapathNodeSpec.NodeChain chain = new DatapathNodeSpec.NodeChain();
        chain.name = "web";
        chain.classifier = new Classifier();
        chain.classifier.ingressPort = "gen0";
        chain.hops.add(new DatapathNodeSpec.NodeHop(hopFunction, null));
        chain.egressPort = "out";
        spec.chains.add(chain);
        return spec;
    }

    private static DatapathNode node(String name, DatapathNodeSpec spec) {
        DatapathNode node = new DatapathNode();
        node.setMetadata(new ObjectMetaBuilder().withName(name).build());
        node.setSpec(spec);
        return client.resource(node).create();
    }

    /**
     * As the controller changes a spec: a JSON patch of /spec, not a replace. The agent writes the
     * status meanwhile, and a replace would meet a 409.
     */
    private static void editSpec(String name, DatapathNodeSpec spec) {
        String patch = "[{\"op\":\"replace\",\"path\":\"/spec\",\"value\":"
                + client.getKubernetesSerialization().asJson(spec) + "}]";
        client.resources(DatapathNode.class).withName(name).patch(PatchContext.of(PatchType.JSON), patch);
    }

    private static DatapathNode get(String name) {
        return client.resources(DatapathNode.class).withName(name).get();
    }

    /** Waits (at most 20 s) until the node's status satisfies {@code check}; returns that status. */
    private static DatapathNodeStatus awaitStatus(String name, String what, Predicate<DatapathNodeStatus> check)
            throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        DatapathNodeStatus status = null;
        while (System.nanoTime() < deadline) {
            DatapathNode node = get(name);
            status = node == null ? null : node.getStatus();
            if (status != null && check.test(status)) {
                return status;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(what + "; status: " + (status == null ? "none"
                : client.getKubernetesSerialization().asYaml(status)));
    }

    private static boolean ready(DatapathNodeStatus s) {
        return Conditions.isTrue(s.conditions, Conditions.READY);
    }

    private static DatapathNodeStatus.PortStatus port(DatapathNodeStatus s, String name) {
        return s.ports.stream().filter(p -> p.name.equals(name)).findFirst().orElse(null);
    }

    private static boolean linkUp(DatapathNodeStatus s, String function) {
        return s.links.stream().anyMatch(l -> l.function.equals(function) && "up".equals(l.state));
    }

    @Test
    void appliesTheSpecRefusesABadChangeAndARestartedAgentConvergesFromTheResource() throws Exception {
        try (EchoFunction echo = new EchoFunction(dir.resolve("echo-1/memif.sock"), 60, 1)) {
            node("node-a", chainSpec("echo-1"));
            Agent agent = new Agent("node-a", Duration.ofMillis(200));

            DatapathNodeStatus applied = awaitStatus("node-a", "spec applied, echo-1 up, packets out",
                    s -> ready(s) && linkUp(s, "echo-1") && port(s, "out") != null && port(s, "out").txPackets > 0);
            assertEquals(1L, applied.observedGeneration);
            assertEquals(PortType.GEN, port(applied, "gen0").type);
            assertEquals(List.of("gen0", "out"), applied.ports.stream().map(p -> p.name).toList(),
                    "function links are links, not ports");
            assertTrue(applied.links.get(0).socket.endsWith("echo-1/memif.sock"), applied.links.get(0).socket);
            long before = applied.counters.rxPackets;
            awaitStatus("node-a", "counters grow", s -> s.counters.rxPackets > before);

            // A change the reader refuses: the hop names a function the spec does not have.
            editSpec("node-a", chainSpec("ghost"));
            DatapathNodeStatus refused = awaitStatus("node-a", "generation 2 refused",
                    s -> s.observedGeneration == 2 && s.lastError != null);
            assertTrue(refused.lastError.startsWith("chains[0].hops[0].function: no function 'ghost'"),
                    refused.lastError);
            assertEquals("SpecRejected", Conditions.find(refused.conditions, Conditions.READY).getReason());
            assertEquals("False", Conditions.find(refused.conditions, Conditions.READY).getStatus());
            assertEquals(2L, Conditions.find(refused.conditions, Conditions.READY).getObservedGeneration());
            assertTrue(Conditions.isTrue(refused.conditions, Conditions.DEGRADED));
            assertEquals("echo-1", agent.datapath.spec().chains().get(0).hops().get(0).function(),
                    "the running spec is kept");
            long deliveredThen = agent.datapath.plan().chains().get(0).delivered();
            awaitStatus("node-a", "the old chain keeps carrying packets",
                    s -> agent.datapath.plan().chains().get(0).delivered() > deliveredThen + 100);

            // Corrected: applied again.
            DatapathNodeSpec corrected = chainSpec("echo-1");
            corrected.ports.get(0).ratePps = 30_000L;
            editSpec("node-a", corrected);
            awaitStatus("node-a", "generation 3 applied", s -> s.observedGeneration == 3 && ready(s)
                    && s.lastError == null);
            assertEquals(30_000L, ((io.nfchain.agent.spec.PortSpec.Gen) agent.datapath.spec().ports().get(0))
                    .ratePps());

            // The agent goes away; a new one has nothing but the resource to go by.
            agent.close();
            agents.remove(agent);
            Agent restarted = new Agent("node-a", Duration.ofMillis(200));
            long outBefore = get("node-a").getStatus().counters.txPackets;
            DatapathNodeStatus converged = awaitStatus("node-a", "restarted agent converged",
                    s -> ready(s) && linkUp(s, "echo-1") && s.counters.txPackets > 0
                            && s.counters.txPackets != outBefore);
            assertEquals(get("node-a").getMetadata().getGeneration(), converged.observedGeneration);
            assertEquals(3L, converged.observedGeneration);
            assertEquals(1, restarted.datapath.spec().chains().size());
            assertTrue(echo.echoed() > 0);
        }
    }

    @Test
    void aMissingResourceIsCreatedEmptyAndCarriesTheInventory() throws Exception {
        new Agent("node-b", Duration.ofMillis(200));
        DatapathNodeStatus status = awaitStatus("node-b", "created and applied", s -> ready(s));
        DatapathNode node = get("node-b");
        assertNotNull(node.getSpec());
        assertTrue(node.getSpec().ports.isEmpty() && node.getSpec().chains.isEmpty(), "created with an empty spec");
        NodeInventory inventory = new InventoryReader(Path.of("/")).read();
        assertEquals(inventory.cpus(), status.inventory.cpus);
        assertEquals(inventory.onlineCpus(), status.inventory.onlineCpus);
        assertEquals(inventory.cpus() - NodeStatusModel.AGENT_CORES, status.capacity.cores);
        assertEquals(0, status.portCount);
        assertEquals(1L, status.observedGeneration);
    }

    @Test
    void aDeletedResourceIsCreatedAgainAndItsEmptySpecApplied() throws Exception {
        node("node-c", chainSpec("echo-1"));
        Agent agent = new Agent("node-c", Duration.ofMillis(200));
        awaitStatus("node-c", "applied", s -> ready(s) && s.portCount == 2);
        String uid = get("node-c").getMetadata().getUid();
        client.resources(DatapathNode.class).withName("node-c").delete();
        awaitStatus("node-c", "recreated and empty", s -> ready(s) && s.portCount == 0);
        assertTrue(!uid.equals(get("node-c").getMetadata().getUid()), "a new resource");
        assertEquals(0, agent.datapath.spec().ports().size());
    }

    /**
     * The controller's rolling update: one spec change replaces instance echo-1 by echo-2 in the
     * hop. The agent opens echo-2's link first, moves the hop once echo-2 is connected, and drains
     * echo-1: no packet meets a down hop.
     */
    @Test
    void aHopMovedToANewInstanceMovesMakeBeforeBreak() throws Exception {
        try (EchoFunction one = new EchoFunction(dir.resolve("echo-1/memif.sock"), 60, 1);
                EchoFunction two = new EchoFunction(dir.resolve("echo-2/memif.sock"), 60, 2)) {
            node("node-e", chainSpec("echo-1", "echo-1"));
            Agent agent = new Agent("node-e", Duration.ofMillis(200));
            awaitStatus("node-e", "echo-1 carries the chain", s -> ready(s) && linkUp(s, "echo-1")
                    && s.counters.txPackets > 100);
            // Before echo-1 first connected the fail-closed hop dropped; what counts is the switch.
            long hopDownBefore = agent.datapath.plan().chains().get(0).drops(DatapathDrop.HOP_DOWN);
            editSpec("node-e", chainSpec("echo-2", "echo-2"));
            awaitStatus("node-e", "generation 2 applied, echo-2 up", s -> s.observedGeneration == 2 && ready(s)
                    && linkUp(s, "echo-2"));
            long deadline = System.nanoTime() + 10_000_000_000L;
            List<String> reaped = new ArrayList<>();
            while (!reaped.contains("echo-1") && System.nanoTime() < deadline) {
                reaped.addAll(agent.datapath.reapDrained()); // the runtime's control thread does this every 100 ms
                Thread.sleep(20);
            }
            assertEquals(List.of("echo-1"), reaped, "echo-1 drained, then released");
            long echoedByTwo = two.echoed();
            awaitStatus("node-e", "echo-2 carries the chain", s -> two.echoed() > echoedByTwo + 100);
            var chain = agent.datapath.plan().chains().get(0);
            assertEquals(hopDownBefore, chain.drops(DatapathDrop.HOP_DOWN), "no packet met a down hop in the switch");
            assertTrue(one.echoed() > 0);
        }
    }

    /** With traffic flowing, a status whose only change is counters is not written before countersInterval. */
    @Test
    void countersAloneDoNotWriteTheStatusEveryInterval() throws Exception {
        DatapathNodeSpec spec = chainSpec("echo-1");
        spec.functions.clear();
        spec.chains.get(0).hops.clear();
        node("node-d", spec);
        new Agent("node-d", Duration.ofHours(1));
        DatapathNodeStatus first = awaitStatus("node-d", "applied", s -> ready(s) && port(s, "out") != null);
        String version = get("node-d").getMetadata().getResourceVersion();
        Thread.sleep(1000); // ten status intervals, packets flowing all along
        DatapathNode after = get("node-d");
        assertEquals(version, after.getMetadata().getResourceVersion(), "no status write for counters alone");
        assertEquals(first.counters.txPackets, after.getStatus().counters.txPackets);
    }
}
