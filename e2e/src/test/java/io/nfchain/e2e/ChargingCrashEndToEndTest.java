package io.nfchain.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.nfchain.api.charging.v1.ChargingServiceGrpc;
import io.nfchain.api.charging.v1.GetUsageRequest;
import io.nfchain.api.charging.v1.Usage;
import io.nfchain.api.session.v1.ApplyAction;
import io.nfchain.api.session.v1.ApplySessionsRequest;
import io.nfchain.api.session.v1.Far;
import io.nfchain.api.session.v1.Interface;
import io.nfchain.api.session.v1.OuterHeaderCreation;
import io.nfchain.api.session.v1.Pdi;
import io.nfchain.api.session.v1.Pdr;
import io.nfchain.api.session.v1.Session;
import io.nfchain.api.session.v1.SessionChange;
import io.nfchain.api.session.v1.SessionServiceGrpc;
import io.nfchain.api.session.v1.Urr;
import io.nfchain.core.memif.MemifServer;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.memif.ServerQueuePair;
import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.core.packet.PacketParser;
import io.nfchain.core.packet.ParsedPacket;
import io.nfchain.functions.charging.UsageRecord;
import io.nfchain.functions.charging.UsageRecordReader;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Charging's crash consistency with the real NF runner: {@code quarkus-run.jar} hosting
 * {@code charging} as its own process, its memif link to this test's server (the test plays the
 * agent), sessions installed over gRPC ({@code SessionService/ApplySessions}, again after every
 * restart, as a client does). Traffic of random sizes up and down for four sessions with two URRs
 * each; SIGKILL at random points, restart, go on; then stop sending, read every frame back, and
 * ask {@code ChargingService/GetUsage}: per URR and direction, bytes and packets equal exactly what
 * this test received back over memif. After a clean stop, the last offline record of every URR
 * says the same.
 */
class ChargingCrashEndToEndTest {
    private static final int KILLS = 4;
    private static final int UES = 4;
    private static final int UE_NET = 0x0A2D0000;

    @TempDir
    Path dir;

    private final long[][] bytes = new long[UES + 1][2];
    private final long[][] packets = new long[UES + 1][2];
    private final ParsedPacket parsed = new ParsedPacket();

    @Test
    void usageReportedOverGrpcAfterKillsEqualsWhatCameBack() throws Exception {
        Path jar = LocalNode.repositoryRoot().resolve("functions/target/quarkus-app/quarkus-run.jar");
        Path socket = dir.resolve("memif.sock");
        Path state = dir.resolve("state");
        Path records = dir.resolve("usage.records");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> properties = Map.ofEntries(
                Map.entry("nfchain.function.type", "charging"),
                Map.entry("nfchain.function.instance", "charging-e2e"),
                Map.entry("nfchain.function.links[0].socket", socket.toString()),
                Map.entry("nfchain.function.links[0].region-file", state.resolve("memif-region").toString()),
                Map.entry("nfchain.function.links[0].log2-ring-size", "8"),
                Map.entry("nfchain.function.idle-strategy", "backoff"),
                Map.entry("nfchain.charging.state-dir", state.toString()),
                Map.entry("nfchain.charging.records-file", records.toString()),
                Map.entry("nfchain.charging.max-urrs", "1024"),
                Map.entry("nfchain.charging.max-sessions", "64"),
                Map.entry("nfchain.charging.report-interval", "50ms"),
                Map.entry("quarkus.http.port", Integer.toString(port)),
                Map.entry("quarkus.http.host", "127.0.0.1"));
        long seed = Long.getLong("charging.crash.seed", System.nanoTime());
        System.out.println("ChargingCrashEndToEndTest seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try (MemifServer server = MemifServer.listen(MemifServer.Config.of(socket).withRequireSealedRegions(false));
                PacketBurst tx = new PacketBurst(32, 9216);
                PacketBurst rx = new PacketBurst(256, 9216)) {
            ServerQueuePair queue = null;
            for (int run = 0; run <= KILLS; run++) {
                Path log = dir.resolve("logs").resolve("charging-" + run + ".log");
                JavaProcess runner = JavaProcess.start("charging", jar, List.of("--enable-native-access=ALL-UNNAMED",
                        "-Xmx512m"), properties, log);
                try {
                    installSessions(channel, runner, server);
                    queue = server.queuePair(0);
                    int bursts = 100 + random.nextInt(500);
                    for (int b = 0; b < bursts; b++) {
                        send(queue, tx, random);
                        drain(queue, rx);
                        if (b % 8 == 0) {
                            server.doWork();
                        }
                        assertTrue(server.isConnected(), "the runner dropped the link: " + runner.tail(30));
                    }
                    if (run < KILLS) {
                        for (int b = random.nextInt(4); b > 0; b--) {
                            send(queue, tx, random); // keep the runner busy
                        }
                        runner.kill(); // SIGKILL mid-traffic, and wait until it is gone
                        drain(queue, rx); // what it published before dying was forwarded
                        while (server.isConnected()) {
                            server.doWork();
                            Thread.sleep(1);
                        }
                        continue;
                    }
                    quiesce(queue, rx);
                    ChargingServiceGrpc.ChargingServiceBlockingStub charging = ChargingServiceGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(10, TimeUnit.SECONDS);
                    for (int ue = 1; ue <= UES; ue++) {
                        List<Usage> usages = charging.getUsage(GetUsageRequest.newBuilder().setSeid(ue).build()).getUsagesList();
                        assertEquals(2, usages.size());
                        for (Usage u : usages) {
                            String what = "GetUsage session " + ue + " urr " + u.getUrrId();
                            assertEquals(bytes[ue][0], u.getBytesUplink(), what + " bytes up");
                            assertEquals(bytes[ue][1], u.getBytesDownlink(), what + " bytes down");
                            assertEquals(packets[ue][0], u.getPacketsUplink(), what + " packets up");
                            assertEquals(packets[ue][1], u.getPacketsDownlink(), what + " packets down");
                        }
                    }
                    runner.stop(Duration.ofSeconds(30)); // SIGTERM: a last offline record per URR
                } finally {
                    runner.close();
                }
            }
        } finally {
            channel.shutdownNow();
        }
        long received = 0;
        for (int ue = 1; ue <= UES; ue++) {
            received += packets[ue][0] + packets[ue][1];
        }
        assertTrue(received > 1000, "received " + received);
        Map<Long, UsageRecord> last = new HashMap<>();
        UsageRecordReader.Result result = UsageRecordReader.read(records, r -> {
            long key = r.seid() * 16 + r.urrId();
            if (!last.containsKey(key) || last.get(key).seq() < r.seq()) {
                last.put(key, r);
            }
        });
        assertEquals(UsageRecordReader.Problem.NONE, result.problem(), result.message());
        for (int ue = 1; ue <= UES; ue++) {
            for (int urr = 1; urr <= 2; urr++) {
                UsageRecord r = last.get(ue * 16L + urr);
                String what = "last record of session " + ue + " urr " + urr;
                assertEquals(bytes[ue][0], r.bytesUp(), what);
                assertEquals(bytes[ue][1], r.bytesDown(), what);
                assertEquals(packets[ue][0], r.packetsUp(), what);
                assertEquals(packets[ue][1], r.packetsDown(), what);
            }
        }
        long inFlight = 0;
        for (int run = 1; run <= KILLS; run++) {
            inFlight += java.nio.file.Files.readAllLines(dir.resolve("logs").resolve("charging-" + run + ".log")).stream()
                    .filter(l -> l.contains("recovered a burst in flight")).count();
        }
        System.out.printf("ChargingCrashEndToEndTest: %d kills, %d with a burst in flight, %d packets received back,"
                + " usage exact%n", KILLS, inFlight, received);
    }

    /** Waits for the runner's link and gRPC, then creates the sessions, as a client does after a restart. */
    private void installSessions(ManagedChannel channel, JavaProcess runner, MemifServer server) throws Exception {
        ApplySessionsRequest.Builder request = ApplySessionsRequest.newBuilder();
        for (int ue = 1; ue <= UES; ue++) {
            request.addChanges(SessionChange.newBuilder().setCreate(session(ue)));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            assertTrue(runner.isAlive(), "the runner died: " + runner.tail(40));
            assertTrue(System.nanoTime() < deadline, "the runner did not come up: " + runner.tail(40));
            server.doWork();
            if (server.isConnected()) {
                try {
                    int applied = SessionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                            .applySessions(request.build()).getApplied();
                    assertEquals(UES, applied);
                    return;
                } catch (StatusRuntimeException e) { // gRPC not up yet
                    Thread.sleep(50);
                }
            }
            Thread.sleep(2);
        }
    }

    private static Session session(int ue) {
        String address = "10.45.0." + ue;
        return Session.newBuilder().setSeid(ue)
                .addPdrs(Pdr.newBuilder().setId(1).setPrecedence(100).setRemoveOuterHeader(true).setFarId(1)
                        .addUrrIds(1).addUrrIds(2)
                        .setPdi(Pdi.newBuilder().setSourceInterface(Interface.ACCESS).setLocalTeid(1000 + ue).setUeIpv4(address)))
                .addPdrs(Pdr.newBuilder().setId(2).setPrecedence(100).setFarId(2).addUrrIds(1).addUrrIds(2)
                        .setPdi(Pdi.newBuilder().setSourceInterface(Interface.CORE).setUeIpv4(address)))
                .addFars(Far.newBuilder().setId(1).setAction(ApplyAction.FORWARD).setDestinationInterface(Interface.CORE))
                .addFars(Far.newBuilder().setId(2).setAction(ApplyAction.FORWARD).setDestinationInterface(Interface.ACCESS)
                        .setOuterHeaderCreation(OuterHeaderCreation.newBuilder().setTeid(2000 + ue).setPeerAddress("192.0.2.9")))
                .addUrrs(Urr.newBuilder().setId(1).setMeasureVolume(true))
                .addUrrs(Urr.newBuilder().setId(2).setMeasureVolume(true))
                .build();
    }

    private static void send(ServerQueuePair queue, PacketBurst tx, SplittableRandom random) {
        int n = 1 + random.nextInt(tx.capacity());
        for (int i = 0; i < n; i++) {
            int ue = UE_NET | (1 + random.nextInt(UES));
            int server = 0xC6336401;
            boolean up = random.nextBoolean();
            int payload = random.nextInt(100) < 10 ? 2100 + random.nextInt(800) : random.nextInt(1400);
            PacketBuilder b = new PacketBuilder().ethernet(2, 1);
            if (up) {
                b.ipv4(ue, server).udp(40000, 443);
            } else {
                b.ipv4(server, ue).udp(443, 40000);
            }
            int length = b.payload(payload).padTo(60).writeTo(tx.data(), tx.resetForReceive(i));
            tx.put(i, length, 0);
        }
        tx.setCount(n);
        queue.txBurst(tx);
    }

    private void drain(ServerQueuePair queue, PacketBurst rx) {
        while (queue.rxBurst(rx) > 0) {
            count(rx);
        }
    }

    private void count(PacketBurst rx) {
        for (int i = 0; i < rx.count(); i++) {
            PacketParser.parse(rx.data(), rx.offset(i), rx.length(i), parsed);
            int src = parsed.outer().key().srcIpv4();
            int dst = parsed.outer().key().dstIpv4();
            boolean up = (src & 0xffff0000) == UE_NET;
            int ue = (up ? src : dst) & 0xffff;
            bytes[ue][up ? 0 : 1] += rx.length(i);
            packets[ue][up ? 0 : 1]++;
        }
    }

    private void quiesce(ServerQueuePair queue, PacketBurst rx) throws InterruptedException {
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < TimeUnit.MILLISECONDS.toNanos(500)) {
            if (queue.rxBurst(rx) > 0) {
                count(rx);
                quietSince = System.nanoTime();
            }
            Thread.sleep(1);
        }
    }
}
