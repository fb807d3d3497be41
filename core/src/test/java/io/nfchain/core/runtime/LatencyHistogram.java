package io.nfchain.core.runtime;

/**
 * Not thread-safe. Latencies in buckets of 100 ns up to 100 µs, then of 10 µs up to 10 ms,
 * then one overflow bucket: allocation-free recording, percentiles to within a bucket.
 */
final class LatencyHistogram {
    private static final long FINE_NS = 100;
    private static final int FINE_BUCKETS = 1_000;
    private static final long COARSE_NS = 10_000;
    private static final int COARSE_BUCKETS = 1_000;

    private final long[] counts = new long[FINE_BUCKETS + COARSE_BUCKETS + 1];
    private long total;
    private long maxNs;

    void record(long latencyNs) {
        long ns = Math.max(0, latencyNs);
        int bucket;
        if (ns < FINE_NS * FINE_BUCKETS) {
            bucket = (int) (ns / FINE_NS);
        } else {
            bucket = (int) Math.min(FINE_BUCKETS + (ns - FINE_NS * FINE_BUCKETS) / COARSE_NS,
                    FINE_BUCKETS + COARSE_BUCKETS);
        }
        counts[bucket]++;
        total++;
        maxNs = Math.max(maxNs, ns);
    }

    long count() {
        return total;
    }

    long maxNs() {
        return maxNs;
    }

    /** The upper edge of the bucket holding the given quantile (0..1), in ns; 0 when empty. */
    long percentileNs(double quantile) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(quantile * total);
        long seen = 0;
        for (int b = 0; b < counts.length; b++) {
            seen += counts[b];
            if (seen >= rank) {
                return b == counts.length - 1 ? maxNs : Math.min(upperEdgeNs(b), maxNs);
            }
        }
        return maxNs;
    }

    void clear() {
        java.util.Arrays.fill(counts, 0);
        total = 0;
        maxNs = 0;
    }

    private static long upperEdgeNs(int bucket) {
        return bucket < FINE_BUCKETS
                ? (bucket + 1) * FINE_NS
                : FINE_NS * FINE_BUCKETS + (bucket - FINE_BUCKETS + 1) * COARSE_NS;
    }
}
