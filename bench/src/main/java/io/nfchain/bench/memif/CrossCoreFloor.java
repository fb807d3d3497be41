package io.nfchain.bench.memif;

import io.nfchain.core.os.CpuAffinity;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A profiling aid for {@code bench memif}, not a suite: the fastest a frame can cross from one
 * core to the other here when every byte is copied, as memif's copy mode does twice. Two threads,
 * pinned to cores 1 and 0, pass frames through a ring of 1024 buffers of 2048 bytes in one shared
 * segment: the sender copies each frame in, publishes a 64-bit head with a release store; the
 * receiver copies each frame out, publishes the tail. No descriptors, checks or protocol: what is
 * left is the copying and the cache lines moving between the cores.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp bench/target/nfchain-bench-*.jar
 * io.nfchain.bench.memif.CrossCoreFloor [FRAME_BYTES...]}
 */
public final class CrossCoreFloor {
    private static final VarHandle CURSOR = ValueLayout.JAVA_LONG.varHandle();
    private static final int SLOTS = 1024;
    private static final int BUFFER = 2048;
    private static final int BURST = MemifPeer.BURST;
    private static final long HEAD = 0;
    private static final long TAIL = 128; // its own cache line, as memif's tail
    private static final long BUFFERS = 256;
    private static final long WARMUP_NS = 2_000_000_000L;
    private static final long MEASURE_NS = 4_000_000_000L;

    private CrossCoreFloor() {}

    public static void main(String[] args) throws InterruptedException {
        int[] sizes = args.length == 0 ? new int[] {64, 1500} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        for (int frameBytes : sizes) {
            System.out.printf("%5d B: %.2f Mpps through a ring between cores 1 and 0, copied in and out%n", frameBytes,
                    run(frameBytes));
        }
    }

    private static double run(int frameBytes) throws InterruptedException {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment region = arena.allocate(BUFFERS + (long) BUFFER * SLOTS, 4096);
            MemorySegment in = arena.allocate((long) BUFFER * BURST, 64);
            MemorySegment out = arena.allocate((long) BUFFER * BURST, 64);
            long end = System.nanoTime() + WARMUP_NS + MEASURE_NS + 500_000_000L;
            double[] mpps = new double[1];
            Thread sender = Thread.ofPlatform().start(() -> {
                CpuAffinity.pin(1);
                long head = 0;
                while (System.nanoTime() < end) {
                    head = send(region, in, head, frameBytes);
                }
            });
            Thread receiver = Thread.ofPlatform().start(() -> {
                CpuAffinity.pin(0);
                long tail = 0;
                long start = System.nanoTime() + WARMUP_NS;
                while (System.nanoTime() < start) {
                    tail = receive(region, out, tail, frameBytes);
                }
                long from = tail;
                long stop = start + MEASURE_NS;
                while (System.nanoTime() < stop) {
                    tail = receive(region, out, tail, frameBytes);
                }
                mpps[0] = (tail - from) / (MEASURE_NS / 1e3);
            });
            sender.join();
            receiver.join();
            return mpps[0];
        }
    }

    private static long send(MemorySegment region, MemorySegment frames, long head, int frameBytes) {
        long free = SLOTS - (head - (long) CURSOR.getAcquire(region, TAIL));
        int n = (int) Math.min(BURST, free);
        for (int i = 0; i < n; i++) {
            MemorySegment.copy(frames, (long) i * BUFFER, region, BUFFERS + ((head + i) & (SLOTS - 1)) * BUFFER, frameBytes);
        }
        CURSOR.setRelease(region, HEAD, head + n);
        return head + n;
    }

    private static long receive(MemorySegment region, MemorySegment frames, long tail, int frameBytes) {
        int n = (int) Math.min(BURST, (long) CURSOR.getAcquire(region, HEAD) - tail);
        for (int i = 0; i < n; i++) {
            MemorySegment.copy(region, BUFFERS + ((tail + i) & (SLOTS - 1)) * BUFFER, frames, (long) i * BUFFER, frameBytes);
        }
        CURSOR.setRelease(region, TAIL, tail + n);
        return tail + n;
    }
}
