package io.nfchain.bench.memif;

import io.nfchain.core.memif.ClientQueuePair;
import io.nfchain.core.memif.MemifClient;
import io.nfchain.core.memif.MemifRing;
import io.nfchain.core.memif.MemifServer;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.memif.RegionLayout;
import io.nfchain.core.memif.ServerQueuePair;
import io.nfchain.core.os.PollSet;
import io.nfchain.core.packet.PacketBuilder;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.IntSupplier;

/**
 * A profiling aid for {@code bench memif}, not a suite: where the time of one memif burst goes,
 * measured in one thread, so no second core, cache-line transfer or scheduler is in the way.
 *
 * <p>Each line is the median over about a million calls of one burst of 32 frames, in ns per
 * frame, with the cost of reading the clock removed. Medians, not means: on a shared machine a
 * call now and then is preempted for milliseconds. Measured: the real {@code txBurst} and
 * {@code rxBurst}; then their parts rebuilt from the public pieces ({@link MemifRing} and
 * {@code MemorySegment.copy} over a shared-arena segment, as a mapped region is): descriptor
 * writes alone, the same as two 64-bit stores, descriptor reads alone, and the frame copies
 * alone.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp bench/target/nfchain-bench-*.jar
 * io.nfchain.bench.memif.MemifPathProfile [FRAME_BYTES...]}
 */
public final class MemifPathProfile {
    private static final int BURST = MemifPeer.BURST;
    private static final int SLOTS = 1024;
    private static final int BUFFER = 2048;
    private static final int CALLS = 1 << 20;
    private static final int WARMUP_CALLS = 200_000;

    private MemifPathProfile() {}

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {64, 1500} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        long clockNs = clockCost();
        System.out.printf("reading the clock twice costs %d ns; removed from every call%n", clockNs);
        for (int frameBytes : sizes) {
            api(frameBytes, clockNs);
            parts(frameBytes, clockNs);
        }
    }

    private static void api(int frameBytes, long clockNs) throws Exception {
        Path socket = Files.createTempDirectory("memif-profile").resolve("memif.sock");
        try (MemifServer server = MemifServer.listen(MemifServer.Config.of(socket));
                MemifClient client = MemifClient.create(MemifClient.Config.of(socket));
                PacketBurst out = new PacketBurst(BURST, BUFFER);
                PacketBurst in = new PacketBurst(BURST, BUFFER)) {
            client.connect();
            for (int i = 0; i < 10_000 && !(server.isConnected() && client.isConnected()); i++) {
                server.doWork();
                client.doWork();
            }
            ClientQueuePair c = client.queuePair(0);
            ServerQueuePair s = server.queuePair(0);
            PacketBuilder frame = new PacketBuilder().ethernet(2, 1).ipv4(1, 2).udp(9, 9).padTo(frameBytes);
            for (int i = 0; i < BURST; i++) {
                out.setLength(i, frame.writeTo(out.data(), out.offset(i)));
            }
            out.setCount(BURST);
            long[] tx = new long[CALLS];
            long[] rx = new long[CALLS];
            for (int pass = 0; pass < 2; pass++) { // the first pass compiles
                int calls = pass == 0 ? WARMUP_CALLS : CALLS;
                for (int k = 0; k < calls; k++) {
                    long t0 = System.nanoTime();
                    int sent = c.txBurst(out);
                    long t1 = System.nanoTime();
                    int received = s.rxBurst(in);
                    long t2 = System.nanoTime();
                    if (sent != BURST || received != BURST) {
                        throw new IllegalStateException("burst of " + sent + " / " + received);
                    }
                    tx[k] = t1 - t0;
                    rx[k] = t2 - t1;
                }
            }
            print(frameBytes, "client txBurst (API)", tx, clockNs);
            print(frameBytes, "server rxBurst (API)", rx, clockNs);
            if (frameBytes == 64) {
                long[] serverWork = new long[100_000];
                long[] clientWork = new long[100_000];
                for (int k = 0; k < serverWork.length; k++) {
                    long t0 = System.nanoTime();
                    server.doWork();
                    long t1 = System.nanoTime();
                    client.doWork();
                    long t2 = System.nanoTime();
                    serverWork[k] = t1 - t0;
                    clientWork[k] = t2 - t1;
                }
                Arrays.sort(serverWork);
                Arrays.sort(clientWork);
                System.out.printf("idle doWork() while connected: server %.2f us, client %.2f us (medians)%n",
                        (serverWork[serverWork.length / 2] - clockNs) / 1e3, (clientWork[clientWork.length / 2] - clockNs) / 1e3);
                long[] polls = new long[100_000];
                try (PollSet sockets = new PollSet(2)) { // what doWork could ask first: is anything there?
                    sockets.add(server.listenerFd(), PollSet.POLLIN);
                    sockets.add(server.controlFd(), PollSet.POLLIN);
                    for (int k = 0; k < polls.length; k++) {
                        long t0 = System.nanoTime();
                        sockets.await(0);
                        polls[k] = System.nanoTime() - t0;
                    }
                }
                Arrays.sort(polls);
                System.out.printf("one poll(2) of the server's two sockets, timeout 0: %.2f us (median)%n",
                        (polls[polls.length / 2] - clockNs) / 1e3);
            }
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(socket.getParent());
        }
    }

    /** The parts of a burst, each timed alone over the same kind of memory. */
    private static void parts(int frameBytes, long clockNs) {
        try (Arena arena = Arena.ofShared()) {
            long ringBytes = 128 + 16L * SLOTS;
            MemorySegment region = arena.allocate(ringBytes + (long) BUFFER * SLOTS, 64);
            MemorySegment burst = arena.allocate((long) BUFFER * BURST, 64);
            MemifRing ring = new MemifRing(region, 0, 10);
            ring.initialize();
            MemorySegment descriptors = region.asSlice(128, 16L * SLOTS);
            int[] head = {0};
            long[] sink = {0};
            time(frameBytes, "descriptor writes, 5 stores each", clockNs, () -> {
                int h = head[0];
                for (int i = 0; i < BURST; i++, h++) {
                    ring.setDescriptor(h, 0, 0, ringBytes + (long) (h & (SLOTS - 1)) * BUFFER, frameBytes, i);
                }
                ring.headRelease(h & 0xffff);
                head[0] = h;
                return BURST;
            });
            time(frameBytes, "descriptor writes, 2 long stores", clockNs, () -> {
                int h = head[0];
                for (int i = 0; i < BURST; i++, h++) {
                    long d = (long) (h & (SLOTS - 1)) << 4;
                    descriptors.set(ValueLayout.JAVA_LONG, d, (long) frameBytes << 32);
                    descriptors.set(ValueLayout.JAVA_LONG, d + 8,
                            (ringBytes + (long) (h & (SLOTS - 1)) * BUFFER) | ((long) i << 32));
                }
                ring.headRelease(h & 0xffff);
                head[0] = h;
                return BURST;
            });
            time(frameBytes, "descriptor reads, 5 loads each", clockNs, () -> {
                int t = head[0];
                long acc = 0;
                for (int i = 0; i < BURST; i++, t++) {
                    acc += ring.descriptorFlags(t) + ring.descriptorRegion(t) + ring.descriptorOffset(t)
                            + ring.descriptorLength(t) + ring.descriptorMetadata(t);
                }
                ring.tailRelease(t & 0xffff);
                head[0] = t;
                sink[0] += acc;
                return BURST;
            });
            time(frameBytes, "frame copies into the ring's buffers", clockNs, () -> {
                int h = head[0];
                for (int i = 0; i < BURST; i++, h++) {
                    MemorySegment.copy(burst, (long) i * BUFFER, region, ringBytes + (long) (h & (SLOTS - 1)) * BUFFER,
                            frameBytes);
                }
                head[0] = h;
                return BURST;
            });
            if (sink[0] == 42) {
                System.out.println(); // keeps the reads alive
            }
            abTransmit(frameBytes, clockNs, region, ring, descriptors, burst);
        }
    }

    /**
     * The client's transmit loop as {@code ClientQueuePair.txBurst} writes it, rebuilt from public
     * pieces, against the same loop with a single-buffer fast path (no division, the buffer
     * offset from a base and a shift, the descriptor as two 64-bit stores), alternating so both
     * see the same machine. A consumer that takes everything at once keeps the ring empty.
     */
    private static void abTransmit(int frameBytes, long clockNs, MemorySegment region, MemifRing ring,
            MemorySegment descriptors, MemorySegment frames) {
        RegionLayout layout = new RegionLayout(1, 10, BUFFER);
        long buffersBase = 128 + 16L * SLOTS; // this harness's own region: one ring, then buffers
        int[] lengths = new int[BURST];
        int[] metadata = new int[BURST];
        Arrays.fill(lengths, frameBytes);
        int[] head = {ring.headPlain()};
        IntSupplier current = () -> {
            int h = head[0];
            int free = ring.freeSlots(h, ring.tailAcquire());
            int consumed = 0;
            for (; consumed < BURST; consumed++) {
                int length = lengths[consumed];
                int slots = (length + BUFFER - 1) / BUFFER;
                if (slots > free) {
                    break;
                }
                int meta = metadata[consumed];
                long src = (long) consumed * BUFFER;
                for (int remaining = length; remaining > 0; h++) {
                    int chunk = Math.min(remaining, BUFFER);
                    remaining -= chunk;
                    long buffer = layout.bufferOffset(true, 0, h & (SLOTS - 1)) - layout.buffersOffset() + buffersBase;
                    MemorySegment.copy(frames, src, region, buffer, chunk);
                    src += chunk;
                    ring.setDescriptor(h, remaining > 0 ? 1 : 0, 0, buffer, chunk, meta);
                }
                free -= slots;
            }
            h &= 0xffff;
            ring.headRelease(h);
            ring.interruptsMasked();
            ring.tailRelease(h); // the instant consumer
            head[0] = h;
            return consumed;
        };
        IntSupplier proposed = () -> {
            int h = head[0];
            int free = ring.freeSlots(h, ring.tailAcquire());
            int consumed = 0;
            for (; consumed < BURST && free > 0; consumed++) {
                int length = lengths[consumed];
                if (length > BUFFER) {
                    break; // chained frames would take the general path
                }
                long slot = h & (SLOTS - 1);
                long buffer = buffersBase + (slot << 11);
                MemorySegment.copy(frames, (long) consumed * BUFFER, region, buffer, length);
                long d = slot << 4;
                descriptors.set(ValueLayout.JAVA_LONG_UNALIGNED, d, (long) length << 32);
                descriptors.set(ValueLayout.JAVA_LONG_UNALIGNED, d + 8, buffer | ((long) metadata[consumed] << 32));
                h++;
                free--;
            }
            h &= 0xffff;
            ring.headRelease(h);
            ring.interruptsMasked();
            ring.tailRelease(h);
            head[0] = h;
            return consumed;
        };
        for (int round = 0; round < 3; round++) {
            time(frameBytes, "A/B " + round + ": transmit loop as today", clockNs, current);
            time(frameBytes, "A/B " + round + ": with a single-buffer fast path", clockNs, proposed);
        }
    }

    private static void time(int frameBytes, String what, long clockNs, IntSupplier burstCall) {
        long[] samples = new long[CALLS];
        for (int pass = 0; pass < 2; pass++) {
            int calls = pass == 0 ? WARMUP_CALLS : CALLS;
            for (int k = 0; k < calls; k++) {
                long t0 = System.nanoTime();
                burstCall.getAsInt();
                samples[k] = System.nanoTime() - t0;
            }
        }
        print(frameBytes, what, samples, clockNs);
    }

    private static void print(int frameBytes, String what, long[] samples, long clockNs) {
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        double median = Math.max(0, sorted[sorted.length / 2] - clockNs) / (double) BURST;
        double p10 = Math.max(0, sorted[sorted.length / 10] - clockNs) / (double) BURST;
        System.out.printf("%5d B  %-40s %6.1f ns/frame (p10 %.1f)%n", frameBytes, what, median, p10);
    }

    private static long clockCost() {
        long[] samples = new long[1_000_000];
        for (int i = 0; i < samples.length; i++) {
            long t0 = System.nanoTime();
            samples[i] = System.nanoTime() - t0;
        }
        Arrays.sort(samples);
        return samples[samples.length / 2];
    }
}
