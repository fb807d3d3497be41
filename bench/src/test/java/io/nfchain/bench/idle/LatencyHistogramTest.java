package io.nfchain.bench.idle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    private static final double[] QUANTILES = {0, 0.001, 0.1, 0.5, 0.9, 0.99, 0.999, 0.9999, 1};

    /** The reference: the ceil(q * n)-th smallest value (at least the first), from a sorted copy. */
    private static long reference(long[] sorted, double quantile) {
        long rank = Math.max(1, (long) Math.ceil(quantile * sorted.length));
        return sorted[(int) rank - 1];
    }

    private static void assertMatchesReference(long[] values, LatencyHistogram h, String what) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        for (double q : QUANTILES) {
            long expected = Math.max(0, reference(sorted, q));
            long actual = h.percentileNs(q);
            if (expected >= LatencyHistogram.TRACKED_LIMIT_NS) {
                assertEquals(h.maxNs(), actual, what + ": an overflowing quantile " + q + " reports the maximum");
            } else {
                long slack = expected < LatencyHistogram.EXACT_LIMIT ? 0 : expected >> LatencyHistogram.SUB_BITS;
                if (actual < expected || actual > expected + slack) {
                    fail(what + ": quantile " + q + " is " + actual + ", reference " + expected + " (+" + slack + ")");
                }
            }
        }
        assertEquals(values.length, h.count());
        assertEquals(Math.max(0, sorted[sorted.length - 1]), h.maxNs());
        assertEquals(Math.max(0, sorted[0]), h.minNs());
    }

    @Test
    void percentilesAgreeWithASortedArrayWithinOneBucket() {
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 400; trial++) {
            int n = 1 + random.nextInt(trial < 100 ? 20 : 5_000);
            long[] values = new long[n];
            int shape = trial % 4;
            for (int i = 0; i < n; i++) {
                values[i] = switch (shape) {
                    case 0 -> random.nextLong(300); // the exact range and just above
                    case 1 -> (long) Math.pow(10, random.nextDouble(0, 9.5)); // log-uniform 1 ns .. 3 s
                    case 2 -> 1_000 + random.nextInt(4) * 250_000L; // few distinct values, many duplicates
                    default -> random.nextInt(50) == 0 ? (1L << 40) + random.nextLong(1L << 41) : random.nextLong(100_000);
                };
            }
            LatencyHistogram h = new LatencyHistogram();
            for (long v : values) {
                h.record(v);
            }
            assertMatchesReference(values, h, "trial " + trial + " (shape " + shape + ", " + n + " values)");
        }
    }

    @Test
    void everyValueFallsInsideItsBucketAndBucketsAreNarrow() {
        SplittableRandom random = new SplittableRandom(11);
        int previous = -1;
        for (long v = 0; v < 5_000; v++) {
            int b = LatencyHistogram.bucketOf(v);
            assertTrue(b == previous || b == previous + 1, "buckets step by one at " + v);
            previous = b;
        }
        for (int i = 0; i < 200_000; i++) {
            long v = random.nextLong(LatencyHistogram.TRACKED_LIMIT_NS);
            int b = LatencyHistogram.bucketOf(v);
            long low = LatencyHistogram.lowestOf(b);
            long high = LatencyHistogram.highestOf(b);
            assertTrue(low <= v && v <= high, v + " outside bucket " + b + " [" + low + ", " + high + "]");
            assertTrue(high - low <= Math.max(0, low >> LatencyHistogram.SUB_BITS), "bucket " + b + " too wide");
        }
        assertEquals(LatencyHistogram.OVERFLOW_BUCKET - 1, LatencyHistogram.bucketOf(LatencyHistogram.TRACKED_LIMIT_NS - 1));
        assertEquals(LatencyHistogram.OVERFLOW_BUCKET, LatencyHistogram.bucketOf(LatencyHistogram.TRACKED_LIMIT_NS));
        assertEquals(LatencyHistogram.OVERFLOW_BUCKET, LatencyHistogram.bucketOf(Long.MAX_VALUE));
    }

    @Test
    void negativeLatenciesAreCountedAndRecordedAsZero() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(-5);
        h.record(10);
        assertEquals(1, h.negatives());
        assertEquals(0, h.minNs());
        assertEquals(0, h.percentileNs(0.5));
        assertEquals(10, h.percentileNs(1));
        assertEquals(5.0, h.meanNs());
    }

    @Test
    void anEmptyHistogramReportsZerosAndRejectsBadQuantiles() {
        LatencyHistogram h = new LatencyHistogram();
        assertEquals(0, h.percentileNs(0.99));
        assertEquals(0, h.minNs());
        assertEquals(0, h.meanNs());
        assertThrows(IllegalArgumentException.class, () -> h.percentileNs(1.5));
        assertThrows(IllegalArgumentException.class, () -> h.percentileNs(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> h.percentileNs(-0.1));
    }

    @Test
    void addingHistogramsEqualsRecordingEverythingInOne() {
        SplittableRandom random = new SplittableRandom(3);
        LatencyHistogram all = new LatencyHistogram();
        LatencyHistogram sum = new LatencyHistogram();
        long[] values = new long[30_000];
        for (int part = 0; part < 3; part++) {
            LatencyHistogram h = new LatencyHistogram();
            for (int i = 0; i < 10_000; i++) {
                long v = (long) Math.pow(10, random.nextDouble(1, 8));
                values[part * 10_000 + i] = v;
                h.record(v);
                all.record(v);
            }
            sum.add(h);
        }
        assertEquals(all.encode(), sum.encode());
        assertMatchesReference(values, sum, "merged");
        LatencyHistogram copy = new LatencyHistogram();
        copy.record(1);
        copy.copyFrom(sum);
        assertEquals(sum.encode(), copy.encode());
        copy.clear();
        assertEquals(new LatencyHistogram().encode(), copy.encode());
    }

    @Test
    void encodingRoundTrips() {
        SplittableRandom random = new SplittableRandom(5);
        for (int trial = 0; trial < 200; trial++) {
            LatencyHistogram h = new LatencyHistogram();
            int n = random.nextInt(2_000);
            for (int i = 0; i < n; i++) {
                h.record(random.nextInt(10) == 0 ? -random.nextLong(100) : (long) Math.pow(10, random.nextDouble(0, 13)));
            }
            LatencyHistogram back = LatencyHistogram.decode(h.encode());
            assertEquals(h.encode(), back.encode());
            for (double q : QUANTILES) {
                assertEquals(h.percentileNs(q), back.percentileNs(q));
            }
            assertEquals(h.negatives(), back.negatives());
            assertEquals(h.meanNs(), back.meanNs());
        }
    }

    /** Damaged encodings decode to a consistent histogram or fail with a reason; nothing else escapes. */
    @Test
    void damagedEncodingsAreRejectedWithAReason() {
        SplittableRandom random = new SplittableRandom(13);
        String alphabet = "0123456789;:/-x ";
        int rejected = 0;
        for (int trial = 0; trial < 50_000; trial++) {
            LatencyHistogram h = new LatencyHistogram();
            for (int i = random.nextInt(6); i > 0; i--) {
                h.record(random.nextLong(1_000_000));
            }
            StringBuilder text = new StringBuilder(h.encode());
            for (int m = 1 + random.nextInt(3); m > 0 && !text.isEmpty(); m--) {
                int at = random.nextInt(text.length());
                switch (random.nextInt(4)) {
                    case 0 -> text.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> text.deleteCharAt(at);
                    case 2 -> text.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    default -> text.setLength(at);
                }
            }
            try {
                LatencyHistogram decoded = LatencyHistogram.decode(text.toString());
                assertEquals(decoded.encode(), LatencyHistogram.decode(decoded.encode()).encode());
                assertTrue(decoded.count() == 0 || decoded.minNs() <= decoded.percentileNs(0.5));
                assertTrue(decoded.percentileNs(0.5) <= decoded.maxNs());
            } catch (IllegalArgumentException e) {
                assertNotNull(e.getMessage());
                assertTrue(e.getMessage().startsWith("histogram: "), e.getMessage());
                rejected++;
            }
        }
        assertTrue(rejected > 40_000, "most damage is detected: " + rejected);
    }

    @Test
    void inconsistentEncodingsNameTheProblem() {
        assertThrows(IllegalArgumentException.class, () -> LatencyHistogram.decode(""));
        assertThrows(IllegalArgumentException.class, () -> LatencyHistogram.decode("2/20/10/10/0;10:1"), "total");
        assertThrows(IllegalArgumentException.class, () -> LatencyHistogram.decode("1/10/10/10/0;10:1;9:1"), "order");
        assertThrows(IllegalArgumentException.class, () -> LatencyHistogram.decode("1/10/10/10/0;99999:1"), "range");
        assertThrows(IllegalArgumentException.class, () -> LatencyHistogram.decode("1/10/11/10/0;10:1"), "min");
        assertThrows(IllegalArgumentException.class, () -> LatencyHistogram.decode("1/10/10/10/2;10:1"), "negatives");
        assertThrows(IllegalArgumentException.class, () -> LatencyHistogram.decode("0/0/0/5/0"), "empty with a max");
        assertEquals(1, LatencyHistogram.decode("1/10/10/10/0;10:1").count());
    }
}
