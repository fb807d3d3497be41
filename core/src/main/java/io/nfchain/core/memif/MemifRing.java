package io.nfchain.core.memif;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Single producer, single consumer: one thread per side, and the two sides must agree who
 * writes head and who writes tail. A view of one memif ring (see {@link RingLayout}) in a
 * mapped region.
 *
 * <p>The writer of a cursor publishes descriptors with a release store of that cursor; the
 * reader loads it with acquire before reading the descriptors it covers. Reading one's own
 * cursor is plain. Head and tail are free-running unsigned 16-bit counters, so
 * {@code head - tail} (mod 2^16) is the number of slots between them, valid because a ring
 * holds at most 2^14 slots.
 *
 * <p>Accessors do not allocate. Descriptor accessors take a slot counter and mask it.
 */
public final class MemifRing {
    private static final VarHandle CURSOR = ValueLayout.JAVA_SHORT.varHandle();
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;
    /**
     * Descriptors are host order; the two-word accessors compose fields for a little-endian
     * host and fall back to field by field elsewhere.
     */
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private final MemorySegment ring;
    private final int size;
    private final int mask;

    /**
     * A view of the ring of {@code 2^log2RingSize} slots at {@code ringOffset} in {@code region}.
     *
     * @throws IllegalArgumentException when the ring does not fit the region or is misaligned
     */
    public MemifRing(MemorySegment region, long ringOffset, int log2RingSize) {
        RingLayout.checkLog2RingSize(log2RingSize);
        if (!RingLayout.fits(region.byteSize(), ringOffset, log2RingSize)
                || (region.address() + ringOffset) % RingLayout.ALIGNMENT_BYTES != 0) {
            throw new IllegalArgumentException("ring of 2^" + log2RingSize + " slots at " + ringOffset
                    + " does not fit an aligned " + region.byteSize() + "-byte region");
        }
        this.ring = region.asSlice(ringOffset, RingLayout.sizeBytes(log2RingSize));
        this.size = 1 << log2RingSize;
        this.mask = size - 1;
    }

    /** Slots in the ring, a power of two. */
    public int size() {
        return size;
    }

    /** Writes cookie, flags 0, head 0, tail 0: what the client does before sending ADD_RING. */
    public void initialize() {
        ring.set(U32, RingLayout.COOKIE_OFFSET, MemifProtocol.RING_COOKIE);
        ring.set(U16, RingLayout.FLAGS_OFFSET, (short) 0);
        CURSOR.setRelease(ring, RingLayout.HEAD_OFFSET, (short) 0);
        CURSOR.setRelease(ring, RingLayout.TAIL_OFFSET, (short) 0);
    }

    public int cookie() {
        return ring.get(U32, RingLayout.COOKIE_OFFSET);
    }

    /** Whether the reader masked interrupts (polls): the writer then skips the eventfd kick. */
    public boolean interruptsMasked() {
        return (ring.get(U16, RingLayout.FLAGS_OFFSET) & RingLayout.FLAG_MASK_INT) != 0;
    }

    /** Sets or clears {@link RingLayout#FLAG_MASK_INT}; called by the ring's reader only. */
    public void maskInterrupts(boolean masked) {
        ring.set(U16, RingLayout.FLAGS_OFFSET, (short) (masked ? RingLayout.FLAG_MASK_INT : 0));
    }

    /**
     * Writer, right after publishing a cursor: whether the reader wants an eventfd kick. The
     * full fence orders the cursor store before the flags load; the reader unmasks, fences,
     * then re-checks the cursor ({@link #unmaskInterruptsThenFence()}), so between the two
     * sides either the writer sees the ring unmasked or the reader sees the new cursor: a
     * blocking reader never misses a burst.
     */
    public boolean interruptWantedAfterPublish() {
        VarHandle.fullFence();
        return !interruptsMasked();
    }

    /** Reader, before blocking: clears the mask, then fences; re-check the cursor after this. */
    public void unmaskInterruptsThenFence() {
        maskInterrupts(false);
        VarHandle.fullFence();
    }

    /** Head, loaded with acquire: by the side that does not write it. */
    public int headAcquire() {
        return Short.toUnsignedInt((short) CURSOR.getAcquire(ring, RingLayout.HEAD_OFFSET));
    }

    /** Head, plain: by its writer. */
    public int headPlain() {
        return Short.toUnsignedInt(ring.get(U16, RingLayout.HEAD_OFFSET));
    }

    /** Publishes head with release: every descriptor written before is visible to the reader. */
    public void headRelease(int head) {
        CURSOR.setRelease(ring, RingLayout.HEAD_OFFSET, (short) head);
    }

    public int tailAcquire() {
        return Short.toUnsignedInt((short) CURSOR.getAcquire(ring, RingLayout.TAIL_OFFSET));
    }

    public int tailPlain() {
        return Short.toUnsignedInt(ring.get(U16, RingLayout.TAIL_OFFSET));
    }

    public void tailRelease(int tail) {
        CURSOR.setRelease(ring, RingLayout.TAIL_OFFSET, (short) tail);
    }

    /** Slots from {@code from} up to {@code to} on 16-bit counters: {@code (to - from) mod 2^16}. */
    public static int distance(int from, int to) {
        return (to - from) & 0xffff;
    }

    /**
     * Slots a producer at {@code producer} may still fill before reaching {@code consumer}:
     * {@code size - distance(consumer, producer)}; negative when a peer corrupted a cursor.
     */
    public int freeSlots(int producer, int consumer) {
        return size - distance(consumer, producer);
    }

    public int descriptorFlags(int slot) {
        return Short.toUnsignedInt(ring.get(U16, descriptor(slot) + DescriptorLayout.FLAGS_OFFSET));
    }

    public int descriptorRegion(int slot) {
        return Short.toUnsignedInt(ring.get(U16, descriptor(slot) + DescriptorLayout.REGION_OFFSET));
    }

    /** The length, unsigned 32-bit, as a long. */
    public long descriptorLength(int slot) {
        return Integer.toUnsignedLong(ring.get(U32, descriptor(slot) + DescriptorLayout.LENGTH_OFFSET));
    }

    /** The buffer offset in its region, unsigned 32-bit, as a long. */
    public long descriptorOffset(int slot) {
        return Integer.toUnsignedLong(ring.get(U32, descriptor(slot) + DescriptorLayout.OFFSET_OFFSET));
    }

    public int descriptorMetadata(int slot) {
        return ring.get(U32, descriptor(slot) + DescriptorLayout.METADATA_OFFSET);
    }

    /**
     * The descriptor's first 8 bytes in one load: flags ({@link #flags}), region
     * ({@link #region}) and length ({@link #length}). Fewer loads per slot than the field
     * accessors, and every field of one read comes from the same instant even while a hostile
     * peer rewrites the slot.
     */
    public long descriptorWord0(int slot) {
        long d = descriptor(slot);
        if (LITTLE_ENDIAN) {
            return ring.get(U64, d);
        }
        return word0(descriptorFlags(slot), descriptorRegion(slot), descriptorLength(slot));
    }

    /** The descriptor's last 8 bytes in one load: buffer offset ({@link #offset}) and metadata ({@link #metadata}). */
    public long descriptorWord1(int slot) {
        long d = descriptor(slot);
        if (LITTLE_ENDIAN) {
            return ring.get(U64, d + DescriptorLayout.OFFSET_OFFSET);
        }
        return word1(descriptorOffset(slot), descriptorMetadata(slot));
    }

    /** Flags of a {@link #descriptorWord0}. */
    public static int flags(long word0) {
        return (int) word0 & 0xFFFF;
    }

    /** Region of a {@link #descriptorWord0}. */
    public static int region(long word0) {
        return (int) (word0 >>> 16) & 0xFFFF;
    }

    /** Length of a {@link #descriptorWord0}, unsigned. */
    public static long length(long word0) {
        return word0 >>> 32;
    }

    /** Buffer offset of a {@link #descriptorWord1}, unsigned. */
    public static long offset(long word1) {
        return word1 & 0xFFFF_FFFFL;
    }

    /** Metadata of a {@link #descriptorWord1}. */
    public static int metadata(long word1) {
        return (int) (word1 >>> 32);
    }

    /** A {@link #descriptorWord0} of these fields. */
    public static long word0(int flags, int region, long length) {
        return (flags & 0xFFFFL) | (region & 0xFFFFL) << 16 | length << 32;
    }

    /** A {@link #descriptorWord1} of these fields. */
    public static long word1(long offset, int metadata) {
        return (offset & 0xFFFF_FFFFL) | (long) metadata << 32;
    }

    /** Writes all five fields of the descriptor at {@code slot}. */
    public void setDescriptor(int slot, int flags, int region, long offset, long length, int metadata) {
        long d = descriptor(slot);
        if (LITTLE_ENDIAN) {
            ring.set(U64, d, word0(flags, region, length));
            ring.set(U64, d + DescriptorLayout.OFFSET_OFFSET, word1(offset, metadata));
            return;
        }
        ring.set(U16, d + DescriptorLayout.FLAGS_OFFSET, (short) flags);
        ring.set(U16, d + DescriptorLayout.REGION_OFFSET, (short) region);
        ring.set(U32, d + DescriptorLayout.LENGTH_OFFSET, (int) length);
        ring.set(U32, d + DescriptorLayout.OFFSET_OFFSET, (int) offset);
        ring.set(U32, d + DescriptorLayout.METADATA_OFFSET, metadata);
    }

    /**
     * Writes what a producer fills in a slot whose buffer is already set: flags, length,
     * metadata; {@code region} is written back as the producer read it, so the first 8 bytes go
     * in one store. The offset is left alone.
     */
    public void setDescriptorFill(int slot, int flags, int region, long length, int metadata) {
        long d = descriptor(slot);
        if (LITTLE_ENDIAN) {
            ring.set(U64, d, word0(flags, region, length));
        } else {
            ring.set(U16, d + DescriptorLayout.FLAGS_OFFSET, (short) flags);
            ring.set(U16, d + DescriptorLayout.REGION_OFFSET, (short) region);
            ring.set(U32, d + DescriptorLayout.LENGTH_OFFSET, (int) length);
        }
        ring.set(U32, d + DescriptorLayout.METADATA_OFFSET, metadata);
    }

    /** Sets only the length (a posted buffer's capacity). */
    public void setDescriptorLength(int slot, long length) {
        ring.set(U32, descriptor(slot) + DescriptorLayout.LENGTH_OFFSET, (int) length);
    }

    private long descriptor(int slot) {
        return RingLayout.DESCRIPTORS_OFFSET + ((long) (slot & mask) << DescriptorLayout.BYTES_SHIFT);
    }
}
