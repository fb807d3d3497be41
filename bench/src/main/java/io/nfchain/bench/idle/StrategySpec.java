package io.nfchain.bench.idle;

import io.nfchain.core.runtime.AdaptiveIdleStrategy;
import io.nfchain.core.runtime.BackoffIdleStrategy;
import io.nfchain.core.runtime.IdleConfig;
import io.nfchain.core.runtime.IdleStrategies;
import io.nfchain.core.runtime.InterruptIdleStrategy;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Immutable. An idle strategy as the bench names it: a strategy name, optionally with
 * settings that differ from the defaults, so two variants can be measured side by side in one
 * run (A/B): {@code adaptive}, {@code adaptive:maxSleepNs=30000,quietSleepNs=4000000}.
 *
 * <p>Keys: for {@code adaptive} (and the adaptive phase of {@code interrupt}) the fields of
 * {@link AdaptiveIdleStrategy.Settings}; for {@code interrupt} also {@code blockAfterNs} and
 * {@code blockTimeoutNs}; for {@code backoff} those of {@link BackoffIdleStrategy.Settings}.
 */
public record StrategySpec(String label, String name, Map<String, Long> overrides) {

    public StrategySpec {
        overrides = Map.copyOf(overrides);
    }

    /**
     * @throws IllegalArgumentException for an unknown strategy or key, a value that is not an
     *     integer, or settings the strategy rejects
     */
    public static StrategySpec parse(String spec) {
        int colon = spec.indexOf(':');
        String name = colon < 0 ? spec : spec.substring(0, colon);
        if (!IdleStrategies.NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown idle strategy '" + name + "', expected one of " + IdleStrategies.NAMES);
        }
        Map<String, Long> overrides = new LinkedHashMap<>();
        if (colon >= 0) {
            for (String pair : spec.substring(colon + 1).split(",", -1)) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("strategy setting '" + pair + "' is not key=value in '" + spec + "'");
                }
                String key = pair.substring(0, eq);
                long value;
                try {
                    value = Long.parseLong(pair.substring(eq + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("strategy setting " + key + " is not an integer in '" + spec + "'");
                }
                if (overrides.put(key, value) != null) {
                    throw new IllegalArgumentException("strategy setting " + key + " appears twice in '" + spec + "'");
                }
            }
        }
        StrategySpec parsed = new StrategySpec(spec, name, overrides);
        parsed.apply(IdleConfig.defaults()); // rejects unknown keys and out-of-range settings now, not in the receiver
        return parsed;
    }

    /** {@code base} with this spec's settings in place of the defaults (the wake-up source is kept). */
    public IdleConfig apply(IdleConfig base) {
        Map<String, Long> left = new LinkedHashMap<>(overrides);
        AdaptiveIdleStrategy.Settings a = base.adaptive();
        AdaptiveIdleStrategy.Settings adaptive = new AdaptiveIdleStrategy.Settings(
                takeInt(left, "spinPolls", a.spinPolls()), take(left, "minSleepNs", a.minSleepNs()),
                take(left, "maxSleepNs", a.maxSleepNs()), take(left, "wakeEarlyNs", a.wakeEarlyNs()),
                take(left, "quietAfterNs", a.quietAfterNs()), take(left, "quietSleepNs", a.quietSleepNs()),
                takeInt(left, "gapWeightShift", a.gapWeightShift()));
        InterruptIdleStrategy.Settings i = base.interrupt();
        InterruptIdleStrategy.Settings interrupt = new InterruptIdleStrategy.Settings(
                take(left, "blockAfterNs", i.blockAfterNs()), take(left, "blockTimeoutNs", i.blockTimeoutNs()));
        BackoffIdleStrategy.Settings b = base.backoff();
        BackoffIdleStrategy.Settings backoff = new BackoffIdleStrategy.Settings(
                takeInt(left, "maxSpins", b.maxSpins()), takeInt(left, "maxYields", b.maxYields()),
                take(left, "minParkNs", b.minParkNs()), take(left, "maxParkNs", b.maxParkNs()));
        if (!left.isEmpty()) {
            throw new IllegalArgumentException("unknown strategy settings " + left.keySet() + " in '" + label + "'");
        }
        return base.withAdaptive(adaptive).withInterrupt(interrupt).withBackoff(backoff);
    }

    private static long take(Map<String, Long> left, String key, long defaultValue) {
        Long value = left.remove(key);
        return value == null ? defaultValue : value;
    }

    private static int takeInt(Map<String, Long> left, String key, int defaultValue) {
        long value = take(left, key, defaultValue);
        if (value != (int) value) {
            throw new IllegalArgumentException("strategy setting " + key + " out of int range: " + value);
        }
        return (int) value;
    }
}
