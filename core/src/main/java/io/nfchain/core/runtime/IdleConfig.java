package io.nfchain.core.runtime;

import java.util.Objects;

/**
 * Everything {@link IdleStrategies#create} needs: the clock and sleeper (injected, so tests
 * step strategies by hand), each strategy's settings, and the wake-up source that
 * {@code interrupt} blocks on (none by default).
 */
public record IdleConfig(
        NanoClock clock,
        Sleeper sleeper,
        BackoffIdleStrategy.Settings backoff,
        AdaptiveIdleStrategy.Settings adaptive,
        InterruptIdleStrategy.Settings interrupt,
        WakeupSource wakeupSource) {

    public IdleConfig {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(sleeper, "sleeper");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(adaptive, "adaptive");
        Objects.requireNonNull(interrupt, "interrupt");
    }

    /** The system clock, real parking, default settings, no wake-up source. */
    public static IdleConfig defaults() {
        return new IdleConfig(NanoClock.SYSTEM, Sleeper.PARK, BackoffIdleStrategy.Settings.DEFAULTS,
                AdaptiveIdleStrategy.Settings.DEFAULTS, InterruptIdleStrategy.Settings.DEFAULTS, null);
    }

    public IdleConfig withClock(NanoClock newClock) {
        return new IdleConfig(newClock, sleeper, backoff, adaptive, interrupt, wakeupSource);
    }

    public IdleConfig withSleeper(Sleeper newSleeper) {
        return new IdleConfig(clock, newSleeper, backoff, adaptive, interrupt, wakeupSource);
    }

    public IdleConfig withBackoff(BackoffIdleStrategy.Settings newBackoff) {
        return new IdleConfig(clock, sleeper, newBackoff, adaptive, interrupt, wakeupSource);
    }

    public IdleConfig withAdaptive(AdaptiveIdleStrategy.Settings newAdaptive) {
        return new IdleConfig(clock, sleeper, backoff, newAdaptive, interrupt, wakeupSource);
    }

    public IdleConfig withInterrupt(InterruptIdleStrategy.Settings newInterrupt) {
        return new IdleConfig(clock, sleeper, backoff, adaptive, newInterrupt, wakeupSource);
    }

    public IdleConfig withWakeupSource(WakeupSource newWakeupSource) {
        return new IdleConfig(clock, sleeper, backoff, adaptive, interrupt, newWakeupSource);
    }
}
