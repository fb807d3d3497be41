package io.nfchain.core.memif;

import static io.nfchain.core.memif.MemifLink.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ClientQueuePair#rxBurstInPlace}: frames lent where the server wrote them, handed back
 * on the same ring without a copy, buffers moving between the rings. Real sockets and memfds in
 * one JVM, stepped by hand.
 */
class MemifInPlaceTest {
    private static final int HEADROOM = 128;

    @TempDir
    Path dir;

    private MemifServer server;
    private MemifServer otherServer;

    @BeforeEach
    void listen() {
        server = MemifServer.listen(MemifServer.Config.of(dir.resolve("a.sock")));
        otherServer = MemifServer.listen(MemifServer.Config.of(dir.resolve("b.sock")));
    }

    @AfterEach
    void stop() {
        server.close();
        otherServer.close();
    }

    private MemifClient client(MemifServer to, String socket, int log2Ring, boolean inPlace, int spares) {
        MemifClient.Config config = MemifClient.Config.of(dir.resolve(socket)).withRings(1, log2Ring)
                .withBufferBytes(2048);
        MemifClient client = MemifClient.create(inPlace ? config.withInPlace(HEADROOM, spares) : config);
        connect(to, client);
        return client;
    }

    /**
     * A function's round, many times over with random choices: receive in place, drop some
     * frames, send some back on the same link (no copy: the C2S descriptor points where the
     * server wrote the frame), some out of another link (copied), add new frames in spare
     * buffers, sometimes find the ring full; the servers sometimes fall behind. Jumbo frames come
     * chained and take the copy path. Every frame sent must arrive intact and in order, and after
     * every round each of the queue's buffers must be in exactly one place.
     */
    @Test
    void framesGoBackWithoutACopyArriveIntactAndNoBufferIsEverInTwoPlaces() {
        Random random = new Random(11);
        try (MemifClient fn = client(server, "a.sock", 6, true, 8);
                MemifClient out = client(otherServer, "b.sock", 6, false, 0);
                PacketBurst toFn = new PacketBurst(16, 9216);
                PacketBurst in = new PacketBurst(8, 9216, HEADROOM);
                PacketBurst back = new PacketBurst(32, 9216);
                PacketBurst other = new PacketBurst(32, 9216)) {
            ClientQueuePair c = fn.queuePair(0);
            ServerQueuePair a = server.queuePair(0);
            ServerQueuePair b = otherServer.queuePair(0);
            long[] buffers = sorted(c.buffersForTest());
            assertEquals(64 + 64 + 8, Arrays.stream(buffers).distinct().count());
            ArrayDeque<long[]> atServer = new ArrayDeque<>(); // {seq, length} in order sent
            ArrayDeque<long[]> expectedBack = new ArrayDeque<>();
            ArrayDeque<long[]> expectedOther = new ArrayDeque<>();
            long sent = 0;
            long added = 1_000_000;
            long lent = 0;
            long zeroCopy = 0;
            int[] toA = new int[16];
            int[] toB = new int[16];
            for (int round = 0; round < 20_000; round++) {
                sent = serverSends(a, toFn, atServer, sent, random);
                int n = c.rxBurstInPlace(in, 1 + random.nextInt(8));
                if (in.lender() == c) {
                    lent += n;
                    assertEquals(in.data().address(), c.regionForTest().address(), "lent frames are in the region");
                }
                int backCount = 0;
                int otherCount = 0;
                for (int i = 0; i < n; i++) {
                    long[] expected = atServer.remove();
                    checkFrame(in, i, expected[0], (int) expected[1]);
                    switch (random.nextInt(4)) {
                        case 0 -> { } // dropped
                        case 1 -> toB[otherCount++] = i;
                        default -> toA[backCount++] = i;
                    }
                }
                if (n > 0 && n < in.capacity() && random.nextInt(3) == 0 && in.hasBuffer(n)) { // the function adds a frame
                    putFrame(in, n, added++, 60 + random.nextInt(1000));
                    in.setCount(n + 1);
                    toA[backCount++] = n;
                }
                // the server fills whatever is posted while the function works: never a lent buffer
                sent = serverSends(a, toFn, atServer, sent, random);
                int head = c.transmitRing().headPlain();
                int sentBack = c.txBurst(in, toA, backCount);
                for (int j = 0; j < sentBack; j++) {
                    int frame = toA[j];
                    expectedBack.add(new long[] {in.metadata(frame), in.length(frame)});
                    if (in.lender() == c) { // every frame of a lent burst takes one slot
                        assertEquals(in.offset(frame), c.transmitRing().descriptorOffset(head + j),
                                "a lent frame goes back from where it is");
                        zeroCopy++;
                    }
                }
                int sentOther = out.queuePair(0).txBurst(in, toB, otherCount);
                for (int j = 0; j < sentOther; j++) {
                    expectedOther.add(new long[] {in.metadata(toB[j]), in.length(toB[j])});
                }
                c.releaseReceived();
                assertArrayEquals(buffers, sorted(c.buffersForTest()), "round " + round);

                if (random.nextInt(3) > 0) {
                    drainAndCheck(a, back, expectedBack, random.nextInt(33));
                }
                if (random.nextInt(3) > 0) {
                    drainAndCheck(b, other, expectedOther, random.nextInt(33));
                }
            }
            while (!atServer.isEmpty()) { // what is still on the ring arrives too
                int n = c.rxBurstInPlace(in, 8);
                for (int i = 0; i < n; i++) {
                    long[] expected = atServer.remove();
                    checkFrame(in, i, expected[0], (int) expected[1]);
                }
                c.releaseReceived();
            }
            drainAndCheck(a, back, expectedBack, 64);
            drainAndCheck(b, other, expectedOther, 64);
            assertTrue(expectedBack.isEmpty() && expectedOther.isEmpty());
            assertTrue(lent > 10_000, "most frames were lent: " + lent);
            assertTrue(zeroCopy > 5_000, "and many went back without a copy: " + zeroCopy);
            assertTrue(c.counters().rxPackets() - lent > 1_000, "jumbo frames were copied: " + (c.counters().rxPackets() - lent));
            assertEquals(0, a.counters().totalDrops() + b.counters().totalDrops() + c.counters().totalDrops());
        }
    }

    private static long serverSends(ServerQueuePair server, PacketBurst burst, ArrayDeque<long[]> atServer, long sent,
            Random random) {
        int offer = random.nextInt(5);
        for (int i = 0; i < offer; i++) {
            int length = random.nextInt(12) == 0 ? 2000 + random.nextInt(3000) : 60 + random.nextInt(1455);
            putFrame(burst, i, sent + i, length);
        }
        burst.setCount(offer);
        int taken = server.txBurst(burst);
        for (int i = 0; i < taken; i++) {
            atServer.add(new long[] {sent + i, burst.length(i)});
        }
        return sent + taken;
    }

    private static void drainAndCheck(ServerQueuePair server, PacketBurst burst, ArrayDeque<long[]> expected, int max) {
        int n = server.rxBurst(burst, max);
        for (int i = 0; i < n; i++) {
            long[] e = expected.remove();
            checkFrame(burst, i, e[0], (int) e[1]);
        }
    }

    /**
     * Differential fuzz: two clients with the same layout and the same posted buffers; random
     * S2C descriptors (kept as posted, rewritten offsets, other regions, empty, over-long,
     * chained, unfinished chains) written alike to both. One receives in place, the other by
     * copy: both must take the same frames byte for byte and drop the rest for the same reasons.
     */
    @Test
    void hostileDescriptorsAreTakenAndDroppedExactlyAsTheCopyPathDoes() {
        Random random = new Random(0xF00D);
        try (MemifClient x = client(server, "a.sock", 5, true, 4);
                MemifClient y = client(otherServer, "b.sock", 5, true, 4);
                PacketBurst lentBurst = new PacketBurst(32, 4096, HEADROOM);
                PacketBurst copied = new PacketBurst(32, 4096, HEADROOM)) {
            ClientQueuePair inPlace = x.queuePair(0);
            ClientQueuePair copy = y.queuePair(0);
            MemorySegment[] regions = {inPlace.regionForTest(), copy.regionForTest()};
            MemifRing[] rings = {inPlace.receiveRing(), copy.receiveRing()};
            long regionBytes = x.layout().sizeBytes();
            for (MemorySegment region : regions) {
                for (long at = x.layout().buffersOffset(); at < regionBytes; at++) {
                    region.set(ValueLayout.JAVA_BYTE, at, (byte) (at * 131 >>> 3));
                }
            }
            List<byte[]> fromLent = new ArrayList<>();
            List<byte[]> fromCopy = new ArrayList<>();
            long lent = 0;
            for (int round = 0; round < 5_000; round++) {
                int tail = rings[0].tailPlain();
                int posted = MemifRing.distance(tail, rings[0].headPlain());
                int slots = posted == 0 ? 0 : random.nextInt(Math.min(posted, 12) + 1);
                for (int k = 0; k < slots; k++) {
                    int slot = tail + k;
                    long postedOffset = rings[0].descriptorOffset(slot);
                    assertEquals(postedOffset, rings[1].descriptorOffset(slot), "both posted alike");
                    int flags = random.nextInt(10) == 0 ? DescriptorLayout.FLAG_NEXT : 0;
                    int region = random.nextInt(30) == 0 ? 1 + random.nextInt(3) : 0;
                    long offset = switch (random.nextInt(12)) {
                        case 0 -> random.nextLong() & 0xFFFF_FFFFL;
                        case 1 -> x.layout().buffersOffset() + random.nextInt(4096);
                        case 2 -> postedOffset + 64;
                        default -> postedOffset;
                    };
                    long length = switch (random.nextInt(12)) {
                        case 0 -> 0;
                        case 1 -> 1920 + random.nextInt(3000);
                        case 2 -> random.nextLong() & 0xFFFF_FFFFL;
                        default -> 1 + random.nextInt(1920);
                    };
                    int metadata = random.nextInt();
                    for (MemifRing ring : rings) {
                        ring.setDescriptor(slot, flags, region, offset, length, metadata);
                    }
                }
                int newTail = random.nextInt(400) == 0 ? tail + posted + 5 : tail + slots; // rarely, a tail past what was posted
                for (MemifRing ring : rings) {
                    ring.tailRelease(newTail & 0xffff);
                }
                int max = 1 + random.nextInt(32);
                for (int call = 0; call < 40; call++) {
                    int n = inPlace.rxBurstInPlace(lentBurst, max);
                    if (lentBurst.lender() == inPlace) {
                        lent += n;
                    }
                    collect(lentBurst, n, fromLent);
                    inPlace.releaseReceived();
                    int m = copy.rxBurst(copied, max);
                    collect(copied, m, fromCopy);
                    if (n == 0 && m == 0) {
                        break;
                    }
                }
                assertEquals(fromCopy.size(), fromLent.size(), "round " + round);
                if (newTail != tail + slots) { // the bad tail is counted; a server that did this is disconnected in practice
                    for (MemifRing ring : rings) {
                        ring.tailRelease((tail + slots) & 0xffff);
                    }
                }
            }
            for (int i = 0; i < fromCopy.size(); i++) {
                assertArrayEquals(fromCopy.get(i), fromLent.get(i), "frame " + i);
            }
            assertTrue(fromCopy.size() > 10_000, "good frames: " + fromCopy.size());
            assertTrue(lent > 2_000, "many were lent (the rest of a burst after a bad descriptor is copied): " + lent);
            for (MemifDrop reason : MemifDrop.values()) {
                assertEquals(copy.counters().drops(reason), inPlace.counters().drops(reason), reason.name());
            }
            assertTrue(inPlace.counters().totalDrops() > 1_000, "bad ones dropped: " + inPlace.counters().totalDrops());
            assertEquals(copy.counters().rxBytes(), inPlace.counters().rxBytes());
        }
    }

    private static void collect(PacketBurst burst, int n, List<byte[]> into) {
        for (int i = 0; i < n; i++) {
            byte[] frame = new byte[burst.length(i) + 4];
            MemorySegment.copy(burst.data(), ValueLayout.JAVA_BYTE, burst.offset(i), frame, 4, burst.length(i));
            MemorySegment.ofArray(frame).set(ValueLayout.JAVA_INT_UNALIGNED, 0, burst.metadata(i));
            into.add(frame);
        }
    }

    @Test
    void receivingAgainBeforeReleasingIsRefusedAndSparesRunOut() {
        try (MemifClient fn = client(server, "a.sock", 4, true, 2);
                PacketBurst toFn = new PacketBurst(4, 2048);
                PacketBurst in = new PacketBurst(8, 9216, HEADROOM)) {
            ClientQueuePair c = fn.queuePair(0);
            for (int i = 0; i < 3; i++) {
                putFrame(toFn, i, i, 100);
            }
            toFn.setCount(3);
            assertEquals(3, server.queuePair(0).txBurst(toFn));
            assertEquals(2, c.rxBurstInPlace(in, 2));
            assertThrows(IllegalStateException.class, () -> c.rxBurstInPlace(in, 2));
            assertThrows(IllegalStateException.class, () -> c.rxBurst(in, 2));
            assertTrue(in.hasBuffer(2) && in.hasBuffer(3), "two spares");
            assertFalse(in.hasBuffer(4), "and no more");
            assertEquals(1920, in.frameBytes(), "a lent frame may grow to its buffer's end");
            assertTrue(in.prepend(0, HEADROOM) && !in.prepend(0, 1), "and down to its start");
            assertThrows(IllegalArgumentException.class, () -> in.setLength(1, 1921));
            c.releaseReceived();
            assertEquals(1, c.rxBurstInPlace(in, 8));
            checkFrame(in, 0, 2, 100);
            c.releaseReceived();
            assertEquals(0, c.counters().totalDrops());
        }
    }

    private static long[] sorted(long[] values) {
        long[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }
}
