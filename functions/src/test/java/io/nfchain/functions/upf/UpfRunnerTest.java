package io.nfchain.functions.upf;

import static io.nfchain.functions.upf.UpfFunctionTest.GNB_TEID;
import static io.nfchain.functions.upf.UpfFunctionTest.REMOTE;
import static io.nfchain.functions.upf.UpfFunctionTest.TEID;
import static io.nfchain.functions.upf.UpfFunctionTest.UE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.nfchain.api.session.v1.ApplySessionsRequest;
import io.nfchain.api.session.v1.ApplySessionsResponse;
import io.nfchain.api.session.v1.GetSessionRequest;
import io.nfchain.api.session.v1.SessionChange;
import io.nfchain.api.session.v1.SessionServiceGrpc;
import io.nfchain.core.memif.MemifServer;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.memif.ServerQueuePair;
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
 * The runner hosting the upf ({@code nfchain.function.type=upf}): sessions arrive over
 * {@code nfchain.session.v1.SessionService}, frames over memif with the test as the node agent;
 * an uplink G-PDU comes back decapsulated and a downlink packet encapsulated to the gNB.
 */
@QuarkusTest
@TestProfile(UpfRunnerTest.Profile.class)
class UpfRunnerTest {
    static final Path SOCKET = Path.of(System.getProperty("user.dir"), "target", "upf-runner-test", "agent.sock");

    /** The runner as a upf, on its own socket. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "nfchain.function.type", "upf",
                    "nfchain.function.instance", "upf-test",
                    "nfchain.function.links[0].socket", SOCKET.toString(),
                    "nfchain.upf.n3-ipv4", UpfHarness.N3_V4,
                    "nfchain.upf.max-sessions", "1024",
                    "quarkus.grpc.clients.sessions.host", "localhost",
                    "quarkus.grpc.clients.sessions.port", "${quarkus.http.test-port}");
        }
    }

    @GrpcClient("sessions")
    SessionServiceGrpc.SessionServiceBlockingStub sessions;

    @Test
    void sessionsOverGrpcSteerFramesOverMemif() throws Exception {
        Files.createDirectories(SOCKET.getParent());
        Files.deleteIfExists(SOCKET);
        ApplySessionsResponse r = sessions.applySessions(ApplySessionsRequest.newBuilder()
                .addChanges(SessionChange.newBuilder().setCreate(UpfFunctionTest.session()))
                .addChanges(SessionChange.newBuilder().setCreate(UpfFunctionTest.session())).build());
        assertEquals(1, r.getApplied());
        assertEquals(6, r.getResults(1).getCode(), "the second create of SEID 1: ALREADY_EXISTS");
        assertEquals(UpfFunctionTest.session(), sessions.getSession(GetSessionRequest.newBuilder().setSeid(1).build()));
        try {
            sessions.getSession(GetSessionRequest.newBuilder().setSeid(2).build());
            fail("SEID 2 is unknown");
        } catch (StatusRuntimeException e) {
            assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        }

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
            List<MemorySegment> frames = List.of(UpfHarness.uplink(TEID, 9, UE, REMOTE, 5000),
                    UpfHarness.plain(REMOTE, UE, 5000, 40000), UpfHarness.uplink(TEID + 1, 9, UE, REMOTE, 5000));
            for (int i = 0; i < frames.size(); i++) {
                MemorySegment.copy(frames.get(i), 0, out.data(), out.offset(i), frames.get(i).byteSize());
                out.setLength(i, (int) frames.get(i).byteSize());
            }
            out.setCount(frames.size());
            while (queue.txBurst(out) == 0) {
                agent.doWork();
                if (System.nanoTime() > deadline) {
                    fail("the runner never posted receive buffers");
                }
                Thread.sleep(1);
            }
            List<ParsedPacket> back = new ArrayList<>();
            while (back.size() < 2) {
                int n = queue.rxBurst(in);
                for (int i = 0; i < n; i++) {
                    ParsedPacket p = new ParsedPacket();
                    assertTrue(PacketParser.parse(in.data(), in.offset(i), in.length(i), p), p.status().text());
                    back.add(p);
                }
                agent.doWork();
                if (System.nanoTime() > deadline) {
                    fail("received " + back.size() + " of 2");
                }
            }
            assertEquals(UE, back.get(0).outer().key().srcIpv4(), "uplink decapsulated");
            assertTrue(back.get(0).tunnelType() == ParsedPacket.TUNNEL_NONE);
            assertEquals(GNB_TEID, back.get(1).teid(), "downlink encapsulated");
            assertEquals(UE, back.get(1).inner().key().dstIpv4());
        }
    }
}
