package io.nfchain.core.runtime;

/**
 * A monotonic clock in nanoseconds. Injected into runners and idle strategies so that tests
 * step time by hand instead of sleeping.
 */
@FunctionalInterface
public interface NanoClock {
    /** {@link System#nanoTime()}: a vDSO {@code clock_gettime(CLOCK_MONOTONIC)}, about 20 ns. */
    NanoClock SYSTEM = System::nanoTime;

    /** Nanoseconds from an arbitrary origin; only differences mean anything. */
    long nanoTime();
}
