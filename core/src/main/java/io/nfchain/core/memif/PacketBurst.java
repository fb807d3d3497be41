package io.nfchain.core.memif;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Not thread-safe: owned by one worker. A reusable burst of up to {@code capacity} frames,
 * each in its own fixed slot of {@code frameBytes} in one native segment, with a length and
 * a 32-bit metadata word (memif's descriptor metadata: nfchain's chain context) per frame.
 *
 * <p>Receive bursts fill it; transmit bursts read frames {@code 0 .. count-1} from it.
 * Nothing here allocates after construction. {@link #close()} frees the native memory.
 */
public final class PacketBurst implements AutoCloseable {
    private final int capacity;
    private final int frameBytes;
    private final Arena arena;
    private final MemorySegment data;
    private final int[] lengths;
    private final int[] metadata;
    private int count;

    /**
     * @param capacity frames per burst, >= 1 (32 by default in nfchain, up to 256)
     * @param frameBytes bytes per frame slot, >= 64 (9216 holds a jumbo frame)
     */
    public PacketBurst(int capacity, int frameBytes) {
        if (capacity < 1 || frameBytes < 64) {
            throw new IllegalArgumentException("capacity >= 1 and frameBytes >= 64: " + capacity + ", " + frameBytes);
        }
        this.capacity = capacity;
        this.frameBytes = frameBytes;
        // Freed explicitly by close(), not left to the GC: bursts are long-lived and large.
        this.arena = Arena.ofShared();
        this.data = arena.allocate((long) capacity * frameBytes, 64);
        this.lengths = new int[capacity];
        this.metadata = new int[capacity];
    }

    public int capacity() {
        return capacity;
    }

    /** Bytes per frame slot: the longest frame this burst holds. */
    public int frameBytes() {
        return frameBytes;
    }

    /** The segment holding every frame slot. */
    public MemorySegment data() {
        return data;
    }

    /** Offset of frame {@code index}'s first byte in {@link #data()}. */
    public long offset(int index) {
        return (long) index * frameBytes;
    }

    public int length(int index) {
        return lengths[index];
    }

    /** Sets frame {@code index}'s length, 0 .. {@link #frameBytes()}. */
    public void setLength(int index, int lengthBytes) {
        if (lengthBytes < 0 || lengthBytes > frameBytes) {
            throw new IllegalArgumentException("length must be 0.." + frameBytes + ": " + lengthBytes);
        }
        lengths[index] = lengthBytes;
    }

    public int metadata(int index) {
        return metadata[index];
    }

    public void setMetadata(int index, int value) {
        metadata[index] = value;
    }

    /** Frames held: set by a receive burst, or by the caller before a transmit burst. */
    public int count() {
        return count;
    }

    public void setCount(int count) {
        if (count < 0 || count > capacity) {
            throw new IllegalArgumentException("count must be 0.." + capacity + ": " + count);
        }
        this.count = count;
    }

    /** Receive paths set a validated frame without the public checks. */
    void put(int index, int lengthBytes, int metadataValue) {
        lengths[index] = lengthBytes;
        metadata[index] = metadataValue;
    }

    /** Frees the frame memory; the burst must not be used afterwards. */
    @Override
    public void close() {
        arena.close();
    }
}
