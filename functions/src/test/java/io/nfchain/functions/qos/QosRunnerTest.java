package io.nfchain.functions.qos;

import static io.nfchain.functions.qos.QosSessions.HEADERS;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.nfchain.api.session.v1.ApplySessionsRequest;
import io.nfchain.api.session.v1.ApplySessionsResponse;
import io.nfchain.api.session.v1.GateStatus;
import io.nfchain.api.session.v1.GetSessionRequest;
import io.nfchain.api.session.v1.Session;
import io.nfchain.api.session.v1.SessionChange;
import io.nfchain.api.session.v1.SessionServiceGrpc;
import io.nfchain.core.memif.MemifServer;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.memif.ServerQueuePair;
import io.nfchain.core.packet.Checksums;
import io.nfchain.core.packet.IpAddresses;
import io.nfchain.core.packet.NetBytes;
import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.core.packet.PacketParser;
import io.nfchain.core.packet.ParsedPacket;
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
 * The runner hosting qos ({@code nfchain.function.type=qos}): the test plays the node agent on
 * the memif socket, installs a session over gRPC (nfchain.session.v1), sends real frames and
 * checks which come back, their DSCP, and the counters in the Prometheus scrape.
 */
@QuarkusTest
@TestProfile(QosRunnerTest.Profile.class)
class QosRunnerTest {
    static final Path SOCKET = Path.of(System.getProperty("user.dir"), "target", "qos-runner-test", "agent.sock");

    /** The runner as qos, on its own socket, with a small table and QFI 9 marked EF. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "nfchain.function.type", "qos",
                    "nfchain.function.instance", "qos-test",
                    "nfchain.function.links[0].socket", SOCKET.toString(),
                    "nfchain.qos.max-sessions", "1024",
                    "nfchain.qos.qfi-dscp", "9=46",
                    "quarkus.grpc.clients.session.host", "localhost",
                    "quarkus.grpc.clients.session.port", "${quarkus.http.test-port}");
        }
    }

    @GrpcClient("session")
    SessionServiceGrpc.SessionServiceBlockingStub sessions;

    @Test
    void policesTheTrafficCrossingMemifByTheSessionsInstalledOverGrpc() throws Exception {
        Files.createDirectories(SOCKET.getParent());
        Files.deleteIfExists(SOCKET);
        // Uplink under a 100 kbit/s MBR (a 3000-byte bucket: three 1000-byte packets at once),
        // downlink with its gate closed except for the PDR of UDP port 5060.
        Session session = QosSessions.session(7)
                .addPdrs(QosSessions.uplink(1, 10, 1))
                .addPdrs(QosSessions.udpPort(QosSessions.downlink(2, 10, 2), 5060))
                .addPdrs(QosSessions.downlink(3, 100, 1))
                .addQers(QosSessions.qer(1).setMbrUplinkBps(100_000).setGateDownlink(GateStatus.CLOSED))
                .addQers(QosSessions.qer(2).setQfi(9))
                .build();
        ApplySessionsResponse applied = sessions.applySessions(ApplySessionsRequest.newBuilder()
                .addChanges(SessionChange.newBuilder().setCreate(session)).build());
        assertEquals(1, applied.getApplied(), applied.toString());
        assertEquals(session, sessions.getSession(GetSessionRequest.newBuilder().setSeid(7).build()));

        try (MemifServer agent = MemifServer.listen(MemifServer.Config.of(SOCKET));
                PacketBurst out = new PacketBurst(32, 2048);
                PacketBurst in = new PacketBurst(32, 2048)) {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!agent.isConnected()) {
                agent.doWork();
                if (System.nanoTime() > deadline) {
                    fail("the runner never connected: " + agent.lastError());
                }
                Thread.sleep(1);
            }
            ServerQueuePair queue = agent.queuePair(0);
            List<MemorySegment> frames = new ArrayList<>();
            for (int k = 0; k < 10; k++) {
                frames.add(QosSessions.up(40000 + k, 1000 - HEADERS));            // 3 of 10 within the MBR
            }
            frames.add(QosSessions.down(40000, 100));                              // gate closed
            frames.add(QosSessions.down(5060, 100));                               // open, QFI 9: DSCP 46
            frames.add(new PacketBuilder().ethernet(2, 1)                          // no session: passes
                    .ipv4(IpAddresses.parseIpv4("10.99.0.1"), QosSessions.SERVER).udp(1, 2).build());
            List<ParsedPacket> back = exchange(agent, queue, out, in, frames, 5, deadline);
            List<Integer> ports = new ArrayList<>();
            for (ParsedPacket p : back) {
                ports.add(p.outer().key().dstPort() == 5060 ? 5060 : p.outer().key().srcPort());
            }
            assertEquals(List.of(40000, 40001, 40002, 5060, 1), ports, "three under the MBR, the open flow, no session");
            assertEquals(46, back.get(3).outer().dscp());
            Thread.sleep(200); // anything else qos let through would be on the ring by now
            assertEquals(0, queue.rxBurst(in), "nothing else came back");

            String metrics = given().when().get("/q/metrics").asString();
            assertCounter(metrics, "QOS_PASS", 4);
            assertCounter(metrics, "QOS_MBR_EXCEEDED", 7);
            assertCounter(metrics, "QOS_GATE_CLOSED", 1);
            assertCounter(metrics, "QOS_DSCP_MARKED", 1);
            assertCounter(metrics, "QOS_NO_SESSION_PASS", 1);
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
        while (queue.txBurst(out) == 0) { // the runner posts receive buffers after CONNECTED
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
                assertEquals(Checksums.ipv4Header(in.data(), ip), NetBytes.u16(in.data(), ip + 10),
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
                && l.contains("counter=\"" + counter + "\"") && l.contains("function=\"qos\"")
                && l.endsWith(" " + value + ".0")), counter + " " + value + " in the scrape");
    }
}
