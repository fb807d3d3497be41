package io.nfchain.bench.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AclLoadReportTest {
    private static final AclLoadReport.Setup SETUP = new AclLoadReport.Setup(false, 2000, 2500, 4, 16384, 64, 78, 0, 1);
    private static final AclLoadReport.Totals TOTALS = new AclLoadReport.Totals(1_000_000, 5000, 100, 400_000);
    private static final Map<Integer, Double> SHARES = Map.of(10, 0.1, 100, 0.2, 1000, 0.3, 10_000, 0.4);

    private static AclSample sample(int rules, int run, double mpps, double cpuShare) {
        long decided = (long) (mpps * 1e6 * 5);
        return new AclSample(rules, run, 5, decided, decided / 4, decided + 10, 5 * cpuShare, 5.0, 12.5);
    }

    @Test
    void scheduleAlternatesTheOrderOfThePasses() {
        assertEquals(List.of(10, 10_000, 1000, 100), AclLoadReport.schedule(1));
        assertEquals(List.of(10, 10_000, 1000, 100, 100, 1000, 10_000, 10, 10, 10_000, 1000, 100),
                AclLoadReport.schedule(3));
    }

    @Test
    void figuresAreMediansPerRuleCountAndTheRatioOfTheExtremes() {
        List<AclSample> samples = List.of(sample(10, 0, 2.0, 1), sample(10_000, 0, 1.5, 1), sample(10, 1, 3.0, 1),
                sample(10_000, 1, 1.0, 1), sample(10, 2, 2.5, 1), sample(10_000, 2, 1.2, 1));
        Map<String, Object> f = AclLoadReport.figures(samples, SHARES, TOTALS, SETUP);
        assertEquals(2.5, (double) f.get("acl_mpps_10"), 1e-9);
        assertEquals(1.2, (double) f.get("acl_mpps_10000"), 1e-9);
        assertEquals(2.5 / 1.2, (double) f.get("acl_mpps_ratio_10_to_10000"), 1e-9);
        assertEquals(false, f.get("acl_mpps_meets_target"));
        assertEquals(0.4, (double) f.get("acl_pass_share_10000"), 1e-9);
        // 5 DUT CPU-seconds in each 5 s window: per CPU-second is per second
        assertEquals(2.5, (double) f.get("acl_mpps_per_dut_cpu_s_10"), 1e-9);
        assertEquals(false, f.get("acl_contended"));
        assertEquals(2.5 / 1.2, (double) f.get("acl_uncontended_mpps_ratio_10_to_10000"), 1e-9);
        assertEquals(100 / 400_000.0, (double) f.get("acl_not_returned"), 1e-12);
        assertEquals(Map.of("run1", 2.0, "run2", 3.0, "run3", 2.5),
                Map.copyOf((Map<?, ?>) ((Map<?, ?>) f.get("acl_runs_mpps")).get("10")));
        assertFalse(f.containsKey("acl_mpps_100"));
    }

    @Test
    void aRatioWithinTwoMeetsTheTargetAndAContendedWindowIsSaidInTheTable() {
        List<AclSample> samples = List.of(sample(10, 0, 2.0, 1), sample(10_000, 0, 1.0, 0.6), sample(100, 0, 1.9, 1),
                sample(1000, 0, 1.4, 1));
        Map<String, Object> f = AclLoadReport.figures(samples, SHARES, TOTALS, SETUP);
        assertEquals(2.0, (double) f.get("acl_mpps_ratio_10_to_10000"), 1e-9);
        assertEquals(true, f.get("acl_mpps_meets_target"));
        assertEquals(true, f.get("acl_contended"));
        assertEquals(0.6, (double) f.get("acl_min_cpu_share"), 1e-9);
        // the acl had 60% of its core: per CPU-second it did 1 / 0.6 Mpps
        assertEquals(1 / 0.6, (double) f.get("acl_mpps_per_dut_cpu_s_10000"), 1e-9);
        assertEquals(2.0 * 0.6, (double) f.get("acl_mpps_per_dut_cpu_s_ratio_10_to_10000"), 1e-9);
        // no 10,000-rule window had both cores: no uncontended figure for it, rather than a contended one
        assertEquals(2.0, (double) f.get("acl_uncontended_mpps_10"), 1e-9);
        assertTrue(Double.isNaN((double) f.get("acl_uncontended_mpps_10000")));
        assertEquals(0L, f.get("acl_uncontended_runs_10000"));
        assertEquals(1L, f.get("acl_uncontended_runs_10"));
        String table = AclLoadReport.table(samples, SHARES, SETUP);
        assertTrue(table.contains("CONTENDED: a process had 60% of its core"), table);
        assertTrue(table.contains("target at most 2.0: met"), table);
        assertFalse(AclLoadReport.table(List.of(sample(10, 0, 2.0, 1), sample(10_000, 0, 0.9, 1)), SHARES, SETUP)
                .contains("CONTENDED"));
    }

    @Test
    void anEvenNumberOfRunsTakesTheMeanOfTheMiddleTwoAndNoneIsNaN() {
        List<AclSample> samples = List.of(sample(10, 0, 2.0, 1), sample(10, 1, 3.0, 1));
        assertEquals(2.5, AclLoadReport.median(samples, 10, AclSample::mpps), 1e-9);
        assertTrue(Double.isNaN(AclLoadReport.median(samples, 100, AclSample::mpps)));
    }
}
