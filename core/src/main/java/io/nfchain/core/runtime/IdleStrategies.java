package io.nfchain.core.runtime;

import java.util.List;

/** Idle strategies by their configuration name. */
public final class IdleStrategies {
    /** The names {@link #create} accepts, the default first. */
    public static final List<String> NAMES = List.of(
            AdaptiveIdleStrategy.NAME, BusySpinIdleStrategy.NAME, BackoffIdleStrategy.NAME, InterruptIdleStrategy.NAME);

    /** What a runner uses when configuration names none. */
    public static final String DEFAULT = AdaptiveIdleStrategy.NAME;

    private IdleStrategies() {}

    /**
     * A new strategy (each runner needs its own: strategies keep per-thread state).
     *
     * @param name one of {@link #NAMES}
     * @throws IllegalArgumentException for another name, or for {@code interrupt} without a
     *     wake-up source in {@code config}
     */
    public static IdleStrategy create(String name, IdleConfig config) {
        return switch (name) {
            case BusySpinIdleStrategy.NAME -> new BusySpinIdleStrategy();
            case BackoffIdleStrategy.NAME ->
                    new BackoffIdleStrategy(config.backoff(), config.clock(), config.sleeper());
            case AdaptiveIdleStrategy.NAME -> adaptive(config);
            case InterruptIdleStrategy.NAME -> {
                if (config.wakeupSource() == null) {
                    throw new IllegalArgumentException(
                            "idle strategy interrupt needs a wake-up source (an eventfd to block on)");
                }
                yield new InterruptIdleStrategy(
                        config.interrupt(), adaptive(config), config.wakeupSource(), config.clock());
            }
            default -> throw new IllegalArgumentException(
                    "unknown idle strategy '" + name + "', expected one of " + NAMES);
        };
    }

    private static AdaptiveIdleStrategy adaptive(IdleConfig config) {
        return new AdaptiveIdleStrategy(config.adaptive(), config.clock(), config.sleeper());
    }
}
