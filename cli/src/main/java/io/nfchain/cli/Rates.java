package io.nfchain.cli;

/**
 * Thread-safe (immutable). Per-second rates between two readings of cumulative counters taken
 * {@code seconds} apart. {@link #NONE}: not watching, so tables have no rate columns;
 * {@link #FIRST}: watching, but with no earlier reading yet, so every rate prints as "-".
 */
public record Rates(boolean shown, double seconds) {
    public static final Rates NONE = new Rates(false, 0);
    public static final Rates FIRST = new Rates(true, 0);

    /** Rates over readings {@code seconds} apart. */
    public static Rates over(double seconds) {
        return new Rates(true, seconds);
    }

    /**
     * The rate of a counter, rounded to a whole number per second, or null (printed "-") when
     * unknown: no earlier reading, readings not apart in time, or a counter that went backwards
     * (the agent restarted).
     */
    public Long perSecond(long now, Long before) {
        if (seconds <= 0 || before == null || Long.compareUnsigned(now, before) < 0) {
            return null;
        }
        return Math.round((now - before) / seconds);
    }
}
