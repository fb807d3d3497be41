package io.nfchain.functions.acl;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.nfchain.api.acl.v1.AclServiceGrpc;
import io.nfchain.api.acl.v1.Action;
import io.nfchain.api.acl.v1.GetRulesRequest;
import io.nfchain.api.acl.v1.GetRulesResponse;
import io.nfchain.api.acl.v1.ListFlowsRequest;
import io.nfchain.api.acl.v1.ListFlowsResponse;
import io.nfchain.api.acl.v1.PortRange;
import io.nfchain.api.acl.v1.ReplaceRulesRequest;
import io.nfchain.api.acl.v1.Rule;
import io.nfchain.api.function.v1.FunctionServiceGrpc;
import io.nfchain.api.function.v1.GetInfoRequest;
import io.nfchain.core.memif.MemifServer;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.memif.ServerQueuePair;
import io.nfchain.core.packet.ArpPacket;
import io.nfchain.core.packet.Checksums;
import io.nfchain.core.packet.IpAddresses;
import io.nfchain.core.packet.Ipv4Header;
import io.nfchain.core.packet.NetBytes;
import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.core.packet.PacketParser;
import io.nfchain.core.packet.ParsedPacket;
import io.nfchain.core.packet.TcpHeader;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The runner hosting the acl ({@code nfchain.function.type=acl}, stateful): the test plays the
 * node agent on the memif socket, pushes rules over gRPC, sends real frames, and checks which
 * come back, their DSCP, the flows, and the counters in the Prometheus scrape.
 */
@QuarkusTest
@TestProfile(AclRunnerTest.Profile.class)
class AclRunnerTest {
    static final Path SOCKET = Path.of(System.getProperty("user.dir"), "target", "acl-runner-test", "agent.sock");
    private static final int CLIENT = IpAddresses.parseIpv4("10.0.0.1");
    private static final int SERVER = IpAddresses.parseIpv4("192.0.2.1");
    private static final int OUTSIDER = IpAddresses.parseIpv4("172.16.0.9");

    /** The runner as an acl, on its own socket. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "nfchain.function.type", "acl",
                    "nfchain.function.instance", "acl-test",
                    "nfchain.function.links[0].socket", SOCKET.toString(),
                    "nfchain.acl.stateful", "true",
                    "nfchain.acl.max-flows", "1024",
                    "nfchain.acl.timeouts.udp", "600s",
                    "quarkus.grpc.clients.acl.host", "localhost",
                    "quarkus.grpc.clients.acl.port", "${quarkus.http.test-port}");
        }
    }

    @GrpcClient("acl")
    AclServiceGrpc.AclServiceBlockingStub acl;

    @GrpcClient("function")
    FunctionServiceGrpc.FunctionServiceBlockingStub function;

    private static PortRange port(int p) {
        return PortRange.newBuilder().setFirst(p).setLast(p).build();
    }

    private static MemorySegment udp(int src, int srcPort, int dst, int dstPort) {
        return new PacketBuilder().ethernet(2, 1).ipv4(src, dst).udp(srcPort, dstPort).payload(40).build();
    }

    @Test
    void filtersTheTrafficCrossingMemifByTheRulesPushedOverGrpc() throws Exception {
        Files.createDirectories(SOCKET.getParent());
        Files.deleteIfExists(SOCKET);
        acl.replaceRules(ReplaceRulesRequest.newBuilder().setDefaultAction(Action.DENY)
                .addRules(Rule.newBuilder().setAction(Action.DENY).setProtocol(6).setDstPorts(port(23)))
                .addRules(Rule.newBuilder().setAction(Action.SET_DSCP).setSetDscp(46).setSrcPrefix("10.0.0.0/8")
                        .setProtocol(17).setDstPorts(port(5060)))
                .addRules(Rule.newBuilder().setAction(Action.PERMIT).setSrcPrefix("10.0.0.0/8"))
                .build());

        try (MemifServer agent = MemifServer.listen(MemifServer.Config.of(SOCKET));
                PacketBurst out = new PacketBurst(32, 2048);
                PacketBurst in = new PacketBurst(32, 2048)) {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!agent.isConnected()) { // the runner's link retries with backoff until the agent is there
                agent.doWork();
                if (System.nanoTime() > deadline) {
                    fail("the runner never connected: " + agent.lastError());
                }
                Thread.sleep(1);
            }
            ServerQueuePair queue = agent.queuePair(0);
            MemorySegment arp = new PacketBuilder().ethernet(-1L & 0xFFFF_FFFF_FFFFL, 1)
                    .arp(ArpPacket.OP_REQUEST, 1, CLIENT, 0, SERVER).build();
            List<MemorySegment> first = List.of(
                    udp(CLIENT, 1000, SERVER, 53),                                   // permit
                    udp(OUTSIDER, 1001, SERVER, 53),                                 // default deny
                    udp(SERVER, 53, CLIENT, 1000),                                   // reply of the first: admitted
                    udp(CLIENT, 1003, SERVER, 5060),                                 // permit with DSCP 46
                    arp,                                                             // non-IP: default deny
                    udp(CLIENT, 1005, SERVER, 53).asSlice(0, 20),                    // malformed
                    new PacketBuilder().ethernet(2, 1).ipv4(CLIENT, SERVER)
                            .tcp(1006, 23, 1, 0, TcpHeader.SYN, 1000, false).build()); // deny rule
            List<ParsedPacket> back = exchange(agent, queue, out, in, first, 3, deadline);
            List<Integer> sourcePorts = new ArrayList<>();
            for (ParsedPacket p : back) {
                sourcePorts.add(p.outer().key().srcPort());
            }
            assertEquals(List.of(1000, 53, 1003), sourcePorts, "permitted, admitted reply, marked; in order");
            assertEquals(46, back.get(2).outer().dscp());

            GetRulesResponse rules = acl.getRules(GetRulesRequest.getDefaultInstance());
            assertEquals(List.of(1L, 1L, 1L), rules.getRulesList().stream().map(r -> r.getHits()).toList());
            assertEquals(2, rules.getDefaultHits(), "the outsider and the ARP request");
            ListFlowsResponse flows = acl.listFlows(ListFlowsRequest.getDefaultInstance());
            assertEquals(2, flows.getFlowsInTable(), "the DNS flow and the marked one");
            assertEquals(1024, flows.getCapacity());

            // New rules with the flows flushed: the old flow's reply now faces the rules.
            acl.replaceRules(ReplaceRulesRequest.newBuilder().setDefaultAction(Action.DENY).setFlushFlows(true)
                    .addRules(Rule.newBuilder().setAction(Action.PERMIT).setSrcPrefix("172.16.0.0/12")).build());
            back = exchange(agent, queue, out, in, List.of(udp(SERVER, 53, CLIENT, 1000), udp(CLIENT, 1000, SERVER, 53),
                    udp(OUTSIDER, 1001, SERVER, 53)), 1, deadline);
            assertEquals(1001, back.get(0).outer().key().srcPort());
            Thread.sleep(200); // anything else the acl let through would be on the ring by now
            assertEquals(0, queue.rxBurst(in), "nothing but the outsider came back");
            assertEquals(4, function.getInfo(GetInfoRequest.getDefaultInstance()).getLinks(0).getTxPackets());

            String metrics = given().when().get("/q/metrics").asString();
            assertCounter(metrics, "ACL_DENY", 1);
            assertCounter(metrics, "ACL_DEFAULT_DENY", 3);
            assertCounter(metrics, "ACL_NON_IP_DENY", 1);
            assertCounter(metrics, "ACL_MALFORMED", 1);
            assertCounter(metrics, "ACL_SET_DSCP", 1);
            assertCounter(metrics, "ACL_RETURN_PERMIT", 1);
            assertCounter(metrics, "ACL_PERMIT", 2);
        }
    }

    /** Sends {@code frames} as the agent and receives until {@code expected} frames came back. */
    private static List<ParsedPacket> exchange(MemifServer agent, ServerQueuePair queue, PacketBurst out, PacketBurst in,
            List<MemorySegment> frames, int expected, long deadline) throws InterruptedException {
        for (int i = 0; i < frames.size(); i++) {
            MemorySegment frame = frames.get(i);
            MemorySegment.copy(frame, 0, out.data(), out.offset(i), frame.byteSize());
            out.setLength(i, (int) frame.byteSize());
        }
        out.setCount(frames.size());
        // The runner posts its receive buffers only after it read CONNECTED: the first tries may find no room.
        while (queue.txBurst(out) == 0) {
            agent.doWork();
            if (System.nanoTime() > deadline) {
                fail("the runner never posted receive buffers");
            }
            Thread.sleep(1);
        }
        List<ParsedPacket> received = new ArrayList<>();
        while (received.size() < expected) {
            int n = queue.rxBurst(in);
            for (int i = 0; i < n; i++) {
                ParsedPacket p = new ParsedPacket();
                assertTrue(PacketParser.parse(in.data(), in.offset(i), in.length(i), p), p.status().text());
                long ip = in.offset(i) + p.l3Offset();
                assertEquals(Checksums.ipv4Header(in.data(), ip), NetBytes.u16(in.data(), ip + Ipv4Header.CHECKSUM),
                        "every IPv4 header leaves with a valid checksum");
                received.add(p);
            }
            agent.doWork();
            if (System.nanoTime() > deadline) {
                fail("received " + received.size() + " of " + expected);
            }
        }
        return received;
    }

    private static void assertCounter(String metrics, String counter, long value) {
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("nfchain_function_packets_total{")
                && l.contains("counter=\"" + counter + "\"") && l.contains("function=\"acl\"")
                && l.endsWith(" " + value + ".0")), counter + " " + value + " in the scrape");
    }
}
