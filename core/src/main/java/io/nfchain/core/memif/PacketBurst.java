package io.nfchain.core.memif;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

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
 * <p>A burst can also be <em>lent</em> a memif client's buffers for one round
 * ({@link ClientQueuePair#rxBurstInPlace}): its frames are then in the client's region, where
 * the server wrote them, {@link #data()} is that region, and each frame's buffer is the
 * client's, with the client's headroom and size. The next receive into the burst by copy takes
 * its own memory back ({@link #reclaim()}).
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
    private final int ownFrameBytes;
    private final int ownHeadroomBytes;
    private final int ownBufferBytes;
    private final Arena arena;
    private final MemorySegment ownData;
    private int frameBytes;
    private int headroomBytes;
    private int bufferBytes;
    private MemorySegment data;
    /** Where each frame's buffer starts in {@link #data}; -1 for a lent burst's frame with none. */
    private final long[] base;
    /** For a lent burst: where the lender keeps each frame's buffer; -1 once handed on. */
    private final int[] home;
    /** The client queue whose buffers the frames are in, or null when they are in {@link #ownData}. */
    private Object lender;
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
        this.ownFrameBytes = frameBytes;
        this.ownHeadroomBytes = headroomBytes;
        this.ownBufferBytes = (headroomBytes + frameBytes + 63) & ~63;
        // Freed explicitly by close(), not left to the GC: bursts are long-lived and large.
        this.arena = Arena.ofShared();
        this.ownData = arena.allocate((long) capacity * ownBufferBytes, 64);
        this.base = new long[capacity];
        this.home = new int[capacity];
        this.start = new int[capacity];
        this.lengths = new int[capacity];
        this.metadata = new int[capacity];
        useOwnMemory();
    }

    private void useOwnMemory() {
        lender = null;
        data = ownData;
        frameBytes = ownFrameBytes;
        headroomBytes = ownHeadroomBytes;
        bufferBytes = ownBufferBytes;
        for (int i = 0; i < capacity; i++) {
            base[i] = (long) i * ownBufferBytes;
            start[i] = ownHeadroomBytes;
        }
    }

    /**
     * Receive paths that copy: frames go in this burst's own memory again, if a client had lent
     * it buffers. Every frame held is forgotten (the caller is about to receive).
     */
    public void reclaim() {
        if (lender != null) {
            useOwnMemory();
        }
    }

    /**
     * A client lends its buffers for this round: {@code region} becomes {@link #data()}, and
     * each frame its buffer of {@code bufferBytes} with a frame starting {@code headroomBytes}
     * in; the caller then places every frame with {@link #putLent} or {@link #setSpare}.
     */
    void lend(Object client, MemorySegment region, int clientBufferBytes, int clientHeadroomBytes) {
        lender = client;
        data = region;
        bufferBytes = clientBufferBytes;
        headroomBytes = clientHeadroomBytes;
        frameBytes = clientBufferBytes - clientHeadroomBytes;
    }

    /** A lent burst's received frame {@code index}: in the buffer at {@code buffer}, kept by the lender at {@code where}. */
    void putLent(int index, long buffer, int where, int lengthBytes, int metadataValue) {
        base[index] = buffer;
        home[index] = where;
        start[index] = headroomBytes;
        lengths[index] = lengthBytes;
        metadata[index] = metadataValue;
    }

    /** A lent burst's frame {@code index} past the received ones: a spare buffer, or none when {@code buffer < 0}. */
    void setSpare(int index, long buffer, int where) {
        base[index] = buffer;
        home[index] = buffer < 0 ? -1 : where;
        start[index] = headroomBytes;
    }

    /** Whether the frames are in a memif client's buffers, lent by its last receive, rather than in this burst's memory. */
    public boolean isLent() {
        return lender != null;
    }

    /** The client whose buffers the frames are in, or null. */
    Object lender() {
        return lender;
    }

    /** Where frame {@code index}'s buffer starts in {@link #data()}. */
    long base(int index) {
        return base[index];
    }

    /** Where the lender keeps frame {@code index}'s buffer; -1 once it was handed on (or never lent). */
    int home(int index) {
        return lender == null ? -1 : home[index];
    }

    /** Frame {@code index}'s buffer now belongs to a ring: the burst must not hand it on again. */
    void handedOn(int index) {
        home[index] = -1;
    }

    /**
     * Whether frame {@code index} has a buffer to write: always, unless the burst is lent and
     * the lender had no spare buffer left for it.
     */
    public boolean hasBuffer(int index) {
        return base[index] >= 0;
    }

    public int capacity() {
        return capacity;
    }

    /** The longest frame a receive burst puts here (a lent burst: what the lender's buffers hold after the headroom). */
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
        return base[index] + start[index];
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
        return base[index] + headroomBytes;
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
