package io.nfchain.core.memif;

/**
 * A memif ring in shared memory: a two-cache-line header, then {@code 2^log2} descriptors.
 * Host byte order; the ring starts on a 64-byte boundary in DPDK's layout.
 *
 * <pre>
 *  0        4         6        8                     64        66                   128
 *  +--------+---------+--------+---------------------+---------+--------------------+
 *  | cookie | flags   | head   | (pad to line end)   | tail    | (pad to line end)  |
 *  | u32    | u16     | u16    |                     | u16     |                    |
 *  +--------+---------+--------+---------------------+---------+--------------------+
 *  128                                                      128 + 16 * 2^log2
 *  +-------------------+-------------------+-----+------------------------+
 *  | descriptor 0 (16) | descriptor 1 (16) | ... | descriptor 2^log2 - 1  |
 *  +-------------------+-------------------+-----+------------------------+
 *
 *  cookie  0x3E31F20
 *  flags   bit 0 MASK_INT: the reader polls; the writer need not kick the eventfd
 *  head    advanced by the client (C2S: frames produced; S2C: empty buffers posted)
 *  tail    advanced by the server (C2S: slots returned;  S2C: frames produced)
 * </pre>
 *
 * <p>Head and tail are free-running 16-bit counters; a slot is {@code counter & (size - 1)}.
 * They sit on separate cache lines so producer and consumer never share one.
 */
public final class RingLayout {
    public static final long COOKIE_OFFSET = 0;
    public static final long FLAGS_OFFSET = 4;
    public static final long HEAD_OFFSET = 6;
    public static final long TAIL_OFFSET = 64;
    public static final long DESCRIPTORS_OFFSET = 128;
    /** Header bytes before descriptor 0: two 64-byte cache lines. */
    public static final int HEADER_BYTES = 128;
    /** Ring flag bit 0: interrupts masked, the reader is polling. */
    public static final int FLAG_MASK_INT = 1;
    /** A ring must start at a multiple of this, so head and tail can be accessed atomically. */
    public static final int ALIGNMENT_BYTES = 8;

    private RingLayout() {}

    /**
     * Bytes of a ring of {@code 2^log2RingSize} slots, header included.
     *
     * @param log2RingSize 0 .. {@link MemifProtocol#MAX_LOG2_RING_SIZE}
     */
    public static long sizeBytes(int log2RingSize) {
        checkLog2RingSize(log2RingSize);
        return HEADER_BYTES + ((long) DescriptorLayout.BYTES << log2RingSize);
    }

    /** Offset of descriptor {@code slot} from the start of the ring. */
    public static long descriptorOffset(int slot) {
        return DESCRIPTORS_OFFSET + ((long) slot << DescriptorLayout.BYTES_SHIFT);
    }

    /**
     * Whether a ring of {@code 2^log2RingSize} slots at {@code ringOffset} lies wholly
     * inside a region of {@code regionBytes} and is aligned for atomic head/tail access.
     */
    public static boolean fits(long regionBytes, long ringOffset, int log2RingSize) {
        return log2RingSize >= 0 && log2RingSize <= MemifProtocol.MAX_LOG2_RING_SIZE
                && ringOffset >= 0 && ringOffset % ALIGNMENT_BYTES == 0
                && ringOffset <= regionBytes - sizeBytes(log2RingSize);
    }

    static void checkLog2RingSize(int log2RingSize) {
        if (log2RingSize < 0 || log2RingSize > MemifProtocol.MAX_LOG2_RING_SIZE) {
            throw new IllegalArgumentException(
                    "log2RingSize must be 0.." + MemifProtocol.MAX_LOG2_RING_SIZE + ": " + log2RingSize);
        }
    }
}
