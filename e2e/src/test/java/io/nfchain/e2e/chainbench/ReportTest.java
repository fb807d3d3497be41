package io.nfchain.e2e.chainbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {
    private static RunResult run(String system, String mix, long processed, long delivered, long cpuTicks) {
        return new RunResult(system, mix, 5, processed * 2, processed, delivered, Map.of(),
                new CpuTicks(cpuTicks / 2, cpuTicks / 4, 0, cpuTicks - cpuTicks / 2 - cpuTicks / 4));
    }

    @Test
    void medians() {
        assertEquals(2, RunResult.median(List.of(3.0, 1.0, 2.0)));
        assertEquals(2.5, RunResult.median(List.of(4.0, 1.0, 2.0, 3.0)));
        assertTrue(Double.isNaN(RunResult.median(List.of())));
    }

    @Test
    void perCpuSecondFigures() {
        RunResult r = run("nfchain", "64B", 10_000_000, 4_000_000, 1000); // 10 CPU-seconds over 5 s
        assertEquals(2.0, r.mpps(), 1e-9);
        assertEquals(0.8, r.deliveredMpps(), 1e-9);
        assertEquals(1_000_000, r.pktsPerCpuS(), 1e-6);
        assertEquals(400_000, r.deliveredPerCpuS(), 1e-6);
        assertEquals(2.0, r.cpus(), 1e-9);
        assertEquals(0.4, r.deliveredShare(), 1e-9);
        assertEquals(0, run("kernel", "64B", 5, 5, 0).pktsPerCpuS());
    }

    @Test
    void headlineRatioIsOfMediansAndTheTargetIsJudged() {
        List<RunResult> results = new ArrayList<>();
        // nfchain medians 1.0M/CPU-s (runs 0.5, 1.0, 3.0); route-only 0.1M (0.1, 0.09, 0.2).
        for (long ticks : new long[] {2000, 1000, 333}) {
            results.add(run("nfchain", "64B", 10_000_000, 4_000_000, ticks));
        }
        for (long ticks : new long[] {1000, 1111, 500}) {
            results.add(run("kernel-route-only", "64B", 1_000_000, 1_000_000, ticks));
        }
        results.add(run("kernel", "64B", 500_000, 200_000, 1000));
        Report report = new Report(ChainBench.Plan.of(true), results, 0.4, 1, 1, "pins", 0.1);
        assertEquals(10.0, report.ratio("64B"), 1e-9);
        Map<String, Object> f = report.figures();
        assertEquals(1_000_000L, f.get("nfchain_pkts_per_cpu_s"));
        assertEquals(100_000L, f.get("kernel_route_only_pkts_per_cpu_s"));
        assertEquals(50_000L, f.get("kernel_pkts_per_cpu_s"));
        assertEquals(2.0, f.get("nfchain_mpps"));
        assertEquals(true, f.get("target_met"));
        assertEquals(true, f.get("verdicts_agree"));
        assertTrue(report.table().contains("10.0x"));
    }

    @Test
    void theRatedRunIsReportedBesideTheOpenLoopOneWithItsCapacityLoss() {
        List<RunResult> results = new ArrayList<>();
        results.add(run("nfchain", "64B", 10_000_000, 4_000_000, 1000)); // 1M/CPU-s
        results.add(new RunResult("nfchain-rated", "64B", 5, 9_000_000, 8_990_000, 3_596_000,
                Map.of("agent.acl ring full", 9_000L, "router.TX_RING_FULL", 1_000L, "acl.ACL_DENY", 5_394_000L),
                new CpuTicks(300, 0, 0, 0))); // 3 CPU-seconds: 2,996,667 per CPU-s
        results.add(run("kernel-route-only", "64B", 1_000_000, 1_000_000, 1000));
        Report report = new Report(ChainBench.Plan.of(true), results, 0.4, 1, 1, "pins", 0.1);
        assertEquals(10_000 / 9e6, results.get(1).capacityLossShare(), 1e-12); // the rule's drops are not losses
        assertEquals(0, results.get(0).capacityLossShare());
        Map<String, Object> f = report.figures();
        assertEquals(10.0, f.get("nfchain_over_kernel_route_only"));
        assertEquals(29.967, f.get("nfchain_rated_over_kernel_route_only"));
        assertEquals(2_996_667L, f.get("nfchain_rated_pkts_per_cpu_s"));
        assertEquals(0.001, f.get("nfchain_rated_capacity_loss"));
        assertTrue(report.table().contains("nfchain-rated"));
        assertTrue(report.verdictsAgree());
    }

    @Test
    void aRunDeliveringTheWrongShareIsFlagged() {
        List<RunResult> results = List.of(run("nfchain", "64B", 1_000_000, 500_000, 100),
                run("kernel-route-only", "64B", 1_000_000, 1_000_000, 100));
        assertFalse(new Report(ChainBench.Plan.of(true), results, 0.4, 1, 1, "", 0).verdictsAgree());
        assertTrue(new Report(ChainBench.Plan.of(true), results, 0.5, 1, 1, "", 0).verdictsAgree());
    }

    @Test
    void packetsTheRouterHadNoRoomForAfterTheAclPermittedThemCountAsPermitted() {
        RunResult overloaded = new RunResult("nfchain", "64B", 5, 1_000_000, 1_000_000, 300_000,
                Map.of(RunResult.AFTER_RULES_RING_FULL, 80_000L, RunResult.ROUTER_TX_FULL, 20_000L, "acl.ACL_DENY",
                        600_000L), run("nfchain", "64B", 1, 1, 100).cpu());
        assertEquals(0.4, overloaded.permittedShare(), 1e-9);
        List<RunResult> results = List.of(overloaded, run("kernel-route-only", "64B", 1_000_000, 1_000_000, 100));
        assertTrue(new Report(ChainBench.Plan.of(true), results, 0.4, 1, 1, "", 0).verdictsAgree());
        assertFalse(new Report(ChainBench.Plan.of(true), results, 0.3, 1, 1, "", 0).verdictsAgree());
    }
}
