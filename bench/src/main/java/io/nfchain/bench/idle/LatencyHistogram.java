package io.nfchain.bench.idle;

import java.util.Arrays;

/**
 * Not thread-safe: one writer; hand it to another thread only through a happens-before edge.
 * Latencies in nanoseconds, recorded without allocation into log-linear buckets: exact below
 * 256 ns, then 128 buckets per power of two, so a reported percentile is at most 1/128
 * (0.8%) above the true value. Values from 2^40 ns (18 minutes) up share one overflow bucket.
 *
 * <p>Bucket {@code b} for a value {@code v}: {@code v} itself below 256; otherwise, with
 * {@code shift = msb(v) - 7} (so {@code v >>> shift} is 128..255),
 * {@code 256 + (shift - 1) * 128 + (v >>> shift) - 128}.
 *
 * <p>Histograms cross processes as text ({@link #encode()}, {@link #decode}): the bench's
 * receiver sends its per-window histogram, the driver merges rounds ({@link #add}).
 */
public final class LatencyHistogram {
    static final int SUB_BITS = 7;
    static final int SUB_BUCKETS = 1 << SUB_BITS;
    static final int EXACT_LIMIT = 2 * SUB_BUCKETS;
    /** Values below this have a bucket of their own range; the rest overflow. */
    static final long TRACKED_LIMIT_NS = 1L << 40;
    private static final int MAX_SHIFT = 40 - 1 - SUB_BITS;
    static final int OVERFLOW_BUCKET = EXACT_LIMIT + MAX_SHIFT * SUB_BUCKETS;
    static final int BUCKETS = OVERFLOW_BUCKET + 1;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long sumNs;
    private long maxNs;
    private long minNs = Long.MAX_VALUE;
    private long negatives;

    /**
     * Adds one latency. A negative value (the two timestamps disagree: a clock problem, not a
     * latency) is counted in {@link #negatives()} and recorded as 0.
     */
    public void record(long latencyNs) {
        long ns = latencyNs;
        if (ns < 0) {
            negatives++;
            ns = 0;
        }
        counts[bucketOf(ns)]++;
        total++;
        sumNs += ns;
        if (ns > maxNs) {
            maxNs = ns;
        }
        if (ns < minNs) {
            minNs = ns;
        }
    }

    static int bucketOf(long ns) {
        if (ns < EXACT_LIMIT) {
            return (int) ns;
        }
        if (ns >= TRACKED_LIMIT_NS) {
            return OVERFLOW_BUCKET;
        }
        int shift = 63 - Long.numberOfLeadingZeros(ns) - SUB_BITS;
        return EXACT_LIMIT + (shift - 1) * SUB_BUCKETS + (int) (ns >>> shift) - SUB_BUCKETS;
    }

    /** The smallest value of bucket {@code b}. */
    static long lowestOf(int bucket) {
        if (bucket < EXACT_LIMIT) {
            return bucket;
        }
        if (bucket == OVERFLOW_BUCKET) {
            return TRACKED_LIMIT_NS;
        }
        int shift = (bucket - EXACT_LIMIT) / SUB_BUCKETS + 1;
        long top = (bucket - EXACT_LIMIT) % SUB_BUCKETS + SUB_BUCKETS;
        return top << shift;
    }

    /** The largest value of bucket {@code b}. */
    static long highestOf(int bucket) {
        return bucket == OVERFLOW_BUCKET ? Long.MAX_VALUE : lowestOf(bucket + 1) - 1;
    }

    public long count() {
        return total;
    }

    /** The largest value recorded, exact; 0 when empty. */
    public long maxNs() {
        return maxNs;
    }

    /** The smallest value recorded, exact; 0 when empty. */
    public long minNs() {
        return total == 0 ? 0 : minNs;
    }

    public double meanNs() {
        return total == 0 ? 0 : (double) sumNs / total;
    }

    /** Values that were negative and recorded as 0. */
    public long negatives() {
        return negatives;
    }

    /**
     * The value at {@code quantile}: the highest value of the bucket holding the
     * {@code ceil(quantile * count)}-th smallest recording (at least the first), kept within
     * the recorded min and max. 0 when empty.
     *
     * @param quantile 0..1
     */
    public long percentileNs(double quantile) {
        if (!(quantile >= 0 && quantile <= 1)) {
            throw new IllegalArgumentException("quantile must be 0..1: " + quantile);
        }
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * total));
        long seen = 0;
        for (int b = 0; b < BUCKETS; b++) {
            seen += counts[b];
            if (seen >= rank) {
                return Math.max(minNs, Math.min(highestOf(b), maxNs));
            }
        }
        return maxNs;
    }

    public void clear() {
        Arrays.fill(counts, 0);
        total = 0;
        sumNs = 0;
        maxNs = 0;
        minNs = Long.MAX_VALUE;
        negatives = 0;
    }

    /** Makes this an exact copy of {@code other}, without allocating. */
    public void copyFrom(LatencyHistogram other) {
        System.arraycopy(other.counts, 0, counts, 0, BUCKETS);
        total = other.total;
        sumNs = other.sumNs;
        maxNs = other.maxNs;
        minNs = other.minNs;
        negatives = other.negatives;
    }

    /** Adds {@code other}'s recordings to this one's. */
    public void add(LatencyHistogram other) {
        for (int b = 0; b < BUCKETS; b++) {
            counts[b] += other.counts[b];
        }
        total += other.total;
        sumNs += other.sumNs;
        maxNs = Math.max(maxNs, other.maxNs);
        minNs = Math.min(minNs, other.minNs);
        negatives += other.negatives;
    }

    /**
     * One token without spaces: {@code total/sum/min/max/negatives} then {@code ;bucket:count}
     * for every non-empty bucket, such as {@code 3/1500/400/600/0;200:1;...}.
     */
    public String encode() {
        StringBuilder sb = new StringBuilder(64).append(total).append('/').append(sumNs).append('/')
                .append(minNs()).append('/').append(maxNs).append('/').append(negatives);
        for (int b = 0; b < BUCKETS; b++) {
            if (counts[b] != 0) {
                sb.append(';').append(b).append(':').append(counts[b]);
            }
        }
        return sb.toString();
    }

    /**
     * The histogram {@link #encode()} wrote.
     *
     * @throws IllegalArgumentException naming what is wrong: a malformed number, a bucket out of
     *     range or repeated, counts that do not add up to the total, min or max outside their buckets
     */
    public static LatencyHistogram decode(String text) {
        String[] parts = text.split(";", -1);
        String[] head = parts[0].split("/", -1);
        if (head.length != 5) {
            throw new IllegalArgumentException("histogram: expected total/sum/min/max/negatives, got '" + parts[0] + "'");
        }
        LatencyHistogram h = new LatencyHistogram();
        h.total = nonNegative(head[0], "total");
        h.sumNs = nonNegative(head[1], "sum");
        long min = nonNegative(head[2], "min");
        h.maxNs = nonNegative(head[3], "max");
        h.negatives = nonNegative(head[4], "negatives");
        long counted = 0;
        int previous = -1;
        for (int i = 1; i < parts.length; i++) {
            int colon = parts[i].indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("histogram: expected bucket:count, got '" + parts[i] + "'");
            }
            long bucket = nonNegative(parts[i].substring(0, colon), "bucket");
            long count = nonNegative(parts[i].substring(colon + 1), "count");
            if (bucket >= BUCKETS || bucket <= previous || count == 0) {
                throw new IllegalArgumentException("histogram: bucket " + bucket + " out of range, out of order"
                        + " or empty (count " + count + ")");
            }
            previous = (int) bucket;
            h.counts[previous] = count;
            counted = Math.addExact(counted, count);
        }
        if (counted != h.total || h.negatives > h.total) {
            throw new IllegalArgumentException("histogram: buckets hold " + counted + " values, total says "
                    + h.total + ", negatives " + h.negatives);
        }
        if (h.total == 0) {
            if (min != 0 || h.maxNs != 0 || h.sumNs != 0) {
                throw new IllegalArgumentException("histogram: empty, yet min/max/sum are not 0");
            }
            return h;
        }
        h.minNs = min;
        if (bucketOf(min) != firstBucket(h) || bucketOf(h.maxNs) != previous || min > h.maxNs) {
            throw new IllegalArgumentException("histogram: min " + min + " or max " + h.maxNs
                    + " is not in the first or last non-empty bucket");
        }
        return h;
    }

    private static int firstBucket(LatencyHistogram h) {
        int b = 0;
        while (h.counts[b] == 0) {
            b++;
        }
        return b;
    }

    private static long nonNegative(String text, String what) {
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("histogram: " + what + " is not a number: '" + text + "'");
        }
        if (value < 0) {
            throw new IllegalArgumentException("histogram: " + what + " is negative: " + value);
        }
        return value;
    }
}
