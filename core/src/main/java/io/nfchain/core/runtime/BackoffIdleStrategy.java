package io.nfchain.core.runtime;

/**
 * {@code backoff}: after work, spin {@code maxSpins} empty cycles, then yield
 * {@code maxYields} times, then park for {@code minParkNs}, doubling each empty cycle up to
 * {@code maxParkNs}. Blind to the traffic: the first packet after a quiet spell waits up to
 * {@code maxParkNs}.
 */
public final class BackoffIdleStrategy implements IdleStrategy {
    public static final String NAME = "backoff";

    /**
     * @param maxSpins empty cycles spun before yielding, >= 0
     * @param maxYields yields before parking, >= 0
     * @param minParkNs the first park, > 0
     * @param maxParkNs the longest park, >= minParkNs
     */
    public record Settings(int maxSpins, int maxYields, long minParkNs, long maxParkNs) {
        public static final Settings DEFAULTS = new Settings(100, 10, 1_000, 1_000_000);

        public Settings {
            if (maxSpins < 0 || maxYields < 0 || minParkNs <= 0 || maxParkNs < minParkNs) {
                throw new IllegalArgumentException("backoff needs maxSpins >= 0, maxYields >= 0,"
                        + " 0 < minParkNs <= maxParkNs: " + this);
            }
        }
    }

    private final int maxSpins;
    private final int maxYields;
    private final long minParkNs;
    private final long maxParkNs;
    private final NanoClock clock;
    private final Sleeper sleeper;
    private int spins;
    private int yields;
    private long parkNs;
    private long sleeps;
    private long sleptNs;

    public BackoffIdleStrategy(Settings settings, NanoClock clock, Sleeper sleeper) {
        this.maxSpins = settings.maxSpins();
        this.maxYields = settings.maxYields();
        this.minParkNs = settings.minParkNs();
        this.maxParkNs = settings.maxParkNs();
        this.clock = clock;
        this.sleeper = sleeper;
        reset();
    }

    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            reset();
        } else if (spins < maxSpins) {
            spins++;
            Thread.onSpinWait();
        } else if (yields < maxYields) {
            yields++;
            sleeper.yieldThread();
        } else {
            long before = clock.nanoTime();
            sleeper.parkNanos(parkNs);
            sleptNs += clock.nanoTime() - before;
            sleeps++;
            parkNs = Math.min(parkNs << 1, maxParkNs);
        }
    }

    @Override
    public void reset() {
        spins = 0;
        yields = 0;
        parkNs = minParkNs;
    }

    @Override
    public String name() {
        return NAME;
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
