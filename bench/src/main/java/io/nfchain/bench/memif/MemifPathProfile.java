package io.nfchain.bench.memif;

import io.nfchain.core.memif.ClientQueuePair;
import io.nfchain.core.memif.MemifClient;
import io.nfchain.core.memif.MemifServer;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.memif.ServerQueuePair;
import io.nfchain.core.packet.PacketBuilder;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A profiling aid for {@code bench memif}, not a suite: both memif ends in one thread, so the
 * cost of each burst call is measured without a second core, cache-line transfers or a
 * scheduler in the way. Prints ns per packet of the client's {@code txBurst} and the server's
 * {@code rxBurst} (median of 9 one-second rounds, timer cost removed), and, as a floor, what the
 * two per-packet copies alone cost.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp bench/target/nfchain-bench-*.jar
 * io.nfchain.bench.memif.MemifPathProfile [FRAME_BYTES...]}
 */
public final class MemifPathProfile {
    private static final int ROUNDS = 9;
    private static final long ROUND_NS = 1_000_000_000L;

    private MemifPathProfile() {}

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {64, 1500} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        long timerNs = timerCost();
        System.out.printf("System.nanoTime() pair costs %d ns (subtracted per call)%n", timerNs);
        for (int frameBytes : sizes) {
            profile(frameBytes, timerNs);
        }
    }

    private static void profile(int frameBytes, long timerNs) throws Exception {
        Path socket = Files.createTempDirectory("memif-profile").resolve("memif.sock");
        try (MemifServer server = MemifServer.listen(MemifServer.Config.of(socket));
                MemifClient client = MemifClient.create(MemifClient.Config.of(socket));
                PacketBurst out = new PacketBurst(MemifPeer.BURST, 2048);
                PacketBurst in = new PacketBurst(MemifPeer.BURST, 2048)) {
            client.connect();
            for (int i = 0; i < 10_000 && !(server.isConnected() && client.isConnected()); i++) {
                server.doWork();
                client.doWork();
            }
            ClientQueuePair c = client.queuePair(0);
            ServerQueuePair s = server.queuePair(0);
            PacketBuilder frame = new PacketBuilder().ethernet(2, 1).ipv4(1, 2).udp(9, 9).padTo(frameBytes);
            for (int i = 0; i < MemifPeer.BURST; i++) {
                out.setLength(i, frame.writeTo(out.data(), out.offset(i)));
            }
            out.setCount(MemifPeer.BURST);
            double[] tx = new double[ROUNDS];
            double[] rx = new double[ROUNDS];
            for (int warm = 0; warm < 2; warm++) {
                round(c, s, out, in, timerNs, tx, rx, 0);
            }
            for (int r = 0; r < ROUNDS; r++) {
                round(c, s, out, in, timerNs, tx, rx, r);
            }
            Arrays.sort(tx);
            Arrays.sort(rx);
            double copy = copyFloor(frameBytes);
            System.out.printf("%5d B: client txBurst %.1f ns/packet, server rxBurst %.1f ns/packet,"
                    + " two plain copies %.1f ns/packet; drops %d%n", frameBytes, tx[ROUNDS / 2], rx[ROUNDS / 2], copy,
                    c.counters().totalDrops() + s.counters().totalDrops());
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(socket.getParent());
        }
    }

    private static void round(ClientQueuePair c, ServerQueuePair s, PacketBurst out, PacketBurst in, long timerNs,
            double[] tx, double[] rx, int index) {
        long txNs = 0;
        long rxNs = 0;
        long txPackets = 0;
        long rxPackets = 0;
        long end = System.nanoTime() + ROUND_NS;
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            int sent = c.txBurst(out);
            long t1 = System.nanoTime();
            int received = s.rxBurst(in);
            long t2 = System.nanoTime();
            txNs += t1 - t0 - timerNs;
            rxNs += t2 - t1 - timerNs;
            txPackets += sent;
            rxPackets += received;
        }
        tx[index] = (double) txNs / txPackets;
        rx[index] = (double) rxNs / rxPackets;
    }

    /** ns per packet to copy a frame into a 2048-byte slot of one segment and out of it into another. */
    private static double copyFloor(int frameBytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(2048L * MemifPeer.BURST, 64);
            MemorySegment region = arena.allocate(2048L * 1024, 64);
            MemorySegment b = arena.allocate(2048L * MemifPeer.BURST, 64);
            double[] rounds = new double[ROUNDS];
            int slot = 0;
            for (int r = -2; r < ROUNDS; r++) {
                long packets = 0;
                long start = System.nanoTime();
                long end = start + ROUND_NS;
                while (System.nanoTime() < end) {
                    slot = copyBurst(a, region, b, frameBytes, slot);
                    packets += MemifPeer.BURST;
                }
                if (r >= 0) {
                    rounds[r] = (double) (System.nanoTime() - start) / packets;
                }
            }
            Arrays.sort(rounds);
            return rounds[ROUNDS / 2];
        }
    }

    /** A method of its own, so the JIT compiles it as it would a burst call, not as one long OSR loop. */
    private static int copyBurst(MemorySegment a, MemorySegment region, MemorySegment b, int frameBytes, int slot) {
        int s = slot;
        for (int i = 0; i < MemifPeer.BURST; i++, s = (s + 1) & 1023) {
            MemorySegment.copy(a, 2048L * i, region, 2048L * s, frameBytes);
            MemorySegment.copy(region, 2048L * s, b, 2048L * i, frameBytes);
        }
        return s;
    }

    private static long timerCost() {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 1_000_000; i++) {
            long t0 = System.nanoTime();
            long t1 = System.nanoTime();
            best = Math.min(best, t1 - t0);
        }
        return best;
    }
}
