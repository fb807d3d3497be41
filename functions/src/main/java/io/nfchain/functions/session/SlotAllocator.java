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

    /** A free slot; check {@link #available()} first. */
    int allocate() {
        if (head == tail) {
            throw new IllegalStateException("no free slot");
        }
        return ring[(int) (head++ % ring.length)];
    }

    void free(int slot) {
        ring[(int) (tail++ % ring.length)] = slot;
    }
}
