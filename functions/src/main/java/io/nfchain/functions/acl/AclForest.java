package io.nfchain.functions.acl;

/**
 * The compiled decision trees of one IP version: terminal-rule trees and count-rule trees over
 * shared arrays, and the leaf entries laid out for that version's compares. Immutable after
 * construction.
 *
 * <p>{@link CutTreeBuilder} emits nodes, children and leaf bounds as separate arrays; this class
 * lays them out again so that a packet's walk takes as few dependent loads as it can, which is
 * what a walk costs once the trees of 10,000 rules no longer sit in L1:
 * <ul>
 *   <li>A node and its children are one run of {@link #tree}: {@code [dim | shift << 8 | mask << 16,
 *   checkMask hi, lo, checkValue hi, lo, outside child, child 0, child 1, ...]}. A node reference
 *   is the index of its first int, so the child is read next to the header it was chosen by,
 *   not through a second array.</li>
 *   <li>A leaf reference is the complement of its first entry: the entries run on to a sentinel
 *   entry whose rule is {@link #NONE}, which ends a scan by the same compare that ends it at the
 *   search's limit. The leaf bounds are no longer read per packet.</li>
 * </ul>
 */
abstract sealed class AclForest permits AclForest.V4, AclForest.V6 {
    static final int NONE = Integer.MAX_VALUE;
    /** Ints of a node before its outside child. */
    static final int HEADER_INTS = 5;

    /** Nodes with their children inline; see the class comment. */
    final int[] tree;
    final int nodeCount;
    final int leafEntries;
    // Tree roots sorted by the best (lowest) rule in each, and that rule.
    final int[] roots;
    final int[] best;
    final int[] countRoots;
    final int[] countBest;

    AclForest(CutTreeBuilder b, int[] roots, int[] best, int[] countRoots, int[] countBest) {
        long[] nodes = b.nodes.toArray();
        int[] children = b.children.toArray();
        int[] bounds = b.leafBounds.toArray();
        int leaves = bounds.length / 2;
        int[] leafStart = new int[leaves];
        int entries = 0;
        for (int leaf = 0; leaf < leaves; leaf++) {
            leafStart[leaf] = entries;
            entries += bounds[2 * leaf + 1] + 1; // + the sentinel
        }
        nodeCount = nodes.length / CutTreeBuilder.NODE_LONGS;
        int[] nodeAt = new int[nodeCount];
        int size = 0;
        for (int node = 0; node < nodeCount; node++) {
            nodeAt[node] = size;
            size += HEADER_INTS + 2 + (int) (nodes[node * CutTreeBuilder.NODE_LONGS] >>> 16 & 0xFFFF);
        }
        tree = new int[size];
        for (int node = 0; node < nodeCount; node++) {
            int at = node * CutTreeBuilder.NODE_LONGS;
            long w = nodes[at];
            int mask = (int) (w >>> 16 & 0xFFFF);
            int childOffset = (int) (w >>> 32);
            int p = nodeAt[node];
            tree[p] = (int) (w & 0xFFFF_FFFFL);
            tree[p + 1] = (int) (nodes[at + 1] >>> 32);
            tree[p + 2] = (int) nodes[at + 1];
            tree[p + 3] = (int) (nodes[at + 2] >>> 32);
            tree[p + 4] = (int) nodes[at + 2];
            for (int c = 0; c <= mask + 1; c++) {
                tree[p + HEADER_INTS + c] = ref(children[childOffset - 1 + c], nodeAt, leafStart);
            }
        }
        this.leafEntries = b.leafRules.size();
        this.roots = refs(roots, nodeAt, leafStart);
        this.best = best;
        this.countRoots = refs(countRoots, nodeAt, leafStart);
        this.countBest = countBest;
    }

    private static int ref(int builderRef, int[] nodeAt, int[] leafStart) {
        return builderRef >= 0 ? nodeAt[builderRef] : ~leafStart[~builderRef];
    }

    private static int[] refs(int[] builderRefs, int[] nodeAt, int[] leafStart) {
        int[] out = new int[builderRefs.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = ref(builderRefs[i], nodeAt, leafStart);
        }
        return out;
    }

    /** Leaf i's rules in priority order, each followed by the sentinel: the entry order of both layouts. */
    static int[] entryRules(CutTreeBuilder b) {
        int[] bounds = b.leafBounds.toArray();
        int[] rules = b.leafRules.toArray();
        int[] out = new int[rules.length + bounds.length / 2];
        int n = 0;
        for (int leaf = 0; leaf < bounds.length / 2; leaf++) {
            for (int k = 0; k < bounds[2 * leaf + 1]; k++) {
                out[n++] = rules[bounds[2 * leaf] + k];
            }
            out[n++] = NONE;
        }
        return out;
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
            // Packets still at inner nodes are walking[0..live); one that reaches its leaf swaps
            // to the end, so a round costs the packets still walking, not the whole burst times
            // the deepest walk in it.
            int live = roots[t] >= 0 ? active : 0;
            while (live > 0) {
                for (int a = 0; a < live; ) {
                    int ref = step(refs[a], keys[walking[a]].values);
                    if (ref >= 0) {
                        refs[a++] = ref;
                    } else {
                        live--;
                        refs[a] = refs[live];
                        refs[live] = ref;
                        int i = walking[a];
                        walking[a] = walking[live];
                        walking[live] = i;
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

    /** Walks from tree reference {@code ref} to its leaf for the packet and returns the leaf's first entry. */
    final int descend(int ref, long[] values) {
        while (ref >= 0) {
            ref = step(ref, values);
        }
        return ~ref;
    }

    /** One level down from the node at {@code p}: the child reference for the packet. */
    private int step(int p, long[] values) {
        int[] t = tree;
        int w = t[p];
        long value = values[w & 0xF];
        long checkMask = (long) t[p + 1] << 32 | (t[p + 2] & 0xFFFF_FFFFL);
        long checkValue = (long) t[p + 3] << 32 | (t[p + 4] & 0xFFFF_FFFFL);
        return ((value ^ checkValue) & checkMask) != 0 ? t[p + HEADER_INTS]
                : t[p + HEADER_INTS + 1 + (int) ((value >>> (w >>> 8 & 0x3F)) & (w >>> 16))];
    }

    /** The first rule below {@code limit} in the leaf whose first entry is {@code leaf} that matches, or NONE. */
    abstract int scan(int leaf, AclKey key, int limit);

    abstract void countAll(int leaf, AclKey key, int limit, long[] hits);

    /** Ints of one laid-out leaf entry. */
    abstract int entryWords();

    /** Leaf entries: rules in leaves, copies included (sentinels not). */
    final int entryCount() {
        return leafEntries;
    }

    /** Entries laid out, sentinels included. */
    abstract int entrySlots();

    long memoryBytes() {
        return 4L * (tree.length + roots.length * 2 + countRoots.length * 2) + 4L * entryWords() * entrySlots();
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
            int[] rules = entryRules(b);
            entries = new int[rules.length * ENTRY_INTS];
            for (int i = 0; i < rules.length; i++) {
                int r = rules[i];
                int o = i * ENTRY_INTS;
                int d = r * AclKey.DIMENSIONS;
                entries[o] = r;
                if (r == NONE) {
                    continue;
                }
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
            // The sentinel's rule, NONE, is never below the limit: it ends the loop.
            for (int o = leaf * ENTRY_INTS; ; o += ENTRY_INTS) {
                if (e[o] >= limit) {
                    return NONE;
                }
                if (matches(e, o, key)) {
                    return e[o];
                }
            }
        }

        @Override
        void countAll(int leaf, AclKey key, int limit, long[] hits) {
            int[] e = entries;
            for (int o = leaf * ENTRY_INTS; e[o] < limit; o += ENTRY_INTS) {
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
        int entrySlots() {
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
            int[] rules = entryRules(b);
            entries = new long[rules.length * ENTRY_LONGS];
            for (int i = 0; i < rules.length; i++) {
                int r = rules[i];
                int o = i * ENTRY_LONGS;
                int d = r * AclKey.DIMENSIONS;
                entries[o] = r;
                if (r == NONE) {
                    continue;
                }
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
            // The sentinel's rule, NONE, is never below the limit: it ends the loop.
            for (int o = leaf * ENTRY_LONGS; ; o += ENTRY_LONGS) {
                int rule = (int) e[o];
                if (rule >= limit) {
                    return NONE;
                }
                if (matches(e, o, key)) {
                    return rule;
                }
            }
        }

        @Override
        void countAll(int leaf, AclKey key, int limit, long[] hits) {
            long[] e = entries;
            for (int o = leaf * ENTRY_LONGS; (int) e[o] < limit; o += ENTRY_LONGS) {
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
        int entrySlots() {
            return entries.length / ENTRY_LONGS;
        }
    }
}
