package io.nfchain.functions.session;

/**
 * Not thread-safe: the table's writer owns it. Dense slots {@code 0 .. capacity-1} handed out from
 * a FIFO ring of free ones, so a freed slot is reused last: a worker still finishing a burst with
 * a deleted session's slot touches state no new session owns yet.
 */
final class SlotAllocator {
    private final int[] ring;
    private long head;
    private long tail;

    SlotAllocator(int capacity) {
        ring = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            ring[i] = i;
        }
        tail = capacity;
    }

    int capacity() {
        return ring.length;
    }

    int available() {
        return (int) (tail - head);
    }

    /** Whether this allocator hands out slots at all: capacity 0 means the function does not track these rules. */
    boolean tracks() {
        return ring.length > 0;
    }

    /** Whether {@code n} more slots can be handed out (always, when not {@link #tracks() tracking}). */
    boolean has(int n) {
        return !tracks() || available() >= n;
    }

    /** A free slot, or -1 when not {@link #tracks() tracking}; check {@link #has} first. */
    int allocate() {
        if (!tracks()) {
            return -1;
        }
        if (head == tail) {
            throw new IllegalStateException("no free slot");
        }
        return ring[(int) (head++ % ring.length)];
    }

    /** Returns {@code slot}; -1 (untracked) is ignored. */
    void free(int slot) {
        if (slot < 0) {
            return;
        }
        ring[(int) (tail++ % ring.length)] = slot;
    }
}
