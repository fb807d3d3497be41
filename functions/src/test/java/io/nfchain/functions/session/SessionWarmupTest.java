package io.nfchain.functions.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SessionWarmupTest {
    @Test
    void itInstallsAndDeletesWholeBatchesUntilDone() {
        assertEquals(3000, SessionWarmup.run(2500, 60_000_000_000L));
        assertEquals(0, SessionWarmup.run(2500, 0));
    }

    /** A warm-up of sessions the validator refuses would throw at every runner start; and it should cover both shapes. */
    @Test
    void itsSessionsAreValidAndVaried() {
        SessionModel plain = SessionRules.validate(SessionWarmup.session(0), "s");
        SessionModel rich = SessionRules.validate(SessionWarmup.session(3), "s");
        assertTrue(!plain.hasUeIpv6() && plain.pdrs().get(1).sdfFilters().isEmpty());
        assertTrue(rich.hasUeIpv6() && rich.pdrs().get(1).sdfFilters().size() == 1 && rich.urrs().get(0).triggers().size() == 2);
        SessionTable table = SessionTable.withCapacity(8, null);
        for (int i = 0; i < 8; i++) {
            table.create(SessionRules.validate(SessionWarmup.session(i), "s"), null);
        }
        assertEquals(8, table.size());
    }
}
