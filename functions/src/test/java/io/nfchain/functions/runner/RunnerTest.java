package io.nfchain.functions.runner;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.nfchain.api.function.v1.Counter;
import io.nfchain.api.function.v1.FunctionInfo;
import io.nfchain.api.function.v1.FunctionServiceGrpc;
import io.nfchain.api.function.v1.GetInfoRequest;
import io.nfchain.api.function.v1.GetRuntimeRequest;
import io.nfchain.api.function.v1.ListCountersRequest;
import io.nfchain.core.memif.MemifServer;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.memif.ServerQueuePair;
import io.nfchain.core.packet.Checksums;
import io.nfchain.core.packet.Ipv4Header;
import io.nfchain.core.packet.Ipv6Header;
import io.nfchain.core.packet.NetBytes;
import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.core.packet.PacketParser;
import io.nfchain.core.packet.ParsedPacket;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The runner as a Quarkus app hosting ttl-guard; the test plays the node agent on the memif
 * socket the configuration names, sends real frames, and reads the results back through the
 * link, the gRPC API, the Prometheus endpoint and the health checks.
 */
@QuarkusTest
class RunnerTest {
    private static final long MAC_A = 0x02_00_00_00_00_0aL;
    private static final long MAC_B = 0x02_00_00_00_00_0bL;

    @GrpcClient("function")
    FunctionServiceGrpc.FunctionServiceBlockingStub function;

    @Test
    void hostsTheFunctionBehindItsLinkAndReportsItEverywhere() throws Exception {
        Path socket = Path.of(System.getProperty("user.dir"), "target", "runner-test", "agent.sock");
        Files.createDirectories(socket.getParent());
        Files.deleteIfExists(socket);
        given().when().get("/q/health/ready").then().statusCode(503); // no agent yet

        try (MemifServer agent = MemifServer.listen(MemifServer.Config.of(socket));
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
            int[] ttls = {64, 2, 1, 0, 255, 1, 30, 2};
            for (int i = 0; i < ttls.length; i++) {
                PacketBuilder b = new PacketBuilder().ethernet(MAC_B, MAC_A);
                if (i % 2 == 0) {
                    b.ipv4(0x0a000001, 0x0a000002 + i).ipv4Fields(0, ttls[i], i, 0, new byte[0]);
                } else {
                    b.ipv6(0x20010db8_00000000L, 1, 0x20010db8_00000000L, 2 + i).ipv6Fields(0, 0, ttls[i]);
                }
                MemorySegment frame = b.udp(1000 + i, 2000).payload(100).build();
                MemorySegment.copy(frame, 0, out.data(), out.offset(i), frame.byteSize());
                out.setLength(i, (int) frame.byteSize());
            }
            out.setCount(ttls.length);
            // The server is connected once it sent CONNECTED; the runner posts its receive
            // buffers only when it has read that, so the first bursts may find no room yet.
            while (queue.txBurst(out) == 0) {
                agent.doWork();
                if (System.nanoTime() > deadline) {
                    fail("the runner never posted receive buffers");
                }
                Thread.sleep(1);
            }

            int received = 0;
            ParsedPacket parsed = new ParsedPacket();
            while (received < 5) { // ttl 64, 2, 255, 30, 2 survive; 1, 0, 1 expire
                int n = queue.rxBurst(in);
                for (int i = 0; i < n; i++, received++) {
                    assertTrue(PacketParser.parse(in.data(), in.offset(i), in.length(i), parsed), parsed.status().text());
                    long ip = in.offset(i) + parsed.l3Offset();
                    int sourcePort = parsed.outer().key().srcPort();
                    int sent = ttls[sourcePort - 1000];
                    if (parsed.outer().key().ipVersion() == 4) {
                        assertEquals(sent - 1, NetBytes.u8(in.data(), ip + Ipv4Header.TTL));
                        assertEquals(Checksums.ipv4Header(in.data(), ip), NetBytes.u16(in.data(), ip + Ipv4Header.CHECKSUM),
                                "the incrementally updated checksum equals a full recomputation");
                    } else {
                        assertEquals(sent - 1, NetBytes.u8(in.data(), ip + Ipv6Header.HOP_LIMIT));
                    }
                }
                agent.doWork();
                if (System.nanoTime() > deadline) {
                    fail("received " + received + " of 5");
                }
            }

            FunctionInfo info = function.getInfo(GetInfoRequest.getDefaultInstance());
            assertEquals("ttl-guard", info.getType());
            assertEquals("ttl-guard-test", info.getInstance());
            assertTrue(info.getLinks(0).getConnected());
            assertEquals(5, info.getLinks(0).getTxPackets());
            assertEquals(8, info.getLinks(0).getRxPackets());
            Map<String, Long> counters = function.listCounters(ListCountersRequest.newBuilder().setNonZeroOnly(true)
                    .build()).getCountersList().stream().collect(Collectors.toMap(Counter::getName, Counter::getValue));
            assertEquals(Map.of("FORWARDED", 5L, "TTL_EXPIRED", 3L, "BURSTS", 1L), counters);
            assertEquals("adaptive", function.getRuntime(GetRuntimeRequest.getDefaultInstance()).getIdleStrategy());

            given().when().get("/q/health/ready").then().statusCode(200);
            given().when().get("/q/health/live").then().statusCode(200);
            given().when().get("/q/metrics").then().statusCode(200)
                    .body(containsString("counter=\"TTL_EXPIRED\""))
                    .body(containsString("nfchain_link_connected{"));
            String metrics = given().when().get("/q/metrics").asString();
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("nfchain_function_packets_total{")
                    && l.contains("counter=\"TTL_EXPIRED\"") && l.endsWith(" 3.0")), "TTL_EXPIRED 3 in the scrape");
        }
    }
}
