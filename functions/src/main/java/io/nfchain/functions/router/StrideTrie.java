package io.nfchain.functions.router;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The multibit trie both LPM tables are built on: one writer thread, lock-free readers.
 * {@link Ipv4Lpm} and {@link Ipv6Lpm} hold the reader side and the argument why it is safe; this
 * class holds the writer side and must only be called from the table's one writer thread.
 *
 * <p>Level 0 is one array indexed by the first {@code strides[0]} bits of the address; level
 * {@code i > 0} is a pool of groups of {@code 2^strides[i]} entries indexed by the next bits. Every
 * entry is one int:
 * <pre>
 *   leaf:    0 | depth (8 bits, the prefix length that set it) | next hop (23 bits, 0x7FFFFF = none)
 *   pointer: 1 | group index in the next level's pool (31 bits)
 * </pre>
 * Prefixes are expanded at the level where they end (a /20 fills 16 first-level entries), a
 * longer prefix overwrites entries of a shorter one, and the depth in each leaf tells an update
 * which entries belong to which prefix, as DPDK's rte_lpm does. Sign-extending the low 23 bits of
 * a leaf gives its next hop, or -1 for "no route", with no branch.
 *
 * <p>Invariant: a group exists exactly while some route longer than its parent level's bits lies
 * inside it; a delete that ends the last one folds the group back into a leaf in its parent. So
 * memory follows the routes, not the history of updates.
 *
 * <p>Freed groups go to a limbo list; they are reused only after the reclaim {@link #epoch()}
 * moves on, and readers that overlapped that move retry (see {@link Ipv4Lpm}).
 */
final class StrideTrie {
    static final int POINTER = 0x8000_0000;
    static final int NEXT_HOP_MASK = 0x7F_FFFF;
    /** Next hops are 22-bit so that bit 22 is clear and sign extension of 23 bits keeps them. */
    static final int MAX_NEXT_HOP = (1 << 22) - 1;
    /** The leaf of an address no route covers: depth 0, next hop none. */
    static final int EMPTY = NEXT_HOP_MASK;
    static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle EPOCH;
    /** Limbo groups reclaimed in one epoch step when the pool still has never-used groups. */
    private static final int RECLAIM_BATCH = 64;
    private static final int INITIAL_GROUPS = 16;

    static {
        try {
            EPOCH = MethodHandles.lookup().findVarHandle(StrideTrie.class, "epoch", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Told of every store into the first level, after it is made; null when nobody listens.
     * Writer thread.
     */
    interface RootWrites {
        void written(int index, int entry);
    }

    /** Set once, by the constructor or at the end of {@link #build}, before readers exist. */
    private RootWrites rootWrites;
    private final int[] strides;
    private final int[] starts;
    private final int levels;
    private final PrefixTable routes;
    /** [0] is the first level; [i] the groups of level i. Replaced whole when a level grows. */
    private volatile int[][] levelArrays;
    private volatile long epoch;

    // Per-level pool bookkeeping, indexed by level (slot 0 unused). Writer-only.
    private final int[] highWater;
    private final int[] liveGroups;
    private final int[][] free;
    private final int[] freeCount;
    private final int[][] limbo;
    private final int[] limboCount;
    private long reclaims;

    /**
     * @param strides bits per level, summing to 32 or 128; no level may straddle bit 64; the
     *     first at most 24, the others at most 16
     * @param expectedRoutes sizes the route list (it grows past it)
     */
    StrideTrie(int[] strides, int expectedRoutes) {
        this(strides, expectedRoutes, null);
    }

    /** As {@link #StrideTrie(int[], int)}, telling {@code rootWrites} (may be null) of every first-level store. */
    StrideTrie(int[] strides, int expectedRoutes, RootWrites rootWrites) {
        this.rootWrites = rootWrites;
        this.strides = strides.clone();
        this.levels = strides.length;
        this.starts = new int[levels + 1];
        for (int i = 0; i < levels; i++) {
            int s = strides[i];
            if (s < 1 || s > (i == 0 ? 24 : 16) || (starts[i] < 64 && starts[i] + s > 64)) {
                throw new IllegalArgumentException("bad stride " + s + " at level " + i + ": " + Arrays.toString(strides));
            }
            starts[i + 1] = starts[i] + s;
        }
        int keyBits = starts[levels];
        if (keyBits != 32 && keyBits != 128) {
            throw new IllegalArgumentException("strides must sum to 32 or 128: " + Arrays.toString(strides));
        }
        this.routes = new PrefixTable(keyBits, expectedRoutes);
        int[][] arrays = new int[levels][];
        arrays[0] = new int[1 << strides[0]];
        Arrays.fill(arrays[0], EMPTY);
        this.highWater = new int[levels];
        this.liveGroups = new int[levels];
        this.free = new int[levels][];
        this.freeCount = new int[levels];
        this.limbo = new int[levels][];
        this.limboCount = new int[levels];
        for (int level = 1; level < levels; level++) {
            arrays[level] = new int[INITIAL_GROUPS << strides[level]];
            free[level] = new int[INITIAL_GROUPS];
            limbo[level] = new int[INITIAL_GROUPS];
        }
        this.levelArrays = arrays;
    }

    // ---- entry encoding -------------------------------------------------------------------

    static int leaf(int depth, int nextHop) {
        return depth << 23 | nextHop;
    }

    /** The depth of a leaf entry (never call it on a pointer). */
    static int depth(int leaf) {
        return leaf >>> 23;
    }

    /** The next hop of a leaf entry, or -1 for none. */
    static int nextHop(int leaf) {
        return leaf << 9 >> 9;
    }

    static int group(int pointer) {
        return pointer & ~POINTER;
    }

    /** The bits of {@code hi} a prefix of {@code length} keeps. */
    static long maskHi(int length) {
        return length >= 64 ? -1L : length == 0 ? 0 : -1L << (64 - length);
    }

    /** The bits of {@code lo} a prefix of {@code length} keeps. */
    static long maskLo(int length) {
        return length <= 64 ? 0 : -1L << (128 - length);
    }

    // ---- reader support ---------------------------------------------------------------------

    /** The first level (never replaced). */
    int[] root() {
        return levelArrays[0];
    }

    /**
     * The group storage of {@code level}. A reader must fetch it after the acquire load of the
     * pointer it follows: the pointer was published after the array that holds its group.
     */
    int[] levelArray(int level) {
        return levelArrays[level];
    }

    /** The reclaim epoch: it moves before any freed group is written again. */
    long epoch() {
        return epoch;
    }

    // ---- writer side ------------------------------------------------------------------------

    int size() {
        return routes.size();
    }

    int get(long hi, long lo, int length) {
        return routes.get(hi, lo, length);
    }

    void forEach(PrefixTable.RouteVisitor visitor) {
        routes.forEach(visitor);
    }

    /** Adds or replaces a validated route; returns the next hop it replaced, or -1. */
    int put(long hi, long lo, int length, int nextHop) {
        int previous = routes.put(hi, lo, length, nextHop);
        if (previous != nextHop) {
            insert(hi, lo, length, leaf(length, nextHop));
        }
        return previous;
    }

    /** Removes a validated route; returns its next hop, or -1 when it was not there. */
    int remove(long hi, long lo, int length) {
        int removed = routes.remove(hi, lo, length);
        if (removed != PrefixTable.ABSENT) {
            erase(hi, lo, length, routes.coveringLeaf(hi, lo, length));
        }
        return removed;
    }

    private int homeLevel(int depth) {
        int level = 0;
        while (starts[level + 1] < depth) {
            level++;
        }
        return level;
    }

    private int bits(long hi, long lo, int level) {
        int end = starts[level + 1];
        long word = end <= 64 ? hi >>> (64 - end) : lo >>> (128 - end);
        return (int) word & ((1 << strides[level]) - 1);
    }

    /**
     * Writes a leaf for the prefix: groups missing on its path are created full (a copy of the
     * leaf they replace, then the new entries) and only then linked in, top one last.
     */
    private void insert(long hi, long lo, int depth, int newLeaf) {
        int home = homeLevel(depth);
        int index = bits(hi, lo, 0);
        int pendingLevel = -1;
        int pendingIndex = 0;
        int pendingPointer = 0;
        for (int level = 0; level < home; level++) {
            int e = levelArrays[level][index];
            int child;
            if (e < 0) {
                child = group(e);
            } else {
                child = allocate(level + 1);
                int base = child << strides[level + 1];
                Arrays.fill(levelArrays[level + 1], base, base + (1 << strides[level + 1]), e);
                if (pendingLevel < 0) {
                    pendingLevel = level;
                    pendingIndex = index;
                    pendingPointer = POINTER | child;
                } else {
                    levelArrays[level][index] = POINTER | child; // inside a group no reader can reach yet
                }
            }
            index = (child << strides[level + 1]) | bits(hi, lo, level + 1);
        }
        int span = 1 << (starts[home + 1] - depth);
        int first = index & -span;
        int[][] arrays = levelArrays; // nothing below allocates, so the arrays stay put
        for (int i = first; i < first + span; i++) {
            overwrite(arrays, home, i, depth, newLeaf);
        }
        if (pendingLevel >= 0) {
            store(arrays, pendingLevel, pendingIndex, pendingPointer);
        }
    }

    /** Sets {@code newLeaf} wherever no longer prefix than {@code depth} owns the entry. */
    private void overwrite(int[][] arrays, int level, int index, int depth, int newLeaf) {
        int[] a = arrays[level];
        int e = a[index];
        if (e >= 0) {
            if (depth(e) <= depth) {
                store(arrays, level, index, newLeaf);
            }
            return;
        }
        int size = 1 << strides[level + 1];
        int base = group(e) << strides[level + 1];
        for (int i = base; i < base + size; i++) {
            overwrite(arrays, level + 1, i, depth, newLeaf);
        }
    }

    /**
     * Gives the entries the prefix owned to {@code replacement} (its covering route, or empty),
     * then folds away groups on its path that no longer hold anything longer than their parent.
     */
    private void erase(long hi, long lo, int depth, int replacement) {
        int home = homeLevel(depth);
        int[][] arrays = levelArrays; // erase never allocates
        int[] parentIndex = new int[home + 1];
        int[] pathGroup = new int[home + 1];
        int index = bits(hi, lo, 0);
        for (int level = 0; level < home; level++) {
            int e = arrays[level][index];
            if (e >= 0) {
                throw new IllegalStateException("route /" + depth + " is listed but its level " + (level + 1) + " group is missing");
            }
            parentIndex[level + 1] = index;
            pathGroup[level + 1] = group(e);
            index = (group(e) << strides[level + 1]) | bits(hi, lo, level + 1);
        }
        int span = 1 << (starts[home + 1] - depth);
        int first = index & -span;
        for (int i = first; i < first + span; i++) {
            replace(arrays, home, i, depth, replacement);
        }
        for (int level = home; level >= 1; level--) {
            int g = pathGroup[level];
            if (!foldable(arrays[level], level, g)) {
                break;
            }
            store(arrays, level - 1, parentIndex[level], arrays[level][g << strides[level]]);
            retire(level, g);
        }
    }

    private void replace(int[][] arrays, int level, int index, int depth, int replacement) {
        int[] a = arrays[level];
        int e = a[index];
        if (e >= 0) {
            if (depth(e) == depth) {
                store(arrays, level, index, replacement);
            }
            return;
        }
        int size = 1 << strides[level + 1];
        int base = group(e) << strides[level + 1];
        for (int i = base; i < base + size; i++) {
            replace(arrays, level + 1, i, depth, replacement);
        }
    }

    /** A store readers may see: release, so what it links to was written before it. */
    private void store(int[][] arrays, int level, int index, int entry) {
        INTS.setRelease(arrays[level], index, entry);
        if (level == 0 && rootWrites != null) {
            rootWrites.written(index, entry);
        }
    }

    /** True when every entry is a leaf no longer than the parent's bits: then all are equal. */
    private boolean foldable(int[] a, int level, int group) {
        int base = group << strides[level];
        int maxDepth = starts[level];
        for (int i = base; i < base + (1 << strides[level]); i++) {
            int e = a[i];
            if (e < 0 || depth(e) > maxDepth) {
                return false;
            }
        }
        return true;
    }

    // ---- group pools ------------------------------------------------------------------------

    private int capacity(int level) {
        return levelArrays[level].length >>> strides[level];
    }

    private int allocate(int level) {
        liveGroups[level]++;
        if (freeCount[level] > 0) {
            return free[level][--freeCount[level]];
        }
        boolean full = highWater[level] == capacity(level);
        if (limboCount[level] >= RECLAIM_BATCH || (full && limboCount[level] > 0)) {
            reclaimAll();
            return free[level][--freeCount[level]];
        }
        if (full) {
            grow(level);
        }
        return highWater[level]++;
    }

    private void retire(int level, int group) {
        liveGroups[level]--;
        if (limboCount[level] == limbo[level].length) {
            limbo[level] = Arrays.copyOf(limbo[level], Math.max(INITIAL_GROUPS, limbo[level].length * 2));
        }
        limbo[level][limboCount[level]++] = group;
    }

    /**
     * Moves every level's limbo to its free list. The epoch step is a volatile read-modify-write:
     * it comes after the stores that unlinked those groups and before any store that reuses them,
     * so a reader that saw an unlinked group and then reads a reused one sees the epoch change.
     */
    private void reclaimAll() {
        EPOCH.getAndAdd(this, 1L);
        reclaims++;
        for (int level = 1; level < levels; level++) {
            int n = limboCount[level];
            if (freeCount[level] + n > free[level].length) {
                free[level] = Arrays.copyOf(free[level], Math.max(free[level].length * 2, freeCount[level] + n));
            }
            System.arraycopy(limbo[level], 0, free[level], freeCount[level], n);
            freeCount[level] += n;
            limboCount[level] = 0;
        }
    }

    /** Doubles a level's pool: a new array, published before any pointer into its new groups. */
    private void grow(int level) {
        int[][] arrays = levelArrays.clone();
        arrays[level] = Arrays.copyOf(arrays[level], arrays[level].length * 2);
        levelArrays = arrays;
    }

    /** Cuts every pool to the groups in use; only for a table no reader has seen yet (after a build). */
    void trimUnpublished() {
        int[][] arrays = levelArrays.clone();
        for (int level = 1; level < levels; level++) {
            if (freeCount[level] + limboCount[level] == 0) {
                arrays[level] = Arrays.copyOf(arrays[level], Math.max(1, highWater[level]) << strides[level]);
                free[level] = new int[0];
                limbo[level] = new int[0];
            }
        }
        levelArrays = arrays;
    }

    // ---- accounting -------------------------------------------------------------------------

    /** Bytes held: every level's array, the pools' free lists and the route list. */
    long memoryBytes() {
        long bytes = routes.memoryBytes();
        int[][] arrays = levelArrays;
        for (int level = 0; level < levels; level++) {
            bytes += arrays[level].length * 4L;
            if (level > 0) {
                bytes += (free[level].length + limbo[level].length) * 4L;
            }
        }
        return bytes;
    }

    /** Bytes of the forwarding structure alone (levels in use), without the route list. */
    long forwardingBytes() {
        long bytes = levelArrays[0].length * 4L;
        for (int level = 1; level < levels; level++) {
            bytes += (long) liveGroups[level] << strides[level] << 2;
        }
        return bytes;
    }

    /** Groups in use at {@code level} (level 0 is the first-level array, reported as 1). */
    int liveGroups(int level) {
        return level == 0 ? 1 : liveGroups[level];
    }

    /** How many times freed groups were reclaimed (epoch steps). */
    long reclaims() {
        return reclaims;
    }

    int levels() {
        return levels;
    }

    int stride(int level) {
        return strides[level];
    }

    // ---- bulk build -------------------------------------------------------------------------

    /**
     * A table from validated routes, shortest first so that every write lands on a leaf; a prefix
     * listed twice keeps its last next hop, as two adds would. {@code los} may be null (IPv4).
     */
    static StrideTrie build(int[] strides, long[] his, long[] los, int[] lengths, int[] nextHops, int count) {
        return build(strides, his, los, lengths, nextHops, count, null);
    }

    /** As the other build, telling {@code rootWrites} (may be null) of every first-level store. */
    static StrideTrie build(int[] strides, long[] his, long[] los, int[] lengths, int[] nextHops, int count,
            RootWrites rootWrites) {
        StrideTrie trie = new StrideTrie(strides, count, null);
        int maxLength = trie.starts[trie.levels];
        int[] start = new int[maxLength + 2];
        for (int i = 0; i < count; i++) {
            start[lengths[i] + 1]++;
        }
        for (int l = 0; l <= maxLength; l++) {
            start[l + 1] += start[l];
        }
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[start[lengths[i]]++] = i;
        }
        for (int i : order) {
            trie.put(his[i], los == null ? 0 : los[i], lengths[i], nextHops[i]);
        }
        trie.trimUnpublished();
        if (rootWrites != null) { // told once, in order, instead of at each of the build's many overwrites
            int[] root = trie.root();
            for (int i = 0; i < root.length; i++) {
                rootWrites.written(i, root[i]);
            }
            trie.rootWrites = rootWrites;
        }
        return trie;
    }
}
