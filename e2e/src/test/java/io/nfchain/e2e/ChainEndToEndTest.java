package io.nfchain.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.api.acl.v1.AclServiceGrpc;
import io.nfchain.api.acl.v1.Action;
import io.nfchain.api.acl.v1.PortRange;
import io.nfchain.api.acl.v1.ReplaceRulesRequest;
import io.nfchain.api.acl.v1.Rule;
import io.nfchain.api.agent.v1.Chain;
import io.nfchain.api.agent.v1.ChainServiceGrpc;
import io.nfchain.api.agent.v1.ListChainsRequest;
import io.nfchain.api.function.v1.Counter;
import io.nfchain.api.function.v1.FunctionServiceGrpc;
import io.nfchain.api.function.v1.ListCountersRequest;
import io.nfchain.api.router.v1.AddRoutesRequest;
import io.nfchain.api.router.v1.Neighbor;
import io.nfchain.api.router.v1.NextHop;
import io.nfchain.api.router.v1.Route;
import io.nfchain.api.router.v1.RouterServiceGrpc;
import io.nfchain.api.router.v1.SetNeighborsRequest;
import io.nfchain.core.packet.Checksums;
import io.nfchain.core.packet.IpAddresses;
import io.nfchain.core.packet.Layer;
import io.nfchain.core.packet.NetBytes;
import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.core.packet.PacketParser;
import io.nfchain.core.packet.ParsedPacket;
import io.nfchain.core.pcap.PacketFileReader;
import io.nfchain.core.pcap.PacketRecord;
import io.nfchain.core.pcap.PcapWriter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The whole node as real processes: the agent with two af_packet ports on veth pairs whose other
 * ends sit in two namespaces, an acl and a router NF runner on memif links, and traffic sent from
 * one namespace and captured in the other. What arrives, and every counter on the way, must be
 * exactly what the rules and routes say.
 */
class ChainEndToEndTest {
    static final long SOURCE_MAC = 0x02_00_00_00_0e_01L;
    static final long ROUTER_MAC = NetBytes.parseMac(DemoScenario.ROUTER_MAC);
    static final long HOP_A_MAC = 0x02_00_00_00_0a_0aL;
    static final long HOP_B_MAC = 0x02_00_00_00_0b_0bL;

    /** Frames by what must become of them. */
    record Traffic(List<MemorySegment> frames, int viaA, int viaB, int aclDrops, int noRoute, int ttlExpired) {
        int total() {
            return frames.size();
        }
    }

    static Traffic traffic() {
        List<MemorySegment> frames = new ArrayList<>();
        int src = IpAddresses.parseIpv4("10.0.0.2");
        int n = 0;
        for (int i = 0; i < 600; i++) { // 198.18.0.0/17 minus the blocked /24: via A
            int third = i % 127;
            third = third >= 7 ? third + 1 : third;
            frames.add(udp(src, IpAddresses.parseIpv4("198.18." + third + "." + (1 + i % 250)), 80, 64));
        }
        for (int i = 0; i < 200; i++) { // 198.18.128.0/18: via B
            frames.add(udp(src, IpAddresses.parseIpv4("198.18." + (128 + i % 64) + "." + (1 + i % 250)), 80, 64));
        }
        for (int i = 0; i < 50; i++) { // blocked /24
            frames.add(udp(src, IpAddresses.parseIpv4("198.18.7." + (1 + i)), 80, 64));
        }
        for (int i = 0; i < 50; i++) { // outside the permit: default deny
            frames.add(udp(src, IpAddresses.parseIpv4("198.19.0." + (1 + i)), 80, 64));
        }
        for (int i = 0; i < 50; i++) { // wrong port: default deny
            frames.add(udp(src, IpAddresses.parseIpv4("198.18.1." + (1 + i)), 81, 64));
        }
        for (int i = 0; i < 20; i++) { // TCP: default deny
            frames.add(new PacketBuilder().ethernet(ROUTER_MAC, SOURCE_MAC).ipv4(src,
                    IpAddresses.parseIpv4("198.18.1." + (1 + i))).tcp(40000 + i, 80).padTo(64).build());
        }
        for (int i = 0; i < 20; i++) { // permitted, no route: ICMP unreachable
            frames.add(udp(src, IpAddresses.parseIpv4("198.18.200." + (1 + i)), 80, 64));
        }
        for (int i = 0; i < 10; i++) { // permitted, TTL 1: ICMP time exceeded
            frames.add(new PacketBuilder().ethernet(ROUTER_MAC, SOURCE_MAC).ipv4(src,
                    IpAddresses.parseIpv4("198.18.2." + (1 + i))).ipv4Fields(0, 1, i, 0, new byte[0]).udp(30000 + i, 80)
                    .padTo(64).build());
        }
        return new Traffic(frames, 600, 200, 170, 20, 10);
    }

    private static MemorySegment udp(int src, int dst, int port, int bytes) {
        return new PacketBuilder().ethernet(ROUTER_MAC, SOURCE_MAC).ipv4(src, dst).udp(20000, port).padTo(bytes).build();
    }

    static final String NODE = """
            ports:
              - {name: wan, type: af_packet, interface: e2in}
              - {name: lan, type: af_packet, interface: e2out}
            functions:
              - {name: acl, type: acl, failurePolicy: fail-closed}
              - {name: router, type: router, failurePolicy: fail-closed}
            chains:
              - name: edge
                classifier: {ingressPort: wan}
                hops: [{function: acl}, {function: router}]
                egressPort: lan
            """;

    static void configure(LocalNode node) {
        configureAcl(node);
        configureRouter(node);
    }

    static void configureAcl(LocalNode node) {
        AclServiceGrpc.newBlockingStub(node.functionChannel("acl")).replaceRules(ReplaceRulesRequest.newBuilder()
                .setDefaultAction(Action.DENY)
                .addRules(Rule.newBuilder().setDstPrefix("198.18.7.0/24").setAction(Action.DENY))
                .addRules(Rule.newBuilder().setDstPrefix("198.18.0.0/16").setProtocol(17)
                        .setDstPorts(PortRange.newBuilder().setFirst(80).setLast(80)).setAction(Action.PERMIT))
                .build());
    }

    static void configureRouter(LocalNode node) {
        RouterServiceGrpc.RouterServiceBlockingStub router = RouterServiceGrpc.newBlockingStub(
                node.functionChannel("router"));
        router.setNeighbors(SetNeighborsRequest.newBuilder()
                .addNeighbors(Neighbor.newBuilder().setAddress("192.0.2.10").setMac("02:00:00:00:0a:0a"))
                .addNeighbors(Neighbor.newBuilder().setAddress("192.0.2.11").setMac("02:00:00:00:0b:0b")).build());
        router.addRoutes(AddRoutesRequest.newBuilder()
                .addRoutes(route("198.18.0.0/17", "192.0.2.10"))
                .addRoutes(route("198.18.128.0/18", "192.0.2.11"))
                .addRoutes(route("10.0.0.0/16", "192.0.2.10")).build());
    }

    private static Route route(String prefix, String via) {
        return Route.newBuilder().setPrefix(prefix).addNextHops(NextHop.newBuilder().setVia(via).setWeight(1)).build();
    }

    static LocalNode startNode() throws Exception {
        LocalNode node = new LocalNode(LocalNode.repositoryRoot(), "backoff");
        try {
            new DemoScenario(0, 1, 20, List.of(64)).functions().forEach(nf -> {
                try {
                    node.startFunction(nf);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            node.startAgent(NODE);
            node.awaitReady(Duration.ofSeconds(90));
            configure(node);
            return node;
        } catch (Exception | Error e) {
            node.close();
            throw e;
        }
    }

    @Test
    void aclAndRouterDecideExactlyWhatCrossesTheNode() throws Exception {
        Root.require();
        Traffic traffic = traffic();
        try (Netns src = new Netns("src", "e2s", "e2in");
                Netns dst = new Netns("dst", "e2d", "e2out");
                LocalNode node = startNode()) {
            Path input = node.directory().resolve("input.pcap");
            try (PcapWriter w = PcapWriter.create(input)) {
                for (MemorySegment f : traffic.frames()) {
                    w.write(System.currentTimeMillis() * 1_000_000L, f);
                }
            }
            Path output = node.directory().resolve("output.pcap");
            // A first pass warms the fresh JVMs (interpreted code, JIT threads on the same two
            // cores); the second is the one held to exact counts.
            sendAndCapture(src, dst, input, node.directory().resolve("warm-up.pcap"), 5_000);
            Chain before = ChainServiceGrpc.newBlockingStub(node.agentChannel()).listChains(
                    ListChainsRequest.getDefaultInstance()).getChains(0);
            Map<String, Long> aclBefore = counters(node, "acl");
            Map<String, Long> routerBefore = counters(node, "router");
            List<MemorySegment> received = sendAndCapture(src, dst, input, output, 5_000);

            int viaA = 0;
            int viaB = 0;
            int unreachable = 0;
            int timeExceeded = 0;
            ParsedPacket p = new ParsedPacket();
            for (MemorySegment f : received) {
                PacketParser.parse(f, p);
                assertTrue(p.has(Layer.IPV4), "only IPv4 leaves the node");
                long ip = p.l3Offset();
                assertEquals(0xFFFF, Checksums.fold(Checksums.sum(f, ip, 20, 0)), "IPv4 header checksum");
                assertEquals(ROUTER_MAC, NetBytes.u48(f, 6), "source MAC is the router's");
                if (p.has(Layer.UDP)) {
                    assertEquals(63, NetBytes.u8(f, ip + 8), "TTL decremented");
                    int third = NetBytes.u8(f, ip + 18);
                    long mac = NetBytes.u48(f, 0);
                    if (third < 128) {
                        assertEquals(HOP_A_MAC, mac, "198.18.0.0/17 via A");
                        viaA++;
                    } else {
                        assertEquals(HOP_B_MAC, mac, "198.18.128.0/18 via B");
                        viaB++;
                    }
                } else {
                    assertTrue(p.has(Layer.ICMPV4), "neither UDP nor ICMP");
                    int type = p.outer().icmpType();
                    if (type == 3) {
                        unreachable++;
                    } else {
                        assertEquals(11, type);
                        timeExceeded++;
                    }
                }
            }
            assertEquals(traffic.viaA(), viaA);
            assertEquals(traffic.viaB(), viaB);
            assertEquals(traffic.noRoute(), unreachable);
            assertEquals(traffic.ttlExpired(), timeExceeded);
            assertEquals(viaA + viaB + unreachable + timeExceeded, received.size());

            Chain edge = ChainServiceGrpc.newBlockingStub(node.agentChannel()).listChains(
                    ListChainsRequest.getDefaultInstance()).getChains(0);
            assertEquals(traffic.total(), edge.getReceived() - before.getReceived(), edge.toString());
            assertEquals(received.size(), edge.getDelivered() - before.getDelivered(), edge.toString());
            assertEquals(traffic.total(), edge.getHops(0).getSent() - before.getHops(0).getSent());
            assertEquals(traffic.total() - traffic.aclDrops(), edge.getHops(0).getReturned()
                    - before.getHops(0).getReturned());
            assertEquals(received.size(), edge.getHops(1).getReturned() - before.getHops(1).getReturned());
            Map<String, Long> acl = delta(counters(node, "acl"), aclBefore);
            assertEquals(traffic.aclDrops(), acl.getOrDefault("ACL_DENY", 0L) + acl.getOrDefault("ACL_DEFAULT_DENY", 0L),
                    acl.toString());
            assertEquals(50, acl.getOrDefault("ACL_DENY", 0L));
            Map<String, Long> router = delta(counters(node, "router"), routerBefore);
            assertEquals(traffic.noRoute(), router.getOrDefault("NO_ROUTE", 0L), router.toString());
            assertEquals(traffic.ttlExpired(), router.getOrDefault("TTL_EXPIRED", 0L), router.toString());
            assertEquals(traffic.viaA() + traffic.viaB(), router.getOrDefault("FORWARDED", 0L), router.toString());
        }
    }

    static Map<String, Long> delta(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> out = new java.util.TreeMap<>();
        after.forEach((k, v) -> out.put(k, v - before.getOrDefault(k, 0L)));
        return out;
    }

    static Map<String, Long> counters(LocalNode node, String nf) {
        Map<String, Long> out = new java.util.TreeMap<>();
        for (Counter c : FunctionServiceGrpc.newBlockingStub(node.functionChannel(nf)).listCounters(
                ListCountersRequest.newBuilder().setNonZeroOnly(true).build()).getCountersList()) {
            if (c.getScope().equals(nf)) {
                out.put(c.getName(), c.getValue());
            }
        }
        return out;
    }

    /** Starts a capture in {@code dst}, sends {@code input} from {@code src}, returns what was captured. */
    static List<MemorySegment> sendAndCapture(Netns src, Netns dst, Path input, Path output, long ratePps)
            throws Exception {
        String java = JavaProcess.javaBinary();
        String cp = System.getProperty("java.class.path");
        List<String> capture = dst.exec(java, "--enable-native-access=ALL-UNNAMED", "-cp", cp, Wire.class.getName(),
                "capture", dst.inside, output.toString(), "1500");
        Process capturing = new ProcessBuilder(capture).redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(capturing.getInputStream()));
            String first = lines.readLine();
            assertEquals("ready", first, "capture did not start");
            List<String> send = src.exec(java, "--enable-native-access=ALL-UNNAMED", "-cp", cp, Wire.class.getName(),
                    "send", src.inside, input.toString(), Long.toString(ratePps));
            Process sending = new ProcessBuilder(send).redirectErrorStream(true).start();
            String sent = new String(sending.getInputStream().readAllBytes()).trim();
            assertTrue(sending.waitFor(60, TimeUnit.SECONDS) && sending.exitValue() == 0, "sender: " + sent);
            assertTrue(capturing.waitFor(60, TimeUnit.SECONDS), "capture did not end");
            String rest = lines.readLine();
            assertTrue(rest != null && rest.startsWith("captured "), "capture: " + rest);
        } finally {
            capturing.destroyForcibly();
        }
        List<MemorySegment> frames = new ArrayList<>();
        try (PacketFileReader reader = PacketFileReader.open(output)) {
            PacketRecord r = new PacketRecord();
            while (reader.next(r)) {
                frames.add(MemorySegment.ofArray(r.toByteArray()));
            }
        }
        return frames;
    }
}
