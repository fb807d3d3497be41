package io.nfchain.functions.router;

import io.nfchain.core.packet.IpAddresses;
import io.nfchain.functions.rules.InvalidRuleException;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * IPv4 longest-prefix match for a full Internet table (DIR-24-8). Safe for one writer thread
 * ({@link #add}, {@link #remove}) and any number of concurrent readers ({@link #lookup}) without
 * locks; lookups allocate nothing and never wait for the writer.
 *
 * <pre>
 *   address:  | 24 bits --------------------------------| 8 bits |
 *                  |                                        |
 *   tbl24  [2^24 ints, 64 MiB] ---- leaf: next hop ----    |
 *                  |                                        |
 *                  +-- pointer g --> tbl8 group g [256 ints] [low 8 bits] -- leaf: next hop
 * </pre>
 * A prefix up to /24 fills {@code 2^(24-len)} tbl24 entries; a longer one gets a 256-entry group
 * (1 KiB) for its /24, shared by every longer prefix in that /24. Entries carry the depth that
 * set them (see {@link StrideTrie}), so adds and deletes rewrite only the entries a prefix owns,
 * and a delete restores the covering route from the route list. Memory: 64 MiB plus 1 KiB per
 * /24 that holds longer prefixes plus the route list (24 bytes per route at worst).
 *
 * <h2>Why concurrent lookups are safe</h2>
 * Every entry is one int, and Java never tears an int write, so a reader sees each entry either
 * before or after a store. The writer keeps three orders:
 * <ol>
 *   <li><b>Fill, then link.</b> A new group is filled completely (a copy of the leaf it replaces,
 *   then the new prefix) before the tbl24 pointer to it is stored with release semantics; readers
 *   load tbl24 with acquire semantics, so whoever sees the pointer sees the filled group. In-place
 *   changes of live entries are single stores of a complete leaf: an address reads its old or its
 *   new next hop, nothing else.</li>
 *   <li><b>Arrays before pointers.</b> When a level's pool grows, the new array is published
 *   (volatile) before any pointer into its new groups; a reader fetches the level's array after
 *   its acquire load of the pointer, so the group index is always inside the array it reads.</li>
 *   <li><b>No reuse while a reader may hold a group.</b> A delete that empties a group folds it
 *   back into a tbl24 leaf (one release store, the leaf every entry already held) and puts the
 *   group in limbo; it is not written again until the writer steps the reclaim epoch, a volatile
 *   read-modify-write placed after the unlinking stores and before any reuse. A reader reads the
 *   epoch before its lookups (acquire) and again after them (behind an acquire fence) and retries
 *   the batch when it moved: if it read a group that was reused, the reuse came after the epoch
 *   step, so its second read sees the step. This is a sequence lock whose writer never makes
 *   readers wait; the writer steps the epoch only once per 64 freed groups (or when its pool is
 *   full), so retries are rare. Grace periods without reader registration are what the JVM can
 *   offer where DPDK uses RCU quiescent states.</li>
 * </ol>
 * Across addresses a route change is not atomic: while a /8 is being replaced some addresses of
 * it may already read the new next hop and others the old, as in rte_lpm.
 *
 * <h2>A byte per /24 in front</h2>
 * Lookups first read {@link Tbl24Bytes}: 16 MiB, one byte per /24 naming its next hop by a
 * one-byte id, or sending the lookup on to tbl24 where the /24 holds longer prefixes. It mirrors
 * every tbl24 store, made after it, so the orders above still hold for whatever goes on to tbl24,
 * and a byte answer is the /24's previous or new next hop. A random lookup is one miss into that
 * 16 MiB instead of 64 MiB, a quarter as much for the caches to hold.
 */
public final class Ipv4Lpm {
    /** What a lookup returns when no route covers the address. */
    public static final int NO_ROUTE = -1;
    /** The largest next-hop id a route may carry (about 4 million). */
    public static final int MAX_NEXT_HOP = StrideTrie.MAX_NEXT_HOP;
    private static final int[] STRIDES = {24, 8};

    private final StrideTrie trie;
    private final int[] tbl24;
    private final Tbl24Bytes bytes;
    private final byte[] ids;
    private final int[] idNextHops;

    /** An empty table. */
    public Ipv4Lpm() {
        this(new Tbl24Bytes());
    }

    private Ipv4Lpm(Tbl24Bytes bytes) {
        this(new StrideTrie(STRIDES, 1024, bytes), bytes);
    }

    private Ipv4Lpm(StrideTrie trie, Tbl24Bytes bytes) {
        this.trie = trie;
        this.tbl24 = trie.root();
        this.bytes = bytes;
        this.ids = bytes.ids();
        this.idNextHops = bytes.nextHops();
    }

    /**
     * A table holding {@code routes}, built without the update machinery (about a second for a
     * million routes). A prefix listed twice keeps its last next hop. Every route is validated
     * first: a bad one throws {@link InvalidRuleException} naming {@code routes[i].field} and no
     * table is built.
     */
    public static Ipv4Lpm build(Ipv4Routes routes) {
        int n = routes.size();
        long[] his = new long[n];
        int[] lengths = new int[n];
        int[] nextHops = new int[n];
        for (int i = 0; i < n; i++) {
            validate("routes[" + i + "].", routes.prefix(i), routes.length(i), routes.nextHop(i));
            his[i] = key(routes.prefix(i));
            lengths[i] = routes.length(i);
            nextHops[i] = routes.nextHop(i);
        }
        Tbl24Bytes bytes = new Tbl24Bytes();
        return new Ipv4Lpm(StrideTrie.build(STRIDES, his, null, lengths, nextHops, n, bytes), bytes);
    }

    // ---- lookups: any thread ------------------------------------------------------------------

    /** The next hop of the longest prefix containing {@code address}, or {@link #NO_ROUTE}. */
    public int lookup(int address) {
        int id = bytes.idAcquire(address >>> 8);
        if (id != Tbl24Bytes.VIA_TBL24) {
            return idNextHops[id];
        }
        StrideTrie t = trie;
        while (true) {
            long epoch = t.epoch();
            int nextHop = walk(t, tbl24, address);
            VarHandle.acquireFence();
            if (t.epoch() == epoch) {
                return nextHop;
            }
        }
    }

    /**
     * Looks up {@code addresses[0..count)} into {@code nextHops[0..count)} ({@link #NO_ROUTE}
     * where no route covers): one burst of a worker.
     *
     * <p>Two passes. The first reads every address's byte with plain loads and nothing else in
     * the loop, so the burst's misses are all in flight at once. An acquire fence then orders
     * those loads before every later one (an id's next hop is seen stored); the second pass turns
     * ids into next hops and sends the rest through tbl24, with the acquire load that the
     * fill-then-link order needs before a group is read. Measured against one pass with a per-load
     * acquire (docs/router-lpm.md): faster for random addresses, a little slower for covered ones,
     * whose entries are more often cached.
     */
    public void lookup(int[] addresses, int[] nextHops, int count) {
        Objects.checkFromIndexSize(0, count, addresses.length);
        Objects.checkFromIndexSize(0, count, nextHops.length);
        StrideTrie t = trie;
        int[] root = tbl24;
        byte[] first = ids;
        int[] ofId = idNextHops;
        long epoch;
        do {
            epoch = t.epoch();
            for (int i = 0; i < count; i++) {
                nextHops[i] = first[addresses[i] >>> 8];
            }
            VarHandle.acquireFence();
            for (int i = 0; i < count; i++) {
                int id = nextHops[i] & 0xFF;
                nextHops[i] = id != Tbl24Bytes.VIA_TBL24 ? ofId[id] : walk(t, root, addresses[i]);
            }
            VarHandle.acquireFence();
        } while (t.epoch() != epoch);
    }

    private static int walk(StrideTrie t, int[] root, int address) {
        int e = (int) StrideTrie.INTS.getAcquire(root, address >>> 8);
        if (e < 0) {
            e = t.levelArray(1)[(StrideTrie.group(e) << 8) | (address & 0xFF)];
        }
        return StrideTrie.nextHop(e);
    }

    // ---- updates: the one writer thread -------------------------------------------------------

    /**
     * Adds a route, or gives an existing prefix a new next hop; returns the next hop it replaced,
     * or {@link #NO_ROUTE} when the prefix is new. Writer thread only.
     *
     * @param prefix the network address; host bits must be zero (10.0.0.0/8, not 10.0.0.1/8)
     * @param length 0 (default route) to 32 (a host)
     * @param nextHop 0 to {@link #MAX_NEXT_HOP}
     * @throws InvalidRuleException naming {@code prefix}, {@code prefixLength} or {@code nextHop};
     *     the table is unchanged
     */
    public int add(int prefix, int length, int nextHop) {
        validate("", prefix, length, nextHop);
        return trie.put(key(prefix), 0, length, nextHop);
    }

    /**
     * Removes a route; its addresses fall back to the longest shorter route covering them.
     * Returns the removed next hop, or {@link #NO_ROUTE} when there was no such route. Writer
     * thread only.
     *
     * @throws InvalidRuleException for a prefix no route could have (length, host bits)
     */
    public int remove(int prefix, int length) {
        validatePrefix("", prefix, length);
        return trie.remove(key(prefix), 0, length);
    }

    /** The next hop of exactly this route, or {@link #NO_ROUTE}. Writer thread only. */
    public int get(int prefix, int length) {
        validatePrefix("", prefix, length);
        return trie.get(key(prefix), 0, length);
    }

    /** The routes, in no particular order. Writer thread only. */
    public Ipv4Routes routes() {
        Ipv4Routes out = new Ipv4Routes(trie.size());
        trie.forEach((hi, lo, length, nextHop) -> out.add((int) (hi >>> 32), length, nextHop));
        return out;
    }

    /** Number of routes. Writer thread only. */
    public int size() {
        return trie.size();
    }

    /** Bytes this table holds: the byte index, tbl24, the group pool, the route list. Writer thread only. */
    public long memoryBytes() {
        return bytes.memoryBytes() + trie.memoryBytes();
    }

    /** Groups of 256 entries in use (one per /24 holding longer prefixes). Writer thread only. */
    public int groups() {
        return trie.liveGroups(1);
    }

    StrideTrie trie() {
        return trie;
    }

    Tbl24Bytes bytes() {
        return bytes;
    }

    private static long key(int prefix) {
        return (prefix & 0xFFFF_FFFFL) << 32;
    }

    private static void validate(String path, int prefix, int length, int nextHop) {
        validatePrefix(path, prefix, length);
        if (nextHop < 0 || nextHop > MAX_NEXT_HOP) {
            throw new InvalidRuleException(path + "nextHop", "must be 0.." + MAX_NEXT_HOP + ", was " + nextHop);
        }
    }

    private static void validatePrefix(String path, int prefix, int length) {
        if (length < 0 || length > 32) {
            throw new InvalidRuleException(path + "prefixLength", "must be 0..32, was " + length);
        }
        int hostMask = length == 32 ? 0 : -1 >>> length;
        if ((prefix & hostMask) != 0) {
            throw new InvalidRuleException(path + "prefix", IpAddresses.ipv4ToString(prefix) + "/" + length
                    + " has host bits set; the network is " + IpAddresses.ipv4ToString(prefix & ~hostMask) + "/" + length);
        }
    }
}
