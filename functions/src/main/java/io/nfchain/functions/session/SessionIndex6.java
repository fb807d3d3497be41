package io.nfchain.functions.session;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Single writer, single or many readers, lock-free for readers. {@link SessionIndex} for 64-bit
 * keys (the upper half of a UE's IPv6 address: its /64): two words per cell, the key and then
 * {@code slot + 1}, 0 for empty and -1 for a tombstone. The writer stores the key first and the
 * slot word last with release, and a reader loads the slot word with acquire before the key; a
 * reader racing a reused cell may pair a key with another entry's slot, so callers check the
 * session they find owns the key (as they do for {@link SessionIndex}).
 */
final class SessionIndex6 {
    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long EMPTY = 0;
    private static final long TOMBSTONE = -1;
    private static final int MIN_CELLS = 1024;

    private volatile long[] cells = new long[2 * MIN_CELLS];
    private int live;
    private int used;

    /** Reader: the slot indexed under {@code key}, or -1. Allocation-free. */
    int get(long key) {
        long[] c = cells;
        int mask = (c.length >> 1) - 1;
        for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
            long slot = (long) CELLS.getAcquire(c, 2 * i + 1);
            if (slot == EMPTY) {
                return -1;
            }
            if (slot != TOMBSTONE && c[2 * i] == key) {
                return (int) slot - 1;
            }
        }
    }

    /** Reader, for {@link SessionWarmer}: as {@link SessionIndex#firstCellSlot}. */
    int firstCellSlot(long key) {
        long[] c = cells;
        int i = hash(key) & (c.length / 2 - 1);
        long slot = c[2 * i + 1];
        return slot != EMPTY && slot != TOMBSTONE && c[2 * i] == key ? (int) slot - 1 : -1;
    }

    /** Writer: indexes {@code key} to {@code slot}, replacing what it indexed. */
    void put(long key, int slot) {
        long[] c = cells;
        int mask = (c.length >> 1) - 1;
        int free = -1;
        for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
            long s = c[2 * i + 1];
            if (s == EMPTY || s == TOMBSTONE) {
                free = free < 0 ? i : free;
                if (s == EMPTY) {
                    break;
                }
            } else if (c[2 * i] == key) {
                CELLS.setRelease(c, 2 * i + 1, slot + 1L);
                return;
            }
        }
        if (c[2 * free + 1] == EMPTY) {
            used++;
        }
        live++;
        c[2 * free] = key;
        CELLS.setRelease(c, 2 * free + 1, slot + 1L);
        if (used * 2L > c.length >> 1) {
            rebuild();
        }
    }

    /** Writer: forgets {@code key}; true when it was indexed. */
    boolean remove(long key) {
        long[] c = cells;
        int mask = (c.length >> 1) - 1;
        for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
            long s = c[2 * i + 1];
            if (s == EMPTY) {
                return false;
            }
            if (s != TOMBSTONE && c[2 * i] == key) {
                CELLS.setRelease(c, 2 * i + 1, TOMBSTONE);
                live--;
                return true;
            }
        }
    }

    int size() {
        return live;
    }

    long sizeBytes() {
        return 16 + 8L * cells.length;
    }

    private void rebuild() {
        long[] old = cells;
        int length = MIN_CELLS;
        while (length < live * 4L) {
            length <<= 1;
        }
        long[] c = new long[2 * length];
        int mask = length - 1;
        for (int j = 0; j < old.length; j += 2) {
            long s = old[j + 1];
            if (s != EMPTY && s != TOMBSTONE) {
                int i = hash(old[j]) & mask;
                while (c[2 * i + 1] != EMPTY) {
                    i = (i + 1) & mask;
                }
                c[2 * i] = old[j];
                c[2 * i + 1] = s;
            }
        }
        used = live;
        cells = c;
    }

    static int hash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
