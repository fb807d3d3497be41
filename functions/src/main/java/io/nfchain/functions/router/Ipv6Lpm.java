package io.nfchain.functions.router;

import io.nfchain.core.packet.IpAddresses;
import io.nfchain.core.packet.NetBytes;
import io.nfchain.functions.rules.InvalidRuleException;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * IPv6 longest-prefix match for a full Internet table: a multibit trie with strides chosen for
 * where IPv6 prefixes end. Safe for one writer thread ({@link #add}, {@link #remove}) and any
 * number of concurrent readers ({@link #lookup}) without locks; lookups allocate nothing.
 *
 * <pre>
 *   bits:    0      16     24     32   36   40   44   48     56     64   ...   120    128
 *   level:   | 0    | 1    | 2    | 3  | 4  | 5  | 6  | 7    | 8    | 9 .. 16 (8 bits) |
 *   entries: 65536  256    256    16   16   16   16   256    256    256 each
 *   group:   -      1 KiB  1 KiB  64 B 64 B 64 B 64 B 1 KiB  1 KiB  1 KiB each
 * </pre>
 * The first level (256 KiB) covers /16s; stride-8 groups reach the /32 where most allocations
 * end; stride-4 groups, one cache line each, cover /32 to /48 where nine in ten of the table's
 * prefixes end (/36, /40, /44, /48 land on level boundaries); stride-8 groups continue to /128.
 * An isolated /48 under an existing /32 costs four 64-byte groups instead of two 1 KiB groups,
 * and a /48 lookup reads at most seven entries. Same entry format, update algorithm and
 * concurrency argument as {@link Ipv4Lpm} (see there): release/acquire on pointers, level arrays
 * fetched after the pointer into them, freed groups reused only after the reclaim epoch moved,
 * and readers that overlapped that move retry.
 */
public final class Ipv6Lpm {
    /** What a lookup returns when no route covers the address. */
    public static final int NO_ROUTE = -1;
    /** The largest next-hop id a route may carry. */
    public static final int MAX_NEXT_HOP = StrideTrie.MAX_NEXT_HOP;
    static final int[] STRIDES = {16, 8, 8, 4, 4, 4, 4, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8};
    /** Per level: shift of the level's bits within their 64-bit word, and whether it is {@code lo}. */
    private static final int[] SHIFT = new int[STRIDES.length];
    private static final int[] MASK = new int[STRIDES.length];
    private static final int FIRST_LO_LEVEL;

    static {
        int end = 0;
        int firstLo = STRIDES.length;
        for (int level = 0; level < STRIDES.length; level++) {
            end += STRIDES[level];
            SHIFT[level] = end <= 64 ? 64 - end : 128 - end;
            MASK[level] = (1 << STRIDES[level]) - 1;
            if (end > 64 && firstLo == STRIDES.length) {
                firstLo = level;
            }
        }
        FIRST_LO_LEVEL = firstLo;
    }

    private final StrideTrie trie;
    private final int[] root;

    /** An empty table. */
    public Ipv6Lpm() {
        this(new StrideTrie(STRIDES, 1024));
    }

    private Ipv6Lpm(StrideTrie trie) {
        this.trie = trie;
        this.root = trie.root();
    }

    /**
     * A table holding {@code routes}, built without the update machinery. A prefix listed twice
     * keeps its last next hop. Every route is validated first: a bad one throws
     * {@link InvalidRuleException} naming {@code routes[i].field} and no table is built.
     */
    public static Ipv6Lpm build(Ipv6Routes routes) {
        int n = routes.size();
        long[] his = new long[n];
        long[] los = new long[n];
        int[] lengths = new int[n];
        int[] nextHops = new int[n];
        for (int i = 0; i < n; i++) {
            validate("routes[" + i + "].", routes.prefixHi(i), routes.prefixLo(i), routes.length(i), routes.nextHop(i));
            his[i] = routes.prefixHi(i);
            los[i] = routes.prefixLo(i);
            lengths[i] = routes.length(i);
            nextHops[i] = routes.nextHop(i);
        }
        return new Ipv6Lpm(StrideTrie.build(STRIDES, his, los, lengths, nextHops, n));
    }

    // ---- lookups: any thread ------------------------------------------------------------------

    /** The next hop of the longest prefix containing the address {@code hi:lo}, or {@link #NO_ROUTE}. */
    public int lookup(long hi, long lo) {
        StrideTrie t = trie;
        while (true) {
            long epoch = t.epoch();
            int nextHop = walk(t, root, hi, lo);
            VarHandle.acquireFence();
            if (t.epoch() == epoch) {
                return nextHop;
            }
        }
    }

    /** Looks up the 16-byte address at {@code offset} of {@code segment} (network byte order). */
    public int lookup(MemorySegment segment, long offset) {
        return lookup(NetBytes.u64(segment, offset), NetBytes.u64(segment, offset + 8));
    }

    /**
     * Looks up {@code count} addresses held as pairs {@code addresses[2i] = hi, addresses[2i+1] = lo}
     * into {@code nextHops[0..count)} ({@link #NO_ROUTE} where no route covers): one burst.
     *
     * <p>The burst goes level by level: every first-level entry, then for every lookup still on a
     * pointer its next entry, and so on. One lookup after the other would end each walk on a
     * branch that depends on a load and mispredicts, so the CPU would wait out every cache miss
     * alone; a level's loads are independent, and their misses overlap (6 times faster measured
     * over covered addresses).
     */
    public void lookup(long[] addresses, int[] nextHops, int count) {
        Objects.checkFromIndexSize(0, count, nextHops.length);
        Objects.checkFromIndexSize(0, 2 * count, addresses.length);
        StrideTrie t = trie;
        int[] first = root;
        long epoch;
        do {
            epoch = t.epoch();
            int pointers = 0;
            for (int i = 0; i < count; i++) {
                int e = (int) StrideTrie.INTS.getAcquire(first, (int) (addresses[2 * i] >>> 48));
                nextHops[i] = e;
                pointers |= e;
            }
            for (int level = 1; pointers < 0; level++) {
                pointers = step(t.levelArray(level), level, addresses, nextHops, count);
            }
            VarHandle.acquireFence();
        } while (t.epoch() != epoch);
        for (int i = 0; i < count; i++) {
            nextHops[i] = StrideTrie.nextHop(nextHops[i]);
        }
    }

    /**
     * One level for the whole burst: every entry that is still a pointer is replaced by the entry
     * it points to; leaves read the harmless entry 0 and stay. The loads are independent, so
     * their cache misses overlap. Returns the OR of the new entries (negative: pointers remain).
     */
    private static int step(int[] groups, int level, long[] addresses, int[] entries, int count) {
        int shift = SHIFT[level];
        int mask = MASK[level];
        int stride = STRIDES[level];
        int word = level < FIRST_LO_LEVEL ? 0 : 1;
        int pointers = 0;
        for (int i = 0; i < count; i++) {
            int e = entries[i];
            int bits = (int) (addresses[2 * i + word] >>> shift) & mask;
            int index = e < 0 ? (StrideTrie.group(e) << stride) | bits : 0;
            int next = (int) StrideTrie.INTS.getAcquire(groups, index);
            e = e < 0 ? next : e;
            entries[i] = e;
            pointers |= e;
        }
        return pointers;
    }

    private static int walk(StrideTrie t, int[] root, long hi, long lo) {
        int e = (int) StrideTrie.INTS.getAcquire(root, (int) (hi >>> 48));
        int level = 1;
        while (e < 0) {
            long word = level < FIRST_LO_LEVEL ? hi : lo;
            int index = (StrideTrie.group(e) << STRIDES[level]) | ((int) (word >>> SHIFT[level]) & MASK[level]);
            e = (int) StrideTrie.INTS.getAcquire(t.levelArray(level), index);
            level++;
        }
        return StrideTrie.nextHop(e);
    }

    // ---- updates: the one writer thread -------------------------------------------------------

    /**
     * Adds a route, or gives an existing prefix a new next hop; returns the next hop it replaced,
     * or {@link #NO_ROUTE} when the prefix is new. Writer thread only.
     *
     * @param prefixHi high 64 bits of the network address; host bits must be zero
     * @param prefixLo low 64 bits of the network address
     * @param length 0 (default route) to 128 (a host)
     * @param nextHop 0 to {@link #MAX_NEXT_HOP}
     * @throws InvalidRuleException naming {@code prefix}, {@code prefixLength} or {@code nextHop};
     *     the table is unchanged
     */
    public int add(long prefixHi, long prefixLo, int length, int nextHop) {
        validate("", prefixHi, prefixLo, length, nextHop);
        return trie.put(prefixHi, prefixLo, length, nextHop);
    }

    /**
     * Removes a route; its addresses fall back to the longest shorter route covering them.
     * Returns the removed next hop, or {@link #NO_ROUTE} when there was no such route. Writer
     * thread only.
     *
     * @throws InvalidRuleException for a prefix no route could have (length, host bits)
     */
    public int remove(long prefixHi, long prefixLo, int length) {
        validatePrefix("", prefixHi, prefixLo, length);
        return trie.remove(prefixHi, prefixLo, length);
    }

    /** The next hop of exactly this route, or {@link #NO_ROUTE}. Writer thread only. */
    public int get(long prefixHi, long prefixLo, int length) {
        validatePrefix("", prefixHi, prefixLo, length);
        return trie.get(prefixHi, prefixLo, length);
    }

    /** The routes, in no particular order. Writer thread only. */
    public Ipv6Routes routes() {
        Ipv6Routes out = new Ipv6Routes(trie.size());
        trie.forEach(out::add);
        return out;
    }

    /** Number of routes. Writer thread only. */
    public int size() {
        return trie.size();
    }

    /** Bytes this table holds: every level, the group pools, the route list. Writer thread only. */
    public long memoryBytes() {
        return trie.memoryBytes();
    }

    StrideTrie trie() {
        return trie;
    }

    private static void validate(String path, long hi, long lo, int length, int nextHop) {
        validatePrefix(path, hi, lo, length);
        if (nextHop < 0 || nextHop > MAX_NEXT_HOP) {
            throw new InvalidRuleException(path + "nextHop", "must be 0.." + MAX_NEXT_HOP + ", was " + nextHop);
        }
    }

    private static void validatePrefix(String path, long hi, long lo, int length) {
        if (length < 0 || length > 128) {
            throw new InvalidRuleException(path + "prefixLength", "must be 0..128, was " + length);
        }
        long keepHi = StrideTrie.maskHi(length);
        long keepLo = StrideTrie.maskLo(length);
        if ((hi & ~keepHi) != 0 || (lo & ~keepLo) != 0) {
            throw new InvalidRuleException(path + "prefix", IpAddresses.ipv6ToString(hi, lo) + "/" + length
                    + " has host bits set; the network is " + IpAddresses.ipv6ToString(hi & keepHi, lo & keepLo) + "/" + length);
        }
    }
}
