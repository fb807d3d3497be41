package io.nfchain.functions.qos;

import static io.nfchain.functions.qos.Policers.GREEN;
import static io.nfchain.functions.qos.Policers.RED;
import static io.nfchain.functions.qos.Policers.YELLOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Policers} by example: the split meter/commit/charge, reconfiguration, profile checks. */
class PolicersTest {
    private static final long MS = 1_000_000L;

    @Test
    void meterTakesNothingAndCommitTakesWhatTheColorTakes() {
        Policers p = new Policers(1);
        p.configureTrTcm(0, 8_000_000, 2000, 16_000_000, 4000, false); // 1 MB/s committed, 2 MB/s peak
        assertEquals(GREEN, p.meter(0, 1500, 0, GREEN));
        assertEquals(GREEN, p.meter(0, 1500, 0, GREEN), "metering twice takes nothing");
        p.commit(0, 1500, GREEN);
        assertEquals(500, p.committedTokensBytes(0));
        assertEquals(2500, p.secondTokensBytes(0));
        assertEquals(YELLOW, p.police(0, 1000, 0, GREEN));
        assertEquals(500, p.committedTokensBytes(0));
        assertEquals(1500, p.secondTokensBytes(0));
        assertEquals(RED, p.police(0, 1501, 0, GREEN));
        assertEquals(1500, p.secondTokensBytes(0), "red takes nothing");
        assertEquals(GREEN, p.police(0, 1000, MS, GREEN), "1 ms refills 1000 committed and 2000 peak bytes");
    }

    @Test
    void chargeRunsIntoDebtThatRefillsPayBackFirst() {
        Policers p = new Policers(1);
        p.configureTrTcm(0, 0, 0, 8_000_000, 3000, false); // peak 1 MB/s, 3000-byte bucket
        p.charge(0, 5000);
        assertEquals(-2000, p.secondTokens(0) / Policers.UNITS_PER_BYTE);
        p.charge(0, 5000);
        assertEquals(-3000, p.secondTokens(0) / Policers.UNITS_PER_BYTE, "debt stops at minus the bucket size");
        assertEquals(RED, p.police(0, 64, 0, GREEN));
        assertEquals(RED, p.police(0, 1000, 3 * MS, GREEN), "3 ms paid the debt back, nothing more");
        assertEquals(YELLOW, p.police(0, 1000, 4 * MS, GREEN));
    }

    @Test
    void reconfiguringKeepsTokensCappedAtTheNewSizes() {
        Policers p = new Policers(1);
        p.configureTrTcm(0, 0, 0, 8_000_000, 10_000, false);
        p.police(0, 4000, 0, GREEN);
        p.reconfigureTrTcm(0, 0, 0, 16_000_000, 20_000, false);
        assertEquals(6000, p.secondTokensBytes(0), "kept");
        p.reconfigureTrTcm(0, 0, 0, 16_000_000, 5000, false);
        assertEquals(5000, p.secondTokensBytes(0), "capped");
        p.clear(0);
        assertFalse(p.isConfigured(0));
        assertEquals(GREEN, p.police(0, 1_000_000, 0, RED), "an unconfigured slot meters green");
        p.reconfigureTrTcm(0, 0, 0, 16_000_000, 5000, false);
        assertTrue(p.isConfigured(0));
        assertEquals(5000, p.secondTokensBytes(0), "configured fresh: full");
    }

    @Test
    void unlimitedPeakNeverColorsRed() {
        Policers p = new Policers(1);
        p.configureTrTcm(0, 8_000, 1500, Policers.UNLIMITED, 1, false);
        for (int k = 0; k < 1000; k++) {
            assertTrue(p.police(0, 1500, k, GREEN) != RED);
        }
    }

    @Test
    void badProfilesAreRefused() {
        Policers p = new Policers(1);
        assertThrows(IllegalArgumentException.class, () -> p.configureSrTcm(0, 1000, 0, 0, false));
        assertThrows(IllegalArgumentException.class, () -> p.configureTrTcm(0, 2000, 100, 1000, 100, false));
        assertThrows(IllegalArgumentException.class, () -> p.configureTrTcm(0, 1000, 0, 2000, 100, false));
        assertThrows(IllegalArgumentException.class, () -> p.configureTrTcm(0, 0, 0, 2000, 0, false));
        assertThrows(IllegalArgumentException.class, () -> p.configureSrTcm(0, Policers.MAX_RATE_BPS + 1, 1, 1, false));
        assertThrows(IllegalArgumentException.class, () -> p.configureSrTcm(0, 1, Policers.MAX_BURST_BYTES + 1, 1, false));
        assertThrows(IndexOutOfBoundsException.class, () -> p.configureSrTcm(1, 1, 1, 1, false));
    }
}
