package io.nfchain.functions.qos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** qos built from {@code nfchain.qos.*}: each bad value refused with its property named. */
class QosProviderTest {
    private record Config(int maxSessions, String noSession, Optional<String> qfiDscp, boolean markOuter, Duration burst,
            long minBurstBytes) implements QosConfig {}

    @Test
    void buildsFromGoodValues() {
        try (QosHarness h = new QosHarness(QosProvider.create(
                new Config(16, "drop", Optional.of("9=46"), true, Duration.ofMillis(5), 1500)))) {
            assertEquals("qos", h.qos.name());
            assertEquals(64, h.qos.policers().capacity(), "16 sessions: 32 QER slots, a policer per direction");
            assertFalse(h.passes(QosSessions.up(40000, 100)), "no-session=drop");
            assertEquals(1, h.get(QosCounter.SESSION_UNKNOWN));
        }
        try (QosHarness h = new QosHarness(QosProvider.create(
                new Config(16, "pass", Optional.empty(), false, Duration.ofMillis(10), 3000)))) {
            assertTrue(h.passes(QosSessions.up(40000, 100)), "no-session=pass");
        }
    }

    @Test
    void badValuesNameTheirProperty() {
        assertRefused(new Config(16, "maybe", Optional.empty(), false, Duration.ofMillis(10), 3000), "nfchain.qos.no-session: ");
        assertRefused(new Config(0, "pass", Optional.empty(), false, Duration.ofMillis(10), 3000), "nfchain.qos.max-sessions: ");
        assertRefused(new Config((1 << 24) + 1, "pass", Optional.empty(), false, Duration.ofMillis(10), 3000),
                "nfchain.qos.max-sessions: ");
        assertRefused(new Config(16, "pass", Optional.of("9=64"), false, Duration.ofMillis(10), 3000), "nfchain.qos.qfi-dscp: ");
        assertRefused(new Config(16, "pass", Optional.empty(), false, Duration.ZERO, 3000), "nfchain.qos.burst");
        assertRefused(new Config(16, "pass", Optional.empty(), false, Duration.ofMillis(10), 0), "nfchain.qos.burst");
    }

    private static void assertRefused(QosConfig config, String start) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QosProvider.create(config));
        assertEquals(start, e.getMessage().substring(0, Math.min(start.length(), e.getMessage().length())), e.getMessage());
    }
}
