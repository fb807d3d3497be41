package io.nfchain.core.tools;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Map;

/**
 * The one JSON writer of nfchain's tools: an ordered object on one line, for {@code nfchain decode}
 * and the line every benchmark ends with. Not for the hot path.
 */
public final class JsonLine {
    private static final MathContext SIGNIFICANT_DIGITS = new MathContext(6);
    private final StringBuilder sb = new StringBuilder(256).append('{');
    private boolean first = true;

    private JsonLine key(String key) {
        if (!first) {
            sb.append(',');
        }
        first = false;
        quote(key);
        sb.append(':');
        return this;
    }

    /** One object from a map: strings, numbers (doubles to 6 significant digits), booleans, nested maps. */
    public static String object(Map<String, ?> fields) {
        JsonLine json = new JsonLine();
        fields.forEach(json::putValue);
        return json.toString();
    }

    /** Puts any value {@link #object} understands; null, NaN and infinities become null. */
    public JsonLine putValue(String key, Object value) {
        key(key);
        switch (value) {
            case null -> sb.append("null");
            case Boolean b -> sb.append(b);
            case Double d when d.isNaN() || d.isInfinite() -> sb.append("null");
            case Double d -> sb.append(BigDecimal.valueOf(d).round(SIGNIFICANT_DIGITS).stripTrailingZeros().toPlainString());
            case Number n -> sb.append(n);
            case Map<?, ?> m -> {
                JsonLine nested = new JsonLine();
                m.forEach((k, v) -> nested.putValue(String.valueOf(k), v));
                sb.append(nested);
            }
            default -> quote(value.toString());
        }
        return this;
    }

    public JsonLine put(String key, long value) {
        key(key).sb.append(value);
        return this;
    }

    public JsonLine put(String key, boolean value) {
        key(key).sb.append(value);
        return this;
    }

    public JsonLine put(String key, String value) {
        key(key).quote(value);
        return this;
    }

    /** Nests an already-built object. */
    public JsonLine put(String key, JsonLine object) {
        key(key).sb.append(object.toString());
        return this;
    }

    public JsonLine putStrings(String key, Iterable<String> values) {
        key(key).sb.append('[');
        boolean firstValue = true;
        for (String v : values) {
            if (!firstValue) {
                sb.append(',');
            }
            firstValue = false;
            quote(v);
        }
        sb.append(']');
        return this;
    }

    public JsonLine putObjects(String key, Iterable<JsonLine> values) {
        key(key).sb.append('[');
        boolean firstValue = true;
        for (JsonLine v : values) {
            if (!firstValue) {
                sb.append(',');
            }
            firstValue = false;
            sb.append(v.toString());
        }
        sb.append(']');
        return this;
    }

    private JsonLine quote(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
        return this;
    }

    @Override
    public String toString() {
        return sb + "}";
    }
}
