package io.nfchain.cli;

import java.time.Duration;

/** Thread-safe (stateless). Reads the CLI's durations: a whole number and a unit, {@code 500ms}, {@code 1s}, {@code 2m}. */
public final class Durations {
    /** Longer than any interval or deadline a person means; it also keeps the arithmetic far from overflow. */
    public static final Duration MAX = Duration.ofDays(1);

    private Durations() {}

    /** Parses {@code text}; a bad or out-of-range duration raises {@link IllegalArgumentException} saying why. */
    public static Duration parse(String text) {
        int digits = 0;
        while (digits < text.length() && text.charAt(digits) >= '0' && text.charAt(digits) <= '9') {
            digits++;
        }
        if (digits == 0 || digits > 9) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (a whole number and ms, s or m: 500ms, 1s)");
        }
        long amount = Long.parseLong(text.substring(0, digits));
        Duration d = switch (text.substring(digits)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> throw new IllegalArgumentException("'" + text + "': unit '" + text.substring(digits)
                    + "' is not ms, s, m or h");
        };
        if (d.isZero() || d.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("'" + text + "' is not between 1ms and " + MAX.toHours() + "h");
        }
        return d;
    }

    /** The shortest text {@link #parse} reads back as {@code d} (whole milliseconds). */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
