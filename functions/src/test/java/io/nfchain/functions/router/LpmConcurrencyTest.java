package io.nfchain.functions.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * One writer churns nested routes in many slots while readers look up one probe address per slot
 * and check every answer is one that slot can have: its base route or one of its own churned
 * routes. Slots fold their groups away and get them back all the time, so freed groups are
 * reused by other slots; a reader that followed a stale pointer into a reused group would read
 * another slot's next hop, which no probe allows. Each next hop encodes its slot, so any wrong
 * answer names where it came from.
 */
class LpmConcurrencyTest {
    private static final int SLOTS = 512;
    private static final int WRITES = 400_000;
    private static final int READERS = 2;
    private static final int BURST = 32;

    /** What one family's test needs: churned routes per slot, probes, lookups. */
    private interface Subject {
        int[] churnLengths();

        /** Toggle route {@code r} of {@code slot} to present or absent; its next hop is slot * 1000 + r. */
        void set(int slot, int r, boolean present);

        /** The next hop of the route that always covers the slot's probe. */
        int baseNextHop(int slot);

        int lookupProbe(int slot);

        /** Looks up the probes of {@code slots} into {@code out}. */
        void lookupProbes(int[] slots, int[] out);

        StrideTrie trie();
    }

    @Test
    void ipv4ReadersSeeOnlyAllowedAnswersWhileRoutesChurn() throws Exception {
        Ipv4Lpm lpm = new Ipv4Lpm();
        lpm.add(0, 0, 999_999);
        // Slot s is a /24 in 10.0.0.0/8 (61 * s spreads them); even slots also route the /24 itself.
        int[] churn = {25, 26, 28, 30, 32};
        int[] probe = new int[SLOTS];
        int[] base = new int[SLOTS];
        for (int s = 0; s < SLOTS; s++) {
            int slot24 = 0x0A00_0000 | ((s * 61) & 0xFFFF) << 8;
            probe[s] = slot24 | 0x03; // .3 lies in the slot's /25, /26, /28 and /30, and is its /32
            base[s] = 999_999;
            if (s % 2 == 0) {
                lpm.add(slot24, 24, s * 1000 + 999);
                base[s] = s * 1000 + 999;
            }
        }
        run(new Subject() {
            public int[] churnLengths() {
                return churn;
            }

            public void set(int slot, int r, boolean present) {
                int prefix = probe[slot] & (-1 << (32 - churn[r]));
                if (present) {
                    lpm.add(prefix, churn[r], slot * 1000 + r);
                } else {
                    lpm.remove(prefix, churn[r]);
                }
            }

            public int baseNextHop(int slot) {
                return base[slot];
            }

            public int lookupProbe(int slot) {
                return lpm.lookup(probe[slot]);
            }

            public void lookupProbes(int[] slots, int[] out) {
                int[] addresses = new int[slots.length];
                for (int i = 0; i < slots.length; i++) {
                    addresses[i] = probe[slots[i]];
                }
                lpm.lookup(addresses, out, slots.length);
            }

            public StrideTrie trie() {
                return lpm.trie();
            }
        });
    }

    @Test
    void ipv6ReadersSeeOnlyAllowedAnswersWhileRoutesChurn() throws Exception {
        Ipv6Lpm lpm = new Ipv6Lpm();
        lpm.add(0, 0, 0, 999_999);
        // Slot s is a /32 in 2001::/16 (97 * s spreads them); churned routes end on many levels.
        int[] churn = {36, 44, 48, 56, 64, 100, 128};
        long[] probeHi = new long[SLOTS];
        long[] probeLo = new long[SLOTS];
        int[] base = new int[SLOTS];
        SplittableRandom random = new SplittableRandom(7);
        for (int s = 0; s < SLOTS; s++) {
            probeHi[s] = (0x2001_0000L + s * 97L) << 32 | (random.nextLong() & 0xFFFF_FFFFL);
            probeLo[s] = random.nextLong();
            base[s] = 999_999;
            if (s % 2 == 0) {
                lpm.add(probeHi[s] & StrideTrie.maskHi(32), 0, 32, s * 1000 + 999);
                base[s] = s * 1000 + 999;
            }
        }
        run(new Subject() {
            public int[] churnLengths() {
                return churn;
            }

            public void set(int slot, int r, boolean present) {
                int l = churn[r];
                long hi = probeHi[slot] & StrideTrie.maskHi(l);
                long lo = probeLo[slot] & StrideTrie.maskLo(l);
                if (present) {
                    lpm.add(hi, lo, l, slot * 1000 + r);
                } else {
                    lpm.remove(hi, lo, l);
                }
            }

            public int baseNextHop(int slot) {
                return base[slot];
            }

            public int lookupProbe(int slot) {
                return lpm.lookup(probeHi[slot], probeLo[slot]);
            }

            public void lookupProbes(int[] slots, int[] out) {
                long[] addresses = new long[2 * slots.length];
                for (int i = 0; i < slots.length; i++) {
                    addresses[2 * i] = probeHi[slots[i]];
                    addresses[2 * i + 1] = probeLo[slots[i]];
                }
                lpm.lookup(addresses, out, slots.length);
            }

            public StrideTrie trie() {
                return lpm.trie();
            }
        });
    }

    private static void run(Subject subject) throws Exception {
        int routesPerSlot = subject.churnLengths().length;
        boolean[][] present = new boolean[SLOTS][routesPerSlot];
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> wrong = new AtomicReference<>();
        BitSet[] seen = new BitSet[SLOTS]; // per slot: which answers (route index, or routesPerSlot = base) readers saw
        for (int s = 0; s < SLOTS; s++) {
            seen[s] = new BitSet();
        }
        long[] lookups = new long[READERS];
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
            int id = r;
            Thread reader = new Thread(() -> {
                SplittableRandom random = new SplittableRandom(100 + id);
                int[] slots = new int[BURST];
                int[] out = new int[BURST];
                BitSet[] mine = new BitSet[SLOTS];
                for (int s = 0; s < SLOTS; s++) {
                    mine[s] = new BitSet();
                }
                long n = 0;
                while (!done.get() && wrong.get() == null) {
                    for (int i = 0; i < BURST; i++) {
                        slots[i] = random.nextInt(SLOTS);
                    }
                    subject.lookupProbes(slots, out);
                    for (int i = 0; i < BURST; i++) {
                        check(subject, slots[i], out[i], routesPerSlot, mine, wrong, "burst");
                    }
                    int s = random.nextInt(SLOTS);
                    check(subject, s, subject.lookupProbe(s), routesPerSlot, mine, wrong, "single");
                    n += BURST + 1;
                }
                lookups[id] = n;
                synchronized (seen) {
                    for (int s = 0; s < SLOTS; s++) {
                        seen[s].or(mine[s]);
                    }
                }
            }, "lpm-reader-" + r);
            reader.start();
            readers.add(reader);
        }

        SplittableRandom random = new SplittableRandom(42);
        long epochBefore = subject.trie().epoch();
        for (int w = 0; w < WRITES && wrong.get() == null; w++) {
            int s = random.nextInt(SLOTS);
            int r = random.nextInt(routesPerSlot);
            present[s][r] = !present[s][r];
            subject.set(s, r, present[s][r]);
            if ((w & 1023) == 0) {
                Thread.yield(); // let readers run between writes on a 2-core host
            }
        }
        done.set(true);
        for (Thread reader : readers) {
            reader.join();
        }
        assertEquals(null, wrong.get());

        // After the churn every probe reads exactly its longest present route.
        for (int s = 0; s < SLOTS; s++) {
            int expected = subject.baseNextHop(s);
            for (int r = 0; r < routesPerSlot; r++) {
                if (present[s][r]) {
                    expected = s * 1000 + r;
                }
            }
            assertEquals(expected, subject.lookupProbe(s), "slot " + s + " after the churn");
        }
        // The run must have exercised what it claims to test.
        long reclaims = subject.trie().epoch() - epochBefore;
        assertTrue(reclaims >= 20, "freed groups were reclaimed and reused " + reclaims + " times");
        long total = 0;
        for (long n : lookups) {
            assertTrue(n > 10_000, "each reader ran: " + n);
            total += n;
        }
        int varied = 0;
        for (BitSet b : seen) {
            varied += b.cardinality() >= 2 ? 1 : 0;
        }
        assertTrue(varied > SLOTS / 2, "readers saw answers change in " + varied + " of " + SLOTS + " slots (" + total + " lookups)");
    }

    private static void check(Subject subject, int slot, int answer, int routesPerSlot, BitSet[] seen,
                              AtomicReference<String> wrong, String how) {
        int index;
        if (answer == subject.baseNextHop(slot)) {
            index = routesPerSlot;
        } else if (answer / 1000 == slot && answer % 1000 < routesPerSlot) {
            index = answer % 1000;
        } else {
            wrong.compareAndSet(null, how + " lookup of slot " + slot + " read " + answer
                    + (answer >= 0 && answer != 999_999 ? " (slot " + answer / 1000 + ", route " + answer % 1000 + ")" : ""));
            return;
        }
        seen[slot].set(index);
    }
}
