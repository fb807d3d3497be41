package io.nfchain.core.memif;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Not thread-safe: owned by one worker. A reusable burst of up to {@code capacity} frames.
 * Each frame lives in a buffer of its own in one native segment, with {@code headroomBytes}
 * free in front of where a received frame starts (so a tunnel header can be prepended without
 * moving the frame), a length, and a 32-bit metadata word (memif's descriptor metadata:
 * nfchain's chain context).
 *
 * <pre>
 *  buffer b:  | headroom ............ | frame bytes ............... | tail room |
 *             ^ i * bufferBytes       ^ offset(i) = start of frame i (moves with prepend/trimFront)
 * </pre>
 *
 * <p>A function that forwards only some frames transmits them by number
 * ({@code txBurst(burst, frames, count)}), so frames never move between buffers.
 *
 * <p>Receive bursts fill it; transmit bursts read frames {@code 0 .. count-1} from it.
 * Nothing here allocates after construction. {@link #close()} frees the native memory.
 */
public final class PacketBurst implements AutoCloseable {
    /** The most frames a burst holds. */
    public static final int MAX_CAPACITY = 1024;
    /** Frame numbers 0 .. MAX_CAPACITY-1: the order of a plain transmit. */
    static final int[] IDENTITY = new int[MAX_CAPACITY];

    static {
        for (int i = 0; i < MAX_CAPACITY; i++) {
            IDENTITY[i] = i;
        }
    }

    private final int capacity;
    private final int frameBytes;
    private final int headroomBytes;
    private final int bufferBytes;
    private final Arena arena;
    private final MemorySegment data;
    private final int[] start;
    private final int[] lengths;
    private final int[] metadata;
    private int count;
    /** What warming loads read: kept so that the JIT cannot drop them as unused. */
    private int warmSink;

    /**
     * No headroom.
     *
     * @param capacity frames per burst, 1 .. {@link #MAX_CAPACITY} (32 by default in nfchain)
     * @param frameBytes the longest frame, >= 64 (9216 holds a jumbo frame)
     */
    public PacketBurst(int capacity, int frameBytes) {
        this(capacity, frameBytes, 0);
    }

    /**
     * @param capacity frames per burst, 1 .. {@link #MAX_CAPACITY}
     * @param frameBytes the longest frame received, >= 64
     * @param headroomBytes room in front of each received frame for prepended headers, 0 .. 1024
     */
    public PacketBurst(int capacity, int frameBytes, int headroomBytes) {
        if (capacity < 1 || capacity > MAX_CAPACITY || frameBytes < 64 || headroomBytes < 0 || headroomBytes > 1024) {
            throw new IllegalArgumentException("capacity 1..1024, frameBytes >= 64, headroomBytes 0..1024: " + capacity
                    + ", " + frameBytes + ", " + headroomBytes);
        }
        this.capacity = capacity;
        this.frameBytes = frameBytes;
        this.headroomBytes = headroomBytes;
        this.bufferBytes = (headroomBytes + frameBytes + 63) & ~63;
        // Freed explicitly by close(), not left to the GC: bursts are long-lived and large.
        this.arena = Arena.ofShared();
        this.data = arena.allocate((long) capacity * bufferBytes, 64);
        this.start = new int[capacity];
        this.lengths = new int[capacity];
        this.metadata = new int[capacity];
        Arrays.fill(start, headroomBytes);
    }

    public int capacity() {
        return capacity;
    }

    /** The longest frame a receive burst puts here. */
    public int frameBytes() {
        return frameBytes;
    }

    public int headroomBytes() {
        return headroomBytes;
    }

    /** The segment holding every buffer. */
    public MemorySegment data() {
        return data;
    }

    /** Offset of frame {@code index}'s first byte in {@link #data()}. */
    public long offset(int index) {
        return (long) index * bufferBytes + start[index];
    }

    public int length(int index) {
        return lengths[index];
    }

    /** Sets frame {@code index}'s length: at most what its buffer holds from the frame's start. */
    public void setLength(int index, int lengthBytes) {
        if (lengthBytes < 0 || lengthBytes > bufferBytes - start[index]) {
            throw new IllegalArgumentException("length must be 0.." + (bufferBytes - start[index]) + ": " + lengthBytes);
        }
        lengths[index] = lengthBytes;
    }

    /**
     * Moves frame {@code index}'s start {@code bytes} earlier and lengthens it by as much: room
     * for a header written at the new {@link #offset}. Like DPDK's {@code rte_pktmbuf_prepend}.
     *
     * @return false, changing nothing, when the headroom left is smaller than {@code bytes}
     */
    public boolean prepend(int index, int bytes) {
        if (bytes < 0 || bytes > start[index]) {
            return false;
        }
        start[index] -= bytes;
        lengths[index] += bytes;
        return true;
    }

    /**
     * Drops {@code bytes} from the front of frame {@code index} (a header removed), like DPDK's
     * {@code rte_pktmbuf_adj}.
     *
     * @return false, changing nothing, when the frame is shorter than {@code bytes}
     */
    public boolean trimFront(int index, int bytes) {
        if (bytes < 0 || bytes > lengths[index]) {
            return false;
        }
        start[index] += bytes;
        lengths[index] -= bytes;
        return true;
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

    /**
     * For receive paths (memif queues, kernel ports): frame {@code index} starts after the
     * headroom again; returns its offset in {@link #data()}, where up to {@link #frameBytes()}
     * may be written.
     */
    public long resetForReceive(int index) {
        start[index] = headroomBytes;
        return (long) index * bufferBytes + headroomBytes;
    }

    /**
     * For receive paths: sets frame {@code index} after {@link #resetForReceive}, without the
     * checks of {@link #setLength}; the caller has checked {@code lengthBytes <= frameBytes()}.
     */
    public void put(int index, int lengthBytes, int metadataValue) {
        lengths[index] = lengthBytes;
        metadata[index] = metadataValue;
    }

    /** Receive paths: takes the sum of bytes a warming pass loaded, so that the loads stay. */
    void warmed(int touched) {
        warmSink += touched;
    }

    /** Frees the frame memory; the burst must not be used afterwards. */
    @Override
    public void close() {
        arena.close();
    }
}
