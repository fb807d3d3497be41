package io.nfchain.core.runtime;

/**
 * {@code adaptive}, the default: the micro-sleep policy. CPU use follows the load while the
 * latency a sleep adds stays within a budget.
 *
 * <p>It learns the gap between bursts: each cycle with work ends an inter-arrival gap, the
 * time since the previous cycle with work, folded into an exponentially weighted moving
 * average {@code gapNs += (gap - gapNs) / 2^gapWeightShift}; the burst size (work per cycle
 * with work) is averaged the same way. A cycle that finds several bursts' worth of work
 * slept through several arrivals, so its gap is scaled down by {@code meanBurst / work}:
 * without that, a poller that learned to sleep 45 µs on slow traffic would keep finding work
 * 45 µs apart when packets start coming every 5 µs, and never learn the faster rate. A gap of
 * {@code quietAfterNs} or more is not a gap but a new episode of traffic: learning starts
 * again. When a cycle finds nothing:
 * <ol>
 *   <li>the first {@code spinPolls} empty cycles after work spin: the tail of a burst, or the
 *       next one under heavy load, is nanoseconds away;
 *   <li>while traffic is live (work within the last {@code quietAfterNs}), if the predicted
 *       next burst ({@code lastArrival + gapNs}) is at least {@code minSleepNs} away, it sleeps
 *       until the wake-up latency before it, at most {@code maxSleepNs} less the wake-up
 *       latency;
 *   <li>if the burst is due or overdue, it sleeps {@code minSleepNs}, doubling each empty
 *       cycle up to the same bound: the prediction failed, so it probes, then backs off;
 *   <li>on a quiet link (no work for {@code quietAfterNs}, or none yet) sleeps keep doubling
 *       from {@code maxSleepNs} up to {@code quietSleepNs}, so an idle link costs a wake-up
 *       every {@code quietSleepNs} rather than every {@code maxSleepNs}.
 * </ol>
 * Any cycle with work returns at once and starts the sequence again, so a loaded loop never
 * sleeps. {@code maxSleepNs} is the latency budget: while traffic flows, a sleep plus the
 * measured wake-up latency (how much longer than asked sleeps last: the median of what it measured, at
 * least {@code wakeEarlyNs}) stays within it. Where the kernel wakes threads so late that no sleep
 * fits (a loaded or virtualised host), live traffic is busy-polled and only quiet links sleep;
 * each of those empty polls yields the core ({@code sched_yield}), so loops that share a core
 * (functions packed on one) hand it to each other as soon as one runs dry, instead of at the
 * scheduler's millisecond slices.
 * The runner sets the timer slack to ~1 µs so that the kernel honours microsecond sleeps.
 */
public final class AdaptiveIdleStrategy implements IdleStrategy {
    public static final String NAME = "adaptive";

    private static final long NEVER = Long.MIN_VALUE;
    private static final int OVERSLEEP_STEP_SHIFT = 4;
    private static final long OVERSLEEP_MIN_STEP_NS = 100;

    /**
     * @param spinPolls empty cycles spun after work before the first sleep, >= 0
     * @param minSleepNs the shortest sleep, > 0
     * @param maxSleepNs the longest sleep while traffic is live (the latency budget), >= minSleepNs
     * @param wakeEarlyNs the least wake-up latency assumed: how long before a predicted burst to
     *     wake; the strategy uses the oversleep it measures when that is larger, >= 0
     * @param quietAfterNs time without work after which the link counts as quiet, > 0
     * @param quietSleepNs the longest sleep on a quiet link, >= maxSleepNs
     * @param gapWeightShift the moving average weighs a new gap 1/2^shift, 0..16
     */
    public record Settings(int spinPolls, long minSleepNs, long maxSleepNs, long wakeEarlyNs,
            long quietAfterNs, long quietSleepNs, int gapWeightShift) {
        public static final Settings DEFAULTS = new Settings(16, 1_000, 50_000, 2_000, 1_000_000, 2_000_000, 3);

        public Settings {
            if (spinPolls < 0 || minSleepNs <= 0 || maxSleepNs < minSleepNs || wakeEarlyNs < 0
                    || quietAfterNs <= 0 || quietSleepNs < maxSleepNs || gapWeightShift < 0 || gapWeightShift > 16) {
                throw new IllegalArgumentException("adaptive settings out of range: " + this);
            }
        }

        /** The same with another latency budget ({@code maxSleepNs}), raising quietSleepNs if needed. */
        public Settings withMaxSleepNs(long newMaxSleepNs) {
            return new Settings(spinPolls, minSleepNs, newMaxSleepNs, wakeEarlyNs, quietAfterNs,
                    Math.max(quietSleepNs, newMaxSleepNs), gapWeightShift);
        }
    }

    private final int spinPolls;
    private final long minSleepNs;
    private final long maxSleepNs;
    private final long wakeEarlyNs;
    private final long quietAfterNs;
    private final long quietSleepNs;
    private final int gapWeightShift;
    private final NanoClock clock;
    private final Sleeper sleeper;

    private long lastArrivalNs = NEVER;
    private long gapNs = NEVER;
    private int emptyPolls;
    private long backoffSleepNs;
    /** Mean work per cycle with work, times 256 (fixed point); 0 before any work. */
    private long burstX256;
    /** The median of how much longer than asked the sleeps lasted (timer slack, wake-up path). */
    private long oversleepNs;
    private long sleeps;
    private long sleptNs;
    private long yields;

    public AdaptiveIdleStrategy(Settings settings, NanoClock clock, Sleeper sleeper) {
        this.spinPolls = settings.spinPolls();
        this.minSleepNs = settings.minSleepNs();
        this.maxSleepNs = settings.maxSleepNs();
        this.wakeEarlyNs = settings.wakeEarlyNs();
        this.quietAfterNs = settings.quietAfterNs();
        this.quietSleepNs = settings.quietSleepNs();
        this.gapWeightShift = settings.gapWeightShift();
        this.clock = clock;
        this.sleeper = sleeper;
    }

    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            arrived(clock.nanoTime(), workCount);
        } else if (emptyPolls < spinPolls) {
            emptyPolls++;
            Thread.onSpinWait();
        } else {
            long now = clock.nanoTime();
            long sleepNs = nextSleepNs(now);
            if (sleepNs == 0) {
                // Live traffic and no sleep fits the budget: poll on, but let a runnable thread
                // sharing this core have it. Two loops spinning on one core would otherwise take
                // turns only when the scheduler preempts one, a millisecond or more, while the
                // other's ring overflows; yielding hands over within one empty poll, and costs
                // a system call (well under a microsecond) when no one else wants the core.
                yields++;
                sleeper.yieldThread();
                return;
            }
            sleeper.parkNanos(sleepNs);
            long slept = clock.nanoTime() - now;
            learnOversleep(Math.max(0, slept - sleepNs));
            sleeps++;
            sleptNs += slept;
        }
    }

    private void arrived(long now, int workCount) {
        long workX256 = (long) workCount << 8;
        long last = lastArrivalNs;
        if (last != NEVER) {
            long gap = now - last;
            if (gap >= quietAfterNs) {
                gapNs = NEVER;
            } else {
                long sample = workX256 > burstX256 ? gap * burstX256 / workX256 : gap;
                gapNs = gapNs == NEVER ? sample : gapNs + ((sample - gapNs) >> gapWeightShift);
            }
        }
        burstX256 = burstX256 == 0 ? workX256 : burstX256 + ((workX256 - burstX256) >> gapWeightShift);
        lastArrivalNs = now;
        emptyPolls = 0;
        backoffSleepNs = 0;
    }

    /**
     * How long to sleep now: 0 to spin instead; between minSleepNs and maxSleepNs less the
     * wake-up latency while traffic is live; up to quietSleepNs on a quiet link.
     */
    long nextSleepNs(long now) {
        long last = lastArrivalNs;
        if (last == NEVER || now - last >= quietAfterNs) {
            backoffSleepNs = Math.min(Math.max(backoffSleepNs << 1, maxSleepNs), quietSleepNs);
            return backoffSleepNs;
        }
        long wakeLatencyNs = wakeLatencyNs();
        long budgetNs = maxSleepNs - wakeLatencyNs;
        if (budgetNs < minSleepNs) {
            return 0; // this kernel wakes us too late for any sleep to keep the latency budget
        }
        long untilNextNs = gapNs == NEVER ? 0 : last + gapNs - now - wakeLatencyNs;
        if (untilNextNs >= minSleepNs) {
            return Math.min(untilNextNs, budgetNs);
        }
        backoffSleepNs = backoffSleepNs == 0 ? minSleepNs : Math.min(backoffSleepNs << 1, budgetNs);
        return backoffSleepNs;
    }

    /**
     * Follows the median of the oversleeps, not their mean: each sleep moves the estimate
     * towards its own oversleep by a step of 1/16 of the estimate (at least 100 ns), never past
     * it. On a loaded host a woken thread may now and then wait milliseconds for a CPU; that is
     * contention, which spinning would make worse, and must not stop micro-sleeps, yet the
     * typical lateness must count in full.
     */
    private void learnOversleep(long sampleNs) {
        long estimate = oversleepNs;
        long step = Math.max(OVERSLEEP_MIN_STEP_NS, estimate >> OVERSLEEP_STEP_SHIFT);
        oversleepNs = sampleNs > estimate ? Math.min(sampleNs, estimate + step) : Math.max(sampleNs, estimate - step);
    }

    /** How late a sleep ends, as measured: at least wakeEarlyNs, else the median oversleep. */
    public long wakeLatencyNs() {
        return Math.max(wakeEarlyNs, oversleepNs);
    }

    @Override
    public void reset() {
        emptyPolls = 0;
        backoffSleepNs = 0;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The moving average of the gap between cycles with work, in ns; -1 before two arrivals. */
    public long predictedGapNs() {
        return gapNs == NEVER ? -1 : gapNs;
    }

    /** The moving average of work per cycle with work; 0 before any work. */
    public double meanBurst() {
        return burstX256 / 256.0;
    }

    /** Empty polls that yielded the core because no sleep fitted the latency budget. */
    public long yields() {
        return yields;
    }

    @Override
    public long sleeps() {
        return sleeps;
    }

    @Override
    public long sleptNs() {
        return sleptNs;
    }
}
