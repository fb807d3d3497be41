package io.nfchain.core.memif;

/**
 * One memif buffer descriptor: 16 bytes, host byte order, naturally aligned.
 *
 * <pre>
 *  0           2            4              8              12             16
 *  +-----------+------------+--------------+--------------+--------------+
 *  | flags u16 | region u16 | length u32   | offset u32   | metadata u32 |
 *  +-----------+------------+--------------+--------------+--------------+
 *    bit 0 NEXT: the frame continues in the next slot
 * </pre>
 *
 * <p>{@code region}/{@code offset} locate the buffer in a region the client registered;
 * {@code length} is the bytes used (or, in a slot posted empty, the buffer's capacity).
 * nfchain carries a chain context in {@code metadata}; foreign peers ignore it.
 */
public final class DescriptorLayout {
    public static final long FLAGS_OFFSET = 0;
    public static final long REGION_OFFSET = 2;
    public static final long LENGTH_OFFSET = 4;
    public static final long OFFSET_OFFSET = 8;
    public static final long METADATA_OFFSET = 12;
    /** Bytes per descriptor. */
    public static final int BYTES = 16;
    /** log2 of {@link #BYTES}, to index descriptors with a shift. */
    public static final int BYTES_SHIFT = 4;

    /** {@code flags} bit 0: chained buffer, the frame continues in the next slot. */
    public static final int FLAG_NEXT = 1;

    private DescriptorLayout() {}
}
