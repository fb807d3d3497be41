package io.nfchain.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.api.agent.v1.Chain;
import io.nfchain.api.agent.v1.ChainServiceGrpc;
import io.nfchain.api.agent.v1.Counter;
import io.nfchain.api.agent.v1.Hop;
import io.nfchain.api.agent.v1.ListChainsRequest;
import io.nfchain.api.function.v1.FunctionServiceGrpc;
import io.nfchain.api.function.v1.GetInfoRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults on a node of real processes fed by the agent's generator: an NF killed with SIGKILL
 * mid-traffic (its hop fails open, it is re-admitted when it comes back), the agent killed
 * (the NFs survive and reconnect, the chain resumes from the node file), and a bad node file
 * (refused, the chain runs on). Every check ends with the books: what the chain received is
 * what it delivered, dropped by a counted reason, or what a function kept.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsEndToEndTest {
    private static final long RATE_PPS = 10_000;
    /** What one crashed NF can take with it: its ring's slots (LocalNode's 4096) plus the burst in its hands. */
    private static final long MOST_LOST_PER_CRASH = 4096 + 256;

    private static final String NODE = """
            ports:
              - {name: gen0, type: gen, ratePps: %d, flows: %d, limitPackets: %d, source: 10.0.0.0/16,
                 destination: 198.18.0.0/17}
              - {name: out, type: sink}
            functions:
              - {name: acl, type: acl, failurePolicy: fail-open, grpc: "${grpc:acl}"}
              - {name: router, type: router, failurePolicy: fail-closed, grpc: "${grpc:router}"}
            chains:
              - name: edge
                classifier: {ingressPort: gen0}
                hops: [{function: acl}, {function: router}]
                egressPort: out
            """;

    private LocalNode node;
    private int crashes;
    private int phase;
    private String running;

    /**
     * A node file whose generator sends {@code packets} more packets and stops; each phase's
     * generator differs in its flow count, so the agent opens it anew (an unchanged port would
     * be kept, its limit long reached).
     */
    private String phaseFile(long packets) {
        phase++;
        running = NODE.formatted(RATE_PPS, 256 + phase, packets);
        return running;
    }

    /** Runs a traffic phase: {@code packets} more received, then quiet (every packet delivered or dropped). */
    private Chain runPhase(long packets) throws Exception {
        long before = edge().getReceived();
        node.rewriteNodeFile(phaseFile(packets));
        await("phase " + phase + " sent", x -> x.getReceived() >= before + packets);
        return quiet();
    }

    /** Waits until no counter of the chain moves for 300 ms. */
    private Chain quiet() throws InterruptedException {
        Chain last = edge();
        long stableSince = System.nanoTime();
        long deadline = stableSince + 30_000_000_000L;
        while (System.nanoTime() - stableSince < 300_000_000L) {
            Thread.sleep(20);
            Chain now = edge();
            if (!now.equals(last)) {
                last = now;
                stableSince = System.nanoTime();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("chain never went quiet: " + now);
            }
        }
        return last;
    }

    @BeforeAll
    void start() throws Exception {
        node = new LocalNode(LocalNode.repositoryRoot(), "backoff");
        // No rules: this acl permits everything, so a live acl drops nothing and only a crash loses packets.
        node.startFunction(new LocalNode.Nf("acl", "acl", Map.of("nfchain.acl.default-action", "permit")));
        node.startFunction(new DemoScenario(0, 1, 20, List.of(64)).functions().get(1));
        node.startAgent(NODE.formatted(RATE_PPS, 256, 1)); // links up, no traffic yet
        node.awaitReady(Duration.ofSeconds(90));
        ChainEndToEndTest.configureRouter(node); // and no acl rules: its default permits
        quiet();
    }

    @AfterAll
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    private Chain edge() {
        return ChainServiceGrpc.newBlockingStub(node.agentChannel()).listChains(ListChainsRequest.getDefaultInstance())
                .getChains(0);
    }

    private Chain await(String what, Predicate<Chain> condition) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        Chain c = edge();
        while (!condition.test(c)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": " + c);
            }
            Thread.sleep(2);
            c = edge();
        }
        return c;
    }

    /**
     * On a quiet chain: received = delivered + counted drops + what the functions kept (sent -
     * returned); a live function keeps exactly what it counts as dropped, a crashed one at most
     * {@link #MOST_LOST_PER_CRASH}, the packets it held when it died.
     */
    private void assertBooksBalance(Chain c) {
        long drops = c.getDropsList().stream().mapToLong(Counter::getValue).sum();
        long kept = 0;
        for (Hop h : c.getHopsList()) {
            assertTrue(h.getReturned() <= h.getSent(), "a function returned more than it was given: " + h);
            kept += h.getSent() - h.getReturned();
        }
        assertEquals(c.getReceived(), c.getDelivered() + drops + kept, "books of " + c);
        long routerKept = c.getHops(1).getSent() - c.getHops(1).getReturned();
        assertEquals(functionDrops("router"), routerKept, "the router kept what it dropped, no more: " + c);
        long aclKept = c.getHops(0).getSent() - c.getHops(0).getReturned();
        assertTrue(aclKept - functionDrops("acl") <= crashes * MOST_LOST_PER_CRASH,
                "the acl kept " + aclKept + " after " + crashes + " crash(es): " + c);
    }

    private String functionCounters(String nf) {
        return FunctionServiceGrpc.newBlockingStub(node.functionChannel(nf))
                .listCounters(io.nfchain.api.function.v1.ListCountersRequest.newBuilder().setNonZeroOnly(true).build())
                .getCountersList().stream().map(k -> k.getScope() + "/" + k.getName() + "=" + k.getValue()).toList()
                .toString();
    }

    private static long drops(Chain c) {
        return c.getDropsList().stream().mapToLong(Counter::getValue).sum();
    }

    private long functionDrops(String nf) {
        return FunctionServiceGrpc.newBlockingStub(node.functionChannel(nf))
                .listCounters(io.nfchain.api.function.v1.ListCountersRequest.getDefaultInstance()).getCountersList()
                .stream().filter(k -> k.getDrop() && k.getScope().equals(nf))
                .mapToLong(io.nfchain.api.function.v1.Counter::getValue).sum();
    }

    @Test
    @Order(0)
    void theAgentForwardsRuleCallsToTheFunctionThatOwnsThem() {
        io.grpc.Channel agent = node.agentChannel();
        io.grpc.Metadata router = new io.grpc.Metadata();
        router.put(io.grpc.Metadata.Key.of("nfchain-function", io.grpc.Metadata.ASCII_STRING_MARSHALLER), "router");
        var routes = io.nfchain.api.router.v1.RouterServiceGrpc.newBlockingStub(agent)
                .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(router));
        routes.addRoutes(io.nfchain.api.router.v1.AddRoutesRequest.newBuilder().addRoutes(
                io.nfchain.api.router.v1.Route.newBuilder().setPrefix("203.0.113.0/24").addNextHops(
                        io.nfchain.api.router.v1.NextHop.newBuilder().setVia("192.0.2.11").setWeight(1))).build());
        // The same route, read back from the router itself: the call reached it.
        var lookup = io.nfchain.api.router.v1.RouterServiceGrpc.newBlockingStub(node.functionChannel("router"))
                .lookup(io.nfchain.api.router.v1.LookupRequest.newBuilder().setDestination("203.0.113.9").build());
        assertEquals("203.0.113.0/24", lookup.getRoute().getPrefix());
        // Without the header: the node's only acl.
        var rules = io.nfchain.api.acl.v1.AclServiceGrpc.newBlockingStub(agent)
                .getRules(io.nfchain.api.acl.v1.GetRulesRequest.getDefaultInstance());
        assertEquals(io.nfchain.api.acl.v1.Action.PERMIT, rules.getDefaultAction());
        // Errors say what to fix.
        io.grpc.Metadata nobody = new io.grpc.Metadata();
        nobody.put(io.grpc.Metadata.Key.of("nfchain-function", io.grpc.Metadata.ASCII_STRING_MARSHALLER), "acl-9");
        io.grpc.StatusRuntimeException missing = org.junit.jupiter.api.Assertions.assertThrows(
                io.grpc.StatusRuntimeException.class, () -> io.nfchain.api.acl.v1.AclServiceGrpc.newBlockingStub(agent)
                        .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(nobody))
                        .getRules(io.nfchain.api.acl.v1.GetRulesRequest.getDefaultInstance()));
        assertEquals(io.grpc.Status.Code.NOT_FOUND, missing.getStatus().getCode());
        io.grpc.StatusRuntimeException ambiguous = org.junit.jupiter.api.Assertions.assertThrows(
                io.grpc.StatusRuntimeException.class, () -> FunctionServiceGrpc.newBlockingStub(agent)
                        .getInfo(GetInfoRequest.getDefaultInstance()));
        assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, ambiguous.getStatus().getCode());
        assertTrue(ambiguous.getStatus().getDescription().startsWith("nfchain-function: "),
                ambiguous.getStatus().getDescription());
        // A bad rule is refused by the router, and the agent passes its answer on unchanged.
        io.grpc.StatusRuntimeException bad = org.junit.jupiter.api.Assertions.assertThrows(
                io.grpc.StatusRuntimeException.class, () -> routes.addRoutes(io.nfchain.api.router.v1.AddRoutesRequest
                        .newBuilder().addRoutes(io.nfchain.api.router.v1.Route.newBuilder().setPrefix("10.0.0.0/33"))
                        .build()));
        assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
        assertTrue(bad.getStatus().getDescription().startsWith("routes[0].prefix"), bad.getStatus().getDescription());
    }

    @Test
    @Order(1)
    void trafficFlowsThroughBothHops() throws Exception {
        // The first traffic meets JVMs that still interpret: held to the books, not to no loss.
        assertBooksBalance(runPhase(5_000));
        Chain before = quiet();
        Chain c = runPhase(10_000);
        assertEquals(before.getHops(0).getBypassed(), c.getHops(0).getBypassed());
        assertEquals(drops(before), drops(c), "nothing dropped with everything up: " + c);
        assertEquals(10_000, c.getDelivered() - before.getDelivered(), c + "\nacl: " + functionCounters("acl")
                + "\nrouter: " + functionCounters("router"));
        assertBooksBalance(c);
    }

    @Test
    @Order(2)
    void aKilledFunctionIsBypassedQuicklyAndReadmittedWhenItReturns() throws Exception {
        long before = edge().getReceived();
        node.rewriteNodeFile(phaseFile(80_000)); // 8 s of traffic
        await("warm", x -> x.getReceived() > before + 5_000);
        node.function("acl").kill();
        long killedNs = System.nanoTime();
        crashes++;
        Chain bypassing = await("acl bypassed", x -> x.getHops(0).getState().equals("bypassed"));
        long noticeMs = (System.nanoTime() - killedNs) / 1_000_000;
        System.out.println("agent applied fail-open " + noticeMs + " ms after the acl was gone");
        assertTrue(noticeMs < 1_000, "noticed after " + noticeMs + " ms");
        long deliveredThen = bypassing.getDelivered();
        await("traffic around the dead acl", x -> x.getHops(0).getBypassed() > 2_000
                && x.getDelivered() > deliveredThen + 2_000);

        node.restartFunction("acl");
        await("acl re-admitted", x -> x.getHops(0).getState().equals("up"));
        // A fresh JVM runs interpreted at first: let it warm up before holding it to no loss.
        Chain warm = runPhase(5_000);
        assertTrue(warm.getHops(0).getReturned() > bypassing.getHops(0).getReturned(), "the new acl returns packets");
        Chain readmitted = quiet();
        Chain after = runPhase(10_000);
        assertEquals(readmitted.getHops(0).getBypassed(), after.getHops(0).getBypassed(), "nothing bypassed the new acl");
        assertEquals(10_000, after.getHops(0).getReturned() - readmitted.getHops(0).getReturned(),
                "the new acl carried the whole phase: " + after);
        assertBooksBalance(after);
    }

    @Test
    @Order(3)
    void functionsSurviveAKilledAgentAndTheChainResumes() throws Exception {
        node.agent().kill();
        Thread.sleep(1_000);
        for (JavaProcess p : node.processes()) {
            if (p != node.agent()) {
                assertTrue(p.isAlive(), p.name() + " died with the agent:\n" + p.tail(20));
            }
        }
        node.startAgent(running); // the same node file: the chain comes back from it
        node.awaitReady(Duration.ofSeconds(90));
        Chain resumed = quiet(); // the new agent's generator replays the file's phase while links come up
        for (String nf : List.of("acl", "router")) {
            long connects = FunctionServiceGrpc.newBlockingStub(node.functionChannel(nf))
                    .getInfo(GetInfoRequest.getDefaultInstance()).getLinks(0).getConnects();
            assertTrue(connects >= 2, nf + " reconnected " + connects + " time(s)");
        }
        Chain c = runPhase(10_000);
        assertEquals(10_000, c.getReceived() - resumed.getReceived());
        assertEquals(10_000, c.getDelivered() - resumed.getDelivered(), "everything delivered once all is up: " + c);
    }

    @Test
    @Order(4)
    void aBadNodeFileIsRefusedNamingTheFieldAndTheChainRunsOn() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI ready = URI.create("http://localhost:" + node.agentPort() + "/q/health/ready");
        Chain start = quiet();
        long before = start.getReceived();
        String good = phaseFile(40_000); // 4 s of traffic
        node.rewriteNodeFile(good);
        await("traffic", x -> x.getReceived() > before + 2_000);
        node.rewriteNodeFile(good.replace("ingressPort: gen0", "ingressPort: gen9"));
        long deadline = System.nanoTime() + 30_000_000_000L;
        HttpResponse<String> health;
        do {
            Thread.sleep(50);
            health = http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString());
        } while (health.statusCode() == 200 && System.nanoTime() < deadline);
        assertEquals(503, health.statusCode(), health.body());
        assertTrue(health.body().contains("chains[0].classifier.ingressPort: no port 'gen9'"), health.body());
        long delivered = edge().getDelivered();
        await("the old chain runs on", x -> x.getDelivered() > delivered + 2_000);

        node.rewriteNodeFile(good); // the spec that runs: nothing changes, the refusal is cleared
        do {
            Thread.sleep(50);
            health = http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString());
        } while (health.statusCode() != 200 && System.nanoTime() < deadline);
        assertEquals(200, health.statusCode(), health.body());
        await("the phase completes", x -> x.getReceived() >= before + 40_000);
        Chain c = quiet();
        assertEquals(drops(start), drops(c), "nothing dropped while the bad file was refused: " + c);
        assertEquals(40_000, c.getDelivered() - start.getDelivered());
    }
}
