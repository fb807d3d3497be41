package io.nfchain.core.memif;

import static io.nfchain.core.memif.MemifLink.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ServerQueuePair#forwardTo} and {@link ServerQueuePair#discard}: an agent with two links,
 * frames from the first link's client passed ring to ring to the second link's client. Real
 * sockets and memfds in one JVM, stepped by hand.
 */
class MemifForwardTest {
    @TempDir
    Path dir;

    private MemifServer fromServer;
    private MemifServer toServer;

    @BeforeEach
    void listen() {
        fromServer = MemifServer.listen(MemifServer.Config.of(dir.resolve("from.sock")));
        toServer = MemifServer.listen(MemifServer.Config.of(dir.resolve("to.sock")));
    }

    @AfterEach
    void stop() {
        fromServer.close();
        toServer.close();
    }

    private MemifClient client(String name, int log2Ring, int bufferBytes) {
        MemifClient client = MemifClient.create(MemifClient.Config.of(dir.resolve(name + ".sock"))
                .withRings(1, log2Ring).withBufferBytes(bufferBytes));
        connect(name.equals("from") ? fromServer : toServer, client);
        return client;
    }

    @Test
    void framesOfEveryLengthArriveIntactAndInOrderAcrossDifferentBufferSizes() {
        // 2048-byte buffers on one side, 512 on the other: frames are re-chained on the way
        Random random = new Random(7);
        try (MemifClient from = client("from", 6, 2048);
                MemifClient to = client("to", 7, 512);
                PacketBurst out = new PacketBurst(16, 9216);
                PacketBurst in = new PacketBurst(32, 9216)) {
            ClientQueuePair c = from.queuePair(0);
            ClientQueuePair d = to.queuePair(0);
            ServerQueuePair a = fromServer.queuePair(0);
            ServerQueuePair b = toServer.queuePair(0);
            long sent = 0;
            long received = 0;
            long sentBytes = 0;
            int[] lengths = new int[20_000];
            while (received < lengths.length) {
                int offer = Math.min(1 + random.nextInt(16), (int) (lengths.length - sent));
                for (int i = 0; i < offer; i++) {
                    int length = random.nextInt(8) == 0 ? 1 + random.nextInt(9000) : 60 + random.nextInt(1455);
                    lengths[(int) sent + i] = length;
                    putFrame(out, i, sent + i, length);
                }
                out.setCount(offer);
                int taken = c.txBurst(out);
                for (int i = 0; i < taken; i++) {
                    sentBytes += lengths[(int) sent + i];
                }
                sent += taken;
                a.forwardTo(b, 1 + random.nextInt(40), 9216);
                if (random.nextInt(3) > 0) { // the next function sometimes falls behind
                    int n = d.rxBurst(in, random.nextInt(33));
                    for (int i = 0; i < n; i++, received++) {
                        checkFrame(in, i, received, lengths[(int) received]);
                    }
                }
            }
            assertEquals(sent, received);
            assertEquals(sent, a.counters().rxPackets());
            assertEquals(sentBytes, a.counters().rxBytes());
            assertEquals(sent, b.counters().txPackets());
            assertEquals(sentBytes, b.counters().txBytes());
            assertEquals(0, a.counters().totalDrops() + b.counters().totalDrops()
                    + c.counters().totalDrops() + d.counters().totalDrops());
        }
    }

    @Test
    void whatTheNextRingCannotTakeStaysOnTheFirstAndComesLater() {
        try (MemifClient from = client("from", 6, 2048);
                MemifClient to = client("to", 3, 2048); // 8 posted buffers
                PacketBurst out = new PacketBurst(32, 9216);
                PacketBurst in = new PacketBurst(32, 9216)) {
            ServerQueuePair a = fromServer.queuePair(0);
            ServerQueuePair b = toServer.queuePair(0);
            for (int i = 0; i < 12; i++) {
                putFrame(out, i, i, i == 6 ? 5000 : 100); // frame 6 takes three buffers on each side
            }
            out.setCount(12);
            assertEquals(12, from.queuePair(0).txBurst(out));
            assertEquals(50, from.queuePair(0).transmitRoom());
            assertEquals(6, a.forwardTo(b, 32, 9216), "frames 0-5 fill six buffers; frame 6 needs three of the two left");
            assertEquals(2, b.transmitRoom());
            assertEquals(56, from.queuePair(0).transmitRoom(), "the six slots forwarded went back; frames 6-11 hold theirs");
            assertEquals(0, a.forwardTo(b, 32, 9216));
            assertEquals(6, to.queuePair(0).rxBurst(in));
            for (int i = 0; i < 6; i++) {
                checkFrame(in, i, i, 100);
            }
            assertEquals(6, a.forwardTo(b, 32, 9216), "frame 6 and the five after it, in eight buffers");
            assertEquals(6, to.queuePair(0).rxBurst(in));
            checkFrame(in, 0, 6, 5000);
            for (int i = 1; i < 6; i++) {
                checkFrame(in, i, 6 + i, 100);
            }
            assertEquals(64, from.queuePair(0).transmitRoom());
            assertEquals(0, a.counters().totalDrops() + b.counters().totalDrops());
        }
    }

    @Test
    void atMostMaxFramesMoveAndTooLongFramesAreDroppedOnTheSideThatCannotHoldThem() {
        try (MemifClient from = client("from", 6, 2048);
                MemifClient to = client("to", 2, 2048); // 4 buffers: 8192 bytes at most
                PacketBurst out = new PacketBurst(8, 9216);
                PacketBurst in = new PacketBurst(8, 9216)) {
            ServerQueuePair a = fromServer.queuePair(0);
            ServerQueuePair b = toServer.queuePair(0);
            putFrame(out, 0, 0, 100);
            putFrame(out, 1, 1, 9000); // more than the agent carries (4096 here)
            putFrame(out, 2, 2, 100);
            putFrame(out, 3, 3, 3000);
            out.setCount(4);
            assertEquals(4, from.queuePair(0).txBurst(out));
            assertEquals(1, a.forwardTo(b, 1, 4096));
            assertEquals(2, a.forwardTo(b, 2, 4096), "frame 1 dropped here, frames 2 and 3 passed");
            assertEquals(1, a.counters().drops(MemifDrop.FRAME_TOO_LONG));
            assertEquals(3, to.queuePair(0).rxBurst(in));
            checkFrame(in, 0, 0, 100);
            checkFrame(in, 1, 2, 100);
            checkFrame(in, 2, 3, 3000);

            putFrame(out, 0, 10, 9000); // fits the agent (9216) but never the next ring
            putFrame(out, 1, 11, 100);
            out.setCount(2);
            assertEquals(2, from.queuePair(0).txBurst(out));
            assertEquals(2, a.forwardTo(b, 32, 9216), "the first taken and dropped by the next ring, the second sent");
            assertEquals(1, b.counters().drops(MemifDrop.FRAME_TOO_LONG));
            assertEquals(1, to.queuePair(0).rxBurst(in));
            checkFrame(in, 0, 11, 100);
            assertEquals(5, a.counters().rxPackets());
            assertEquals(4, b.counters().txPackets());
        }
    }

    @Test
    void badDescriptorsOnEitherRingAreDroppedWithTheirReasonAndNeverFollowed() {
        try (MemifClient from = client("from", 4, 2048);
                MemifClient to = client("to", 4, 2048);
                PacketBurst in = new PacketBurst(8, 9216)) {
            ServerQueuePair a = fromServer.queuePair(0);
            ServerQueuePair b = toServer.queuePair(0);
            MemifRing hostile = from.queuePair(0).transmitRing();
            long fromBytes = from.layout().sizeBytes();
            long buffers = from.layout().buffersOffset();
            int head = hostile.headPlain();
            hostile.setDescriptor(head, 0, 0, fromBytes - 10, 100, 0); // runs past the end
            hostile.setDescriptor(head + 1, 0, 7, 0, 64, 0); // a region never registered
            hostile.setDescriptor(head + 2, DescriptorLayout.FLAG_NEXT, 0, buffers, 64, 5); // a chain whose
            hostile.setDescriptor(head + 3, 0, 0, 0xffff_fff0L, 64, 5); // second slot is outside
            hostile.setDescriptor(head + 4, 0, 0, buffers, 0, 0); // empty
            hostile.setDescriptor(head + 5, 0, 0, buffers + 64, 100, 42); // good
            hostile.headRelease(head + 6);

            MemifRing posted = to.queuePair(0).receiveRing(); // the next client posted a bad buffer first
            int tail = b.transmitRing().tailPlain();
            posted.setDescriptor(tail, 0, 0, to.layout().sizeBytes(), 2048, 0);

            assertEquals(1, a.forwardTo(b, 32, 9216));
            assertEquals(2, a.counters().drops(MemifDrop.DESCRIPTOR_OUTSIDE_REGION));
            assertEquals(1, a.counters().drops(MemifDrop.DESCRIPTOR_REGION_UNKNOWN));
            assertEquals(1, a.counters().drops(MemifDrop.FRAME_EMPTY));
            assertEquals(1, b.counters().drops(MemifDrop.DESCRIPTOR_OUTSIDE_REGION));
            assertEquals(1, to.queuePair(0).rxBurst(in), "the good frame, in the buffer after the bad one");
            assertEquals(100, in.length(0));
            assertEquals(42, in.metadata(0));

            hostile.headRelease((head + 6 + 100) & 0xffff); // a cursor beyond the ring
            assertEquals(0, a.forwardTo(b, 32, 9216));
            assertEquals(1, a.counters().drops(MemifDrop.RING_CURSOR_INVALID));
        }
    }

    @Test
    void aChainOfOddSegmentsIsRepackedIntoWholeBuffersOfTheNextRing() {
        // a peer may chain partly filled buffers (DPDK mbuf chains do); 700 + 700 + 700 + 5 bytes
        // land in 1024-byte buffers as 1024 + 1024 + 57
        try (MemifClient from = client("from", 4, 2048);
                MemifClient to = client("to", 4, 1024);
                PacketBurst in = new PacketBurst(2, 4096);
                PacketBurst expected = new PacketBurst(1, 4096)) {
            ServerQueuePair a = fromServer.queuePair(0);
            ServerQueuePair b = toServer.queuePair(0);
            putFrame(expected, 0, 77, 2105);
            MemorySegment region = from.queuePair(0).regionForTest();
            MemifRing hostile = from.queuePair(0).transmitRing();
            int head = hostile.headPlain();
            long buffers = from.layout().buffersOffset();
            int[] segments = {700, 700, 700, 5};
            long done = 0;
            for (int k = 0; k < segments.length; k++) {
                long at = buffers + 2048L * k + 13; // not at the buffer's start either
                MemorySegment.copy(expected.data(), expected.offset(0) + done, region, at, segments[k]);
                hostile.setDescriptor(head + k, k < segments.length - 1 ? DescriptorLayout.FLAG_NEXT : 0, 0, at,
                        segments[k], 77);
                done += segments[k];
            }
            hostile.headRelease(head + segments.length);
            assertEquals(1, a.forwardTo(b, 32, 9216));
            assertEquals(3, 16 - b.transmitRoom(), "three buffers of the next ring");
            assertEquals(1, to.queuePair(0).rxBurst(in));
            checkFrame(in, 0, 77, 2105);
            assertEquals(0, a.counters().totalDrops() + b.counters().totalDrops());
        }
    }

    /**
     * Differential fuzz: random descriptors (bad regions, offsets and lengths past a region's end,
     * empty, over-long and unfinished chains) written alike to two links; one is forwarded ring to
     * ring, the other received as before (or, every third round, discarded as for a sink). Both
     * must take the same frames, byte for byte, and drop the rest for the same reasons; nothing
     * may throw.
     */
    @Test
    void randomDescriptorsAreTakenAndDroppedExactlyAsTheReceivePathDoes() {
        MemifServer refServer = MemifServer.listen(MemifServer.Config.of(dir.resolve("ref.sock")));
        Random random = new Random(0x5EED);
        try (refServer;
                MemifClient from = client("from", 5, 2048);
                MemifClient to = client("to", 10, 2048);
                MemifClient ref = MemifClient.create(MemifClient.Config.of(dir.resolve("ref.sock")).withRings(1, 5)
                        .withBufferBytes(2048));
                PacketBurst forwarded = new PacketBurst(32, 4096);
                PacketBurst received = new PacketBurst(32, 4096)) {
            connect(refServer, ref);
            ServerQueuePair a = fromServer.queuePair(0);
            ServerQueuePair b = toServer.queuePair(0);
            ServerQueuePair r = refServer.queuePair(0);
            MemorySegment[] regions = {from.queuePair(0).regionForTest(), ref.queuePair(0).regionForTest()};
            MemifRing[] rings = {from.queuePair(0).transmitRing(), ref.queuePair(0).transmitRing()};
            long regionBytes = from.layout().sizeBytes();
            long buffers = from.layout().buffersOffset();
            for (MemorySegment region : regions) {
                for (long at = buffers; at < regionBytes; at++) {
                    region.set(java.lang.foreign.ValueLayout.JAVA_BYTE, at, (byte) (at * 131 >>> 3));
                }
            }
            long frames = 0;
            for (int round = 0; round < 3_000; round++) {
                int head = rings[0].headPlain();
                int free = rings[0].size() - MemifRing.distance(rings[0].tailAcquire(), head);
                int slots = Math.min(free, 1 + random.nextInt(8));
                for (int k = 0; k < slots; k++) {
                    int flags = random.nextInt(4) == 0 ? DescriptorLayout.FLAG_NEXT : 0;
                    int region = random.nextInt(12) == 0 ? 1 + random.nextInt(3) : 0;
                    long offset = switch (random.nextInt(6)) {
                        case 0 -> regionBytes - random.nextInt(3000);
                        case 1 -> random.nextLong() & 0xFFFF_FFFFL;
                        default -> buffers + random.nextInt((int) (regionBytes - buffers - 4096));
                    };
                    long length = switch (random.nextInt(8)) {
                        case 0 -> 0;
                        case 1 -> random.nextLong() & 0xFFFF_FFFFL;
                        case 2 -> 2048 + random.nextInt(4096);
                        default -> 1 + random.nextInt(1500);
                    };
                    int metadata = random.nextInt();
                    for (MemifRing ring : rings) {
                        ring.setDescriptor(head + k, flags, region, offset, length, metadata);
                    }
                }
                for (MemifRing ring : rings) {
                    ring.headRelease((head + slots) & 0xffff);
                }
                int max = 1 + random.nextInt(32);
                int taken = a.forwardTo(b, max, 4096);
                assertEquals(taken, to.queuePair(0).rxBurst(forwarded));
                if (round % 3 == 2) { // a sink's discard must take what a receive takes, too
                    assertEquals(r.discard(max, 4096), taken, "round " + round);
                    frames += taken;
                    continue;
                }
                assertEquals(r.rxBurst(received, max), taken, "round " + round);
                for (int i = 0; i < taken; i++, frames++) {
                    assertEquals(received.length(i), forwarded.length(i), "frame " + frames);
                    assertEquals(received.metadata(i), forwarded.metadata(i), "frame " + frames);
                    assertEquals(-1, forwarded.data().asSlice(forwarded.offset(i), forwarded.length(i))
                            .mismatch(received.data().asSlice(received.offset(i), received.length(i))), "frame " + frames);
                }
            }
            assertTrue(frames > 1_000, "the fuzz passed good frames too: " + frames);
            for (MemifDrop reason : MemifDrop.values()) {
                assertEquals(r.counters().drops(reason), a.counters().drops(reason), reason.name());
            }
            assertTrue(a.counters().totalDrops() > 1_000, "and dropped bad ones: " + a.counters().totalDrops());
            assertEquals(r.counters().rxBytes(), a.counters().rxBytes());
            assertEquals(0, b.counters().totalDrops());
        }
    }

    @Test
    void discardTakesFramesWithoutCopyingAndCountsThemAsReceived() {
        try (MemifClient from = client("from", 6, 2048);
                PacketBurst out = new PacketBurst(8, 9216)) {
            ServerQueuePair a = fromServer.queuePair(0);
            putFrame(out, 0, 0, 100);
            putFrame(out, 1, 1, 5000);
            putFrame(out, 2, 2, 60);
            out.setCount(3);
            assertEquals(3, from.queuePair(0).txBurst(out));
            assertEquals(2, a.discard(2, 9216));
            assertEquals(1, a.discard(32, 9216));
            assertEquals(0, a.discard(32, 9216));
            assertEquals(3, a.counters().rxPackets());
            assertEquals(5160, a.counters().rxBytes());
            assertEquals(64, from.queuePair(0).transmitRoom(), "every slot back with the client");

            MemifRing hostile = from.queuePair(0).transmitRing();
            int head = hostile.headPlain();
            hostile.setDescriptor(head, 0, 3, 0, 64, 0);
            hostile.setDescriptor(head + 1, 0, 0, from.layout().buffersOffset(), 64, 0);
            hostile.headRelease(head + 2);
            assertEquals(1, a.discard(32, 9216));
            assertEquals(1, a.counters().drops(MemifDrop.DESCRIPTOR_REGION_UNKNOWN));
            assertEquals(5224, a.counters().rxBytes());
        }
    }
}
