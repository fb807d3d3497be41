package io.nfchain.functions.runner;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.nfchain.api.router.v1.AddRoutesRequest;
import io.nfchain.api.router.v1.Neighbor;
import io.nfchain.api.router.v1.NextHop;
import io.nfchain.api.router.v1.Route;
import io.nfchain.api.router.v1.RouterServiceGrpc;
import io.nfchain.api.router.v1.SetNeighborsRequest;
import io.nfchain.core.memif.MemifServer;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.packet.Checksums;
import io.nfchain.core.packet.IpAddresses;
import io.nfchain.core.packet.Ipv4Header;
import io.nfchain.core.packet.Ipv6Header;
import io.nfchain.core.packet.NetBytes;
import io.nfchain.core.packet.PacketBuilder;
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
 * The runner hosting the router with two links; the test plays the agent on both memif
 * sockets, programs routes and a neighbour over gRPC, and checks that frames sent on link 0
 * leave on link 1 routed (MACs rewritten, TTL / hop limit decremented), that an unknown next hop
 * is asked for with an ARP request, and that the Prometheus scrape shows the counters.
 */
@QuarkusTest
@TestProfile(RouterRunnerTest.RouterProfile.class)
class RouterRunnerTest {
    static final Path DIR = Path.of(System.getProperty("user.dir"), "target", "router-runner-test");
    private static final long MAC_IF0 = 0x02_00_00_00_01_01L;
    private static final long MAC_IF1 = 0x02_00_00_00_01_02L;
    private static final long MAC_HOST = 0x02_00_00_00_00_0aL;
    private static final long MAC_GW = 0x02_00_00_00_00_0bL;

    /** Overrides the %test configuration (which hosts ttl-guard) with a two-interface router. */
    public static class RouterProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("nfchain.function.type", "router"),
                    Map.entry("nfchain.function.instance", "router-test"),
                    Map.entry("nfchain.function.links[0].socket", DIR.resolve("if0.sock").toString()),
                    Map.entry("nfchain.function.links[0].log2-ring-size", "8"),
                    Map.entry("nfchain.function.links[1].socket", DIR.resolve("if1.sock").toString()),
                    Map.entry("nfchain.function.links[1].log2-ring-size", "8"),
                    Map.entry("nfchain.router.interfaces[0].name", "lan"),
                    Map.entry("nfchain.router.interfaces[0].mac", "02:00:00:00:01:01"),
                    Map.entry("nfchain.router.interfaces[0].ipv4", "192.0.2.1"),
                    Map.entry("nfchain.router.interfaces[0].ipv6", "2001:db8::1"),
                    Map.entry("nfchain.router.interfaces[1].name", "wan"),
                    Map.entry("nfchain.router.interfaces[1].mac", "02:00:00:00:01:02"),
                    Map.entry("nfchain.router.interfaces[1].ipv4", "198.51.100.1"),
                    Map.entry("nfchain.router.interfaces[1].ipv6", "2001:db8:1::1"),
                    Map.entry("nfchain.router.neighbor-timeout", "30s"),
                    Map.entry("quarkus.grpc.clients.router.host", "localhost"),
                    Map.entry("quarkus.grpc.clients.router.port", "${quarkus.http.test-port}"));
        }
    }

    @GrpcClient("router")
    RouterServiceGrpc.RouterServiceBlockingStub router;

    @Test
    void routesAcrossTwoMemifLinksProgrammedOverGrpc() throws Exception {
        Files.createDirectories(DIR);
        try (MemifServer if0 = listen("if0.sock"); MemifServer if1 = listen("if1.sock");
                PacketBurst out = new PacketBurst(32, 2048); PacketBurst in = new PacketBurst(32, 2048)) {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!if0.isConnected() || !if1.isConnected()) {
                if0.doWork();
                if1.doWork();
                if (System.nanoTime() > deadline) {
                    fail("the runner never connected both links: " + if0.lastError() + " / " + if1.lastError());
                }
                Thread.sleep(1);
            }
            router.addRoutes(AddRoutesRequest.newBuilder()
                    .addRoutes(route("10.0.0.0/8", "198.51.100.2"))
                    .addRoutes(route("2001:db8:100::/48", "2001:db8:1::2"))
                    .addRoutes(route("172.16.0.0/12", "198.51.100.9")).build());
            router.setNeighbors(SetNeighborsRequest.newBuilder()
                    .addNeighbors(Neighbor.newBuilder().setAddress("198.51.100.2").setMac("02:00:00:00:00:0b").setOutput(1))
                    .addNeighbors(Neighbor.newBuilder().setAddress("2001:db8:1::2").setMac("02:00:00:00:00:0b").setOutput(1))
                    .build());

            long[] s6 = IpAddresses.parseIpv6("2001:db8::10");
            long[] d6 = IpAddresses.parseIpv6("2001:db8:100::5");
            MemorySegment[] frames = {
                new PacketBuilder().ethernet(MAC_IF0, MAC_HOST).ipv4(IpAddresses.parseIpv4("192.0.2.10"),
                        IpAddresses.parseIpv4("10.1.2.3")).ipv4Fields(0, 64, 1, 0, new byte[0]).udp(1000, 53).payload(40).build(),
                new PacketBuilder().ethernet(MAC_IF0, MAC_HOST).ipv6(s6[0], s6[1], d6[0], d6[1]).ipv6Fields(0, 0, 30)
                        .udp(1001, 53).payload(40).build(),
                new PacketBuilder().ethernet(MAC_IF0, MAC_HOST).ipv4(IpAddresses.parseIpv4("192.0.2.10"),
                        IpAddresses.parseIpv4("172.16.0.1")).udp(1002, 53).payload(40).build()};
            for (int i = 0; i < frames.length; i++) {
                MemorySegment.copy(frames[i], 0, out.data(), out.offset(i), frames[i].byteSize());
                out.setLength(i, (int) frames[i].byteSize());
            }
            out.setCount(frames.length);
            while (if0.queuePair(0).txBurst(out) == 0) { // the runner posts receive buffers after CONNECTED
                if0.doWork();
                if (System.nanoTime() > deadline) {
                    fail("the runner never posted receive buffers on link 0");
                }
                Thread.sleep(1);
            }
            List<byte[]> received = new ArrayList<>();
            while (received.size() < 3) {
                int n = if1.queuePair(0).rxBurst(in);
                for (int i = 0; i < n; i++) {
                    received.add(in.data().asSlice(in.offset(i), in.length(i)).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
                }
                if1.doWork();
                if (System.nanoTime() > deadline) {
                    fail("received " + received.size() + " of 3 frames on link 1");
                }
                Thread.sleep(n == 0 ? 1 : 0);
            }
            MemorySegment v4 = MemorySegment.ofArray(received.get(0));
            assertEquals(MAC_GW, NetBytes.u48(v4, 0));
            assertEquals(MAC_IF1, NetBytes.u48(v4, 6));
            assertEquals(63, NetBytes.u8(v4, 14 + Ipv4Header.TTL));
            assertEquals(Checksums.ipv4Header(v4, 14), NetBytes.u16(v4, 14 + Ipv4Header.CHECKSUM));
            MemorySegment v6 = MemorySegment.ofArray(received.get(1));
            assertEquals(MAC_GW, NetBytes.u48(v6, 0));
            assertEquals(29, NetBytes.u8(v6, 14 + Ipv6Header.HOP_LIMIT));
            MemorySegment arp = MemorySegment.ofArray(received.get(2));
            assertEquals(0xFFFF_FFFF_FFFFL, NetBytes.u48(arp, 0));
            assertEquals(0x0806, NetBytes.u16(arp, 12));
            assertEquals(1, NetBytes.u16(arp, 20), "an ARP request");
            assertEquals(IpAddresses.parseIpv4("198.51.100.1"), NetBytes.u32(arp, 28));
            assertEquals(IpAddresses.parseIpv4("198.51.100.9"), NetBytes.u32(arp, 38));

            String metrics = given().when().get("/q/metrics").asString();
            for (String[] expected : new String[][] {{"FORWARDED", "2.0"}, {"NEIGHBOR_MISSING", "1.0"},
                    {"ARP_REQUEST_SENT", "1.0"}}) {
                assertTrue(metrics.lines().anyMatch(l -> l.startsWith("nfchain_function_packets_total{")
                        && l.contains("function=\"router\"") && l.contains("counter=\"" + expected[0] + "\"")
                        && l.endsWith(" " + expected[1])), expected[0] + " " + expected[1] + " in the scrape:\n" + metrics);
            }
        }
    }

    private static MemifServer listen(String name) throws Exception {
        Path socket = DIR.resolve(name);
        Files.deleteIfExists(socket);
        return MemifServer.listen(MemifServer.Config.of(socket));
    }

    private static Route route(String prefix, String via) {
        return Route.newBuilder().setPrefix(prefix).addNextHops(NextHop.newBuilder().setVia(via).setOutput(1)).build();
    }
}
