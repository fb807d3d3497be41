package io.nfchain.functions.router;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One writer (the poll thread), one reader elsewhere (the control thread, through
 * {@link #snapshot}). Neighbours learned from ARP and ND, with the time each was last confirmed
 * on the burst clock: an entry older than the reachable time is expired. Lookups treat it as
 * missing at once (the next packet to it re-resolves); {@link #sweep} removes expired entries a
 * few slots per burst so the table's capacity is not held by neighbours that left.
 *
 * <p>Open addressing with linear probing; removal shifts the rest of the cluster back (no
 * tombstones, so lookups stay short however many neighbours came and went). Nothing here
 * allocates on the poll thread. The control thread copies the arrays under a sequence counter
 * the writer makes odd around each change, and retries a copy that overlapped one.
 */
final class LearnedNeighbors {
    private static final VarHandle VERSION;

    static {
        try {
            VERSION = MethodHandles.lookup().findVarHandle(LearnedNeighbors.class, "version", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Set in a value when the slot is used: a MAC is 48 bits. */
    private static final long PRESENT = 1L << 48;

    private final Family v4;
    private final Family v6;
    private final int capacity;
    private final long reachableNs;
    @SuppressWarnings("unused") // through VERSION
    private volatile long version;
    private volatile long lastBurstNs;

    /**
     * @param capacity most entries per family, >= 1
     * @param reachableNs how long a neighbour stays usable after its last confirmation, > 0
     */
    LearnedNeighbors(int capacity, long reachableNs) {
        if (capacity < 1 || capacity > 1 << 24 || reachableNs <= 0) {
            throw new IllegalArgumentException("learned neighbours 1..16M and reachable time > 0: " + capacity + ", "
                    + reachableNs + " ns");
        }
        int slots = Integer.highestOneBit(Math.max(8, capacity) * 2 - 1) << 1;
        this.capacity = capacity;
        this.reachableNs = reachableNs;
        v4 = new Family(slots);
        v6 = new Family(slots);
    }

    long reachableNs() {
        return reachableNs;
    }

    /** The MAC of a usable IPv4 neighbour, or {@link NeighborTable#MISSING}. Poll thread. */
    long lookup4(int address, long nowNs) {
        return v4.lookup(0, address & 0xFFFF_FFFFL, nowNs, reachableNs);
    }

    /** The MAC of a usable IPv6 neighbour, or {@link NeighborTable#MISSING}. Poll thread. */
    long lookup6(long hi, long lo, long nowNs) {
        return v6.lookup(hi, lo, nowNs, reachableNs);
    }

    /** Adds or confirms an IPv4 neighbour; false when the table is full. Poll thread. */
    boolean learn4(int address, long mac, int output, long nowNs) {
        return put(v4, 0, address & 0xFFFF_FFFFL, mac, output, nowNs, true);
    }

    boolean learn6(long hi, long lo, long mac, int output, long nowNs) {
        return put(v6, hi, lo, mac, output, nowNs, true);
    }

    /** RFC 826's merge: confirms an IPv4 neighbour only if it is already known; true if it was. Poll thread. */
    boolean update4(int address, long mac, int output, long nowNs) {
        return put(v4, 0, address & 0xFFFF_FFFFL, mac, output, nowNs, false);
    }

    /**
     * Removes the expired entries among the next {@code slots} slots of each family and notes
     * {@code nowNs} as the latest burst time (the control thread's "now" for ages). Poll thread,
     * once per burst. Returns how many entries expired.
     */
    int sweep(long nowNs, int slots) {
        lastBurstNs = nowNs;
        return sweep(v4, nowNs, slots) + sweep(v6, nowNs, slots);
    }

    int size4() {
        return v4.size;
    }

    int size6() {
        return v6.size;
    }

    private boolean put(Family f, long hi, long lo, long mac, int output, long nowNs, boolean insert) {
        int mask = f.mask;
        for (int i = mix(hi, lo) & mask; ; i = (i + 1) & mask) {
            if (f.value[i] == 0) {
                if (!insert || f.size == capacity) {
                    return false;
                }
                begin();
                f.size++;
                f.keyHi[i] = hi;
                f.keyLo[i] = lo;
                f.set(i, mac, output, nowNs);
                end();
                return true;
            }
            if (f.keyHi[i] == hi && f.keyLo[i] == lo) {
                begin();
                f.set(i, mac, output, nowNs);
                end();
                return true;
            }
        }
    }

    private int sweep(Family f, long nowNs, int slots) {
        int expired = 0;
        int mask = f.mask;
        for (int n = 0; n < slots && f.size > 0; n++) {
            int i = f.cursor;
            f.cursor = (i + 1) & mask;
            if (f.value[i] != 0 && nowNs - f.confirmedNs[i] >= reachableNs) {
                begin();
                f.remove(i);
                end();
                expired++;
            }
        }
        return expired;
    }

    private void begin() {
        VERSION.setOpaque(this, (long) VERSION.getOpaque(this) + 1);
        VarHandle.storeStoreFence(); // the odd count is visible before any change it guards
    }

    private void end() {
        VERSION.setRelease(this, (long) VERSION.getOpaque(this) + 1);
    }

    /**
     * The MAC of a usable neighbour ({@link NeighborTable#MISSING} when unknown or expired),
     * against the latest burst's time: what the poll thread would use. Any thread but the poll
     * thread.
     */
    long find(boolean ipv6, long hi, long lo) {
        Family f = ipv6 ? v6 : v4;
        long key = ipv6 ? lo : lo & 0xFFFF_FFFFL;
        while (true) {
            long before = (long) VERSION.getAcquire(this);
            if ((before & 1) != 0) {
                Thread.onSpinWait();
                continue;
            }
            long mac = f.lookup(ipv6 ? hi : 0, key, lastBurstNs, reachableNs);
            VarHandle.loadLoadFence();
            if ((long) VERSION.getOpaque(this) == before) {
                return mac;
            }
        }
    }

    /**
     * A consistent copy of every entry, with ages against the latest burst's time. Any thread
     * but the poll thread; allocates.
     */
    Entry[] snapshot() {
        while (true) {
            long before = (long) VERSION.getAcquire(this);
            if ((before & 1) != 0) {
                Thread.onSpinWait();
                continue;
            }
            long now = lastBurstNs;
            Family a = v4.copy();
            Family b = v6.copy();
            VarHandle.loadLoadFence();
            if ((long) VERSION.getOpaque(this) == before) {
                Entry[] out = new Entry[a.size + b.size];
                int k = a.entries(false, now, reachableNs, out, 0);
                b.entries(true, now, reachableNs, out, k);
                return out;
            }
        }
    }

    /**
     * One learned neighbour as the control plane shows it: IPv4 addresses have hi 0.
     *
     * @param ageNs since it was last confirmed, against the latest burst's time
     * @param expired older than the reachable time: no longer used, removed by the next sweep
     */
    record Entry(boolean ipv6, long hi, long lo, long mac, int output, long ageNs, boolean expired) {}

    private static int mix(long hi, long lo) {
        long h = (hi * 0x9E3779B97F4A7C15L ^ lo) * 0xC2B2AE3D27D4EB4FL;
        return (int) (h ^ (h >>> 29));
    }

    /** One family's slots. */
    private static final class Family {
        final long[] keyHi;
        final long[] keyLo;
        final long[] value;
        final long[] confirmedNs;
        final int[] output;
        final int mask;
        int size;
        int cursor;

        Family(int slots) {
            this(new long[slots], new long[slots], new long[slots], new long[slots], new int[slots], 0);
        }

        private Family(long[] keyHi, long[] keyLo, long[] value, long[] confirmedNs, int[] output, int size) {
            this.keyHi = keyHi;
            this.keyLo = keyLo;
            this.value = value;
            this.confirmedNs = confirmedNs;
            this.output = output;
            this.mask = keyHi.length - 1;
            this.size = size;
        }

        long lookup(long hi, long lo, long nowNs, long reachableNs) {
            for (int i = mix(hi, lo) & mask; ; i = (i + 1) & mask) {
                long v = value[i];
                if (v == 0) {
                    return NeighborTable.MISSING;
                }
                if (keyHi[i] == hi && keyLo[i] == lo) {
                    return nowNs - confirmedNs[i] < reachableNs ? v & ~PRESENT : NeighborTable.MISSING;
                }
            }
        }

        void set(int i, long mac, int out, long nowNs) {
            value[i] = mac | PRESENT;
            output[i] = out;
            confirmedNs[i] = nowNs;
        }

        /** Empties slot {@code j} and shifts back entries of its cluster that probed past it. */
        void remove(int j) {
            size--;
            int i = j;
            while (true) {
                i = (i + 1) & mask;
                if (value[i] == 0) {
                    break;
                }
                int home = mix(keyHi[i], keyLo[i]) & mask;
                if (((i - home) & mask) >= ((i - j) & mask)) { // j lies on i's probe path: move it there
                    keyHi[j] = keyHi[i];
                    keyLo[j] = keyLo[i];
                    value[j] = value[i];
                    confirmedNs[j] = confirmedNs[i];
                    output[j] = output[i];
                    j = i;
                }
            }
            value[j] = 0;
        }

        Family copy() {
            return new Family(keyHi.clone(), keyLo.clone(), value.clone(), confirmedNs.clone(), output.clone(), size);
        }

        int entries(boolean ipv6, long nowNs, long reachableNs, Entry[] out, int k) {
            for (int i = 0; i <= mask && k < out.length; i++) {
                if (value[i] != 0) {
                    long age = Math.max(0, nowNs - confirmedNs[i]);
                    out[k++] = new Entry(ipv6, keyHi[i], keyLo[i], value[i] & ~PRESENT, output[i], age,
                            age >= reachableNs);
                }
            }
            return k;
        }
    }

    @Override
    public String toString() {
        return "LearnedNeighbors[" + v4.size + " IPv4, " + v6.size + " IPv6 of " + capacity + " each, reachable "
                + reachableNs / 1_000_000 + " ms]";
    }
}
