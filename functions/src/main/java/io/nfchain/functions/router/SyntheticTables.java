package io.nfchain.functions.router;

import java.util.SplittableRandom;

/**
 * Synthetic routing tables shaped like the public BGP table, for tests and benchmarks: the same
 * seed always gives the same routes, in the same (shuffled) order. Stateless; thread-safe.
 *
 * <p><b>Prefix lengths</b> follow the published distributions, rounded:
 * <ul>
 *   <li>IPv4: about 1M prefixes, /24s about 60% of them, then /22, /23, /21, /20, /19, /16
 *   (the CIDR Report, www.cidr-report.org, and bgp.potaroo.net's per-length tables, 2024:
 *   950k to 1M entries, 53k net growth in 2024, per G. Huston, "BGP in 2024", APNIC blog, Jan
 *   2025). Real DFZ tables carry almost nothing longer than /24 (filtered); a router also holds
 *   its own IGP routes, so 1.5% /25../32 (loopbacks, links) are added.</li>
 *   <li>IPv6: about 226k prefixes (226,415 at bgp.potaroo.net/v6/as6447, Oct 2024), /48s about
 *   46-47% ("BGP in 2023", Huston: /48 is the most common size, ~46%), then /32, /44, /40, /29,
 *   /46, /47, /36. The weights below give an average length of 43.17 against potaroo's published
 *   43.24 for that table; the test of this class checks it.</li>
 * </ul>
 * <b>Placement</b>: a prefix is a more-specific of an earlier, shorter one with the probability
 * potaroo reports ("specifics as % of FIB entries": 58% for IPv6, Oct 2024; we take half for
 * IPv4), placed uniformly inside it; otherwise it lies in space no earlier route covers, in unicast
 * space (IPv4: first octets 1..223 except 10 and 127) or in the RIRs' IPv6 blocks (2001::/16 and the /12s IANA gave
 * APNIC, ARIN, LACNIC, RIPE NCC, AFRINIC, weighted by our rough guess of their share of routes).
 * Uniform placement inside a parent scatters more-specifics more than operators do (they tend to
 * number sequentially), so IPv6 group memory here is if anything pessimistic.
 */
public final class SyntheticTables {
    /** IPv4 prefix length to weight (about routes per million). */
    static final int[] IPV4_WEIGHTS = new int[33];
    /** IPv6 prefix length to weight (about routes per 9,500). */
    static final int[] IPV6_WEIGHTS = new int[129];
    static final double IPV4_SPECIFIC_SHARE = 0.5;
    static final double IPV6_SPECIFIC_SHARE = 0.58;
    /** Tries before a placement gives in: a more-specific whose parents are full goes anywhere. */
    private static final int MAX_TRIES = 1000;
    /** IPv6 blocks as {first 16 bits, bits that are fixed (12 or 16), weight}. */
    private static final int[][] IPV6_BLOCKS = {
        {0x2001, 16, 5}, {0x2400, 12, 22}, {0x2600, 12, 22}, {0x2800, 12, 10}, {0x2A00, 12, 40}, {0x2C00, 12, 1},
    };

    static {
        int[][] v4 = {{8, 16}, {9, 14}, {10, 38}, {11, 100}, {12, 290}, {13, 580}, {14, 1200}, {15, 2100},
            {16, 13500}, {17, 8200}, {18, 13800}, {19, 25000}, {20, 42000}, {21, 50000}, {22, 125000},
            {23, 100000}, {24, 590000}, {25, 500}, {26, 500}, {27, 500}, {28, 800}, {29, 1000}, {30, 3000},
            {31, 1000}, {32, 8000}};
        for (int[] w : v4) {
            IPV4_WEIGHTS[w[0]] = w[1];
        }
        int[][] v6 = {{16, 1}, {19, 2}, {20, 6}, {21, 3}, {22, 4}, {23, 4}, {24, 14}, {25, 3}, {26, 5}, {27, 6},
            {28, 75}, {29, 300}, {30, 50}, {31, 30}, {32, 950}, {33, 140}, {34, 130}, {35, 75}, {36, 250},
            {37, 45}, {38, 80}, {39, 60}, {40, 620}, {41, 50}, {42, 160}, {43, 80}, {44, 1000}, {45, 130},
            {46, 330}, {47, 300}, {48, 4500}, {52, 8}, {56, 25}, {60, 5}, {64, 40}};
        for (int[] w : v6) {
            IPV6_WEIGHTS[w[0]] = w[1];
        }
    }

    private SyntheticTables() {}

    /** A full-size IPv4 table: 1,000,000 routes over 64 next hops. */
    public static Ipv4Routes ipv4(long seed) {
        return ipv4(1_000_000, 64, seed);
    }

    /** A full-size IPv6 table: 250,000 routes over 64 next hops. */
    public static Ipv6Routes ipv6(long seed) {
        return ipv6(250_000, 64, seed);
    }

    /**
     * {@code count} distinct IPv4 routes with the Internet's prefix-length mix and nesting.
     *
     * @param nextHops next hops are drawn uniformly from 0 to nextHops - 1
     */
    public static Ipv4Routes ipv4(int count, int nextHops, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] perLength = apportion(IPV4_WEIGHTS, count);
        long[] his = new long[count];
        int[] lengths = new int[count];
        PrefixTable seen = new PrefixTable(32, count);
        int n = 0;
        for (int length = 0; length <= 32; length++) {
            int shorter = n;
            for (int k = 0; k < perLength[length]; k++) {
                boolean specific = shorter > 0 && (length > 24 || random.nextDouble() < IPV4_SPECIFIC_SHARE);
                long hi;
                int tries = 0;
                do {
                    int address;
                    specific &= tries < MAX_TRIES;
                    if (specific) {
                        int parent = random.nextInt(shorter);
                        address = (int) (his[parent] >>> 32) | (random.nextInt() & (int) (0xFFFF_FFFFL >>> lengths[parent]));
                    } else {
                        int first = random.nextInt(1, 224);
                        while (first == 10 || first == 127) {
                            first = random.nextInt(1, 224);
                        }
                        address = first << 24 | (random.nextInt() & 0xFF_FFFF);
                    }
                    hi = ((address & 0xFFFF_FFFFL) << 32) & StrideTrie.maskHi(length);
                } while (!fresh(seen, hi, 0, length, specific, ++tries));
                his[n] = hi;
                lengths[n] = length;
                n++;
            }
        }
        Ipv4Routes routes = new Ipv4Routes(count);
        for (int i : shuffled(count, random)) {
            routes.add((int) (his[i] >>> 32), lengths[i], random.nextInt(nextHops));
        }
        return routes;
    }

    /** {@code count} distinct IPv6 routes with the Internet's prefix-length mix and nesting. */
    public static Ipv6Routes ipv6(int count, int nextHops, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] perLength = apportion(IPV6_WEIGHTS, count);
        int blockWeights = 0;
        for (int[] b : IPV6_BLOCKS) {
            blockWeights += b[2];
        }
        long[] his = new long[count];
        long[] los = new long[count];
        int[] lengths = new int[count];
        PrefixTable seen = new PrefixTable(128, count);
        int n = 0;
        for (int length = 0; length <= 128; length++) {
            int shorter = n;
            for (int k = 0; k < perLength[length]; k++) {
                boolean specific = shorter > 0 && random.nextDouble() < IPV6_SPECIFIC_SHARE;
                long hi;
                long lo;
                int tries = 0;
                do {
                    specific &= tries < MAX_TRIES;
                    if (specific) {
                        int parent = random.nextInt(shorter);
                        hi = his[parent] | (random.nextLong() & ~StrideTrie.maskHi(lengths[parent]));
                        lo = los[parent] | (random.nextLong() & ~StrideTrie.maskLo(lengths[parent]));
                    } else {
                        int[] block = pick(IPV6_BLOCKS, random.nextInt(blockWeights));
                        hi = ((long) block[0] << 48 & StrideTrie.maskHi(block[1])) | (random.nextLong() & ~StrideTrie.maskHi(block[1]));
                        lo = random.nextLong();
                    }
                    hi &= StrideTrie.maskHi(length);
                    lo &= StrideTrie.maskLo(length);
                } while (!fresh(seen, hi, lo, length, specific, ++tries));
                his[n] = hi;
                los[n] = lo;
                lengths[n] = length;
                n++;
            }
        }
        Ipv6Routes routes = new Ipv6Routes(count);
        for (int i : shuffled(count, random)) {
            routes.add(his[i], los[i], lengths[i], random.nextInt(nextHops));
        }
        return routes;
    }

    /**
     * {@code count} addresses each inside a random route of the table (which may route them by
     * a longer prefix): traffic that the table actually forwards.
     */
    public static int[] coveredIpv4(Ipv4Routes routes, int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            int r = random.nextInt(routes.size());
            out[i] = routes.prefix(r) | (random.nextInt() & (int) (0xFFFF_FFFFL >>> routes.length(r)));
        }
        return out;
    }

    /** As {@link #coveredIpv4}, as hi, lo pairs. */
    public static long[] coveredIpv6(Ipv6Routes routes, int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] out = new long[2 * count];
        for (int i = 0; i < count; i++) {
            int r = random.nextInt(routes.size());
            out[2 * i] = routes.prefixHi(r) | (random.nextLong() & ~StrideTrie.maskHi(routes.length(r)));
            out[2 * i + 1] = routes.prefixLo(r) | (random.nextLong() & ~StrideTrie.maskLo(routes.length(r)));
        }
        return out;
    }

    /**
     * Takes the prefix if it is new and, unless it is meant to be a more-specific, outside every
     * route so far: allocations do not overlap, so an independent route lands in free space.
     * A more-specific gets MAX_TRIES tries, then the same again in free space, then overlap is accepted.
     */
    private static boolean fresh(PrefixTable seen, long hi, long lo, int length, boolean specific, int tries) {
        if (seen.get(hi, lo, length) != PrefixTable.ABSENT) {
            return false;
        }
        if (!specific && tries < 2 * MAX_TRIES && seen.coveringLeaf(hi, lo, length) != StrideTrie.EMPTY) {
            return false;
        }
        seen.put(hi, lo, length, 0);
        return true;
    }

    /** Splits {@code total} over the lengths in proportion to the weights; the rounding goes to the heaviest. */
    static int[] apportion(int[] weights, int total) {
        long sum = 0;
        int heaviest = 0;
        for (int l = 0; l < weights.length; l++) {
            sum += weights[l];
            heaviest = weights[l] > weights[heaviest] ? l : heaviest;
        }
        int[] counts = new int[weights.length];
        int assigned = 0;
        for (int l = 0; l < weights.length; l++) {
            counts[l] = (int) (weights[l] * (long) total / sum);
            counts[l] = Math.min(counts[l], l >= 30 ? Integer.MAX_VALUE : 1 << l); // /8 has only 256 prefixes
            assigned += counts[l];
        }
        counts[heaviest] += total - assigned;
        return counts;
    }

    private static int[] pick(int[][] blocks, int ticket) {
        for (int[] b : blocks) {
            ticket -= b[2];
            if (ticket < 0) {
                return b;
            }
        }
        return blocks[blocks.length - 1];
    }

    private static int[] shuffled(int count, SplittableRandom random) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        for (int i = count - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
