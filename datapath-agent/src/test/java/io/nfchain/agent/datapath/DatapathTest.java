package io.nfchain.agent.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.agent.port.PortFactory;
import io.nfchain.agent.spec.FailurePolicy;
import io.nfchain.agent.spec.FunctionSpec;
import io.nfchain.agent.spec.NodeSpec;
import io.nfchain.agent.spec.NodeSpecReader;
import io.nfchain.agent.spec.SpecException;
import io.nfchain.core.runtime.AgentRunner;
import io.nfchain.core.runtime.IdleConfig;
import io.nfchain.core.runtime.IdleStrategies;
import io.nfchain.core.runtime.NanoClock;
import io.nfchain.core.runtime.RunnerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The datapath worker on its own thread with real memif links to echo functions on theirs: a
 * gen port feeds a two-hop chain into a sink, and the books must balance exactly.
 */
class DatapathTest {
    private Path dir;
    private DatapathWorker worker;
    private AgentRunner runner;
    private Datapath datapath;

    @BeforeEach
    void start() throws Exception {
        dir = Files.createTempDirectory("nfchain-datapath");
        worker = new DatapathWorker("worker-0", NanoClock.SYSTEM, 32, 2048, 50_000_000L);
        runner = new AgentRunner(worker, IdleStrategies.create("backoff", IdleConfig.defaults()), e -> e.printStackTrace(),
                NanoClock.SYSTEM, RunnerSettings.named("datapath-test"));
        runner.start();
        datapath = new Datapath(worker, PortFactory.standard(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() throws Exception {
        runner.close();
        datapath.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private NodeSpec spec(long packets, String aclPolicy) {
        return NodeSpecReader.parse("""
                ports:
                  - {name: gen0, type: gen, ratePps: 100000, limitPackets: %d, flows: 64}
                  - {name: out, type: sink}
                functions:
                  - {name: acl, type: acl, failurePolicy: %s}
                  - {name: router, type: router}
                chains:
                  - name: web
                    classifier: {ingressPort: gen0}
                    hops: [{function: acl}, {function: router}]
                    egressPort: out
                """.formatted(packets, aclPolicy), dir);
    }

    /** Only the function links: they connect while no traffic flows. */
    private NodeSpec linksOnly(String... names) {
        StringBuilder yaml = new StringBuilder("functions:\n");
        for (String name : names) {
            yaml.append("  - {name: ").append(name).append(", type: test}\n");
        }
        return NodeSpecReader.parse(yaml.toString(), dir);
    }

    private String books() {
        StringBuilder b = new StringBuilder();
        for (Chain c : datapath.plan().chains()) {
            b.append(c.name()).append(": received ").append(c.received()).append(", delivered ").append(c.delivered());
            for (DatapathDrop d : DatapathDrop.values()) {
                b.append(", ").append(d).append(' ').append(c.drops(d));
            }
            for (Hop h : c.hops()) {
                b.append("; ").append(h.function()).append(" sent ").append(h.sent()).append(" returned ")
                        .append(h.returned()).append(" ring-full ").append(h.ringFull()).append(" bypassed ")
                        .append(h.bypassed()).append(" down ").append(h.droppedDown()).append(' ')
                        .append(h.link().portDrops());
            }
        }
        return b.toString();
    }

    /**
     * Every packet a chain received is delivered or counted as a drop, and every packet handed to
     * a function came back (the echo functions drop nothing): nothing is lost from the books.
     */
    private void assertBooksBalance(Chain c) throws InterruptedException {
        await("books of " + c.name(), () -> {
            long drops = 0;
            for (DatapathDrop d : DatapathDrop.values()) {
                drops += c.drops(d);
            }
            long stranded = 0;
            for (Hop h : c.hops()) {
                stranded += h.sent() - h.returned();
            }
            // received = delivered + drops + stranded: adding stranded instead makes 0 mean both
            // that the books balance and that nothing is left in a function
            return c.received() - c.delivered() - drops + stranded;
        }, 0);
    }

    private void await(String what, LongSupplier value, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (value.getAsLong() != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": " + value.getAsLong() + ", expected " + expected + "; " + books());
            }
            Thread.sleep(5);
        }
    }

    @Test
    void everyPacketCrossesBothHopsAndReachesTheEgress() throws Exception {
        try (EchoFunction acl = new EchoFunction(dir.resolve("acl/memif.sock"), 60, 1);
                EchoFunction router = new EchoFunction(dir.resolve("router/memif.sock"), 61, 2)) {
            datapath.apply(linksOnly("acl", "router"));
            await("acl connected", () -> acl.isConnected() ? 1 : 0, 1);
            await("router connected", () -> router.isConnected() ? 1 : 0, 1);
            datapath.apply(spec(20_000, "fail-closed"));
            Chain web = datapath.plan().chains().get(0);
            await("received", web::received, 20_000);
            assertBooksBalance(web);
            // Open loop: a function's full ring drops (counted); on an idle machine none do.
            Hop first = web.hops().get(0);
            Hop second = web.hops().get(1);
            assertEquals(20_000, first.sent() + first.ringFull());
            assertEquals(first.returned(), second.sent() + second.ringFull());
            assertEquals(second.returned(), web.delivered());
            assertEquals(acl.echoed(), first.sent());
            assertEquals(router.echoed(), second.sent());
            assertEquals(0, web.drops(DatapathDrop.HOP_DOWN) + web.drops(DatapathDrop.EGRESS_DOWN));
            assertTrue(web.delivered() > 2_000, "traffic must flow, most of it on an idle machine: " + books());
            assertEquals(web.delivered(), datapath.plan().ports().stream().filter(p -> p.name().equals("out"))
                    .findFirst().orElseThrow().counters().txPackets());
        }
    }

    @Test
    void aStalledHopHoldsBackTheHopBeforeItAndTheChainDropsAtItsIngress() throws Exception {
        try (EchoFunction acl = new EchoFunction(dir.resolve("acl/memif.sock"), 60, 1);
                EchoFunction router = new EchoFunction(dir.resolve("router/memif.sock"), 61, 2)) {
            datapath.apply(linksOnly("acl", "router"));
            await("acl connected", () -> acl.isConnected() ? 1 : 0, 1);
            await("router connected", () -> router.isConnected() ? 1 : 0, 1);
            router.pause(true);
            // 20,000 frames against rings that hold about 12,300 (router's 4,096 to fill, acl's
            // 4,096 back and 4,096 in): the rest can only be dropped, and only at the ingress.
            datapath.apply(spec(20_000, "fail-closed"));
            Chain web = datapath.plan().chains().get(0);
            await("received", web::received, 20_000);
            Hop first = web.hops().get(0);
            Hop second = web.hops().get(1);
            await("router's ring filled", second::sent, 4_096);
            Thread.sleep(100);
            assertEquals(0, second.ringFull(), "nothing the acl did was thrown away: " + books());
            assertTrue(first.ringFull() >= 20_000 - 13_000, "the surplus is dropped before the acl: " + books());
            assertTrue(first.returned() - second.sent() <= 32, "the agent read no more than it could pass on: " + books());
            router.pause(false);
            assertBooksBalance(web);
            assertEquals(0, second.ringFull(), books());
            assertEquals(first.sent(), web.delivered(), "everything the acl took got through: " + books());
        }
    }

    @Test
    void aDeadFunctionIsBypassedWhenItFailsOpenAndReadmittedWhenItReturns() throws Exception {
        EchoFunction acl = new EchoFunction(dir.resolve("acl/memif.sock"), 60, 1);
        try (EchoFunction router = new EchoFunction(dir.resolve("router/memif.sock"), 61, 2)) {
            datapath.apply(linksOnly("acl", "router"));
            await("acl connected", () -> acl.isConnected() ? 1 : 0, 1);
            await("router connected", () -> router.isConnected() ? 1 : 0, 1);
            acl.close();
            await("acl gone", () -> acl.isConnected() ? 1 : 0, 0);
            datapath.apply(spec(10_000, "fail-open"));
            Chain running = datapath.plan().chains().get(0);
            await("received", running::received, 10_000);
            assertBooksBalance(running);
            assertEquals(10_000, running.hops().get(0).bypassed());
            assertEquals(0, running.drops(DatapathDrop.HOP_DOWN));
            assertEquals(0, running.hops().get(0).sent());
            try (EchoFunction back = new EchoFunction(dir.resolve("acl/memif.sock"), 60, 1)) {
                await("acl re-admitted", () -> back.isConnected() && running.hops().get(0).link().isUp() ? 1 : 0, 1);
            }
        }
    }

    @Test
    void aFunctionsOutputReachesAMemifPeerRingToRingAndASinkPastABypassedHop() throws Exception {
        try (EchoFunction acl = new EchoFunction(dir.resolve("acl/memif.sock"), 60, 1);
                EchoFunction peer = EchoFunction.sink(dir.resolve("peer.sock"))) {
            EchoFunction router = new EchoFunction(dir.resolve("router/memif.sock"), 61, 2);
            datapath.apply(linksOnly("acl", "router"));
            await("acl connected", () -> acl.isConnected() ? 1 : 0, 1);
            await("router connected", () -> router.isConnected() ? 1 : 0, 1);
            String peerPort = "{name: peer, type: memif, socket: " + dir.resolve("peer.sock") + "}";
            datapath.apply(NodeSpecReader.parse("ports: [" + peerPort + "]\nfunctions: [{name: acl, type: acl},"
                    + " {name: router, type: router, failurePolicy: fail-open}]\n", dir));
            await("peer connected", () -> peer.isConnected() ? 1 : 0, 1);
            datapath.apply(chainTo("gen0", peerPort));
            Chain toPeer = datapath.plan().chains().get(0);
            await("received", toPeer::received, 10_000);
            assertBooksBalance(toPeer);
            Hop first = toPeer.hops().get(0);
            Hop second = toPeer.hops().get(1);
            assertEquals(first.returned(), second.sent() + second.ringFull(), books());
            assertEquals(0, second.ringFull(), "what the router's ring cannot take waits on the acl's: " + books());
            assertEquals(second.returned(), toPeer.delivered(), books());
            assertTrue(toPeer.delivered() > 1_000, books());
            await("the peer got every frame delivered", peer::echoed, toPeer.delivered());
            assertEquals(toPeer.delivered(), port("peer").counters().txPackets());
            assertEquals(second.link().counters().rxBytes(), port("peer").counters().txBytes());

            long aclBytes = first.link().counters().rxBytes(); // the link and its counters outlive the chain
            router.close(); // fails open: the acl's output goes straight to the sink, uncopied
            await("router down", () -> second.link().isUp() ? 1 : 0, 0);
            datapath.apply(chainTo("gen1", "{name: out, type: sink}"));
            Chain toSink = datapath.plan().chains().get(0);
            await("received", toSink::received, 10_000);
            assertBooksBalance(toSink);
            Hop acl2 = toSink.hops().get(0);
            Hop router2 = toSink.hops().get(1);
            assertEquals(acl2.returned(), router2.bypassed(), books());
            assertEquals(acl2.returned(), toSink.delivered(), books());
            assertEquals(toSink.delivered(), port("out").counters().txPackets());
            assertEquals(acl2.link().counters().rxBytes() - aclBytes, port("out").counters().txBytes());
        }
    }

    /** Chain {@code from-<gen>}: gen {@code gen} (10,000 frames) -> acl -> router (fails open) -> the egress port {@code egress}. */
    private NodeSpec chainTo(String gen, String egress) {
        String name = egress.substring(egress.indexOf("name: ") + 6, egress.indexOf(','));
        return NodeSpecReader.parse("""
                ports:
                  - {name: %s, type: gen, ratePps: 100000, limitPackets: 10000, flows: 64}
                  - %s
                functions:
                  - {name: acl, type: acl}
                  - {name: router, type: router, failurePolicy: fail-open}
                chains:
                  - {name: from-%s, classifier: {ingressPort: %s}, hops: [{function: acl}, {function: router}], egressPort: %s}
                """.formatted(gen, egress, gen, gen, name), dir);
    }

    private io.nfchain.agent.port.Port port(String name) {
        return datapath.plan().ports().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aDeadFunctionThatFailsClosedDropsItsChainsPacketsCounted() throws Exception {
        EchoFunction acl = new EchoFunction(dir.resolve("acl/memif.sock"), 60, 1);
        try (EchoFunction router = new EchoFunction(dir.resolve("router/memif.sock"), 61, 2)) {
            datapath.apply(linksOnly("acl", "router"));
            await("acl connected", () -> acl.isConnected() ? 1 : 0, 1);
            acl.close();
            await("acl link down", () -> acl.isConnected() ? 1 : 0, 0);
            datapath.apply(spec(5_000, "fail-closed"));
            Chain web = datapath.plan().chains().get(0);
            await("dropped", () -> web.drops(DatapathDrop.HOP_DOWN), 5_000);
            assertEquals(5_000, web.hops().get(0).droppedDown());
            assertEquals(0, web.delivered());
            assertEquals(0, router.echoed());
        }
    }

    @Test
    void switchingAnInstanceMakeBeforeBreakLosesNothing() throws Exception {
        try (EchoFunction acl = new EchoFunction(dir.resolve("acl/memif.sock"), 60, 1);
                EchoFunction router = new EchoFunction(dir.resolve("router/memif.sock"), 61, 2);
                EchoFunction acl2 = new EchoFunction(dir.resolve("acl-2/memif.sock"), 60, 3)) {
            datapath.apply(linksOnly("acl", "router"));
            await("acl connected", () -> acl.isConnected() ? 1 : 0, 1);
            await("router connected", () -> router.isConnected() ? 1 : 0, 1);
            datapath.apply(spec(100_000, "fail-closed")); // 1 s of traffic at 100k pps
            Thread.sleep(300);
            datapath.switchFunction("web", "acl", new FunctionSpec("acl-2", "acl", dir.resolve("acl-2/memif.sock"),
                    FailurePolicy.FAIL_CLOSED, "", ""), Duration.ofSeconds(5));
            Chain web = datapath.plan().chains().get(0);
            await("received", web::received, 100_000);
            assertBooksBalance(web);
            assertTrue(acl.echoed() > 0 && acl2.echoed() > 0, "both instances carried traffic: " + acl.echoed()
                    + ", " + acl2.echoed());
            // Make-before-break: no packet met a down hop, and none was stranded in the old instance.
            assertEquals(0, web.drops(DatapathDrop.HOP_DOWN));
            assertEquals(web.hops().get(0).sent(), acl.echoed() + acl2.echoed());
            assertEquals(web.hops().get(0).sent(), web.hops().get(0).returned());
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!datapath.drainingFunctions().isEmpty() && System.nanoTime() < deadline) {
                datapath.reapDrained();
                Thread.sleep(10);
            }
            assertEquals(java.util.List.of(), datapath.drainingFunctions());
            assertEquals(java.util.List.of("acl-2", "router"), datapath.spec().functions().stream()
                    .map(FunctionSpec::name).toList());
        }
    }

    @Test
    void aBadSpecChangesNothing() throws Exception {
        datapath.apply(linksOnly("acl", "router"));
        long generation = datapath.plan().generation();
        NodeSpec bad = NodeSpecReader.parse("""
                ports:
                  - {name: gen0, type: gen}
                  - {name: out, type: pcap, write: /nonexistent-dir/x.pcap}
                chains:
                  - {name: web, classifier: {ingressPort: gen0}, egressPort: out}
                """, dir);
        SpecException e = assertThrows(SpecException.class, () -> datapath.apply(bad));
        assertEquals("ports[1]", e.path());
        assertEquals(generation, datapath.plan().generation());
        assertEquals(2, datapath.spec().functions().size());
    }
}
