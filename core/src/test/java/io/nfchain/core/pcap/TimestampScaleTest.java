package io.nfchain.core.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimestampScaleTest {
    private static final BigInteger NANOS = BigInteger.valueOf(1_000_000_000L);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    /** floor(units * 10^9 / unitsPerSecond) in exact arithmetic, or OUT_OF_RANGE. */
    private static long reference(int tsresol, long units) {
        BigInteger unitsPerSecond = (tsresol & 0x80) != 0
                ? BigInteger.ONE.shiftLeft(tsresol & 0x7F)
                : BigInteger.TEN.pow(tsresol & 0x7F);
        BigInteger nanos = new BigInteger(Long.toUnsignedString(units)).multiply(NANOS).divide(unitsPerSecond);
        return nanos.compareTo(LONG_MAX) > 0 ? TimestampScale.OUT_OF_RANGE : nanos.longValueExact();
    }

    @Test
    void knownResolutions() {
        assertEquals(1_000, TimestampScale.MICROSECONDS.toNanos(1));
        assertEquals(1_700_000_000_123_456_000L, TimestampScale.MICROSECONDS.toNanos(1_700_000_000_123_456L));
        assertEquals(42, TimestampScale.NANOSECONDS.toNanos(42));
        assertEquals(3_000_000_000L, TimestampScale.ofTsresol(0).toNanos(3));
        assertEquals(1, TimestampScale.ofTsresol(12).toNanos(1_999));
        assertEquals(500_000_000L, TimestampScale.ofTsresol(0x81).toNanos(1));
        assertEquals(1_000_000_000L, TimestampScale.ofTsresol(0x80 | 30).toNanos(1L << 30));
        assertEquals(0, TimestampScale.ofTsresol(127).toNanos(-1L));
        assertEquals(TimestampScale.OUT_OF_RANGE, TimestampScale.NANOSECONDS.toNanos(-1L));
        assertEquals(TimestampScale.OUT_OF_RANGE, TimestampScale.ofTsresol(0).toNanos(10_000_000_000L));
    }

    @Test
    void everyResolutionAgreesWithExactArithmetic() {
        SplittableRandom random = new SplittableRandom(7);
        long[] edges = {0, 1, 2, 999, 1_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE, -1L, 9_223_372_036L, 9_223_372_037L};
        for (int tsresol = 0; tsresol < 256; tsresol++) {
            TimestampScale scale = TimestampScale.ofTsresol(tsresol);
            for (long units : edges) {
                assertEquals(reference(tsresol, units), scale.toNanos(units), "tsresol " + tsresol + " units " + units);
            }
            for (int i = 0; i < 2_000; i++) {
                // spread over magnitudes, so every branch sees values near its overflow edge
                long units = random.nextLong() >>> random.nextInt(64);
                assertEquals(reference(tsresol, units), scale.toNanos(units),
                        "tsresol " + tsresol + " units " + Long.toUnsignedString(units));
            }
        }
    }
}
