package io.nfchain.functions.upf;

import static io.nfchain.functions.upf.UpfFunctionTest.GNB_TEID;
import static io.nfchain.functions.upf.UpfFunctionTest.REMOTE;
import static io.nfchain.functions.upf.UpfFunctionTest.TEID;
import static io.nfchain.functions.upf.UpfFunctionTest.UE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nfchain.api.charging.v1.ChargingServiceGrpc;
import io.nfchain.api.charging.v1.GetUsageRequest;
import io.nfchain.api.charging.v1.Usage;
import io.nfchain.api.function.v1.Counter;
import io.nfchain.api.function.v1.FunctionServiceGrpc;
import io.nfchain.api.function.v1.GetInfoRequest;
import io.nfchain.api.function.v1.ListCountersRequest;
import io.nfchain.api.session.v1.ApplySessionsRequest;
import io.nfchain.api.session.v1.SessionChange;
import io.nfchain.api.session.v1.SessionServiceGrpc;
import io.nfchain.core.packet.ParsedPacket;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The runner hosting the user plane as one pipeline ({@code nfchain.function.type=upf+qos+charging}):
 * one ApplySessions installs a session for all three stages, frames over memif come back
 * decapsulated and encapsulated, each stage counts under its own scope, and charging's usage
 * (over its own gRPC service) is what was forwarded.
 */
@QuarkusTest
@TestProfile(UserPlaneRunnerTest.Profile.class)
class UserPlaneRunnerTest {
    /** Per test JVM: charging's state outlives the runner on purpose, and a second run must start from none. */
    static final Path DIR = Path.of(System.getProperty("user.dir"), "target",
            "user-plane-runner-test-" + ProcessHandle.current().pid());
    static final Path SOCKET = DIR.resolve("agent.sock");

    /** The runner as the upf+qos+charging pipeline, on its own socket, its charging state under target/. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("nfchain.function.type", "upf+qos+charging"),
                    Map.entry("nfchain.function.instance", "user-plane-test"),
                    Map.entry("nfchain.function.links[0].socket", SOCKET.toString()),
                    Map.entry("nfchain.upf.n3-ipv4", UpfHarness.N3_V4),
                    Map.entry("nfchain.upf.max-sessions", "1024"),
                    Map.entry("nfchain.charging.max-urrs", "2048"),
                    Map.entry("nfchain.charging.state-dir", DIR.resolve("state").toString()),
                    Map.entry("nfchain.charging.records-file", DIR.resolve("usage.records").toString()),
                    Map.entry("quarkus.grpc.clients.sessions.host", "localhost"),
                    Map.entry("quarkus.grpc.clients.sessions.port", "${quarkus.http.test-port}"),
                    Map.entry("quarkus.grpc.clients.charging.host", "localhost"),
                    Map.entry("quarkus.grpc.clients.charging.port", "${quarkus.http.test-port}"),
                    Map.entry("quarkus.grpc.clients.function.host", "localhost"),
                    Map.entry("quarkus.grpc.clients.function.port", "${quarkus.http.test-port}"));
        }
    }

    @GrpcClient("sessions")
    SessionServiceGrpc.SessionServiceBlockingStub sessions;

    @GrpcClient("charging")
    ChargingServiceGrpc.ChargingServiceBlockingStub charging;

    @GrpcClient("function")
    FunctionServiceGrpc.FunctionServiceBlockingStub function;

    @Test
    void oneInstallServesEveryStageAndEachStageCountsWhatItDid() throws Exception {
        Files.createDirectories(DIR);
        Files.deleteIfExists(SOCKET);
        assertEquals("upf+qos+charging", function.getInfo(GetInfoRequest.getDefaultInstance()).getType());
        assertEquals(1, sessions.applySessions(ApplySessionsRequest.newBuilder()
                .addChanges(SessionChange.newBuilder().setCreate(UpfFunctionTest.session())).build()).getApplied());

        // uplink of the session, downlink to its UE, uplink of no session (upf drops it: qos and charging never see it)
        List<UpfHarness.Returned> back = UpfHarness.exchangeWithRunner(SOCKET, List.of(UpfHarness.uplink(TEID, 9, UE,
                REMOTE, 5000), UpfHarness.plain(REMOTE, UE, 5000, 40000), UpfHarness.uplink(TEID + 1, 9, UE, REMOTE, 5000)), 2);
        assertEquals(UE, back.get(0).parsed().outer().key().srcIpv4(), "uplink decapsulated");
        assertEquals(ParsedPacket.TUNNEL_NONE, back.get(0).parsed().tunnelType());
        assertEquals(GNB_TEID, back.get(1).parsed().teid(), "downlink encapsulated");
        assertEquals(UE, back.get(1).parsed().inner().key().dstIpv4());

        // charging counts around the transmit: the usage may trail the frames by a moment
        Usage usage = null;
        for (long until = System.nanoTime() + 10_000_000_000L; System.nanoTime() < until; Thread.sleep(5)) {
            usage = charging.getUsage(GetUsageRequest.newBuilder().setSeid(1).build()).getUsages(0);
            if (usage.getPacketsUplink() + usage.getPacketsDownlink() == 2) {
                break;
            }
        }
        assertEquals(1, usage.getPacketsUplink(), usage.toString());
        assertEquals(1, usage.getPacketsDownlink(), usage.toString());
        assertEquals(back.get(0).length(), usage.getBytesUplink(), "uplink bytes as forwarded");
        assertEquals(back.get(1).length(), usage.getBytesDownlink(), "downlink bytes as forwarded");

        Map<String, Long> counters = new HashMap<>();
        for (Counter c : function.listCounters(ListCountersRequest.newBuilder().setNonZeroOnly(true).build()).getCountersList()) {
            counters.put(c.getScope() + "/" + c.getName(), c.getValue());
        }
        assertEquals(1L, counters.get("upf/UPF_UPLINK_FORWARDED"), counters.toString());
        assertEquals(1L, counters.get("upf/UPF_DOWNLINK_FORWARDED"), counters.toString());
        assertEquals(1L, counters.get("upf/SESSION_UNKNOWN"), counters.toString());
        assertEquals(2L, counters.get("qos/QOS_PASS"), "qos decided both on the upf's answer: " + counters);
        assertEquals(null, counters.get("qos/SESSION_UNKNOWN"), counters.toString());
        assertEquals(null, counters.get("charging/SESSION_UNKNOWN"), counters.toString());
    }
}
