package io.nfchain.functions.charging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.api.charging.v1.GetUsageResponse;
import io.nfchain.api.charging.v1.Usage;
import io.nfchain.core.memif.MemifServer;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.memif.ServerQueuePair;
import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.core.packet.GtpuHeader;
import io.nfchain.core.packet.IpAddresses;
import io.nfchain.core.packet.IpLayers;
import io.nfchain.core.packet.PacketParser;
import io.nfchain.core.packet.ParsedPacket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Crash consistency with real processes: the charging function runs as its own JVM
 * ({@link ChargingCrashChild}, or last behind upf and qos in the one-process user plane,
 * {@link UserPlaneCrashChild}) behind this test's memif server, which sends uplink and downlink
 * packets of random lengths (some longer than a memif buffer, so they take chained slots) and
 * counts what comes back. At random points the child is killed with SIGKILL, then restarted on
 * the same state directory, until two kills caught a burst between its intent and its completion
 * (each restart says whether it recovered one; at most {@value #MAX_KILLS} kills, and the test
 * fails if none did); the last run is stopped cleanly. Then the usage the
 * function reports (GetUsage's numbers, from the state it left, through the same control code, and
 * the last offline record of each URR) must equal, exactly, the bytes and packets per direction
 * this test received back over memif.
 *
 * <p>In the user plane uplink goes in as GTP-U to the upf and comes back decapsulated, downlink
 * goes in plain and comes back as GTP-U to the gNB: charging counts the frames as they leave, so
 * the bytes expected are those of the frames received back, each classified by its UE address
 * (the inner destination of a tunnelled one).
 *
 * <p>The test never lets its server notice a disconnect before it has read every frame the dead
 * child published (it kills, waits for the process to be gone, drains, and only then services
 * the control socket): the frames a process published before dying were forwarded.
 */
class ChargingCrashTest {
    /** Kills until two landed with a burst in flight, at most this many. */
    private static final int MAX_KILLS = 12;
    private static final long MAC_A = 0x020000000001L;
    private static final long MAC_B = 0x020000000002L;
    private static final int GNB = IpAddresses.parseIpv4(UserPlaneCrashChild.GNB);
    private static final int N3 = IpAddresses.parseIpv4(UserPlaneCrashChild.N3);

    /** What runs in the child, and how the test reads the usage state it left. */
    enum Plane {
        /** Charging alone: plain frames in, the same frames out. */
        CHARGING(ChargingCrashChild.class, false, false) {
            @Override
            ChargingFunction reopen(Path state, Path region, Path scratch) {
                return ChargingCrashChild.function(state, region, null);
            }
        },
        /** upf+qos+charging: uplink in as GTP-U, out plain; downlink in plain, out as GTP-U. */
        USER_PLANE(UserPlaneCrashChild.class, true, true) {
            @Override
            ChargingFunction reopen(Path state, Path region, Path scratch) {
                return UserPlaneCrashChild.stages(state, region, scratch.resolve("reopened.records")).charging();
            }
        };

        final Class<?> child;
        final boolean tunnels;
        /**
         * Whether each burst of traffic waits for room in the ring. Three stages take longer per
         * burst than charging alone, so unpaced the test filled the ring within a few milliseconds
         * of a start and the rest of a run's bursts found no room: about 170 packets came back per
         * run (a ring's worth died with each kill), a third of the kills came before the first,
         * cold, burst reached charging, and a run of 3,000 sent ended near the floor of 1,000
         * received.
         */
        final boolean paced;

        Plane(Class<?> child, boolean tunnels, boolean paced) {
            this.child = child;
            this.tunnels = tunnels;
            this.paced = paced;
        }

        /** Charging over the state a stopped child left, its sessions applied again. */
        abstract ChargingFunction reopen(Path state, Path region, Path scratch);
    }

    @TempDir
    Path dir;

    /** Bytes and packets received back, per UE (1..4) and direction (0 up, 1 down). */
    private final long[][] bytes = new long[ChargingCrashChild.UES + 1][2];
    private final long[][] packets = new long[ChargingCrashChild.UES + 1][2];
    private final ParsedPacket parsed = new ParsedPacket();
    /** Frames the upf itself sent back (echo responses, error indications): charged to no URR. */
    private long signalling;

    private Plane plane;

    @ParameterizedTest
    @EnumSource(Plane.class)
    void usageAfterKillsEqualsWhatWasForwarded(Plane plane) throws Exception {
        this.plane = plane;
        Path socket = dir.resolve("memif.sock");
        Path state = dir.resolve("state");
        Path region = state.resolve("memif-region-0");
        Path records = dir.resolve("usage.records");
        Files.createDirectories(state);
        int caughtInFlight = 0;
        long seed = Long.getLong("charging.crash.seed", System.nanoTime());
        System.out.println("ChargingCrashTest " + plane + " seed " + seed + " (-Dcharging.crash.seed to repeat)");
        SplittableRandom random = new SplittableRandom(seed);
        try (MemifServer server = MemifServer.listen(MemifServer.Config.of(socket).withRequireSealedRegions(false));
                PacketBurst tx = new PacketBurst(32, 9216);
                PacketBurst rx = new PacketBurst(256, 9216)) {
            long totalSent = 0;
            int kills = 0;
            int inFlight = 0;
            while (true) {
                Process child = start(socket, state, region, records);
                try {
                    awaitConnected(server, child);
                    inFlight = recoveredInFlight(); // each start says whether the kill before it caught a burst
                    // enough kills caught a burst, and enough traffic went by for the sums to mean something
                    boolean last = inFlight >= 2 && totalSent >= 3_000 || kills == MAX_KILLS;
                    int bursts = 50 + random.nextInt(400);
                    for (int b = 0; b < bursts; b++) {
                        if (plane.paced) {
                            awaitRoom(server.queuePair(0), tx, rx, child);
                        }
                        totalSent += send(server.queuePair(0), tx, random);
                        drain(server.queuePair(0), rx);
                        if (b % 8 == 0) {
                            server.doWork();
                        }
                        assertTrue(server.isConnected(), "the child dropped the link: " + tail(child));
                    }
                    if (!last) {
                        for (int b = random.nextInt(4); b > 0; b--) {
                            totalSent += send(server.queuePair(0), tx, random); // keep the child busy
                        }
                        child.destroyForcibly(); // SIGKILL, mid-traffic: bursts are in flight in the child
                        assertTrue(child.waitFor(20, TimeUnit.SECONDS));
                        kills++;
                    } else {
                        quiesce(server.queuePair(0), rx);
                        child.destroy(); // SIGTERM: a clean stop, a last offline record per URR
                        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
                        assertTrue(tail(child).contains("STOPPED"), "no clean stop: " + tail(child));
                    }
                    drain(server.queuePair(0), rx); // frames the child published before it died
                    while (server.isConnected()) {
                        server.doWork();
                        Thread.sleep(1);
                    }
                    if (last) {
                        break;
                    }
                } finally {
                    child.destroyForcibly();
                    child.waitFor(20, TimeUnit.SECONDS);
                }
            }
            long received = 0;
            for (int ue = 1; ue <= ChargingCrashChild.UES; ue++) {
                received += packets[ue][0] + packets[ue][1];
            }
            assertTrue(received > 1000 && received <= totalSent, "received " + received + " of " + totalSent);
            System.out.printf("ChargingCrashTest %s: %d kills, %d of them with a burst in flight (completed from the ring"
                    + " head), %d packets sent, %d received back%s%n", plane, kills, inFlight, totalSent, received,
                    plane.tunnels ? " (and " + signalling + " the upf answered)" : "");
            assertTrue(!plane.tunnels || signalling > 0, "no echo was answered: the upf's own frames went untested");
            caughtInFlight = inFlight;
        }
        assertUsageEqualsReceived(state, region);
        assertRecordsEqualReceived(records);
        assertTrue(caughtInFlight >= 1, "none of the kills caught a burst in flight: recovery went untested");
    }

    /** GetUsage's numbers, read from the state the last process left, by the same code after a restart. */
    private void assertUsageEqualsReceived(Path state, Path region) {
        ChargingFunction function = plane.reopen(state, region, dir);
        try (UsageStore store = function.store()) {
            ChargingControl control = function.control();
            for (int ue = 1; ue <= ChargingCrashChild.UES; ue++) {
                GetUsageResponse usage = control.usage(ue);
                assertEquals(2, usage.getUsagesCount());
                for (Usage u : usage.getUsagesList()) {
                    String what = "session " + ue + " urr " + u.getUrrId();
                    assertEquals(bytes[ue][0], u.getBytesUplink(), what + " bytes up");
                    assertEquals(bytes[ue][1], u.getBytesDownlink(), what + " bytes down");
                    assertEquals(packets[ue][0], u.getPacketsUplink(), what + " packets up");
                    assertEquals(packets[ue][1], u.getPacketsDownlink(), what + " packets down");
                }
            }
        }
    }

    /** The last offline record of each URR carries the same cumulative usage. */
    private void assertRecordsEqualReceived(Path records) throws IOException {
        Map<Long, UsageRecord> last = new HashMap<>();
        UsageRecordReader.Result result = UsageRecordReader.read(records, r -> {
            long key = r.seid() * 16 + r.urrId();
            if (!last.containsKey(key) || last.get(key).seq() < r.seq()) {
                last.put(key, r);
            }
        });
        assertEquals(UsageRecordReader.Problem.NONE, result.problem(), result.message());
        for (int ue = 1; ue <= ChargingCrashChild.UES; ue++) {
            for (int urr = 1; urr <= 2; urr++) {
                UsageRecord r = last.get(ue * 16L + urr);
                String what = "record of session " + ue + " urr " + urr;
                assertEquals(bytes[ue][0], r.bytesUp(), what);
                assertEquals(bytes[ue][1], r.bytesDown(), what);
                assertEquals(packets[ue][0], r.packetsUp(), what);
                assertEquals(packets[ue][1], r.packetsDown(), what);
            }
        }
    }

    private Process start(Path socket, Path state, Path region, Path records) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), plane.child.getName(),
                socket.toString(), state.toString(), region.toString(), records.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("child.log").toFile())).start();
    }

    /** Starts of the child that completed a burst the kill before had left in flight. */
    private int recoveredInFlight() throws IOException {
        return (int) Files.readAllLines(dir.resolve("child.log")).stream()
                .filter(l -> l.startsWith("RECOVERED ") && !l.equals("RECOVERED -1")).count();
    }

    private String tail(Process child) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("child.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private void awaitConnected(MemifServer server, Process child) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!server.isConnected()) {
            assertTrue(child.isAlive(), "the child died: " + tail(child));
            assertTrue(System.nanoTime() < deadline, "the child did not connect: " + tail(child));
            server.doWork();
            Thread.sleep(1);
        }
    }

    /** Sends one burst of packets to random UEs, uplink or downlink, 60 .. 3000 bytes; returns how many left. */
    private int send(ServerQueuePair queue, PacketBurst tx, SplittableRandom random) {
        int n = 1 + random.nextInt(tx.capacity());
        for (int i = 0; i < n; i++) {
            int session = 1 + random.nextInt(ChargingCrashChild.UES);
            int ue = ChargingCrashChild.UE_NET | session;
            int server = 0xC6336401; // 198.51.100.1
            boolean up = random.nextBoolean();
            int payload = random.nextInt(100) < 10 ? 2100 + random.nextInt(800) : random.nextInt(1400);
            PacketBuilder b = new PacketBuilder().ethernet(MAC_B, MAC_A);
            int stray = plane.tunnels ? random.nextInt(100) : 100;
            if (stray < 3) { // the upf drops it (no session), so charging's view has a gap before later packets
                b.ipv4(GNB, N3).udp(2152, 2152).gtpu(0xDEAD).ipv4(ue, server).udp(40000, 443);
            } else if (stray < 6) { // the upf drops it too: no session for that UE address
                b.ipv4(server, ChargingCrashChild.UE_NET | 0xBEEF).udp(443, 40000);
            } else if (stray < 8) { // the upf answers it in its place: GTP-U signalling charging forwards uncharged
                b.ipv4(GNB, N3).udp(2152, 2152).gtpu(GtpuHeader.ECHO_REQUEST, 0).gtpuSequence(i);
                payload = 0;
            } else if (up && plane.tunnels) { // a G-PDU from the gNB on the session's TEID, now and then with a QFI
                b.ipv4(GNB, N3).udp(2152, 2152).gtpu(1000 + session);
                if (random.nextBoolean()) {
                    b.pduSessionContainer(1, 9);
                }
                b.ipv4(ue, server).udp(40000, 443);
            } else if (up) {
                b.ipv4(ue, server).udp(40000, 443);
            } else {
                b.ipv4(server, ue).udp(443, 40000);
            }
            int length = b.payload(payload).padTo(60).writeTo(tx.data(), tx.resetForReceive(i));
            tx.put(i, length, 0);
        }
        tx.setCount(n);
        return queue.txBurst(tx);
    }

    /** Reads what comes back until the child posted room for a whole burst of chained frames again. */
    private void awaitRoom(ServerQueuePair queue, PacketBurst tx, PacketBurst rx, Process child) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (queue.transmitRoom() < 2 * tx.capacity()) {
            assertTrue(System.nanoTime() < deadline, "the child stopped taking frames: " + tail(child));
            drain(queue, rx);
            Thread.onSpinWait();
        }
    }

    private void drain(ServerQueuePair queue, PacketBurst rx) {
        while (queue.rxBurst(rx) > 0) {
            count(rx);
        }
    }

    private void count(PacketBurst rx) {
        for (int i = 0; i < rx.count(); i++) {
            PacketParser.parse(rx.data(), rx.offset(i), rx.length(i), parsed);
            boolean tunnelled = parsed.tunnelType() == ParsedPacket.TUNNEL_GTPU;
            if (plane.tunnels && parsed.outer().key().srcIpv4() == N3
                    && (!tunnelled || parsed.gtpMessageType() != GtpuHeader.G_PDU)) {
                signalling++; // the upf's echo response or error indication: no subscriber's usage
                continue;
            }
            IpLayers ip = tunnelled ? parsed.inner() : parsed.outer();
            int src = ip.key().srcIpv4();
            int dst = ip.key().dstIpv4();
            boolean up = (src & 0xffff0000) == ChargingCrashChild.UE_NET;
            assertEquals(plane.tunnels && !up, tunnelled, "frame back from " + IpAddresses.ipv4ToString(src)
                    + " to " + IpAddresses.ipv4ToString(dst) + ": only the user plane's downlink is tunnelled");
            if (tunnelled) {
                assertEquals(GNB, parsed.outer().key().dstIpv4(), "downlink tunnelled to the gNB");
                assertEquals(2000 + (dst & 0xffff), parsed.teid(), "on the session's gNB TEID");
            }
            int ue = (up ? src : dst) & 0xffff;
            assertTrue(ue >= 1 && ue <= ChargingCrashChild.UES, "a frame back for no session: "
                    + IpAddresses.ipv4ToString(src) + " to " + IpAddresses.ipv4ToString(dst));
            bytes[ue][up ? 0 : 1] += rx.length(i);
            packets[ue][up ? 0 : 1]++;
        }
    }

    /** Reads until nothing came back for a while: the child has forwarded all it will. */
    private void quiesce(ServerQueuePair queue, PacketBurst rx) throws InterruptedException {
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < TimeUnit.MILLISECONDS.toNanos(300)) {
            if (queue.rxBurst(rx) > 0) {
                count(rx);
                quietSince = System.nanoTime();
            }
            Thread.sleep(1);
        }
    }
}
