package io.nfchain.functions.acl;

/**
 * The compiled decision trees of one IP version: terminal-rule trees and count-rule trees over
 * shared arrays, and the leaf entries laid out for that version's compares. Immutable after
 * construction. Layout of nodes, children and leaves: {@link CutTreeBuilder}.
 */
abstract sealed class AclForest permits AclForest.V4, AclForest.V6 {
    static final int NONE = Integer.MAX_VALUE;

    final long[] nodes;
    final int[] children;
    final int[] leafBounds;
    // Tree roots sorted by the best (lowest) rule in each, and that rule.
    final int[] roots;
    final int[] best;
    final int[] countRoots;
    final int[] countBest;

    AclForest(CutTreeBuilder b, int[] roots, int[] best, int[] countRoots, int[] countBest) {
        this.nodes = b.nodes.toArray();
        this.children = b.children.toArray();
        this.leafBounds = b.leafBounds.toArray();
        this.roots = roots;
        this.best = best;
        this.countRoots = countRoots;
        this.countBest = countBest;
    }

    /** The first terminal rule the packet matches, or NONE. */
    final int first(AclKey key) {
        int found = NONE;
        int[] r = roots;
        for (int t = 0; t < r.length && best[t] < found; t++) {
            found = Math.min(found, scan(descend(r[t], key.values), key, found));
        }
        return found;
    }

    /**
     * For every packet of this IP version in the burst, lowers {@code results[i]} to the first
     * terminal rule it matches (results start at NONE). Walks the packets of a tree together,
     * one level per round, so their cache misses overlap.
     */
    final void first(AclBurst burst, int version) {
        AclKey[] keys = burst.keys();
        int[] results = burst.results;
        int[] walking = burst.walking;
        int[] refs = burst.refs;
        int n = burst.size();
        for (int t = 0; t < roots.length; t++) {
            int treeBest = best[t];
            int active = 0;
            for (int i = 0; i < n; i++) {
                if (keys[i].version == version && treeBest < results[i]) {
                    walking[active] = i;
                    refs[active++] = roots[t];
                }
            }
            boolean inner = active > 0 && roots[t] >= 0;
            while (inner) {
                inner = false;
                for (int a = 0; a < active; a++) {
                    int ref = refs[a];
                    if (ref >= 0) {
                        ref = step(ref, keys[walking[a]].values);
                        refs[a] = ref;
                        inner |= ref >= 0;
                    }
                }
            }
            for (int a = 0; a < active; a++) {
                int i = walking[a];
                results[i] = Math.min(results[i], scan(~refs[a], keys[i], results[i]));
            }
        }
    }

    /** Counts every count rule below {@code limit} the packet matches. */
    final void count(AclKey key, int limit, long[] hits) {
        int[] r = countRoots;
        for (int t = 0; t < r.length && countBest[t] < limit; t++) {
            countAll(descend(r[t], key.values), key, limit, hits);
        }
    }

    /** Walks from tree reference {@code ref} to its leaf for the packet and returns the leaf's index. */
    final int descend(int ref, long[] values) {
        while (ref >= 0) {
            ref = step(ref, values);
        }
        return ~ref;
    }

    /** One level down from node {@code node}: the child reference for the packet. */
    private int step(int node, long[] values) {
        long[] n = nodes;
        int at = node * CutTreeBuilder.NODE_LONGS;
        long w = n[at];
        long value = values[(int) w & 0xF];
        int offset = (int) (w >>> 32);
        return ((value ^ n[at + 2]) & n[at + 1]) != 0 ? children[offset - 1]
                : children[offset + (int) ((value >>> ((int) w >>> 8 & 0x3F)) & ((int) w >>> 16))];
    }

    /** The first rule below {@code limit} in leaf {@code leaf} that matches, or NONE. */
    abstract int scan(int leaf, AclKey key, int limit);

    abstract void countAll(int leaf, AclKey key, int limit, long[] hits);

    /** Ints of one laid-out leaf entry. */
    abstract int entryWords();

    /** Leaf entries: rules in leaves, copies included. */
    abstract int entryCount();

    long memoryBytes() {
        return 8L * nodes.length + 4L * (children.length + leafBounds.length + roots.length * 2 + countRoots.length * 2)
                + 4L * entryWords() * entryCount();
    }

    /**
     * IPv4 leaves: one entry of {@link #ENTRY_INTS} ints per rule, compared as ints.
     * <pre>
     *  0 rule   1 src lo  2 src hi  3 dst lo  4 dst hi    (addresses with the sign bit flipped)
     *  5 sport lo  6 sport hi  7 dport lo  8 dport hi
     *  9 protocol lo | hi << 16   10 dscp lo | hi << 16   11 flags mask | value << 16
     * </pre>
     */
    static final class V4 extends AclForest {
        static final int ENTRY_INTS = 12;
        private final int[] entries;

        V4(CutTreeBuilder b, long[] lo, long[] hi, int[] flagsMask, int[] flagsValue,
           int[] roots, int[] best, int[] countRoots, int[] countBest) {
            super(b, roots, best, countRoots, countBest);
            int[] rules = b.leafRules.toArray();
            entries = new int[rules.length * ENTRY_INTS];
            for (int i = 0; i < rules.length; i++) {
                int r = rules[i];
                int o = i * ENTRY_INTS;
                int d = r * AclKey.DIMENSIONS;
                entries[o] = r;
                entries[o + 1] = (int) lo[d + AclKey.DIM_SRC_LO] ^ Integer.MIN_VALUE;
                entries[o + 2] = (int) hi[d + AclKey.DIM_SRC_LO] ^ Integer.MIN_VALUE;
                entries[o + 3] = (int) lo[d + AclKey.DIM_DST_LO] ^ Integer.MIN_VALUE;
                entries[o + 4] = (int) hi[d + AclKey.DIM_DST_LO] ^ Integer.MIN_VALUE;
                entries[o + 5] = (int) lo[d + AclKey.DIM_SRC_PORT];
                entries[o + 6] = (int) hi[d + AclKey.DIM_SRC_PORT];
                entries[o + 7] = (int) lo[d + AclKey.DIM_DST_PORT];
                entries[o + 8] = (int) hi[d + AclKey.DIM_DST_PORT];
                entries[o + 9] = (int) lo[d + AclKey.DIM_PROTOCOL] | (int) hi[d + AclKey.DIM_PROTOCOL] << 16;
                entries[o + 10] = (int) lo[d + AclKey.DIM_DSCP] | (int) hi[d + AclKey.DIM_DSCP] << 16;
                entries[o + 11] = flagsMask[r] | flagsValue[r] << 16;
            }
        }

        @Override
        int scan(int leaf, AclKey key, int limit) {
            int[] e = entries;
            int start = leafBounds[leaf * 2] * ENTRY_INTS;
            int end = start + leafBounds[leaf * 2 + 1] * ENTRY_INTS;
            for (int o = start; o < end; o += ENTRY_INTS) {
                if (e[o] >= limit) {
                    return NONE;
                }
                if (matches(e, o, key)) {
                    return e[o];
                }
            }
            return NONE;
        }

        @Override
        void countAll(int leaf, AclKey key, int limit, long[] hits) {
            int[] e = entries;
            int start = leafBounds[leaf * 2] * ENTRY_INTS;
            int end = start + leafBounds[leaf * 2 + 1] * ENTRY_INTS;
            for (int o = start; o < end && e[o] < limit; o += ENTRY_INTS) {
                if (matches(e, o, key)) {
                    hits[e[o]]++;
                }
            }
        }

        /** All fields compared without short cuts: one hard-to-predict branch per entry, not one per field. */
        private static boolean matches(int[] e, int o, AclKey key) {
            int src = key.src4;
            int dst = key.dst4;
            int dport = key.dstPort;
            int sport = key.srcPort;
            int protocol = e[o + 9];
            int dscp = e[o + 10];
            int flags = e[o + 11];
            return (src >= e[o + 1]) & (src <= e[o + 2]) & (dst >= e[o + 3]) & (dst <= e[o + 4])
                    & (dport >= e[o + 7]) & (dport <= e[o + 8]) & (sport >= e[o + 5]) & (sport <= e[o + 6])
                    & (key.protocol >= (protocol & 0xFFFF)) & (key.protocol <= protocol >>> 16)
                    & (key.dscp >= (dscp & 0xFFFF)) & (key.dscp <= dscp >>> 16)
                    & ((key.tcpFlags & flags & 0xFFFF) == flags >>> 16);
        }

        @Override
        int entryWords() {
            return ENTRY_INTS;
        }

        @Override
        int entryCount() {
            return entries.length / ENTRY_INTS;
        }
    }

    /**
     * IPv6 leaves: one entry of {@link #ENTRY_LONGS} longs per rule, compared as longs.
     * <pre>
     *  0 rule   1..8 lo, hi of src hi, src lo, dst hi, dst lo   (sign bit flipped)
     *  9 sport lo | hi << 32   10 dport lo | hi << 32
     *  11 protocol lo | hi << 8 | dscp lo << 16 | dscp hi << 24 | flags mask << 32 | flags value << 48
     * </pre>
     */
    static final class V6 extends AclForest {
        static final int ENTRY_LONGS = 12;
        private final long[] entries;

        V6(CutTreeBuilder b, long[] lo, long[] hi, int[] flagsMask, int[] flagsValue,
           int[] roots, int[] best, int[] countRoots, int[] countBest) {
            super(b, roots, best, countRoots, countBest);
            int[] rules = b.leafRules.toArray();
            entries = new long[rules.length * ENTRY_LONGS];
            for (int i = 0; i < rules.length; i++) {
                int r = rules[i];
                int o = i * ENTRY_LONGS;
                int d = r * AclKey.DIMENSIONS;
                entries[o] = r;
                for (int dim = 0; dim < 4; dim++) {
                    entries[o + 1 + 2 * dim] = lo[d + dim] ^ Long.MIN_VALUE;
                    entries[o + 2 + 2 * dim] = hi[d + dim] ^ Long.MIN_VALUE;
                }
                entries[o + 9] = lo[d + AclKey.DIM_SRC_PORT] | hi[d + AclKey.DIM_SRC_PORT] << 32;
                entries[o + 10] = lo[d + AclKey.DIM_DST_PORT] | hi[d + AclKey.DIM_DST_PORT] << 32;
                entries[o + 11] = lo[d + AclKey.DIM_PROTOCOL] | hi[d + AclKey.DIM_PROTOCOL] << 8
                        | lo[d + AclKey.DIM_DSCP] << 16 | hi[d + AclKey.DIM_DSCP] << 24
                        | (long) flagsMask[r] << 32 | (long) flagsValue[r] << 48;
            }
        }

        @Override
        int scan(int leaf, AclKey key, int limit) {
            long[] e = entries;
            int start = leafBounds[leaf * 2] * ENTRY_LONGS;
            int end = start + leafBounds[leaf * 2 + 1] * ENTRY_LONGS;
            for (int o = start; o < end; o += ENTRY_LONGS) {
                int rule = (int) e[o];
                if (rule >= limit) {
                    return NONE;
                }
                if (matches(e, o, key)) {
                    return rule;
                }
            }
            return NONE;
        }

        @Override
        void countAll(int leaf, AclKey key, int limit, long[] hits) {
            long[] e = entries;
            int start = leafBounds[leaf * 2] * ENTRY_LONGS;
            int end = start + leafBounds[leaf * 2 + 1] * ENTRY_LONGS;
            for (int o = start; o < end && (int) e[o] < limit; o += ENTRY_LONGS) {
                if (matches(e, o, key)) {
                    hits[(int) e[o]]++;
                }
            }
        }

        private static boolean matches(long[] e, int o, AclKey key) {
            long[] f = key.flipped;
            for (int dim = 0; dim < 4; dim++) {
                long v = f[dim];
                if (v < e[o + 1 + 2 * dim] || v > e[o + 2 + 2 * dim]) {
                    return false;
                }
            }
            long sport = e[o + 9];
            long dport = e[o + 10];
            long misc = e[o + 11];
            return key.srcPort >= (int) sport && key.srcPort <= (int) (sport >>> 32)
                    && key.dstPort >= (int) dport && key.dstPort <= (int) (dport >>> 32)
                    && key.protocol >= ((int) misc & 0xFF) && key.protocol <= ((int) misc >>> 8 & 0xFF)
                    && key.dscp >= ((int) misc >>> 16 & 0xFF) && key.dscp <= ((int) misc >>> 24)
                    && (key.tcpFlags & (int) (misc >>> 32) & 0xFFFF) == (int) (misc >>> 48);
        }

        @Override
        int entryWords() {
            return 2 * ENTRY_LONGS;
        }

        @Override
        int entryCount() {
            return entries.length / ENTRY_LONGS;
        }
    }
}
