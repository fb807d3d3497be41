package io.nfchain.functions.router;

import java.util.Arrays;
import java.util.Objects;

/**
 * A growable list of IPv6 routes (prefix as two longs, length, next hop) in primitive arrays. What
 * {@link Ipv6Lpm#build} takes and the table generator makes. Not thread-safe; entries are not
 * validated until a table is built from them.
 */
public final class Ipv6Routes {
    private long[] his;
    private long[] los;
    private int[] lengths;
    private int[] nextHops;
    private int size;

    public Ipv6Routes() {
        this(16);
    }

    /** @param expectedRoutes initial room, grown as needed */
    public Ipv6Routes(int expectedRoutes) {
        int capacity = Math.max(1, expectedRoutes);
        his = new long[capacity];
        los = new long[capacity];
        lengths = new int[capacity];
        nextHops = new int[capacity];
    }

    public Ipv6Routes add(long prefixHi, long prefixLo, int length, int nextHop) {
        if (size == his.length) {
            int capacity = size * 2;
            his = Arrays.copyOf(his, capacity);
            los = Arrays.copyOf(los, capacity);
            lengths = Arrays.copyOf(lengths, capacity);
            nextHops = Arrays.copyOf(nextHops, capacity);
        }
        his[size] = prefixHi;
        los[size] = prefixLo;
        lengths[size] = length;
        nextHops[size] = nextHop;
        size++;
        return this;
    }

    public int size() {
        return size;
    }

    /** The high 64 bits of route {@code i}'s prefix. */
    public long prefixHi(int i) {
        return his[Objects.checkIndex(i, size)];
    }

    /** The low 64 bits of route {@code i}'s prefix. */
    public long prefixLo(int i) {
        return los[Objects.checkIndex(i, size)];
    }

    
    public int length(int i) {
        return lengths[Objects.checkIndex(i, size)];
    }

    public int nextHop(int i) {
        return nextHops[Objects.checkIndex(i, size)];
    }
}
