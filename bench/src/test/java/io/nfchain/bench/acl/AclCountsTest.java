package io.nfchain.bench.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AclCountsTest {

    /** The runner's counters as ListCounters names them, with the given permit and deny totals. */
    private static Map<String, Long> counters(long permit, long defaultPermit, long setDscp, long deny, long defaultDeny,
            long malformed, long txRingFull) {
        Map<String, Long> c = new HashMap<>();
        c.put("acl/ACL_PERMIT", permit);
        c.put("acl/ACL_DEFAULT_PERMIT", defaultPermit);
        c.put("acl/ACL_SET_DSCP", setDscp);
        c.put("acl/ACL_DENY", deny);
        c.put("acl/ACL_DEFAULT_DENY", defaultDeny);
        c.put("acl/ACL_MALFORMED", malformed);
        c.put("acl/ACL_NON_IP", 0L);
        c.put("acl/ACL_FLOW_TABLE_FULL", 0L);
        c.put("acl/ACL_FLOW_CREATED", 999L); // counts flows, not decisions: must not be summed
        c.put("worker/TX_RING_FULL", txRingFull);
        c.put("worker/OUTPUT_DOWN", 0L);
        c.put("worker/BURSTS", 12L);
        return c;
    }

    private static AclCounts start() {
        return AclCounts.of(new long[] {1000, 300, 300, 40, 0, 0, 0}, counters(250, 0, 50, 500, 200, 0, 0));
    }

    @Test
    void parsesTheStatsLineAndSumsTheDecisionCounters() {
        AclCounts c = start();
        assertEquals(1000, c.sent());
        assertEquals(300, c.received());
        assertEquals(300, c.expectedPass());
        assertEquals(40, c.checked());
        assertEquals(300, c.permitted());
        assertEquals(700, c.denied());
        assertEquals(1000, c.decided());
    }

    @Test
    void aStatsLineOfAnotherShapeOrAMissingCounterIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> AclCounts.of(new long[] {1, 2, 3, 4, 5, 0}, counters(0, 0, 0, 0, 0, 0, 0)));
        assertThrows(IllegalArgumentException.class, () -> AclCounts.of(new long[] {1, 2, 3, 4, 5,
            AclReturnCheck.Verdict.values().length, 0}, counters(0, 0, 0, 0, 0, 0, 0)));
        Map<String, Long> missing = counters(0, 0, 0, 0, 0, 0, 0);
        missing.remove("acl/ACL_DEFAULT_DENY");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AclCounts.of(new long[] {1, 2, 3, 4, 0, 0, 0}, missing));
        assertTrue(e.getMessage().contains("acl/ACL_DEFAULT_DENY"), e.getMessage());
    }

    @Test
    void aRunThatDecidedAsTheBenchsEngineDoesPasses() {
        // 5000 more sent, 1500 of them let through by the rules; the acl agrees; 10 lost on the way back
        AclCounts end = AclCounts.of(new long[] {6000, 1790, 1800, 140, 0, 0, 0}, counters(1400, 0, 400, 3000, 1200, 0, 10));
        AclCounts d = end.minus(start());
        assertEquals(5000, d.sent());
        assertEquals(1500, d.permitted());
        assertEquals(5000, d.decided());
        assertEquals(10, d.returnDrops());
        assertTrue(end.isDrained());
        d.requireAsExpected(1000);
        // one permitted frame neither back nor counted as dropped: still on its way
        assertFalse(AclCounts.of(new long[] {6000, 1789, 1800, 140, 0, 0, 0}, counters(1400, 0, 400, 3000, 1200, 0, 10))
                .isDrained());
        // one frame sent but not yet decided
        assertFalse(AclCounts.of(new long[] {6001, 1790, 1800, 140, 0, 0, 0}, counters(1400, 0, 400, 3000, 1200, 0, 10))
                .isDrained());
    }

    @Test
    void aClassifierThatLetsThroughOneFrameTooManyFailsTheRun() {
        AclCounts end = AclCounts.of(new long[] {6000, 1800, 1800, 140, 0, 0, 0}, counters(1401, 0, 400, 2999, 1200, 0, 0));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> end.minus(start()).requireAsExpected(10_000));
        assertTrue(e.getMessage().contains("let through 1501 of 5000"), e.getMessage());
        assertTrue(e.getMessage().contains("its rules let through 1500"), e.getMessage());
        assertTrue(e.getMessage().startsWith("acl with 10000 rules"), e.getMessage());
    }

    @Test
    void framesNotDecidedMalformedOrWronglyReturnedFailTheRun() {
        AclCounts notAll = AclCounts.of(new long[] {6000, 1800, 1800, 140, 0, 0, 0}, counters(1400, 0, 400, 3000, 1199, 0, 0));
        assertTrue(assertThrows(IllegalStateException.class, () -> notAll.minus(start()).requireAsExpected(10))
                .getMessage().contains("decided 4999 frames of the 5000 sent"));
        AclCounts malformed = AclCounts.of(new long[] {6000, 1800, 1800, 140, 0, 0, 0}, counters(1400, 0, 400, 3000, 1199, 1, 0));
        assertTrue(assertThrows(IllegalStateException.class, () -> malformed.minus(start()).requireAsExpected(10))
                .getMessage().contains("malformed"));
        AclCounts tooMany = AclCounts.of(new long[] {6000, 1801, 1800, 140, 0, 0, 0}, counters(1400, 0, 400, 3000, 1200, 0, 0));
        assertTrue(assertThrows(IllegalStateException.class, () -> tooMany.minus(start()).requireAsExpected(10))
                .getMessage().contains("more than the 1500"));
        AclCounts wrong = AclCounts.of(new long[] {6000, 1800, 1800, 140, 2, AclReturnCheck.Verdict.WRONG_DSCP.ordinal(), 0},
                counters(1400, 0, 400, 3000, 1200, 0, 0));
        assertTrue(assertThrows(IllegalStateException.class, () -> wrong.minus(start()).requireAsExpected(10))
                .getMessage().contains("2 of 100 returned frames checked were wrong; the first: DSCP is not"));
        AclCounts unchecked = AclCounts.of(new long[] {6000, 1800, 1800, 40, 0, 0, 0}, counters(1400, 0, 400, 3000, 1200, 0, 0));
        assertTrue(assertThrows(IllegalStateException.class, () -> unchecked.minus(start()).requireAsExpected(10))
                .getMessage().contains("no returned frame was checked"));
    }
}
