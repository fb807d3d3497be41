package io.nfchain.functions.router;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The obvious longest-prefix match the tables are checked against: one hash map per prefix
 * length, probed from the longest length down. Keys are 128 bits; IPv4 uses the top 32 of hi.
 */
final class NaiveLpm {
    record Key(long hi, long lo) {}

    private final int maxLength;
    private final List<Map<Key, Integer>> byLength = new ArrayList<>();

    NaiveLpm(int maxLength) {
        this.maxLength = maxLength;
        for (int l = 0; l <= maxLength; l++) {
            byLength.add(new HashMap<>());
        }
    }

    /** Returns the replaced next hop or -1. */
    int put(long hi, long lo, int length, int nextHop) {
        Integer old = byLength.get(length).put(new Key(hi, lo), nextHop);
        return old == null ? -1 : old;
    }

    int remove(long hi, long lo, int length) {
        Integer old = byLength.get(length).remove(new Key(hi, lo));
        return old == null ? -1 : old;
    }

    int get(long hi, long lo, int length) {
        return byLength.get(length).getOrDefault(new Key(hi, lo), -1);
    }

    int size() {
        int n = 0;
        for (Map<Key, Integer> m : byLength) {
            n += m.size();
        }
        return n;
    }

    int lookup(long hi, long lo) {
        for (int l = maxLength; l >= 0; l--) {
            Map<Key, Integer> m = byLength.get(l);
            if (m.isEmpty()) {
                continue;
            }
            Integer nh = m.get(new Key(hi & StrideTrie.maskHi(l), lo & StrideTrie.maskLo(l)));
            if (nh != null) {
                return nh;
            }
        }
        return -1;
    }

    int lookup4(int address) {
        return lookup((address & 0xFFFF_FFFFL) << 32, 0);
    }

    Iterable<Key> prefixes(int length) {
        return byLength.get(length).keySet();
    }
}
