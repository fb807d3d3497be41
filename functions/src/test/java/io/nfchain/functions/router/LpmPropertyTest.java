package io.nfchain.functions.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Many random tables, each driven by a random mix of adds, re-adds and deletes, checked after
 * every few updates against {@link NaiveLpm} over random addresses and the edges of the routes'
 * ranges, both one by one and in bursts; at the end the group count must be exactly what the
 * routes need, and a table built in bulk from the same routes must answer the same.
 *
 * <p>Prefixes are drawn near a few base addresses, so they nest and neighbour each other at
 * every depth: deletes then have covering routes to restore and groups to fold.
 */
class LpmPropertyTest {
    private static final int BURST = 32;

    /** The table under test, seen through 128-bit keys. */
    private interface Table {
        int add(long hi, long lo, int length, int nextHop);

        int remove(long hi, long lo, int length);

        int get(long hi, long lo, int length);

        int lookup(long hi, long lo);

        /** Bursts: {@code addresses} holds hi, lo pairs. */
        void lookup(long[] addresses, int[] nextHops, int count);

        int size();

        StrideTrie trie();

        /** A table built in bulk from this one's routes. */
        Table rebuilt();
    }

    private static Table v4(Ipv4Lpm lpm) {
        return new Table() {
            private final int[] burst = new int[BURST];

            public int add(long hi, long lo, int length, int nextHop) {
                return lpm.add((int) (hi >>> 32), length, nextHop);
            }

            public int remove(long hi, long lo, int length) {
                return lpm.remove((int) (hi >>> 32), length);
            }

            public int get(long hi, long lo, int length) {
                return lpm.get((int) (hi >>> 32), length);
            }

            public int lookup(long hi, long lo) {
                return lpm.lookup((int) (hi >>> 32));
            }

            public void lookup(long[] addresses, int[] nextHops, int count) {
                for (int i = 0; i < count; i++) {
                    burst[i] = (int) (addresses[2 * i] >>> 32);
                }
                lpm.lookup(burst, nextHops, count);
            }

            public int size() {
                return lpm.size();
            }

            public StrideTrie trie() {
                return lpm.trie();
            }

            public Table rebuilt() {
                return v4(Ipv4Lpm.build(lpm.routes()));
            }
        };
    }

    private static Table v6(Ipv6Lpm lpm) {
        return new Table() {
            public int add(long hi, long lo, int length, int nextHop) {
                return lpm.add(hi, lo, length, nextHop);
            }

            public int remove(long hi, long lo, int length) {
                return lpm.remove(hi, lo, length);
            }

            public int get(long hi, long lo, int length) {
                return lpm.get(hi, lo, length);
            }

            public int lookup(long hi, long lo) {
                return lpm.lookup(hi, lo);
            }

            public void lookup(long[] addresses, int[] nextHops, int count) {
                lpm.lookup(addresses, nextHops, count);
            }

            public int size() {
                return lpm.size();
            }

            public StrideTrie trie() {
                return lpm.trie();
            }

            public Table rebuilt() {
                return v6(Ipv6Lpm.build(lpm.routes()));
            }
        };
    }

    @Test
    void ipv4AgreesWithTheReferenceUnderRandomUpdates() {
        // One IPv4 table costs 64 MiB of tbl24: the cases reuse a few tables by emptying them.
        long checked = run(32, 60, 1, () -> v4(new Ipv4Lpm()));
        assertTrue(checked > 1_500_000, "addresses checked: " + checked);
    }

    @Test
    void ipv6AgreesWithTheReferenceUnderRandomUpdates() {
        long checked = run(128, 60, 2, () -> v6(new Ipv6Lpm()));
        assertTrue(checked > 1_500_000, "addresses checked: " + checked);
    }

    private long run(int maxLength, int tables, long seed, java.util.function.Supplier<Table> fresh) {
        SplittableRandom random = new SplittableRandom(seed);
        long checked = 0;
        Table table = null;
        for (int t = 0; t < tables; t++) {
            if (t % 10 == 0) {
                table = fresh.get();
            }
            checked += runOne(maxLength, table, random.split(), "table " + t + " (seed " + seed + ")");
        }
        return checked;
    }

    /** Drives one table through random updates; leaves it empty for the next case. */
    private long runOne(int maxLength, Table table, SplittableRandom random, String name) {
        NaiveLpm reference = new NaiveLpm(maxLength);
        Prefixes prefixes = new Prefixes(maxLength, random);
        List<long[]> live = new ArrayList<>(); // {hi, lo, length}
        int operations = random.nextInt(200, 3000);
        long checked = 0;
        for (int op = 0; op < operations; op++) {
            if (live.isEmpty() || random.nextInt(100) < 62) {
                long[] p = !live.isEmpty() && random.nextInt(10) == 0 ? live.get(random.nextInt(live.size())) : prefixes.next();
                int nextHop = random.nextInt(20) == 0 ? Ipv4Lpm.MAX_NEXT_HOP : random.nextInt(1000);
                int expected = reference.put(p[0], p[1], (int) p[2], nextHop);
                assertEquals(expected, table.add(p[0], p[1], (int) p[2], nextHop), name + " add");
                if (expected == -1) {
                    live.add(p);
                }
            } else if (random.nextInt(8) == 0) {
                long[] p = prefixes.next();
                assertEquals(reference.remove(p[0], p[1], (int) p[2]), table.remove(p[0], p[1], (int) p[2]), name + " remove any");
                live.removeIf(q -> q[0] == p[0] && q[1] == p[1] && q[2] == p[2]);
            } else {
                long[] p = live.remove(random.nextInt(live.size()));
                int expected = reference.remove(p[0], p[1], (int) p[2]);
                assertTrue(expected >= 0);
                assertEquals(expected, table.remove(p[0], p[1], (int) p[2]), name + " remove");
            }
            if (op % 20 == 0) {
                checked += compare(table, reference, prefixes, live, random, 200, name + " after op " + op);
            }
        }
        assertEquals(reference.size(), table.size(), name + " size");
        for (long[] p : live) {
            assertEquals(reference.get(p[0], p[1], (int) p[2]), table.get(p[0], p[1], (int) p[2]), name + " get");
        }
        checkGroups(table.trie(), reference, maxLength, name);
        checked += compare(table, reference, prefixes, live, random, 12_000, name + " at the end");
        if (random.nextInt(4) == 0) { // an IPv4 build costs 64 MiB: not every case
            checked += compare(table.rebuilt(), reference, prefixes, live, random, 5_000, name + " rebuilt");
        }
        for (long[] p : live) {
            table.remove(p[0], p[1], (int) p[2]);
        }
        assertEquals(0, table.size());
        checkGroups(table.trie(), new NaiveLpm(maxLength), maxLength, name + " emptied");
        return checked;
    }

    private static long compare(Table table, NaiveLpm reference, Prefixes prefixes, List<long[]> live,
                                SplittableRandom random, int count, String name) {
        long[] burst = new long[2 * BURST];
        int[] expected = new int[BURST];
        int[] actual = new int[BURST];
        for (int done = 0; done < count; done += BURST) {
            for (int i = 0; i < BURST; i++) {
                long[] a = probe(prefixes, live, random);
                burst[2 * i] = a[0];
                burst[2 * i + 1] = a[1];
                expected[i] = reference.lookup(a[0], a[1]);
                assertEquals(expected[i], table.lookup(a[0], a[1]), () -> name + " lookup " + Long.toHexString(a[0]) + ":" + Long.toHexString(a[1]));
            }
            table.lookup(burst, actual, BURST);
            for (int i = 0; i < BURST; i++) {
                assertEquals(expected[i], actual[i], name + " burst lookup");
            }
        }
        return count;
    }

    /** An address near the bases, at an edge of a live route's range, or anywhere. */
    private static long[] probe(Prefixes prefixes, List<long[]> live, SplittableRandom random) {
        int kind = random.nextInt(4);
        if (kind == 0 && !live.isEmpty()) {
            long[] p = live.get(random.nextInt(live.size()));
            int length = (int) p[2];
            long hostHi = ~StrideTrie.maskHi(length) & prefixes.keyMaskHi;
            long hostLo = ~StrideTrie.maskLo(length) & prefixes.keyMaskLo;
            return switch (random.nextInt(4)) {
                case 0 -> new long[] {p[0], p[1]};                                   // first address
                case 1 -> new long[] {p[0] | hostHi, p[1] | hostLo};                 // last address
                case 2 -> prefixes.step(p[0], p[1], -1);                              // just before
                default -> prefixes.step(p[0] | hostHi, p[1] | hostLo, 1);            // just after
            };
        }
        if (kind == 3) {
            return new long[] {random.nextLong() & prefixes.keyMaskHi, random.nextLong() & prefixes.keyMaskLo};
        }
        return prefixes.nearBase();
    }

    /** A group exists at level L exactly for each distinct first-starts[L]-bits of routes longer than that. */
    private static void checkGroups(StrideTrie trie, NaiveLpm reference, int maxLength, String name) {
        int start = 0;
        for (int level = 1; level < trie.levels(); level++) {
            start += trie.stride(level - 1);
            Set<NaiveLpm.Key> parents = new HashSet<>();
            for (int l = start + 1; l <= maxLength; l++) {
                for (NaiveLpm.Key k : reference.prefixes(l)) {
                    parents.add(new NaiveLpm.Key(k.hi() & StrideTrie.maskHi(start), k.lo() & StrideTrie.maskLo(start)));
                }
            }
            assertEquals(parents.size(), trie.liveGroups(level), name + ": groups at level " + level);
        }
    }

    /** Random prefixes that cluster: a few bases, lengths over the whole range, nearby bits flipped. */
    private static final class Prefixes {
        final int maxLength;
        final long keyMaskHi;
        final long keyMaskLo;
        private final SplittableRandom random;
        private final long[][] bases;

        Prefixes(int maxLength, SplittableRandom random) {
            this.maxLength = maxLength;
            this.random = random;
            this.keyMaskHi = StrideTrie.maskHi(maxLength);
            this.keyMaskLo = StrideTrie.maskLo(maxLength);
            this.bases = new long[random.nextInt(1, 6)][];
            for (int i = 0; i < bases.length; i++) {
                bases[i] = new long[] {random.nextLong() & keyMaskHi, random.nextLong() & keyMaskLo};
            }
        }

        long[] next() {
            // Mostly where real tables have them (IPv4 /12../28, IPv6 /20../76), every length now
            // and then; short IPv4 prefixes rewrite up to 2^24 entries, so they stay rare.
            double mean = maxLength == 32 ? 20 : 48;
            double spread = maxLength == 32 ? 5 : 20;
            int shortest = maxLength == 32 && random.nextInt(50) != 0 ? 8 : 0;
            int length = random.nextInt(16) == 0 ? random.nextInt(shortest, maxLength + 1)
                    : (int) Math.max(0, Math.min(maxLength, Math.round(mean + random.nextGaussian() * spread)));
            long[] base = bases[random.nextInt(bases.length)];
            long hi = base[0];
            long lo = base[1];
            for (int flips = random.nextInt(3); flips > 0 && length > 0; flips--) {
                int bit = Math.max(0, length - 1 - random.nextInt(Math.min(length, 10)));
                if (bit < 64) {
                    hi ^= 1L << (63 - bit);
                } else {
                    lo ^= 1L << (127 - bit);
                }
            }
            return new long[] {hi & StrideTrie.maskHi(length), lo & StrideTrie.maskLo(length), length};
        }

        long[] nearBase() {
            long[] base = bases[random.nextInt(bases.length)];
            int keep = random.nextInt(maxLength + 1);
            long hi = (base[0] & StrideTrie.maskHi(keep)) | (random.nextLong() & ~StrideTrie.maskHi(keep));
            long lo = (base[1] & StrideTrie.maskLo(keep)) | (random.nextLong() & ~StrideTrie.maskLo(keep));
            return new long[] {hi & keyMaskHi, lo & keyMaskLo};
        }

        /** The address {@code delta} (+1 or -1) from hi:lo, wrapping within the key width. */
        long[] step(long hi, long lo, int delta) {
            if (maxLength == 32) {
                return new long[] {(((hi >>> 32) + delta) << 32), 0};
            }
            long newLo = lo + delta;
            long carry = delta > 0 ? (newLo == 0 ? 1 : 0) : (lo == 0 ? -1 : 0);
            return new long[] {hi + carry, newLo};
        }
    }
}
