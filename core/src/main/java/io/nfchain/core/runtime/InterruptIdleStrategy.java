package io.nfchain.core.runtime;

/**
 * {@code interrupt}: micro-sleeps like {@code adaptive} while idle spells are short, and after
 * {@code blockAfterNs} without work arms a {@link WakeupSource} and blocks on it for up to
 * {@code blockTimeoutNs}. An idle link then costs no CPU at all; the first packet after a long
 * quiet spell pays a kernel wake-up (tens of µs) instead of a poll.
 *
 * <p>The timeout is a safety net, not a poll period: it lets the loop run commands and timers
 * even if a producer never signals.
 */
public final class InterruptIdleStrategy implements IdleStrategy {
    public static final String NAME = "interrupt";

    /**
     * @param blockAfterNs time without work before blocking, > 0
     * @param blockTimeoutNs the longest block, > 0
     */
    public record Settings(long blockAfterNs, long blockTimeoutNs) {
        public static final Settings DEFAULTS = new Settings(1_000_000, 100_000_000);

        public Settings {
            if (blockAfterNs <= 0 || blockTimeoutNs <= 0) {
                throw new IllegalArgumentException("interrupt needs blockAfterNs > 0 and blockTimeoutNs > 0: " + this);
            }
        }
    }

    private static final long NEVER = Long.MIN_VALUE;

    private final IdleStrategy beforeBlocking;
    private final WakeupSource wakeupSource;
    private final long blockAfterNs;
    private final long blockTimeoutNs;
    private final NanoClock clock;
    private long idleSinceNs = NEVER;
    private long blocks;
    private long blockedNs;
    private long signalledWakes;

    /** @param beforeBlocking what to do while idle spells are shorter than blockAfterNs, typically adaptive */
    public InterruptIdleStrategy(
            Settings settings, IdleStrategy beforeBlocking, WakeupSource wakeupSource, NanoClock clock) {
        this.beforeBlocking = beforeBlocking;
        this.wakeupSource = wakeupSource;
        this.blockAfterNs = settings.blockAfterNs();
        this.blockTimeoutNs = settings.blockTimeoutNs();
        this.clock = clock;
    }

    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            idleSinceNs = NEVER;
            beforeBlocking.idle(workCount);
            return;
        }
        long now = clock.nanoTime();
        if (idleSinceNs == NEVER) {
            idleSinceNs = now;
        }
        if (now - idleSinceNs < blockAfterNs) {
            beforeBlocking.idle(0);
        } else {
            block(now);
        }
    }

    private void block(long now) {
        if (wakeupSource.arm()) {
            wakeupSource.disarm();
            return;
        }
        boolean signalled = wakeupSource.await(blockTimeoutNs);
        wakeupSource.disarm();
        blocks++;
        blockedNs += clock.nanoTime() - now;
        if (signalled) {
            signalledWakes++;
            // Work is probably there: poll at full speed, and block again only after another full idle spell.
            idleSinceNs = NEVER;
            beforeBlocking.reset();
        }
    }

    @Override
    public void reset() {
        idleSinceNs = NEVER;
        beforeBlocking.reset();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long sleeps() {
        return blocks + beforeBlocking.sleeps();
    }

    @Override
    public long sleptNs() {
        return blockedNs + beforeBlocking.sleptNs();
    }

    /** How many blocks ended in a signal rather than a timeout. Owner thread only. */
    public long signalledWakes() {
        return signalledWakes;
    }

    @Override
    public void wake() {
        wakeupSource.wake();
    }
}
