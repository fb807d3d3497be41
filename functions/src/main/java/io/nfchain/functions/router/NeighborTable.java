package io.nfchain.functions.router;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Address to MAC, for IPv4 and IPv6 (IPv4 addresses are stored as hi 0, lo the address, in a
 * separate table from IPv6's so ::a.b.c.d never collides with a.b.c.d). Open addressing with
 * linear probing over fixed arrays; lookups allocate nothing.
 *
 * <p>One writer, any readers: the writer fills an entry's key and output, then stores its value
 * (the MAC with a presence bit) with release semantics; readers load the value with acquire
 * semantics before the key. Entries are never removed, only overwritten, so a reader never
 * sees a key change under it. The static neighbours: built by the control thread and published
 * whole (a new table per change). Learned neighbours, which expire, are {@link LearnedNeighbors}.
 */
public final class NeighborTable {
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    /** Set in a value when the entry is used: a MAC is 48 bits. */
    static final long PRESENT = 1L << 48;
    /** What {@link #lookup} returns for an unknown address. */
    public static final long MISSING = -1;

    private final long[] v4Key;
    private final long[] v4Value;
    private final int[] v4Output;
    private final long[] v6KeyHi;
    private final long[] v6KeyLo;
    private final long[] v6Value;
    private final int[] v6Output;
    private final int mask;
    private final int capacity;
    private int size4;
    private int size6;

    /** @param capacity most entries per family; the arrays are twice that, rounded up to a power of two */
    public NeighborTable(int capacity) {
        int slots = Integer.highestOneBit(Math.max(8, capacity) * 2 - 1) << 1;
        this.capacity = capacity;
        mask = slots - 1;
        v4Key = new long[slots];
        v4Value = new long[slots];
        v4Output = new int[slots];
        v6KeyHi = new long[slots];
        v6KeyLo = new long[slots];
        v6Value = new long[slots];
        v6Output = new int[slots];
    }

    /** The MAC of an IPv4 neighbour, or {@link #MISSING}. Any thread. */
    public long lookup4(int address) {
        long key = address & 0xFFFF_FFFFL;
        for (int i = mix(0, key) & mask; ; i = (i + 1) & mask) {
            long value = (long) LONGS.getAcquire(v4Value, i);
            if (value == 0) {
                return MISSING;
            }
            if (v4Key[i] == key) {
                return value & ~PRESENT;
            }
        }
    }

    /** The MAC of an IPv6 neighbour, or {@link #MISSING}. Any thread. */
    public long lookup6(long hi, long lo) {
        for (int i = mix(hi, lo) & mask; ; i = (i + 1) & mask) {
            long value = (long) LONGS.getAcquire(v6Value, i);
            if (value == 0) {
                return MISSING;
            }
            if (v6KeyHi[i] == hi && v6KeyLo[i] == lo) {
                return value & ~PRESENT;
            }
        }
    }

    /** Adds or updates an IPv4 neighbour; false when the table is full. Writer only. */
    public boolean put4(int address, long mac, int output) {
        long key = address & 0xFFFF_FFFFL;
        for (int i = mix(0, key) & mask; ; i = (i + 1) & mask) {
            long value = v4Value[i];
            if (value == 0) {
                if (size4 == capacity) {
                    return false;
                }
                size4++;
                v4Key[i] = key;
            } else if (v4Key[i] != key) {
                continue;
            }
            v4Output[i] = output;
            LONGS.setRelease(v4Value, i, mac | PRESENT);
            return true;
        }
    }

    /** Adds or updates an IPv6 neighbour; false when the table is full. Writer only. */
    public boolean put6(long hi, long lo, long mac, int output) {
        for (int i = mix(hi, lo) & mask; ; i = (i + 1) & mask) {
            long value = v6Value[i];
            if (value == 0) {
                if (size6 == capacity) {
                    return false;
                }
                size6++;
                v6KeyHi[i] = hi;
                v6KeyLo[i] = lo;
            } else if (v6KeyHi[i] != hi || v6KeyLo[i] != lo) {
                continue;
            }
            v6Output[i] = output;
            LONGS.setRelease(v6Value, i, mac | PRESENT);
            return true;
        }
    }

    /** Receives every entry (any thread; entries added meanwhile may be missed). */
    public void forEach(Visitor visitor) {
        for (int i = 0; i <= mask; i++) {
            long value = (long) LONGS.getAcquire(v4Value, i);
            if (value != 0) {
                visitor.entry(false, 0, v4Key[i], value & ~PRESENT, v4Output[i]);
            }
        }
        for (int i = 0; i <= mask; i++) {
            long value = (long) LONGS.getAcquire(v6Value, i);
            if (value != 0) {
                visitor.entry(true, v6KeyHi[i], v6KeyLo[i], value & ~PRESENT, v6Output[i]);
            }
        }
    }

    /** One neighbour: IPv4 addresses have hi 0 and the address in lo. */
    @FunctionalInterface
    public interface Visitor {
        void entry(boolean ipv6, long hi, long lo, long mac, int output);
    }

    private static int mix(long hi, long lo) {
        long h = (hi * 0x9E3779B97F4A7C15L ^ lo) * 0xC2B2AE3D27D4EB4FL;
        return (int) (h ^ (h >>> 29));
    }
}
