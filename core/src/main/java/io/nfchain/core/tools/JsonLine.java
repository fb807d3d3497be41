package io.nfchain.core.tools;

/** A minimal, ordered JSON object writer for one-line tool output. Not for the hot path. */
final class JsonLine {
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

    JsonLine put(String key, long value) {
        key(key).sb.append(value);
        return this;
    }

    JsonLine put(String key, boolean value) {
        key(key).sb.append(value);
        return this;
    }

    JsonLine put(String key, String value) {
        key(key).quote(value);
        return this;
    }

    /** Nests an already-built object. */
    JsonLine put(String key, JsonLine object) {
        key(key).sb.append(object.toString());
        return this;
    }

    JsonLine putStrings(String key, Iterable<String> values) {
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

    JsonLine putObjects(String key, Iterable<JsonLine> values) {
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
