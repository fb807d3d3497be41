package io.nfchain.agent.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Not thread-safe; one per mapping being read. A YAML mapping read field by field with its path,
 * so every error names the field; {@link #finish()} refuses keys nobody asked for (a typo such
 * as {@code egresPort} must not be silently ignored).
 */
final class SpecNode {
    private final JsonNode node;
    private final String path;
    private final Set<String> read = new HashSet<>();

    private SpecNode(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    static SpecNode mapping(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new SpecException(path, "must be a mapping (key: value), not " + describe(node));
        }
        return new SpecNode(node, path);
    }

    String path() {
        return path;
    }

    String at(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    private JsonNode value(String key) {
        read.add(key);
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v;
    }

    String string(String key) {
        String s = optionalString(key, null);
        if (s == null) {
            throw new SpecException(at(key), "is required");
        }
        return s;
    }

    String optionalString(String key, String fallback) {
        JsonNode v = value(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isValueNode() || v.isBinary()) {
            throw new SpecException(at(key), "must be a scalar, not " + describe(v));
        }
        return v.asText();
    }

    /** A name a port, function or chain goes by: 1..63 of [a-z0-9-_], starting with a letter or digit. */
    String name(String key) {
        String s = string(key);
        if (!s.matches("[a-z0-9][a-z0-9_.-]{0,62}")) {
            throw new SpecException(at(key), "'" + s + "' is not a valid name (1-63 of a-z 0-9 - _ ., starting "
                    + "with a letter or digit)");
        }
        return s;
    }

    long number(String key, long fallback, long min, long max) {
        JsonNode v = value(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new SpecException(at(key), "must be a whole number, not " + describe(v));
        }
        long n = v.asLong();
        if (n < min || n > max) {
            throw new SpecException(at(key), n + " is out of range " + min + ".." + max);
        }
        return n;
    }

    boolean bool(String key, boolean fallback) {
        JsonNode v = value(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw new SpecException(at(key), "must be true or false, not " + describe(v));
        }
        return v.asBoolean();
    }

    SpecNode child(String key) {
        JsonNode v = value(key);
        return v == null ? null : mapping(v, at(key));
    }

    /** A sequence of mappings, each read by {@code reader} with its indexed path; absent is empty. */
    <T> List<T> list(String key, BiFunction<SpecNode, Integer, T> reader) {
        JsonNode v = value(key);
        List<T> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!v.isArray()) {
            throw new SpecException(at(key), "must be a list, not " + describe(v));
        }
        for (int i = 0; i < v.size(); i++) {
            out.add(reader.apply(mapping(v.get(i), at(key) + "[" + i + "]"), i));
        }
        return out;
    }

    /** A sequence of whole numbers; absent is {@code fallback}. */
    List<Integer> numbers(String key, List<Integer> fallback, int min, int max) {
        JsonNode v = value(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isArray() || v.isEmpty()) {
            throw new SpecException(at(key), "must be a non-empty list of numbers, not " + describe(v));
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isIntegralNumber() || !e.canConvertToInt() || e.asInt() < min || e.asInt() > max) {
                throw new SpecException(at(key) + "[" + i + "]", "must be a whole number " + min + ".." + max
                        + ", not " + describe(e));
            }
            out.add(e.asInt());
        }
        return out;
    }

    /** Refuses keys that were never read. */
    void finish() {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!read.contains(name)) {
                throw new SpecException(at(name), "unknown field");
            }
        }
    }

    static String describe(JsonNode v) {
        if (v == null || v.isNull()) {
            return "nothing";
        }
        if (v.isObject()) {
            return "a mapping";
        }
        if (v.isArray()) {
            return "a list";
        }
        String text = v.asText();
        return "'" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'";
    }
}
