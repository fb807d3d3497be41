package io.nfchain.core.runtime;

import java.util.concurrent.locks.LockSupport;

/**
 * How an idle strategy gives the CPU back. Injected so that tests record the decisions (and
 * advance a manual clock) instead of sleeping.
 */
public interface Sleeper {
    /** {@link LockSupport#parkNanos(long)} and {@link Thread#yield()}. */
    Sleeper PARK = new Sleeper() {
        @Override
        public void parkNanos(long durationNs) {
            LockSupport.parkNanos(durationNs);
        }

        @Override
        public void yieldThread() {
            Thread.yield();
        }
    };

    /**
     * Sleeps for about {@code durationNs} (> 0). May return early (unpark, interrupt); how late
     * it returns depends on the thread's timer slack, which the runner sets to ~1 µs.
     */
    void parkNanos(long durationNs);

    /** Offers the CPU to another runnable thread ({@code sched_yield}). */
    void yieldThread();
}
