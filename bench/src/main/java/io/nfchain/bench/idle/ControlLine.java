package io.nfchain.bench.idle;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Immutable. One line of the idle bench's control protocol between the driver and its two
 * peer processes (over their standard input and output): a word, then {@code key=value}
 * fields separated by single spaces, such as {@code RESULT frames=1200 cpu_ns=5000}. Keys
 * and values hold no spaces or {@code '='} in keys; a value may be empty.
 */
public record ControlLine(String word, Map<String, String> fields) {
    public ControlLine {
        if (word.isEmpty() || word.indexOf(' ') >= 0 || word.indexOf('=') >= 0) {
            throw new IllegalArgumentException("control word must be non-empty, without spaces or '=': '" + word + "'");
        }
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public static ControlLine of(String word) {
        return new ControlLine(word, Map.of());
    }

    /**
     * Parses one line.
     *
     * @throws IllegalArgumentException for an empty line, a field without {@code '='}, an empty
     *     or repeated key
     */
    public static ControlLine parse(String line) {
        String[] tokens = line.strip().split(" +");
        if (tokens[0].isEmpty() || tokens[0].indexOf('=') >= 0) {
            throw new IllegalArgumentException("control line must start with a word: '" + shorten(line) + "'");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 1; i < tokens.length; i++) {
            int eq = tokens[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("control field '" + shorten(tokens[i]) + "' is not key=value");
            }
            String key = tokens[i].substring(0, eq);
            if (fields.put(key, tokens[i].substring(eq + 1)) != null) {
                throw new IllegalArgumentException("control field '" + key + "' appears twice");
            }
        }
        return new ControlLine(tokens[0], fields);
    }

    /** The line {@link #parse} reads back as this one. */
    public String format() {
        StringBuilder sb = new StringBuilder(word);
        fields.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        return sb.toString();
    }

    public ControlLine with(String key, Object value) {
        String text = String.valueOf(value);
        if (key.isEmpty() || key.indexOf(' ') >= 0 || key.indexOf('=') >= 0 || text.indexOf(' ') >= 0
                || text.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("control field must be key=value without spaces: " + key + "=" + text);
        }
        Map<String, String> copy = new LinkedHashMap<>(fields);
        copy.put(key, text);
        return new ControlLine(word, copy);
    }

    public String text(String key) {
        String value = fields.get(key);
        if (value == null) {
            throw new IllegalArgumentException(word + " line has no field '" + key + "'");
        }
        return value;
    }

    public long longValue(String key) {
        String value = text(key);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(word + " field " + key + " is not an integer: '" + shorten(value) + "'");
        }
    }

    public double doubleValue(String key) {
        String value = text(key);
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(word + " field " + key + " is not a number: '" + shorten(value) + "'");
        }
    }

    private static String shorten(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
