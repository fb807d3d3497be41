package io.nfchain.functions.router;

import java.util.Arrays;

/**
 * The route list behind a forwarding table (its RIB): exact prefix to next hop, plus the covering
 * route a deleted prefix falls back to. Not thread-safe: only the table's writer touches it.
 *
 * <p>A prefix is 128 key bits ({@code hi}, {@code lo}; IPv4 keeps its address in the top 32 bits
 * of {@code hi}) and a length. Open addressing with linear probing at a load factor of at most
 * one half, and backward-shift deletion so no tombstones pile up under churn. Keys of an IPv4
 * table never use {@code lo}, so that array is not allocated for them: 12 bytes a slot, 24 bytes
 * a route at the worst load.
 */
final class PrefixTable {
    /** No route here: {@link #get}, {@link #put} and {@link #remove} return it. */
    static final int ABSENT = -1;
    private static final int MIN_SLOTS = 16;

    private final boolean wideKeys;
    private long[] his;
    private long[] los;
    /** {@code (length + 1) << 23 | nextHop}; 0 marks a free slot. */
    private int[] metas;
    private int size;
    /** Routes per prefix length, so the covering search skips lengths nobody uses. */
    private final int[] perLength;

    /**
     * @param maxLength 32 or 128: the longest prefix; 32 stores keys in {@code hi} only
     * @param expectedRoutes how many routes to size for (the table grows past it)
     */
    PrefixTable(int maxLength, int expectedRoutes) {
        this.wideKeys = maxLength > 64;
        this.perLength = new int[maxLength + 1];
        allocate(Math.max(MIN_SLOTS, Integer.highestOneBit(Math.max(1, expectedRoutes) * 2 - 1) * 2));
    }

    private void allocate(int slots) {
        his = new long[slots];
        los = wideKeys ? new long[slots] : null;
        metas = new int[slots];
    }

    int size() {
        return size;
    }

    int routesOfLength(int length) {
        return perLength[length];
    }

    long memoryBytes() {
        return (long) his.length * (wideKeys ? 20 : 12) + perLength.length * 4L;
    }

    /** The next hop of exactly this prefix, or {@link #ABSENT}. */
    int get(long hi, long lo, int length) {
        int slot = find(hi, lo, length);
        return slot < 0 ? ABSENT : metas[slot] & StrideTrie.NEXT_HOP_MASK;
    }

    /** Sets the next hop of a prefix; returns the one it replaced, or {@link #ABSENT} when new. */
    int put(long hi, long lo, int length, int nextHop) {
        int meta = (length + 1) << 23 | nextHop;
        int mask = metas.length - 1;
        for (int slot = hash(hi, lo, length) & mask; ; slot = (slot + 1) & mask) {
            int m = metas[slot];
            if (m == 0) {
                his[slot] = hi;
                if (wideKeys) {
                    los[slot] = lo;
                }
                metas[slot] = meta;
                size++;
                perLength[length]++;
                if (size * 2 > metas.length) {
                    rehash(metas.length * 2);
                }
                return ABSENT;
            }
            if (matches(slot, m, hi, lo, length)) {
                metas[slot] = meta;
                return m & StrideTrie.NEXT_HOP_MASK;
            }
        }
    }

    /** Removes a prefix; returns its next hop, or {@link #ABSENT} when it was not there. */
    int remove(long hi, long lo, int length) {
        int slot = find(hi, lo, length);
        if (slot < 0) {
            return ABSENT;
        }
        int removed = metas[slot] & StrideTrie.NEXT_HOP_MASK;
        size--;
        perLength[length]--;
        shiftBack(slot);
        return removed;
    }

    /**
     * The leaf entry ({@link StrideTrie#leaf}) of the longest route strictly shorter than
     * {@code length} that contains the prefix, or {@link StrideTrie#EMPTY} when none does: what a
     * deleted prefix's addresses fall back to.
     */
    int coveringLeaf(long hi, long lo, int length) {
        for (int l = length - 1; l >= 0; l--) {
            if (perLength[l] == 0) {
                continue;
            }
            long h = hi & StrideTrie.maskHi(l);
            long o = lo & StrideTrie.maskLo(l);
            int slot = find(h, o, l);
            if (slot >= 0) {
                return StrideTrie.leaf(l, metas[slot] & StrideTrie.NEXT_HOP_MASK);
            }
        }
        return StrideTrie.EMPTY;
    }

    /** Calls {@code visitor} once per route, in no particular order. */
    void forEach(RouteVisitor visitor) {
        for (int slot = 0; slot < metas.length; slot++) {
            int m = metas[slot];
            if (m != 0) {
                visitor.route(his[slot], wideKeys ? los[slot] : 0, (m >>> 23) - 1, m & StrideTrie.NEXT_HOP_MASK);
            }
        }
    }

    /** One route of {@link #forEach}. */
    @FunctionalInterface
    interface RouteVisitor {
        void route(long hi, long lo, int length, int nextHop);
    }

    private int find(long hi, long lo, int length) {
        int mask = metas.length - 1;
        for (int slot = hash(hi, lo, length) & mask; ; slot = (slot + 1) & mask) {
            int m = metas[slot];
            if (m == 0) {
                return -1;
            }
            if (matches(slot, m, hi, lo, length)) {
                return slot;
            }
        }
    }

    private boolean matches(int slot, int meta, long hi, long lo, int length) {
        return (meta >>> 23) == length + 1 && his[slot] == hi && (!wideKeys || los[slot] == lo);
    }

    /** Closes the gap at {@code gap} by moving back every later entry of its probe run that may move. */
    private void shiftBack(int gap) {
        int mask = metas.length - 1;
        int slot = gap;
        while (true) {
            slot = (slot + 1) & mask;
            int m = metas[slot];
            if (m == 0) {
                break;
            }
            int home = hash(his[slot], wideKeys ? los[slot] : 0, (m >>> 23) - 1) & mask;
            // The entry may fill the gap unless its home lies cyclically in (gap, slot].
            boolean homeAfterGap = gap <= slot ? (home > gap && home <= slot) : (home > gap || home <= slot);
            if (!homeAfterGap) {
                his[gap] = his[slot];
                if (wideKeys) {
                    los[gap] = los[slot];
                }
                metas[gap] = m;
                gap = slot;
            }
        }
        metas[gap] = 0;
    }

    private void rehash(int slots) {
        long[] oldHis = his;
        long[] oldLos = los;
        int[] oldMetas = metas;
        allocate(slots);
        int mask = slots - 1;
        for (int i = 0; i < oldMetas.length; i++) {
            int m = oldMetas[i];
            if (m == 0) {
                continue;
            }
            long hi = oldHis[i];
            long lo = wideKeys ? oldLos[i] : 0;
            int slot = hash(hi, lo, (m >>> 23) - 1) & mask;
            while (metas[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            his[slot] = hi;
            if (wideKeys) {
                los[slot] = lo;
            }
            metas[slot] = m;
        }
    }

    /** A 64-bit mix (the murmur3 finalizer) folded to an int: prefixes share long runs of zero bits. */
    private static int hash(long hi, long lo, int length) {
        long h = hi * 0x9E37_79B9_7F4A_7C15L ^ Long.rotateLeft(lo * 0xC2B2_AE3D_27D4_EB4FL, 31) ^ length;
        h ^= h >>> 33;
        h *= 0xFF51_AFD7_ED55_8CCDL;
        h ^= h >>> 33;
        h *= 0xC4CE_B9FE_1A85_EC53L;
        h ^= h >>> 33;
        return (int) h;
    }

    @Override
    public String toString() {
        return "PrefixTable[" + size + " routes, " + metas.length + " slots, per length "
                + Arrays.toString(perLength) + "]";
    }
}
