package io.nfchain.functions.sdk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * Single writer: the function's poll thread adds; any thread reads (a value may lag by one
 * burst). One long per counter of an enum, indexed by ordinal, written with release stores so
 * a metrics scrape on another thread never reads a torn or out-of-thin-air value. Adding
 * allocates nothing.
 */
public final class CounterSet<C extends Enum<C> & FunctionCounter> {
    private static final VarHandle VALUES = MethodHandles.arrayElementVarHandle(long[].class);

    private final List<C> counters;
    private final long[] values;

    public CounterSet(Class<C> type) {
        this.counters = List.of(type.getEnumConstants());
        this.values = new long[counters.size()];
    }

    /** Poll thread only. */
    public void add(C counter, long n) {
        int i = counter.ordinal();
        VALUES.setRelease(values, i, values[i] + n);
    }

    /** Poll thread only. */
    public void increment(C counter) {
        add(counter, 1);
    }

    /** Any thread. */
    public long get(C counter) {
        return (long) VALUES.getAcquire(values, counter.ordinal());
    }

    /** Every counter, in declaration order. */
    public List<C> counters() {
        return counters;
    }

    /** The sum of every drop counter: packets this function dropped. */
    public long drops() {
        long total = 0;
        for (C c : counters) {
            if (c.isDrop()) {
                total += get(c);
            }
        }
        return total;
    }
}
