package io.nfchain.functions.session;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Single writer, single or many readers, lock-free for readers. An open-addressing hash index
 * from a 32-bit key (a TEID, a UE IPv4 address) to a session slot, each entry one 64-bit word
 * {@code key << 32 | slot + 1} written with one release store, so a reader sees an entry whole
 * or not at all. Deleting leaves a tombstone (probes go on through it); when tombstones and
 * entries fill half the cells the writer builds a new array and publishes it with one release
 * store. A reader probing an old array may miss an entry added since: callers check what they
 * find against the published session and treat a miss as "not yet".
 */
final class SessionIndex {
    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long EMPTY = 0;
    private static final long TOMBSTONE = -1;
    private static final int MIN_CELLS = 1024;

    private volatile long[] cells = new long[MIN_CELLS];
    private int live;
    private int used;

    /** Reader: the slot indexed under {@code key}, or -1. Allocation-free. */
    int get(int key) {
        long[] c = cells;
        int mask = c.length - 1;
        for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
            long cell = (long) CELLS.getAcquire(c, i);
            if (cell == EMPTY) {
                return -1;
            }
            if (cell != TOMBSTONE && (int) (cell >>> 32) == key) {
                return (int) cell - 1;
            }
        }
    }

    /**
     * Reader, for {@link SessionWarmer}: the slot in {@code key}'s first cell of the current array
     * (plain loads), or -1 when that cell holds another key or none. {@link #get} is the lookup;
     * this is one load whose misses a burst can overlap.
     */
    int firstCellSlot(int key) {
        long[] c = cells;
        long cell = c[hash(key) & (c.length - 1)];
        return cell != EMPTY && cell != TOMBSTONE && (int) (cell >>> 32) == key ? (int) cell - 1 : -1;
    }

    /** Writer: indexes {@code key} to {@code slot}, replacing what it indexed. */
    void put(int key, int slot) {
        long[] c = cells;
        int mask = c.length - 1;
        int free = -1;
        for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
            long cell = c[i];
            if (cell == EMPTY || cell == TOMBSTONE) {
                free = free < 0 ? i : free;
                if (cell == EMPTY) {
                    break;
                }
            } else if ((int) (cell >>> 32) == key) {
                CELLS.setRelease(c, i, (long) key << 32 | (slot + 1L));
                return;
            }
        }
        if (c[free] == EMPTY) {
            used++;
        }
        live++;
        CELLS.setRelease(c, free, (long) key << 32 | (slot + 1L));
        if (used * 2L > c.length) {
            rebuild();
        }
    }

    /** Writer: forgets {@code key}; true when it was indexed. */
    boolean remove(int key) {
        long[] c = cells;
        int mask = c.length - 1;
        for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
            long cell = c[i];
            if (cell == EMPTY) {
                return false;
            }
            if (cell != TOMBSTONE && (int) (cell >>> 32) == key) {
                CELLS.setRelease(c, i, TOMBSTONE);
                live--;
                return true;
            }
        }
    }

    int size() {
        return live;
    }

    /** Bytes the index holds now. */
    long sizeBytes() {
        return 16 + 8L * cells.length;
    }

    private void rebuild() {
        long[] old = cells;
        int length = MIN_CELLS;
        while (length < live * 4L) {
            length <<= 1;
        }
        long[] c = new long[length];
        int mask = length - 1;
        for (long cell : old) {
            if (cell != EMPTY && cell != TOMBSTONE) {
                int i = hash((int) (cell >>> 32)) & mask;
                while (c[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                c[i] = cell;
            }
        }
        used = live;
        cells = c;
    }

    static int hash(int key) {
        int h = key * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
