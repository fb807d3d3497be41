package io.nfchain.core.runtime;

import java.util.BitSet;

/**
 * Where and how an {@link AgentRunner}'s thread runs.
 *
 * @param threadName the runner thread's name, non-empty
 * @param cpus the CPUs to pin the thread to, or null to leave it where the scheduler puts it
 * @param timerSlackNs the thread's timer slack set at start, >= 1; or -1 to keep the inherited
 *     50 µs (only sensible with {@code busy})
 * @param closeTimeoutNs how long {@link AgentRunner#close()} waits for the thread, > 0
 */
public record RunnerSettings(String threadName, BitSet cpus, long timerSlackNs, long closeTimeoutNs) {
    /** 1 µs: a 5 µs park wakes after about 5 µs, not 55. */
    public static final long DEFAULT_TIMER_SLACK_NS = 1_000;
    public static final long DEFAULT_CLOSE_TIMEOUT_NS = 5_000_000_000L;
    public static final long KEEP_TIMER_SLACK = -1;

    public RunnerSettings {
        if (threadName == null || threadName.isEmpty()) {
            throw new IllegalArgumentException("threadName must be non-empty");
        }
        if (timerSlackNs != KEEP_TIMER_SLACK && timerSlackNs < 1) {
            throw new IllegalArgumentException("timerSlackNs must be >= 1 or KEEP_TIMER_SLACK: " + timerSlackNs);
        }
        if (closeTimeoutNs <= 0) {
            throw new IllegalArgumentException("closeTimeoutNs must be > 0: " + closeTimeoutNs);
        }
        cpus = cpus == null ? null : (BitSet) cpus.clone();
    }

    /** Unpinned, 1 µs timer slack, 5 s close timeout. */
    public static RunnerSettings named(String threadName) {
        return new RunnerSettings(threadName, null, DEFAULT_TIMER_SLACK_NS, DEFAULT_CLOSE_TIMEOUT_NS);
    }

    /** The same, pinned to {@code newCpus} (null: unpinned). */
    public RunnerSettings withCpus(BitSet newCpus) {
        return new RunnerSettings(threadName, newCpus, timerSlackNs, closeTimeoutNs);
    }

    public RunnerSettings withTimerSlackNs(long newTimerSlackNs) {
        return new RunnerSettings(threadName, cpus, newTimerSlackNs, closeTimeoutNs);
    }

    public RunnerSettings withCloseTimeoutNs(long newCloseTimeoutNs) {
        return new RunnerSettings(threadName, cpus, timerSlackNs, newCloseTimeoutNs);
    }

    /** A copy of the CPU set, or null when unpinned. */
    @Override
    public BitSet cpus() {
        return cpus == null ? null : (BitSet) cpus.clone();
    }
}
