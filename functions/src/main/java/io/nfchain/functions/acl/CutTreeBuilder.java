package io.nfchain.functions.acl;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds HiCuts-style decision trees over rule boxes into flat arrays. Not thread-safe: one
 * builder per compile, off the hot path.
 *
 * <p>A node's region is an aligned block in every dimension (a base and a number of free low
 * bits), so a child is chosen by a shift and a mask of the packet's value, with no comparisons.
 * Building a node:
 * <ol>
 *   <li>Pick the dimension whose rule edges split the region into the most elementary intervals
 *       (HiCuts' heuristic). None splits it: every rule spans the region, so it is a leaf.</li>
 *   <li>Find the smallest aligned block holding every edge: the hull of the rules that do not
 *       span the whole region. A packet outside it (a masked compare tells) can only match the
 *       rules that do, which get a child of their own. This is what keeps a 64-bit dimension
 *       from costing a level per bit while the rules' edges share their upper bits.</li>
 *   <li>Cut the block into 2^c equal children, c as large as HiCuts' space measure allows:
 *       rules copied into children plus children at most {@code spaceFactor} times the rules.</li>
 *   <li>In each child keep the rules that reach it, in priority order, and drop every rule after
 *       the first terminal rule without TCP flags that covers the child whole: they can never
 *       win there. This is what stops wildcard rules from being copied without end.</li>
 * </ol>
 * Children with the same rules share one subtree when every one of those rules spans the
 * children whole in the cut dimension (then the subproblems are the same, translated), and all
 * empty children share node 0.
 *
 * <p>A tree reference is a node index (0 or more) or the complement of a leaf index (below 0).
 * Nodes take 3 longs in {@link #nodes}: {@code [dim | shift << 8 | mask << 16 | childOffset << 32,
 * checkMask, checkValue]}. A packet whose {@code value(dim) & checkMask != checkValue} is outside
 * the cut block and goes to {@code children[childOffset - 1]}, the others to
 * {@code children[childOffset + ((value(dim) >>> shift) & mask)]}. Leaf i holds
 * {@code leafBounds[2i + 1]} rules from {@code leafRules[leafBounds[2i]]} on, in priority order.
 */
final class CutTreeBuilder {
    /** The shared empty leaf. */
    static final int EMPTY = ~0;
    /** Longs per node in {@link #nodes}. */
    static final int NODE_LONGS = 3;
    static final int MAX_CUT_BITS = 16;

    /** Thrown when a tree outgrows its budget; the caller retries with cheaper settings. */
    static final class BudgetExceeded extends RuntimeException {
        BudgetExceeded() {
            super("decision tree over its memory budget", null, false, false);
        }
    }

    private final long[] lo;
    private final long[] hi;
    private final boolean[] endsList;
    private int binth;
    private int spaceFactor;
    private int maxCutBits;
    private long budgetWords;

    private final int leafEntryWords;
    final LongArray nodes = new LongArray();
    final IntArray children = new IntArray();
    final IntArray leafBounds = new IntArray();
    final IntArray leafRules = new IntArray();
    int maxDepth;
    int maxLeaf;

    /**
     * @param lo       per rule, {@link AclKey#DIMENSIONS} unsigned lower bounds ({@code rule * 8 + dim})
     * @param hi       the upper bounds, inclusive
     * @param endsList per rule: a match ends the search and nothing but the box decides it
     * @param leafEntryWords ints (longs count two) the budget charges for each rule copied into a leaf, besides the copy's own int
     */
    CutTreeBuilder(long[] lo, long[] hi, boolean[] endsList, int leafEntryWords) {
        this.lo = lo;
        this.hi = hi;
        this.endsList = endsList;
        this.leafEntryWords = leafEntryWords;
        this.budgetWords = Long.MAX_VALUE;
        leaf(new int[0]);
    }

    /**
     * Builds a tree for {@code rules} (ascending) over the region and returns its root reference, or
     * throws {@link BudgetExceeded} having taken back everything this call added.
     *
     * @param binth       a node with at most this many rules is a leaf
     * @param spaceFactor HiCuts' spfac
     * @param maxCutBits  at most 2^maxCutBits children per node
     * @param budget      the most ints (longs count two) this tree may add
     */
    int buildRoot(int[] rules, long[] base, int[] bits, int binth, int spaceFactor, int maxCutBits, long budget) {
        this.binth = binth;
        this.spaceFactor = spaceFactor;
        this.maxCutBits = Math.min(maxCutBits, MAX_CUT_BITS);
        int nodesMark = nodes.size();
        int childrenMark = children.size();
        int boundsMark = leafBounds.size();
        int leafMark = leafRules.size();
        int depthMark = maxDepth;
        int leafMaxMark = maxLeaf;
        budgetWords = words() + budget;
        try {
            return build(truncate(rules, base, bits), base, bits, 1);
        } catch (BudgetExceeded e) {
            nodes.truncate(nodesMark);
            children.truncate(childrenMark);
            leafBounds.truncate(boundsMark);
            leafRules.truncate(leafMark);
            maxDepth = depthMark;
            maxLeaf = leafMaxMark;
            throw e;
        } finally {
            budgetWords = Long.MAX_VALUE;
        }
    }

    /** Every rule in one leaf: the linear scan a tree falls back to when it would not fit its budget. */
    int buildLinear(int[] rules) {
        return leaf(rules);
    }

    private int build(int[] rules, long[] base, int[] bits, int depth) {
        if (rules.length == 0) {
            return EMPTY;
        }
        maxDepth = Math.max(maxDepth, depth);
        int dim = rules.length <= binth ? -1 : bestDimension(rules, base, bits);
        if (dim < 0) {
            return leaf(rules);
        }
        long regionLo = base[dim];
        long regionHi = regionHi(regionLo, bits[dim]);
        // The block to cut is the hull of the rules that do not span the region; rules that span
        // it are all a packet outside that block can match, so it goes to an "outside" child.
        long min = regionHi;
        long max = regionLo;
        int spanning = 0;
        for (int r : rules) {
            long l = maxU(lo[r * 8 + dim], regionLo);
            long h = minU(hi[r * 8 + dim], regionHi);
            if (l == regionLo && h == regionHi) {
                spanning++;
            } else {
                min = minU(min, l);
                max = maxU(max, h);
            }
        }
        int blockBits = min == max ? 0 : 64 - Long.numberOfLeadingZeros(min ^ max);
        long blockBase = min & ~lowMask(blockBits);
        long checkMask = lowMask(bits[dim]) & ~lowMask(blockBits);
        int cutBits = cutBits(rules, dim, blockBase, blockBits, regionLo, regionHi);
        int shift = blockBits - cutBits;
        int fanout = 1 << cutBits;

        int[][] lists = childLists(rules, dim, blockBase, blockBits, shift, fanout - 1, regionLo, regionHi);
        int childOffset = children.grow(fanout + 1);
        int node = addNode(dim, shift, fanout - 1, childOffset + 1, checkMask, blockBase & checkMask);
        int outside = EMPTY;
        if (checkMask != 0 && spanning > 0) {
            int[] spans = new int[spanning];
            int n = 0;
            for (int r : rules) {
                if (Long.compareUnsigned(lo[r * 8 + dim], regionLo) <= 0 && Long.compareUnsigned(hi[r * 8 + dim], regionHi) >= 0) {
                    spans[n++] = r;
                }
            }
            outside = build(truncate(spans, base, bits), base, bits, depth + 1);
        }
        children.set(childOffset, outside);
        childOffset++;
        Map<RuleList, Integer> shared = new HashMap<>();
        long[] childBase = base.clone();
        int[] childBits = bits.clone();
        childBits[dim] = shift;
        for (int j = 0; j < fanout; j++) {
            childBase[dim] = blockBase | ((long) j << shift);
            int[] list = truncate(lists[j], childBase, childBits);
            boolean shareable = spansWhole(list, dim, childBase[dim], regionHi(childBase[dim], shift));
            RuleList key = shareable ? new RuleList(list) : null;
            Integer known = shareable ? shared.get(key) : null;
            int child = known != null ? known : build(list, childBase, childBits, depth + 1);
            if (shareable && known == null) {
                shared.put(key, child);
            }
            children.set(childOffset + j, child);
        }
        return node;
    }

    /** The dimension cut into the most elementary intervals by rule edges, or -1 when none is cut. */
    private int bestDimension(int[] rules, long[] base, int[] bits) {
        int best = -1;
        int bestIntervals = 1;
        long[] edges = new long[rules.length * 2];
        for (int d = 0; d < AclKey.DIMENSIONS; d++) {
            if (bits[d] == 0) {
                continue;
            }
            long regionLo = base[d];
            long regionHi = regionHi(regionLo, bits[d]);
            int n = 0;
            for (int r : rules) {
                long l = lo[r * 8 + d];
                long h = hi[r * 8 + d];
                if (Long.compareUnsigned(l, regionLo) > 0) {
                    edges[n++] = l ^ Long.MIN_VALUE;
                }
                if (Long.compareUnsigned(h, regionHi) < 0) {
                    edges[n++] = (h + 1) ^ Long.MIN_VALUE;
                }
            }
            Arrays.sort(edges, 0, n);
            int intervals = n == 0 ? 1 : 2;
            for (int i = 1; i < n; i++) {
                if (edges[i] != edges[i - 1]) {
                    intervals++;
                }
            }
            if (intervals > bestIntervals) {
                bestIntervals = intervals;
                best = d;
            }
        }
        return best;
    }

    /** The most cut bits whose copies plus children stay within spaceFactor times the rules (at least 1). */
    private int cutBits(int[] rules, int dim, long blockBase, int blockBits, long regionLo, long regionHi) {
        int chosen = Math.min(blockBits, 1);
        long blockLo = maxU(blockBase, regionLo);
        long blockHi = minU(regionHi(blockBase, blockBits), regionHi);
        long allowed = (long) spaceFactor * rules.length;
        for (int c = 2; c <= Math.min(blockBits, maxCutBits); c++) {
            int shift = blockBits - c;
            long mask = (1L << c) - 1;
            long copies = 1L << c;
            for (int r : rules) {
                long l = maxU(lo[r * 8 + dim], blockLo);
                long h = minU(hi[r * 8 + dim], blockHi);
                if (Long.compareUnsigned(l, h) <= 0) {
                    copies += ((h >>> shift) & mask) - ((l >>> shift) & mask) + 1;
                }
            }
            if (copies > allowed) {
                break;
            }
            chosen = c;
        }
        return chosen;
    }

    /** Per child of the block, the rules that reach it (rules that miss the block reach none). */
    private int[][] childLists(int[] rules, int dim, long blockBase, int blockBits, int shift, int mask,
                               long regionLo, long regionHi) {
        long blockLo = maxU(blockBase, regionLo);
        long blockHi = minU(regionHi(blockBase, blockBits), regionHi);
        int[] counts = new int[mask + 1];
        int[][] lists = new int[mask + 1][];
        for (int pass = 0; pass < 2; pass++) {
            for (int r : rules) {
                long l = maxU(lo[r * 8 + dim], blockLo);
                long h = minU(hi[r * 8 + dim], blockHi);
                if (Long.compareUnsigned(l, h) > 0) {
                    continue;
                }
                int first = (int) ((l >>> shift) & mask);
                int last = (int) ((h >>> shift) & mask);
                for (int j = first; j <= last; j++) {
                    if (pass == 0) {
                        counts[j]++;
                    } else {
                        lists[j][counts[j]++] = r;
                    }
                }
            }
            if (pass == 0) {
                for (int j = 0; j <= mask; j++) {
                    lists[j] = new int[counts[j]];
                    counts[j] = 0;
                }
            }
        }
        return lists;
    }

    /** The rules up to and including the first that ends the search anywhere in the region. */
    private int[] truncate(int[] rules, long[] base, int[] bits) {
        for (int i = 0; i < rules.length; i++) {
            int r = rules[i];
            if (endsList[r] && covers(r, base, bits)) {
                return i + 1 == rules.length ? rules : Arrays.copyOf(rules, i + 1);
            }
        }
        return rules;
    }

    private boolean covers(int r, long[] base, int[] bits) {
        for (int d = 0; d < AclKey.DIMENSIONS; d++) {
            if (Long.compareUnsigned(lo[r * 8 + d], base[d]) > 0
                    || Long.compareUnsigned(hi[r * 8 + d], regionHi(base[d], bits[d])) < 0) {
                return false;
            }
        }
        return true;
    }

    private boolean spansWhole(int[] rules, int dim, long regionLo, long regionHi) {
        for (int r : rules) {
            if (Long.compareUnsigned(lo[r * 8 + dim], regionLo) > 0 || Long.compareUnsigned(hi[r * 8 + dim], regionHi) < 0) {
                return false;
            }
        }
        return true;
    }

    private int leaf(int[] rules) {
        maxLeaf = Math.max(maxLeaf, rules.length);
        int leaf = leafBounds.size() / 2;
        leafBounds.add(leafRules.size());
        leafBounds.add(rules.length);
        for (int r : rules) {
            leafRules.add(r);
        }
        checkBudget();
        return ~leaf;
    }

    private int addNode(int dim, int shift, int mask, int childOffset, long checkMask, long checkValue) {
        int node = nodes.size() / NODE_LONGS;
        nodes.add(dim | (long) shift << 8 | (long) mask << 16 | (long) childOffset << 32);
        nodes.add(checkMask);
        nodes.add(checkValue);
        checkBudget();
        return node;
    }

    private void checkBudget() {
        if (words() > budgetWords) {
            throw new BudgetExceeded();
        }
    }

    /** Ints used so far once laid out, longs counted as two. */
    long words() {
        return 2L * nodes.size() + children.size() + leafBounds.size() + (long) leafRules.size() * (1 + leafEntryWords);
    }

    static long regionHi(long base, int bits) {
        return base | lowMask(bits);
    }

    static long lowMask(int bits) {
        return bits >= 64 ? -1L : (1L << bits) - 1;
    }

    private static long minU(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }

    private static long maxU(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }

    /** A rule list as a map key. */
    private record RuleList(int[] rules) {
        @Override
        public boolean equals(Object o) {
            return o instanceof RuleList other && Arrays.equals(rules, other.rules);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(rules);
        }

        @Override
        public String toString() {
            return Arrays.toString(rules);
        }
    }

    /** A growable int array. */
    static final class IntArray {
        private int[] a = new int[64];
        private int size;

        void add(int v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[size++] = v;
        }

        /** Appends n slots (to be set) and returns the index of the first. */
        int grow(int n) {
            while (size + n > a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            int at = size;
            size += n;
            return at;
        }

        void set(int i, int v) {
            a[i] = v;
        }

        void truncate(int newSize) {
            size = newSize;
        }

        int size() {
            return size;
        }

        int[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }

    /** A growable long array. */
    static final class LongArray {
        private long[] a = new long[64];
        private int size;

        void add(long v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[size++] = v;
        }

        int size() {
            return size;
        }

        void truncate(int newSize) {
            size = newSize;
        }

        long[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }
}
