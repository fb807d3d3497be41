package io.nfchain.functions.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link LearnedNeighbors} against a map: random learns, merges, lookups and partial sweeps
 * over a clock that moves, with few enough addresses that clusters form and removals shift
 * entries back. Every lookup and snapshot must agree with the model.
 */
class LearnedNeighborsModelTest {
    private static final long TIMEOUT_NS = 1_000;

    private record Seen(long mac, long confirmedNs) {}

    @Test
    void agreesWithAMapUnderRandomLearningAgeingAndSweeps() {
        for (int seed = 0; seed < 40; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            int capacity = 16 + random.nextInt(48);
            LearnedNeighbors table = new LearnedNeighbors(capacity, TIMEOUT_NS);
            Map<Long, Seen> model = new HashMap<>();
            int universe = capacity + random.nextInt(capacity); // more addresses than fit: the table fills
            long now = 0;
            for (int step = 0; step < 20_000; step++) {
                now += random.nextInt(40);
                long address = random.nextInt(universe) * 0x9E37L;
                boolean six = (address & 0x200) != 0;
                long mac = 0x02_00_00_00_00_00L | random.nextInt(1 << 20);
                switch (random.nextInt(4)) {
                    case 0 -> {
                        boolean stored = six ? table.learn6(address, ~address, mac, 1, now)
                                : table.learn4((int) address, mac, 1, now);
                        if (stored) {
                            model.put(address, new Seen(mac, now));
                        } else {
                            assertEquals(capacity, six ? table.size6() : table.size4(), "refused only when full");
                        }
                    }
                    case 1 -> {
                        if (!six) {
                            boolean known = table.update4((int) address, mac, 1, now);
                            if (known) {
                                model.put(address, new Seen(mac, now));
                            }
                        }
                    }
                    case 2 -> {
                        int expired = table.sweep(now, 1 + random.nextInt(16));
                        assertTrue(expired >= 0);
                    }
                    default -> {
                        long got = six ? table.lookup6(address, ~address, now) : table.lookup4((int) address, now);
                        Seen seen = model.get(address);
                        long want = seen == null || now - seen.confirmedNs() >= TIMEOUT_NS ? NeighborTable.MISSING : seen.mac();
                        assertEquals(want, got, "seed " + seed + " step " + step + " address " + address);
                    }
                }
            }
            table.sweep(now, 1 << 20); // a whole cycle: exactly the unexpired ones remain
            long finalNow = now;
            long live = model.values().stream().filter(s -> finalNow - s.confirmedNs() < TIMEOUT_NS).count();
            assertEquals(live, table.size4() + table.size6());
            LearnedNeighbors.Entry[] snapshot = table.snapshot();
            assertEquals(live, snapshot.length);
            for (LearnedNeighbors.Entry e : snapshot) {
                long address = e.ipv6() ? e.hi() : e.lo() & 0xFFFF_FFFFL;
                Seen seen = model.get(e.ipv6() ? e.hi() : address);
                assertEquals(seen.mac(), e.mac());
                assertEquals(finalNow - seen.confirmedNs(), e.ageNs());
                assertTrue(!e.expired());
            }
        }
    }
}
