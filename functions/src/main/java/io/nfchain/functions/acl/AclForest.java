package io.nfchain.functions.acl;

/**
 * The compiled decision trees of one IP version: terminal-rule trees and count-rule trees over
 * shared arrays, their leaves as lists of rule indexes, and one entry per rule laid out for that
 * version's compares. Immutable after construction.
 *
 * <p>{@link CutTreeBuilder} emits nodes, children and leaf bounds as separate arrays; this class
 * lays them out again so that a packet's walk takes as few dependent loads as it can, which is
 * what a walk costs once the trees of 10,000 rules no longer sit in L1:
 * <ul>
 *   <li>A node and its children are one run of {@link #tree}: {@code [dim | shift << 8 | mask << 16,
 *   checkMask hi, lo, checkValue hi, lo, outside child, child 0, child 1, ...]}. A node reference
 *   is the index of its first int, so the child is read next to the header it was chosen by,
 *   not through a second array.</li>
 *   <li>A leaf reference is the complement of its first index in {@link #leaves}: the leaf's rule
 *   indexes run on to a sentinel {@link #NONE}, which ends a scan by the same compare that ends it
 *   at the search's limit, so the leaf bounds are not read per packet.</li>
 *   <li>A leaf holds rule indexes (4 bytes a copy), not the rules' bounds: each rule's bounds are
 *   laid out once, in the subclass's table, at its index. Rules are copied into many leaves (about
 *   4 times each at 10,000 rules), so copying 48-byte entries made the 10,000-rule leaves 2 MB,
 *   twice this VM's L2; as indexes plus one table they take under a third of that (0.6 MB with
 *   the IPv4 table), and a scan reads a line of indexes, then the rules' rows.</li>
 * </ul>
 */
abstract sealed class AclForest permits AclForest.V4, AclForest.V6 {
    static final int NONE = Integer.MAX_VALUE;
    /** Ints of a node before its outside child. */
    static final int HEADER_INTS = 5;

    /** Nodes with their children inline; see the class comment. */
    final int[] tree;
    /** Every leaf's rule indexes in priority order, each leaf ended by NONE; see the class comment. */
    final int[] leaves;
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
        int[] rules = b.leafRules.toArray();
        int leafCount = bounds.length / 2;
        int[] leafStart = new int[leafCount];
        leaves = new int[rules.length + leafCount];
        int n = 0;
        for (int leaf = 0; leaf < leafCount; leaf++) {
            leafStart[leaf] = n;
            for (int k = 0; k < bounds[2 * leaf + 1]; k++) {
                leaves[n++] = rules[bounds[2 * leaf] + k];
            }
            leaves[n++] = NONE;
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

    /** Walks from tree reference {@code ref} to its leaf for the packet and returns the leaf's first index in {@link #leaves}. */
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

    /** The first rule below {@code limit} in the leaf that starts at {@code leaves[leaf]} that matches, or NONE. */
    abstract int scan(int leaf, AclKey key, int limit);

    abstract void countAll(int leaf, AclKey key, int limit, long[] hits);

    /** Leaf entries: rules in leaves, copies included (sentinels not). */
    final int entryCount() {
        return leafEntries;
    }

    /** Bytes of the rule table. */
    abstract long tableBytes();

    long memoryBytes() {
        return 4L * (tree.length + leaves.length + roots.length * 2 + countRoots.length * 2) + tableBytes();
    }

    /**
     * IPv4 rules: {@link #RULE_INTS} ints per rule at {@code rule * RULE_INTS}, compared as ints.
     * IPv4 prefixes are value/mask pairs; protocol and DSCP (each exact or any), "no source port",
     * "no destination port" and the TCP flags are one masked compare against {@link AclKey}'s
     * {@code misc4} word. The rows of IPv6 rules are never read (no IPv4 leaf holds them).
     * <pre>
     *  0 src value  1 src mask  2 dst value  3 dst mask      (values with the sign bit flipped, as the key's)
     *  4 sport lo | hi << 16    5 dport lo | hi << 16
     *  6 misc value             7 misc mask                  (misc: see AclKey.misc4)
     * </pre>
     */
    static final class V4 extends AclForest {
        static final int RULE_INTS = 8;
        private final int[] table;

        V4(CutTreeBuilder b, long[] lo, long[] hi, int[] flagsMask, int[] flagsValue,
           int[] roots, int[] best, int[] countRoots, int[] countBest) {
            super(b, roots, best, countRoots, countBest);
            int n = flagsMask.length;
            table = new int[n * RULE_INTS];
            for (int r = 0; r < n; r++) {
                int o = r * RULE_INTS;
                int d = r * AclKey.DIMENSIONS;
                int srcLo = (int) lo[d + AclKey.DIM_SRC_LO];
                int dstLo = (int) lo[d + AclKey.DIM_DST_LO];
                // An IPv4 (or version-less) box is a prefix: hi - lo is its host bits.
                table[o] = srcLo ^ Integer.MIN_VALUE;
                table[o + 1] = ~((int) hi[d + AclKey.DIM_SRC_LO] - srcLo);
                table[o + 2] = dstLo ^ Integer.MIN_VALUE;
                table[o + 3] = ~((int) hi[d + AclKey.DIM_DST_LO] - dstLo);
                table[o + 4] = ports(lo[d + AclKey.DIM_SRC_PORT], hi[d + AclKey.DIM_SRC_PORT]);
                table[o + 5] = ports(lo[d + AclKey.DIM_DST_PORT], hi[d + AclKey.DIM_DST_PORT]);
                boolean protocol = lo[d + AclKey.DIM_PROTOCOL] == hi[d + AclKey.DIM_PROTOCOL];
                boolean dscp = lo[d + AclKey.DIM_DSCP] == hi[d + AclKey.DIM_DSCP];
                // A given range (never "any", which ends at 0x1FFFF) needs the port to be there.
                int ports = (hi[d + AclKey.DIM_SRC_PORT] <= 0xFFFF ? AclKey.MISC_NO_SRC_PORT : 0)
                        | (hi[d + AclKey.DIM_DST_PORT] <= 0xFFFF ? AclKey.MISC_NO_DST_PORT : 0);
                table[o + 6] = (protocol ? (int) lo[d + AclKey.DIM_PROTOCOL] : 0)
                        | (dscp ? (int) lo[d + AclKey.DIM_DSCP] << AclKey.MISC_DSCP_SHIFT : 0)
                        | flagsValue[r] << AclKey.MISC_FLAGS_SHIFT;
                table[o + 7] = (protocol ? 0xFF : 0) | (dscp ? 0x3F << AclKey.MISC_DSCP_SHIFT : 0)
                        | ports | flagsMask[r] << AclKey.MISC_FLAGS_SHIFT;
            }
        }

        /** A port range as lo | hi << 16; "any" (which spans NO_PORT) as 0-65535, the no-ports bit tells the rest. */
        private static int ports(long lo, long hi) {
            return (int) lo | (int) Math.min(hi, 0xFFFF) << 16;
        }

        @Override
        int scan(int leaf, AclKey key, int limit) {
            int[] l = leaves;
            // The sentinel, NONE, is never below the limit: it ends the loop.
            for (int k = leaf; ; k++) {
                int r = l[k];
                if (r >= limit) {
                    return NONE;
                }
                if (matches(r * RULE_INTS, key)) {
                    return r;
                }
            }
        }

        @Override
        void countAll(int leaf, AclKey key, int limit, long[] hits) {
            int[] l = leaves;
            for (int k = leaf; l[k] < limit; k++) {
                if (matches(l[k] * RULE_INTS, key)) {
                    hits[l[k]]++;
                }
            }
        }

        /**
         * All fields in integer arithmetic, one compare at the end: masked differences are 0 where
         * a field matches; {@code port - lo} and {@code hi - port} (17-bit values) are negative
         * where the port is outside the range. (Measured as fast as {@code &} of per-field compares
         * at 10,000 rules and a little faster at 10; the entry is what made the difference.)
         */
        private boolean matches(int o, AclKey key) {
            int[] e = table;
            int sports = e[o + 4];
            int dports = e[o + 5];
            int sport = key.srcPort16;
            int dport = key.dstPort16;
            int differ = ((key.src4 ^ e[o]) & e[o + 1]) | ((key.dst4 ^ e[o + 2]) & e[o + 3]) | ((key.misc4 & e[o + 7]) ^ e[o + 6]);
            int outside = (sport - (sports & 0xFFFF)) | ((sports >>> 16) - sport) | (dport - (dports & 0xFFFF)) | ((dports >>> 16) - dport);
            return (differ | outside >>> 31) == 0;
        }

        @Override
        long tableBytes() {
            return 4L * table.length;
        }
    }

    /**
     * IPv6 rules: {@link #RULE_LONGS} longs per rule at {@code rule * RULE_LONGS}, compared as longs.
     * <pre>
     *  0..7 lo, hi of src hi, src lo, dst hi, dst lo   (sign bit flipped)
     *  8 sport lo | hi << 32   9 dport lo | hi << 32
     *  10 protocol lo | hi << 8 | dscp lo << 16 | dscp hi << 24 | flags mask << 32 | flags value << 48
     * </pre>
     */
    static final class V6 extends AclForest {
        static final int RULE_LONGS = 11;
        private final long[] table;

        V6(CutTreeBuilder b, long[] lo, long[] hi, int[] flagsMask, int[] flagsValue,
           int[] roots, int[] best, int[] countRoots, int[] countBest) {
            super(b, roots, best, countRoots, countBest);
            int n = flagsMask.length;
            table = new long[n * RULE_LONGS];
            for (int r = 0; r < n; r++) {
                int o = r * RULE_LONGS;
                int d = r * AclKey.DIMENSIONS;
                for (int dim = 0; dim < 4; dim++) {
                    table[o + 2 * dim] = lo[d + dim] ^ Long.MIN_VALUE;
                    table[o + 1 + 2 * dim] = hi[d + dim] ^ Long.MIN_VALUE;
                }
                table[o + 8] = lo[d + AclKey.DIM_SRC_PORT] | hi[d + AclKey.DIM_SRC_PORT] << 32;
                table[o + 9] = lo[d + AclKey.DIM_DST_PORT] | hi[d + AclKey.DIM_DST_PORT] << 32;
                table[o + 10] = lo[d + AclKey.DIM_PROTOCOL] | hi[d + AclKey.DIM_PROTOCOL] << 8
                        | lo[d + AclKey.DIM_DSCP] << 16 | hi[d + AclKey.DIM_DSCP] << 24
                        | (long) flagsMask[r] << 32 | (long) flagsValue[r] << 48;
            }
        }

        @Override
        int scan(int leaf, AclKey key, int limit) {
            int[] l = leaves;
            long[] e = table;
            // The sentinel, NONE, is never below the limit: it ends the loop.
            for (int k = leaf; ; k++) {
                int r = l[k];
                if (r >= limit) {
                    return NONE;
                }
                if (matches(e, r * RULE_LONGS, key)) {
                    return r;
                }
            }
        }

        @Override
        void countAll(int leaf, AclKey key, int limit, long[] hits) {
            int[] l = leaves;
            long[] e = table;
            for (int k = leaf; l[k] < limit; k++) {
                if (matches(e, l[k] * RULE_LONGS, key)) {
                    hits[l[k]]++;
                }
            }
        }

        private static boolean matches(long[] e, int o, AclKey key) {
            long[] f = key.flipped;
            for (int dim = 0; dim < 4; dim++) {
                long v = f[dim];
                if (v < e[o + 2 * dim] || v > e[o + 1 + 2 * dim]) {
                    return false;
                }
            }
            long sport = e[o + 8];
            long dport = e[o + 9];
            long misc = e[o + 10];
            return key.srcPort >= (int) sport && key.srcPort <= (int) (sport >>> 32)
                    && key.dstPort >= (int) dport && key.dstPort <= (int) (dport >>> 32)
                    && key.protocol >= ((int) misc & 0xFF) && key.protocol <= ((int) misc >>> 8 & 0xFF)
                    && key.dscp >= ((int) misc >>> 16 & 0xFF) && key.dscp <= ((int) misc >>> 24)
                    && (key.tcpFlags & (int) (misc >>> 32) & 0xFFFF) == (int) (misc >>> 48);
        }

        @Override
        long tableBytes() {
            return 8L * table.length;
        }
    }
}
