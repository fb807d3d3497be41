package io.nfchain.core.pcap;

/**
 * Converts timestamps counted in an interface's units (pcapng {@code if_tsresol}) to nanoseconds,
 * exactly (rounding toward zero) and without allocating.
 *
 * <p>{@code if_tsresol} is one byte: with the top bit clear the unit is 10^-v seconds, with it set
 * the unit is 2^-(v &amp; 0x7F) seconds. Timestamps are unsigned 64-bit counts of units.
 */
final class TimestampScale {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** 10^0 .. 10^19; 10^19 still fits in an unsigned 64-bit value. */
    private static final long[] POWERS_OF_TEN = new long[20];

    static {
        long power = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = power;
            power *= 10; // wraps after 10^19, which is never stored
        }
    }

    static final TimestampScale MICROSECONDS = ofTsresol(6);
    static final TimestampScale NANOSECONDS = ofTsresol(9);

    /** Returned by {@link #toNanos} when the result does not fit in a signed 64-bit value. */
    static final long OUT_OF_RANGE = -1;

    private final int tsresol;
    private final boolean powerOfTwo;
    private final int exponent;
    /** For 10^-k with k &lt;= 9: nanoseconds per unit. */
    private final long multiplier;
    /** For 10^-k with 9 &lt; k &lt;= 28: units per nanosecond (unsigned); 0 when k &gt; 28. */
    private final long divisor;

    private TimestampScale(int tsresol) {
        this.tsresol = tsresol & 0xFF;
        this.powerOfTwo = (tsresol & 0x80) != 0;
        this.exponent = tsresol & 0x7F;
        if (powerOfTwo) {
            multiplier = 0;
            divisor = 0;
        } else if (exponent <= 9) {
            multiplier = POWERS_OF_TEN[9 - exponent];
            divisor = 0;
        } else {
            multiplier = 0;
            divisor = exponent - 9 < POWERS_OF_TEN.length ? POWERS_OF_TEN[exponent - 9] : 0;
        }
    }

    /** The scale for an {@code if_tsresol} option value (one unsigned byte). */
    static TimestampScale ofTsresol(int tsresol) {
        return new TimestampScale(tsresol);
    }

    int tsresol() {
        return tsresol;
    }

    /**
     * Nanoseconds in {@code units} (an unsigned 64-bit count), rounded toward zero, or
     * {@link #OUT_OF_RANGE} when they do not fit in a signed 64-bit value.
     */
    long toNanos(long units) {
        if (powerOfTwo) {
            return shiftedProduct(units, exponent);
        }
        if (exponent <= 9) {
            long high = Math.unsignedMultiplyHigh(units, multiplier);
            long low = units * multiplier;
            return high != 0 || low < 0 ? OUT_OF_RANGE : low;
        }
        // Past 10^-28 s a unit is so small that no 64-bit count reaches one nanosecond.
        return divisor == 0 ? 0 : Long.divideUnsigned(units, divisor);
    }

    /** (units * 10^9) &gt;&gt; shift, computed on the 128-bit product. */
    private static long shiftedProduct(long units, int shift) {
        long high = Math.unsignedMultiplyHigh(units, NANOS_PER_SECOND);
        long low = units * NANOS_PER_SECOND;
        long result;
        if (shift == 0) {
            result = high == 0 ? low : OUT_OF_RANGE;
        } else if (shift < 64) {
            result = (high >>> shift) != 0 ? OUT_OF_RANGE : (low >>> shift) | (high << (64 - shift));
        } else {
            result = high >>> (shift - 64);
        }
        return result < 0 ? OUT_OF_RANGE : result;
    }

    @Override
    public String toString() {
        return (powerOfTwo ? "2^-" : "10^-") + exponent + " s";
    }
}
