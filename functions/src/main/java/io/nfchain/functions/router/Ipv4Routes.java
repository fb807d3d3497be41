package io.nfchain.functions.router;

import java.util.Arrays;
import java.util.Objects;

/**
 * A growable list of IPv4 routes (prefix, length, next hop) in primitive arrays: a million routes
 * cost 12 MB, not a million objects. What {@link Ipv4Lpm#build} takes and the table generator
 * makes. Not thread-safe; entries are not validated until a table is built from them.
 */
public final class Ipv4Routes {
    private int[] prefixes;
    private int[] lengths;
    private int[] nextHops;
    private int size;

    public Ipv4Routes() {
        this(16);
    }

    /** @param expectedRoutes initial room, grown as needed */
    public Ipv4Routes(int expectedRoutes) {
        int capacity = Math.max(1, expectedRoutes);
        prefixes = new int[capacity];
        lengths = new int[capacity];
        nextHops = new int[capacity];
    }

    public Ipv4Routes add(int prefix, int length, int nextHop) {
        if (size == prefixes.length) {
            int capacity = size * 2;
            prefixes = Arrays.copyOf(prefixes, capacity);
            lengths = Arrays.copyOf(lengths, capacity);
            nextHops = Arrays.copyOf(nextHops, capacity);
        }
        prefixes[size] = prefix;
        lengths[size] = length;
        nextHops[size] = nextHop;
        size++;
        return this;
    }

    public int size() {
        return size;
    }

    public int prefix(int i) {
        return prefixes[Objects.checkIndex(i, size)];
    }

    public int length(int i) {
        return lengths[Objects.checkIndex(i, size)];
    }

    public int nextHop(int i) {
        return nextHops[Objects.checkIndex(i, size)];
    }
}
