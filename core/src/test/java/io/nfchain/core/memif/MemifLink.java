package io.nfchain.core.memif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.BooleanSupplier;

/** Test helpers: step both ends by hand, and frames that carry a checkable sequence number. */
final class MemifLink {
    private MemifLink() {}

    /** Steps both ends' {@code doWork()} until {@code done} holds; fails after a bounded number of steps. */
    static void pump(MemifServer server, MemifClient client, BooleanSupplier done) {
        for (int i = 0; i < 1_000; i++) {
            if (done.getAsBoolean()) {
                return;
            }
            server.doWork();
            if (client != null) {
                client.doWork();
            }
        }
        fail("condition not reached after 1000 steps");
    }

    static void connect(MemifServer server, MemifClient client) {
        client.connect();
        pump(server, client, () -> server.isConnected() && client.isConnected());
    }

    /** Fills frame {@code index} of {@code burst} with {@code length} bytes derived from {@code seq}. */
    static void putFrame(PacketBurst burst, int index, long seq, int length) {
        MemorySegment data = burst.data();
        long base = burst.offset(index);
        for (int i = 0; i < length; i++) {
            data.set(ValueLayout.JAVA_BYTE, base + i, patternByte(seq, i));
        }
        burst.setLength(index, length);
        burst.setMetadata(index, (int) seq);
    }

    /** Checks frame {@code index} is exactly what {@link #putFrame} wrote for {@code seq}. */
    static void checkFrame(PacketBurst burst, int index, long seq, int length) {
        assertEquals(length, burst.length(index), "length of frame " + seq);
        assertEquals((int) seq, burst.metadata(index), "metadata of frame " + seq);
        MemorySegment data = burst.data();
        long base = burst.offset(index);
        for (int i = 0; i < length; i++) {
            if (data.get(ValueLayout.JAVA_BYTE, base + i) != patternByte(seq, i)) {
                fail("frame " + seq + " differs at byte " + i);
            }
        }
    }

    /** A frame length from 60 to 1514 bytes that varies with {@code seq}. */
    static int lengthFor(long seq) {
        return 60 + (int) ((seq * 7919) % 1455);
    }

    private static byte patternByte(long seq, int i) {
        return (byte) (seq * 31 + i * 7 + (i >> 8));
    }
}
