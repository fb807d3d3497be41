package io.nfchain.core.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One writer (the runner thread), any number of readers. A runner's counters, kept here as
 * running totals by the runner and published once per duty cycle under a sequence lock, so
 * that a reader on another thread gets a consistent {@link Snapshot} without ever blocking
 * the writer.
 *
 * <p>The writer makes the version odd, stores the counters (opaque, so no long tears), then
 * makes it even with a release store: a few plain stores and no fence instruction on x86. A
 * reader retries while the version is odd or changed under it. Readers allocate (a
 * snapshot); the writer never does. The counters are padded on both sides: runners created
 * one after another would otherwise write their counters into one cache line from two cores.
 */
public final class RunnerStats extends RunnerStatsCounters {
    long p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p2a, p2b, p2c, p2d, p2e, p2f;

    /**
     * Counters since the runner started, and what follows from them.
     *
     * @param loops duty cycles run
     * @param busyLoops cycles whose {@code doWork()} returned > 0
     * @param emptyPolls cycles whose {@code doWork()} returned 0
     * @param workItems the sum of what {@code doWork()} returned: packets for a packet agent
     * @param busyNs time inside {@code doWork()} calls that returned work
     * @param sleeps sleeps and blocks of the idle strategy
     * @param sleptNs time in those sleeps
     * @param errors exceptions from the agent (doWork, start, close) and from thread placement
     * @param wallNs time since the runner started
     */
    public record Snapshot(long loops, long busyLoops, long emptyPolls, long workItems, long busyNs,
            long sleeps, long sleptNs, long errors, long wallNs) {

        /** Mean work per cycle that had work: VPP's "vectors/call". 0 before any work. */
        public double meanBurstSize() {
            return busyLoops == 0 ? 0 : (double) workItems / busyLoops;
        }

        /** Share of wall time spent in {@code doWork()} calls that found work, 0..1. */
        public double busyRatio() {
            return wallNs <= 0 ? 0 : Math.min(1.0, (double) busyNs / wallNs);
        }

        /** Share of cycles that found nothing, 0..1. */
        public double emptyPollRatio() {
            return loops == 0 ? 0 : (double) emptyPolls / loops;
        }

        /** Cost of one work item (packet) in ns, from the busy time: VPP's "clocks/vector" in ns. 0 before any work. */
        public double nsPerWorkItem() {
            return workItems == 0 ? 0 : (double) busyNs / workItems;
        }

        /** Share of wall time asleep or blocked, 0..1. */
        public double sleepRatio() {
            return wallNs <= 0 ? 0 : Math.min(1.0, (double) sleptNs / wallNs);
        }

        /** The counts between {@code earlier} and this one: an interval, as after a {@code clear runtime}. */
        public Snapshot minus(Snapshot earlier) {
            return new Snapshot(loops - earlier.loops, busyLoops - earlier.busyLoops, emptyPolls - earlier.emptyPolls,
                    workItems - earlier.workItems, busyNs - earlier.busyNs, sleeps - earlier.sleeps,
                    sleptNs - earlier.sleptNs, errors - earlier.errors, wallNs - earlier.wallNs);
        }
    }

    /**
     * Runner thread only: adds one duty cycle and publishes every counter.
     *
     * @param workCount what doWork returned (0 when it threw)
     * @param busyNsDelta the time the doWork call took, counted only when it found work
     * @param failed whether doWork threw: the cycle is then neither busy nor an empty poll
     * @param sleepsTotal the idle strategy's sleeps so far
     * @param sleptNsTotal the idle strategy's sleep time so far
     * @param wallNsTotal the time since the runner started
     */
    void recordCycle(int workCount, long busyNsDelta, boolean failed, long sleepsTotal, long sleptNsTotal,
            long wallNsTotal) {
        long next = beginWrite();
        LOOPS.setOpaque(this, loops + 1);
        if (workCount > 0) {
            BUSY_LOOPS.setOpaque(this, busyLoops + 1);
            WORK_ITEMS.setOpaque(this, workItems + workCount);
            BUSY_NS.setOpaque(this, busyNs + busyNsDelta);
        } else if (!failed) {
            EMPTY_POLLS.setOpaque(this, emptyPolls + 1);
        }
        SLEEPS.setOpaque(this, sleepsTotal);
        SLEPT_NS.setOpaque(this, sleptNsTotal);
        WALL_NS.setOpaque(this, wallNsTotal);
        VERSION.setRelease(this, next + 1);
    }

    /** Runner thread only: counts one error. */
    void recordError() {
        long next = beginWrite();
        ERRORS.setOpaque(this, errors + 1);
        VERSION.setRelease(this, next + 1);
    }

    /** Runner thread only: publishes the idle strategy's totals and the wall time, as at close. */
    void recordTime(long sleepsTotal, long sleptNsTotal, long wallNsTotal) {
        long next = beginWrite();
        SLEEPS.setOpaque(this, sleepsTotal);
        SLEPT_NS.setOpaque(this, sleptNsTotal);
        WALL_NS.setOpaque(this, wallNsTotal);
        VERSION.setRelease(this, next + 1);
    }

    private long beginWrite() {
        long next = version + 1;
        VERSION.setOpaque(this, next);
        VarHandle.storeStoreFence();
        return next;
    }

    /** Any thread: a consistent copy of the counters; spins only while a publish is under way. */
    public Snapshot snapshot() {
        while (true) {
            long before = (long) VERSION.getAcquire(this);
            if ((before & 1) == 0) {
                Snapshot snapshot = new Snapshot((long) LOOPS.getOpaque(this), (long) BUSY_LOOPS.getOpaque(this),
                        (long) EMPTY_POLLS.getOpaque(this), (long) WORK_ITEMS.getOpaque(this),
                        (long) BUSY_NS.getOpaque(this), (long) SLEEPS.getOpaque(this), (long) SLEPT_NS.getOpaque(this),
                        (long) ERRORS.getOpaque(this), (long) WALL_NS.getOpaque(this));
                VarHandle.loadLoadFence();
                if ((long) VERSION.getOpaque(this) == before) {
                    return snapshot;
                }
            }
            Thread.onSpinWait();
        }
    }

    /** Any thread: the error count alone, without a snapshot. */
    public long errors() {
        return (long) ERRORS.getOpaque(this);
    }

}

/** Cache-line padding before the counters. */
abstract class RunnerStatsPad {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p0a, p0b, p0c, p0d, p0e, p0f;
}

/** The counters: plain fields the runner reads back and writes opaque inside the sequence lock. */
abstract class RunnerStatsCounters extends RunnerStatsPad {
    static final VarHandle VERSION = field("version");
    static final VarHandle LOOPS = field("loops");
    static final VarHandle BUSY_LOOPS = field("busyLoops");
    static final VarHandle EMPTY_POLLS = field("emptyPolls");
    static final VarHandle WORK_ITEMS = field("workItems");
    static final VarHandle BUSY_NS = field("busyNs");
    static final VarHandle SLEEPS = field("sleeps");
    static final VarHandle SLEPT_NS = field("sleptNs");
    static final VarHandle ERRORS = field("errors");
    static final VarHandle WALL_NS = field("wallNs");

    long version;
    long loops;
    long busyLoops;
    long emptyPolls;
    long workItems;
    long busyNs;
    long sleeps;
    long sleptNs;
    long errors;
    long wallNs;

    private static VarHandle field(String name) {
        try {
            return MethodHandles.lookup().findVarHandle(RunnerStatsCounters.class, name, long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
