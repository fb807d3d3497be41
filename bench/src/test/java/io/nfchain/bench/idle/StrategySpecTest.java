package io.nfchain.bench.idle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.core.runtime.AdaptiveIdleStrategy;
import io.nfchain.core.runtime.IdleConfig;
import org.junit.jupiter.api.Test;

class StrategySpecTest {
    @Test
    void aPlainNameKeepsEveryDefault() {
        StrategySpec spec = StrategySpec.parse("adaptive");
        assertEquals("adaptive", spec.name());
        assertEquals("adaptive", spec.label());
        IdleConfig config = spec.apply(IdleConfig.defaults());
        assertEquals(AdaptiveIdleStrategy.Settings.DEFAULTS, config.adaptive());
        assertEquals(IdleConfig.defaults().interrupt(), config.interrupt());
        assertEquals(IdleConfig.defaults().backoff(), config.backoff());
    }

    @Test
    void overridesReplaceOnlyTheNamedSettings() {
        StrategySpec spec = StrategySpec.parse("interrupt:maxSleepNs=200000,quietSleepNs=4000000,blockAfterNs=5000000");
        IdleConfig config = spec.apply(IdleConfig.defaults());
        AdaptiveIdleStrategy.Settings d = AdaptiveIdleStrategy.Settings.DEFAULTS;
        assertEquals(new AdaptiveIdleStrategy.Settings(d.spinPolls(), d.minSleepNs(), 200_000, d.wakeEarlyNs(),
                d.quietAfterNs(), 4_000_000, d.gapWeightShift()), config.adaptive());
        assertEquals(5_000_000, config.interrupt().blockAfterNs());
        assertEquals(IdleConfig.defaults().interrupt().blockTimeoutNs(), config.interrupt().blockTimeoutNs());
        assertEquals("interrupt", spec.name());
        assertEquals(3, spec.overrides().size());
    }

    @Test
    void badSpecsAreRejectedWithAReason() {
        assertRejected("spin", "unknown idle strategy");
        assertRejected("adaptive:", "not key=value");
        assertRejected("adaptive:maxSleepNs", "not key=value");
        assertRejected("adaptive:maxSleepNs=x", "not an integer");
        assertRejected("adaptive:maxSleepNs=1,maxSleepNs=2", "appears twice");
        assertRejected("adaptive:sleepy=1", "unknown strategy settings");
        assertRejected("adaptive:spinPolls=99999999999", "out of int range");
        assertRejected("adaptive:maxSleepNs=10", "out of range"); // below minSleepNs: the strategy's own check
        assertRejected("backoff:minParkNs=0", "backoff needs");
    }

    private static void assertRejected(String spec, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StrategySpec.parse(spec), spec);
        assertTrue(e.getMessage().contains(reason), spec + ": " + e.getMessage());
    }
}
