package io.nfchain.agent.datapath;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Single writer (the worker), any reader: a fixed set of cumulative counters written with
 * release stores, read with acquire loads, so a scrape on another thread sees whole values at
 * most a burst old. The worker adds once per burst, never per packet.
 */
final class Counters {
    private static final VarHandle VALUES = MethodHandles.arrayElementVarHandle(long[].class);
    private final long[] values;

    Counters(int size) {
        values = new long[size];
    }

    void add(int index, long n) {
        if (n != 0) {
            VALUES.setRelease(values, index, values[index] + n);
        }
    }

    long get(int index) {
        return (long) VALUES.getAcquire(values, index);
    }
}
