package io.nfchain.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/** Thread-safe (stateless). Lookups of an earlier reading's counters by name, for rates. */
final class Snapshots {
    private Snapshots() {}

    /** {@code counter} of each item of {@code items} by {@code key}; empty when there is no earlier reading. */
    static <T> Map<String, Long> byKey(List<T> items, Function<T, String> key, ToLongFunction<T> counter) {
        Map<String, Long> out = new HashMap<>();
        if (items != null) {
            for (T item : items) {
                out.put(key.apply(item), counter.applyAsLong(item));
            }
        }
        return out;
    }
}
