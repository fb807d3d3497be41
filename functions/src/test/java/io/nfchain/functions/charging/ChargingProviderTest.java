package io.nfchain.functions.charging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider builds charging from its configuration and names the property of a bad value. */
class ChargingProviderTest {
    @TempDir
    Path dir;

    private ChargingConfig config(int maxUrrs, int urrsPerPacket, Duration reportInterval) {
        return new ChargingConfig() {
            @Override
            public Path stateDir() {
                return dir.resolve("state");
            }

            @Override
            public Path recordsFile() {
                return dir.resolve("records/usage.records");
            }

            @Override
            public int fsyncEveryRecords() {
                return 64;
            }

            @Override
            public Duration fsyncInterval() {
                return Duration.ofSeconds(1);
            }

            @Override
            public Duration reportInterval() {
                return reportInterval;
            }

            @Override
            public Duration recordInterval() {
                return Duration.ofSeconds(10);
            }

            @Override
            public int maxUrrs() {
                return maxUrrs;
            }

            @Override
            public int urrsPerPacket() {
                return urrsPerPacket;
            }

            @Override
            public int maxSessions() {
                return 16;
            }
        };
    }

    @Test
    void buildsAFunctionOverItsStateDirectory() {
        ChargingFunction f = ChargingProvider.create(config(100, 4, Duration.ofMillis(100)), dir.resolve("region"), 32);
        assertEquals("charging", f.name());
        assertEquals(100 + 25 + 16, f.store().layout.recordCapacity);
        assertTrue(f.store().path().startsWith(dir.resolve("state")));
        f.control().close();
        f.store().close();
    }

    @Test
    void aBadValueNamesItsProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChargingProvider.create(config(0, 4, Duration.ofMillis(100)), dir.resolve("region"), 32));
        assertTrue(e.getMessage().startsWith("nfchain.charging.max-urrs: "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ChargingProvider.create(config(10, 17, Duration.ofMillis(100)), dir.resolve("region"), 32));
        assertTrue(e.getMessage().startsWith("nfchain.charging.urrs-per-packet: "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ChargingProvider.create(config(10, 4, Duration.ZERO), dir.resolve("region"), 32));
        assertTrue(e.getMessage().startsWith("nfchain.charging.report-interval: "), e.getMessage());
    }
}
