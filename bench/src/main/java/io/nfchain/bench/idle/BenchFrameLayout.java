package io.nfchain.bench.idle;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Stateless. The idle bench's 64-byte frame: an Ethernet header with the IEEE local
 * experimental EtherType, then the sender's sequence number and its {@code System.nanoTime()}
 * at send (CLOCK_MONOTONIC, which every process on one host shares), both little-endian.
 *
 * <pre>
 *  0                   6                  12      14               22               30        64
 *  +-------------------+-------------------+-------+----------------+----------------+---------+
 *  | destination MAC   | source MAC        | 88 b5 | sequence (u64) | sent at (ns)   | zeros   |
 *  +-------------------+-------------------+-------+----------------+----------------+---------+
 * </pre>
 */
public final class BenchFrameLayout {
    public static final int FRAME_BYTES = 64;
    public static final int ETHERTYPE_OFFSET = 12;
    public static final short ETHERTYPE_LOCAL_EXPERIMENTAL = (short) 0x88b5;
    public static final int SEQUENCE_OFFSET = 14;
    public static final int SENT_NS_OFFSET = 22;
    /** The shortest frame that carries both fields. */
    public static final int MIN_BYTES = SENT_NS_OFFSET + Long.BYTES;

    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    private static final byte[] DESTINATION = {0x02, 0, 0, 0, 0, 0x02};
    private static final byte[] SOURCE = {0x02, 0, 0, 0, 0, 0x01};

    private BenchFrameLayout() {}

    /** Writes the constant part of a frame (zeros, addresses, EtherType) at {@code offset}. */
    public static void writeHeader(MemorySegment segment, long offset) {
        segment.asSlice(offset, FRAME_BYTES).fill((byte) 0);
        MemorySegment.copy(DESTINATION, 0, segment, ValueLayout.JAVA_BYTE, offset, DESTINATION.length);
        MemorySegment.copy(SOURCE, 0, segment, ValueLayout.JAVA_BYTE, offset + 6, SOURCE.length);
        segment.set(SHORT, offset + ETHERTYPE_OFFSET, ETHERTYPE_LOCAL_EXPERIMENTAL);
    }

    public static void writeSequence(MemorySegment segment, long offset, long sequence) {
        segment.set(LONG, offset + SEQUENCE_OFFSET, sequence);
    }

    public static void writeSentNs(MemorySegment segment, long offset, long sentNs) {
        segment.set(LONG, offset + SENT_NS_OFFSET, sentNs);
    }

    public static long sequence(MemorySegment segment, long offset) {
        return segment.get(LONG, offset + SEQUENCE_OFFSET);
    }

    public static long sentNs(MemorySegment segment, long offset) {
        return segment.get(LONG, offset + SENT_NS_OFFSET);
    }

    public static short etherType(MemorySegment segment, long offset) {
        return segment.get(SHORT, offset + ETHERTYPE_OFFSET);
    }
}
