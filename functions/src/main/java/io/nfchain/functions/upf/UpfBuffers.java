package io.nfchain.functions.upf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Not thread-safe: the worker's. Packets held for sessions whose FAR says BUFFER (a UE being
 * paged): a pool of fixed 2 KiB cells in native memory, a FIFO of cells per session slot, and the
 * list of slots that hold any. Bounded twice: per session and in total; a packet that does not
 * fit is refused (the caller drops it, counted).
 */
final class UpfBuffers implements AutoCloseable {
    static final int CELL_BYTES = 2048;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment cells;
    private final int[] length;
    private final int[] next;
    private final int[] head;
    private final int[] tail;
    private final int[] count;
    private final int[] free;
    private int freeCount;
    private final int perSession;
    private final int[] slots;
    private int slotCount;

    /**
     * @param packets    cells in the pool, 0 .. 2^20
     * @param maxSessions session slots of the table
     */
    UpfBuffers(int packets, int perSession, int maxSessions) {
        if (packets < 0 || packets > 1 << 20 || perSession < 0) {
            throw new IllegalArgumentException("buffer packets must be 0..1048576 and per session >= 0: " + packets + ", "
                    + perSession);
        }
        cells = arena.allocate(Math.max(1L, (long) packets * CELL_BYTES), 64);
        length = new int[packets];
        next = new int[packets];
        free = new int[packets];
        for (int i = 0; i < packets; i++) {
            free[i] = packets - 1 - i;
        }
        freeCount = packets;
        this.perSession = perSession;
        // Per-slot queues: three ints a session, allocated once (the bench counts them per session).
        head = new int[maxSessions];
        tail = new int[maxSessions];
        count = new int[maxSessions];
        slots = new int[Math.max(1, packets)];
    }

    /** Packets session {@code slot} has buffered. */
    int count(int slot) {
        return count[slot];
    }

    /** Copies {@code lengthBytes} at {@code offset} of {@code data} to the tail of {@code slot}'s queue; false when full. */
    boolean add(int slot, MemorySegment data, long offset, int lengthBytes) {
        if (freeCount == 0 || count[slot] >= perSession || lengthBytes > CELL_BYTES) {
            return false;
        }
        int cell = free[--freeCount];
        MemorySegment.copy(data, offset, cells, (long) cell * CELL_BYTES, lengthBytes);
        length[cell] = lengthBytes;
        next[cell] = -1;
        if (count[slot] == 0) {
            head[slot] = cell;
            slots[slotCount++] = slot;
        } else {
            next[tail[slot]] = cell;
        }
        tail[slot] = cell;
        count[slot]++;
        return true;
    }

    /** The oldest cell of {@code slot}'s queue; {@link #count} must be nonzero. */
    int first(int slot) {
        return head[slot];
    }

    MemorySegment cells() {
        return cells;
    }

    long cellOffset(int cell) {
        return (long) cell * CELL_BYTES;
    }

    int length(int cell) {
        return length[cell];
    }

    /** Frees the oldest cell of {@code slot}'s queue. */
    void removeFirst(int slot) {
        int cell = head[slot];
        head[slot] = next[cell];
        free[freeCount++] = cell;
        if (--count[slot] == 0) {
            for (int i = 0; i < slotCount; i++) {
                if (slots[i] == slot) {
                    slots[i] = slots[--slotCount];
                    break;
                }
            }
        }
    }

    /** Slots holding packets now; read by index below {@link #slotCount()} (removal reorders). */
    int slotAt(int i) {
        return slots[i];
    }

    int slotCount() {
        return slotCount;
    }

    /** Bytes per session slot of the queue heads. */
    static int bytesPerSession() {
        return 12;
    }

    @Override
    public void close() {
        arena.close();
    }
}
