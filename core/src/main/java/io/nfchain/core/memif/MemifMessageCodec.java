package io.nfchain.core.memif;

import static io.nfchain.core.memif.MemifMessageLayout.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Stateless apart from its limits, so any thread may use it. Encodes memif control messages
 * into a caller's 128-byte segment and validates received ones strictly: {@link #validate} returns a {@link MemifError}
 * reason for any malformed message and never throws for any byte content.
 *
 * <p>Fields are host byte order (memif does not convert). Accessors read unvalidated
 * segments safely too, but their values mean something only after {@link #validate}
 * returned {@link MemifError#NONE}.
 */
public final class MemifMessageCodec {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;
    /** A region is at most 4 GiB plus one buffer: offsets are 32-bit. */
    public static final long MAX_REGION_BYTES = (1L << 32) + (1 << 16);

    private final int maxRegionIndex;
    private final int maxRingIndex;

    /**
     * A codec that refuses region indexes above {@code maxRegionIndex} and ring indexes above
     * {@code maxRingIndex} (both 0 .. 65535, highest index, not count).
     */
    public MemifMessageCodec(int maxRegionIndex, int maxRingIndex) {
        if (maxRegionIndex < 0 || maxRegionIndex > 0xffff || maxRingIndex < 0 || maxRingIndex > 0xffff) {
            throw new IllegalArgumentException("indexes must be 0..65535: " + maxRegionIndex + ", " + maxRingIndex);
        }
        this.maxRegionIndex = maxRegionIndex;
        this.maxRingIndex = maxRingIndex;
    }

    /**
     * Checks a received message of {@code lengthBytes} held in {@code message}.
     *
     * @param message at least {@code min(lengthBytes, 128)} bytes
     * @return {@link MemifError#NONE} when well-formed, else the first reason found
     */
    public MemifError validate(MemorySegment message, int lengthBytes) {
        if (lengthBytes != MESSAGE_BYTES || message.byteSize() < MESSAGE_BYTES) {
            return MemifError.BAD_MESSAGE_SIZE;
        }
        return switch (type(message)) {
            case TYPE_ACK -> MemifError.NONE;
            case TYPE_HELLO -> validateHello(message);
            case TYPE_INIT -> validateInit(message);
            case TYPE_ADD_REGION -> validateAddRegion(message);
            case TYPE_ADD_RING -> validateAddRing(message);
            case TYPE_CONNECT, TYPE_CONNECTED -> terminated(message, CONNECT_IF_NAME_OFFSET, MemifProtocol.NAME_BYTES)
                    ? MemifError.NONE : MemifError.NAME_NOT_TERMINATED;
            case TYPE_DISCONNECT -> terminated(message, DISCONNECT_TEXT_OFFSET, MemifProtocol.DISCONNECT_TEXT_BYTES)
                    ? MemifError.NONE : MemifError.TEXT_NOT_TERMINATED;
            default -> MemifError.UNKNOWN_MESSAGE_TYPE;
        };
    }

    private static MemifError validateHello(MemorySegment m) {
        if (!terminated(m, HELLO_NAME_OFFSET, MemifProtocol.NAME_BYTES)) {
            return MemifError.NAME_NOT_TERMINATED;
        }
        int min = u16(m, HELLO_MIN_VERSION_OFFSET);
        int max = u16(m, HELLO_MAX_VERSION_OFFSET);
        if (min > MemifProtocol.VERSION || max < MemifProtocol.VERSION) {
            return MemifError.VERSION_MISMATCH;
        }
        if (u8(m, HELLO_MAX_LOG2_RING_SIZE_OFFSET) == 0) {
            return MemifError.RING_SIZE_OUT_OF_RANGE;
        }
        return MemifError.NONE;
    }

    private static MemifError validateInit(MemorySegment m) {
        if (u16(m, INIT_VERSION_OFFSET) != MemifProtocol.VERSION) {
            return MemifError.VERSION_MISMATCH;
        }
        if (u8(m, INIT_MODE_OFFSET) != MemifProtocol.MODE_ETHERNET) {
            return MemifError.UNSUPPORTED_MODE;
        }
        if (!terminated(m, INIT_SECRET_OFFSET, MemifProtocol.SECRET_BYTES)) {
            return MemifError.SECRET_NOT_TERMINATED;
        }
        if (!terminated(m, INIT_NAME_OFFSET, MemifProtocol.NAME_BYTES)) {
            return MemifError.NAME_NOT_TERMINATED;
        }
        return MemifError.NONE;
    }

    private MemifError validateAddRegion(MemorySegment m) {
        if (u16(m, ADD_REGION_INDEX_OFFSET) > maxRegionIndex) {
            return MemifError.REGION_INDEX_OUT_OF_RANGE;
        }
        long size = u64(m, ADD_REGION_SIZE_OFFSET);
        if (size <= 0 || size > MAX_REGION_BYTES) { // unsigned above 2^63 reads negative
            return MemifError.REGION_SIZE_OUT_OF_RANGE;
        }
        return MemifError.NONE;
    }

    private MemifError validateAddRing(MemorySegment m) {
        if ((u16(m, ADD_RING_FLAGS_OFFSET) & ~MemifProtocol.ADD_RING_FLAG_C2S) != 0) {
            return MemifError.RING_FLAGS_UNKNOWN;
        }
        if (u16(m, ADD_RING_INDEX_OFFSET) > maxRingIndex) {
            return MemifError.RING_INDEX_OUT_OF_RANGE;
        }
        if (u16(m, ADD_RING_REGION_OFFSET) > maxRegionIndex) {
            return MemifError.REGION_INDEX_OUT_OF_RANGE;
        }
        int log2 = u8(m, ADD_RING_LOG2_SIZE_OFFSET);
        if (log2 < 1 || log2 > MemifProtocol.MAX_LOG2_RING_SIZE) {
            return MemifError.RING_SIZE_OUT_OF_RANGE;
        }
        if (u16(m, ADD_RING_PRIVATE_HDR_SIZE_OFFSET) != 0) {
            return MemifError.RING_PRIVATE_HEADER_UNSUPPORTED;
        }
        return MemifError.NONE;
    }

    // ---- encoders: each zero-fills the 128 bytes first, as peers expect unused bytes to be 0

    public static void encodeAck(MemorySegment out) {
        start(out, TYPE_ACK);
    }

    /** HELLO; the maxima are highest indexes (a count minus one). */
    public static void encodeHello(MemorySegment out, String name, int maxRegionIndex, int maxC2sRingIndex,
            int maxS2cRingIndex, int maxLog2RingSize) {
        start(out, TYPE_HELLO);
        putString(out, HELLO_NAME_OFFSET, MemifProtocol.NAME_BYTES, name);
        putU16(out, HELLO_MIN_VERSION_OFFSET, MemifProtocol.VERSION);
        putU16(out, HELLO_MAX_VERSION_OFFSET, MemifProtocol.VERSION);
        putU16(out, HELLO_MAX_REGION_OFFSET, maxRegionIndex);
        putU16(out, HELLO_MAX_C2S_RING_OFFSET, maxC2sRingIndex);
        putU16(out, HELLO_MAX_S2C_RING_OFFSET, maxS2cRingIndex);
        out.set(ValueLayout.JAVA_BYTE, HELLO_MAX_LOG2_RING_SIZE_OFFSET, (byte) maxLog2RingSize);
    }

    /** INIT with version 2.0; {@code secret} may be empty (none). */
    public static void encodeInit(MemorySegment out, int id, int mode, String secret, String name) {
        start(out, TYPE_INIT);
        putU16(out, INIT_VERSION_OFFSET, MemifProtocol.VERSION);
        out.set(U32, INIT_ID_OFFSET, id);
        out.set(ValueLayout.JAVA_BYTE, INIT_MODE_OFFSET, (byte) mode);
        putString(out, INIT_SECRET_OFFSET, MemifProtocol.SECRET_BYTES, secret);
        putString(out, INIT_NAME_OFFSET, MemifProtocol.NAME_BYTES, name);
    }

    public static void encodeAddRegion(MemorySegment out, int index, long sizeBytes) {
        start(out, TYPE_ADD_REGION);
        putU16(out, ADD_REGION_INDEX_OFFSET, index);
        out.set(U64, ADD_REGION_SIZE_OFFSET, sizeBytes);
    }

    /** ADD_RING with no private header; {@code ringOffset} is an unsigned 32-bit offset. */
    public static void encodeAddRing(MemorySegment out, boolean clientToServer, int index, int region,
            long ringOffset, int log2RingSize) {
        start(out, TYPE_ADD_RING);
        putU16(out, ADD_RING_FLAGS_OFFSET, clientToServer ? MemifProtocol.ADD_RING_FLAG_C2S : 0);
        putU16(out, ADD_RING_INDEX_OFFSET, index);
        putU16(out, ADD_RING_REGION_OFFSET, region);
        out.set(U32, ADD_RING_OFFSET_OFFSET, (int) ringOffset);
        out.set(ValueLayout.JAVA_BYTE, ADD_RING_LOG2_SIZE_OFFSET, (byte) log2RingSize);
    }

    public static void encodeConnect(MemorySegment out, String interfaceName) {
        start(out, TYPE_CONNECT);
        putString(out, CONNECT_IF_NAME_OFFSET, MemifProtocol.NAME_BYTES, interfaceName);
    }

    public static void encodeConnected(MemorySegment out, String interfaceName) {
        start(out, TYPE_CONNECTED);
        putString(out, CONNECT_IF_NAME_OFFSET, MemifProtocol.NAME_BYTES, interfaceName);
    }

    /** DISCONNECT; {@code text} is cut to 95 bytes of UTF-8. */
    public static void encodeDisconnect(MemorySegment out, int code, String text) {
        start(out, TYPE_DISCONNECT);
        out.set(U32, DISCONNECT_CODE_OFFSET, code);
        putString(out, DISCONNECT_TEXT_OFFSET, MemifProtocol.DISCONNECT_TEXT_BYTES, text);
    }

    // ---- accessors

    /** The message type (unsigned 16-bit). */
    public static int type(MemorySegment m) {
        return u16(m, TYPE_OFFSET);
    }

    public static int u8(MemorySegment m, long offset) {
        return Byte.toUnsignedInt(m.get(ValueLayout.JAVA_BYTE, offset));
    }

    public static int u16(MemorySegment m, long offset) {
        return Short.toUnsignedInt(m.get(U16, offset));
    }

    /** An unsigned 32-bit field, as a long. */
    public static long u32(MemorySegment m, long offset) {
        return Integer.toUnsignedLong(m.get(U32, offset));
    }

    public static long u64(MemorySegment m, long offset) {
        return m.get(U64, offset);
    }

    /** The NUL-terminated UTF-8 text in the {@code widthBytes} field at {@code offset}. */
    public static String string(MemorySegment m, long offset, int widthBytes) {
        int length = 0;
        while (length < widthBytes && m.get(ValueLayout.JAVA_BYTE, offset + length) != 0) {
            length++;
        }
        byte[] bytes = new byte[length];
        MemorySegment.copy(m, ValueLayout.JAVA_BYTE, offset, bytes, 0, length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Whether the NUL-terminated field at {@code offset} equals {@code expected} (UTF-8,
     * compared byte for byte, in constant time over the field so a secret does not leak
     * through timing).
     */
    public static boolean fieldEquals(MemorySegment m, long offset, int widthBytes, String expected) {
        byte[] want = truncated(expected, widthBytes);
        int diff = 0;
        for (int i = 0; i < widthBytes; i++) {
            byte w = i < want.length ? want[i] : 0;
            diff |= m.get(ValueLayout.JAVA_BYTE, offset + i) ^ w;
        }
        return diff == 0;
    }

    /** Whether the field at {@code offset} holds a NUL within its {@code widthBytes}. */
    static boolean terminated(MemorySegment m, long offset, int widthBytes) {
        for (int i = 0; i < widthBytes; i++) {
            if (m.get(ValueLayout.JAVA_BYTE, offset + i) == 0) {
                return true;
            }
        }
        return false;
    }

    private static void start(MemorySegment out, int type) {
        if (out.byteSize() < MESSAGE_BYTES) {
            throw new IllegalArgumentException("message buffer must hold 128 bytes: " + out.byteSize());
        }
        out.asSlice(0, MESSAGE_BYTES).fill((byte) 0);
        putU16(out, TYPE_OFFSET, type);
    }

    private static void putU16(MemorySegment m, long offset, int value) {
        m.set(U16, offset, (short) value);
    }

    private static void putString(MemorySegment m, long offset, int widthBytes, String value) {
        byte[] bytes = truncated(value, widthBytes);
        MemorySegment.copy(bytes, 0, m, ValueLayout.JAVA_BYTE, offset, bytes.length);
    }

    /** UTF-8 bytes of {@code value}, at most {@code widthBytes - 1} so a NUL always fits. */
    private static byte[] truncated(String value, int widthBytes) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < widthBytes) {
            return bytes;
        }
        byte[] cut = new byte[widthBytes - 1];
        System.arraycopy(bytes, 0, cut, 0, cut.length);
        return cut;
    }
}
