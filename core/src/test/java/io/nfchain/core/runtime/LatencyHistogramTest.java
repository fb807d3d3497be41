package io.nfchain.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void percentilesToWithinABucket() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 1; i <= 1_000; i++) {
            h.record(i * 1_000L); // 1 µs .. 1 ms
        }
        assertEquals(1_000, h.count());
        assertEquals(500_000, h.percentileNs(0.5), 10_000);
        assertEquals(990_000, h.percentileNs(0.99), 10_000);
        assertEquals(50_000, h.percentileNs(0.05), 100);
        assertEquals(1_000_000, h.maxNs());
        h.record(1_000_000_000L);
        assertEquals(1_000_000_000L, h.percentileNs(1.0), "overflow reports the maximum");
    }

    @Test
    void aRingCarriesTimestampsInOrderAndStopsWhenFull() {
        SpscTimestampRing ring = new SpscTimestampRing(8);
        assertEquals(5, ring.offerBurst(100, 5));
        assertEquals(3, ring.offerBurst(200, 5), "only three slots left");
        LatencyHistogram h = new LatencyHistogram();
        assertEquals(4, ring.pollBurst(h, 1_000, 4));
        assertEquals(900, h.percentileNs(1.0));
        assertEquals(4, ring.pollBurst(h, 1_000, 32));
        assertEquals(8, h.count());
        assertEquals(900, h.maxNs(), "the latest wait is that of the first burst");
        assertEquals(true, ring.isEmpty());
        assertEquals(0, ring.pollBurst(h, 1_000, 32));
    }
}
