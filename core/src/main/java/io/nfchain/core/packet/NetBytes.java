package io.nfchain.core.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Network-byte-order (big-endian) reads and writes at any alignment.
 *
 * <p>Every header view and the parser go through these, so a packet is read the same way
 * everywhere. Accesses are bounds-checked by the segment itself; the parser checks lengths
 * before it reads, so a check failing here is a bug, not bad input.
 */
public final class NetBytes {
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private NetBytes() {}

    public static int u8(MemorySegment s, long offset) {
        return s.get(ValueLayout.JAVA_BYTE, offset) & 0xFF;
    }

    public static int u16(MemorySegment s, long offset) {
        return s.get(U16, offset) & 0xFFFF;
    }

    /** An unsigned 32-bit field as the int with the same bits (compare with {@link Integer#compareUnsigned}). */
    public static int u32(MemorySegment s, long offset) {
        return s.get(U32, offset);
    }

    public static long u32AsLong(MemorySegment s, long offset) {
        return s.get(U32, offset) & 0xFFFF_FFFFL;
    }

    public static long u64(MemorySegment s, long offset) {
        return s.get(U64, offset);
    }

    /** A 48-bit MAC address as the low 48 bits of a long. */
    public static long u48(MemorySegment s, long offset) {
        return ((long) u16(s, offset) << 32) | u32AsLong(s, offset + 2);
    }

    public static void put8(MemorySegment s, long offset, int value) {
        s.set(ValueLayout.JAVA_BYTE, offset, (byte) value);
    }

    public static void put16(MemorySegment s, long offset, int value) {
        s.set(U16, offset, (short) value);
    }

    public static void put32(MemorySegment s, long offset, int value) {
        s.set(U32, offset, value);
    }

    public static void put64(MemorySegment s, long offset, long value) {
        s.set(U64, offset, value);
    }

    public static void put48(MemorySegment s, long offset, long value) {
        put16(s, offset, (int) (value >>> 32));
        put32(s, offset + 2, (int) value);
    }

    /** Formats a MAC held in the low 48 bits of a long as {@code 02:00:00:00:00:01}. */
    public static String macToString(long mac) {
        StringBuilder sb = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            int b = (int) (mac >>> shift) & 0xFF;
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xF, 16));
            if (shift != 0) {
                sb.append(':');
            }
        }
        return sb.toString();
    }

    /** Parses {@code 02:00:00:00:00:01} (or with dashes) into the low 48 bits of a long. */
    public static long parseMac(String text) {
        String[] parts = text.split("[:-]");
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address: " + text);
        }
        long mac = 0;
        for (String p : parts) {
            int b = Integer.parseInt(p, 16);
            if (p.length() > 2 || b < 0 || b > 0xFF) {
                throw new IllegalArgumentException("not a MAC address: " + text);
            }
            mac = (mac << 8) | b;
        }
        return mac;
    }
}
