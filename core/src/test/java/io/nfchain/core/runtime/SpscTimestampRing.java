package io.nfchain.core.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Not safe for more than one producer or more than one consumer. A bounded ring of send
 * timestamps between two threads of one JVM: the stand-in for a memif ring in the idle
 * benchmark until memif exists. Positions are published with release stores and read with
 * acquire loads; producer and consumer positions sit 128 bytes apart in one array so they
 * never share a cache line.
 */
final class SpscTimestampRing {
    private static final VarHandle POSITION = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int TAIL = 16;
    private static final int HEAD = 32;

    private final long[] slots;
    private final int mask;
    private final long[] positions = new long[48];
    private long cachedHead;

    /** @param capacity a power of two */
    SpscTimestampRing(int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        this.slots = new long[capacity];
        this.mask = capacity - 1;
    }

    /** Producer: writes up to {@code count} copies of {@code timestampNs}, as many as fit; returns how many. */
    int offerBurst(long timestampNs, int count) {
        long tail = positions[TAIL];
        long free = slots.length - (tail - cachedHead);
        if (free < count) {
            cachedHead = (long) POSITION.getAcquire(positions, HEAD);
            free = slots.length - (tail - cachedHead);
        }
        int n = (int) Math.min(free, count);
        for (int i = 0; i < n; i++) {
            slots[(int) (tail + i) & mask] = timestampNs;
        }
        POSITION.setRelease(positions, TAIL, tail + n);
        return n;
    }

    /** Consumer: hands up to {@code limit} timestamps to {@code sink}; returns how many. */
    int pollBurst(LatencyHistogram sink, long nowNs, int limit) {
        long head = positions[HEAD];
        long available = (long) POSITION.getAcquire(positions, TAIL) - head;
        int n = (int) Math.min(available, limit);
        for (int i = 0; i < n; i++) {
            sink.record(nowNs - slots[(int) (head + i) & mask]);
        }
        if (n > 0) {
            POSITION.setRelease(positions, HEAD, head + n);
        }
        return n;
    }

    /** Any thread: whether the consumer has caught up. */
    boolean isEmpty() {
        return (long) POSITION.getAcquire(positions, TAIL) == (long) POSITION.getAcquire(positions, HEAD);
    }
}
