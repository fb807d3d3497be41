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
import io.nfchain.core.packet.ParsedPacket;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
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

        List<UpfHarness.Returned> back = UpfHarness.exchangeWithRunner(SOCKET, List.of(UpfHarness.uplink(TEID, 9, UE,
                REMOTE, 5000), UpfHarness.plain(REMOTE, UE, 5000, 40000), UpfHarness.uplink(TEID + 1, 9, UE, REMOTE, 5000)), 2);
        assertEquals(UE, back.get(0).parsed().outer().key().srcIpv4(), "uplink decapsulated");
        assertTrue(back.get(0).parsed().tunnelType() == ParsedPacket.TUNNEL_NONE);
        assertEquals(GNB_TEID, back.get(1).parsed().teid(), "downlink encapsulated");
        assertEquals(UE, back.get(1).parsed().inner().key().dstIpv4());
    }
}
