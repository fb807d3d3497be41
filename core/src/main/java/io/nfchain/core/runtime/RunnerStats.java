package io.nfchain.core.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One writer (the runner thread), any number of readers. A runner's counters, published once
 * per duty cycle under a sequence lock so that a reader on another thread gets a consistent
 * {@link Snapshot} without ever blocking the writer.
 *
 * <p>The writer makes the version odd, stores the counters (opaque, so no long tears), then
 * makes it even with a release store: a few plain stores and no fence instruction on x86. A
 * reader retries while the version is odd or changed under it. Readers allocate (a
 * snapshot); the writer never does.
 */
public final class RunnerStats {
    private static final VarHandle VERSION = field("version");
    private static final VarHandle LOOPS = field("loops");
    private static final VarHandle BUSY_LOOPS = field("busyLoops");
    private static final VarHandle EMPTY_POLLS = field("emptyPolls");
    private static final VarHandle WORK_ITEMS = field("workItems");
    private static final VarHandle BUSY_NS = field("busyNs");
    private static final VarHandle SLEEPS = field("sleeps");
    private static final VarHandle SLEPT_NS = field("sleptNs");
    private static final VarHandle ERRORS = field("errors");
    private static final VarHandle WALL_NS = field("wallNs");

    private long version;
    private long loops;
    private long busyLoops;
    private long emptyPolls;
    private long workItems;
    private long busyNs;
    private long sleeps;
    private long sleptNs;
    private long errors;
    private long wallNs;

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

        /** The counts between {@code earlier} and this one: rates over an interval, as after a {@code clear runtime}. */
        public Snapshot minus(Snapshot earlier) {
            return new Snapshot(loops - earlier.loops, busyLoops - earlier.busyLoops, emptyPolls - earlier.emptyPolls,
                    workItems - earlier.workItems, busyNs - earlier.busyNs, sleeps - earlier.sleeps,
                    sleptNs - earlier.sleptNs, errors - earlier.errors, wallNs - earlier.wallNs);
        }
    }

    /**
     * Runner thread only: publishes the running totals. Called once per duty cycle with
     * totals the runner keeps in its own fields.
     */
    void publish(long loopsTotal, long busyLoopsTotal, long emptyPollsTotal, long workItemsTotal, long busyNsTotal,
            long sleepsTotal, long sleptNsTotal, long errorsTotal, long wallNsTotal) {
        long next = version + 1;
        VERSION.setOpaque(this, next);
        VarHandle.storeStoreFence();
        LOOPS.setOpaque(this, loopsTotal);
        BUSY_LOOPS.setOpaque(this, busyLoopsTotal);
        EMPTY_POLLS.setOpaque(this, emptyPollsTotal);
        WORK_ITEMS.setOpaque(this, workItemsTotal);
        BUSY_NS.setOpaque(this, busyNsTotal);
        SLEEPS.setOpaque(this, sleepsTotal);
        SLEPT_NS.setOpaque(this, sleptNsTotal);
        ERRORS.setOpaque(this, errorsTotal);
        WALL_NS.setOpaque(this, wallNsTotal);
        VERSION.setRelease(this, next + 1);
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

    private static VarHandle field(String name) {
        try {
            return MethodHandles.lookup().findVarHandle(RunnerStats.class, name, long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
