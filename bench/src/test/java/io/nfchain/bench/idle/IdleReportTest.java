package io.nfchain.bench.idle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Figures and targets from hand-made windows: what the JSON line says for given measurements. */
class IdleReportTest {
    private static final long SECOND_NS = 1_000_000_000L;

    /** A one-second window: the poll thread used {@code cpuPct}; every frame waited {@code latencyUs}. */
    private static WindowResult window(String strategy, int load, double cpuPct, long latencyUs, long frames) {
        LatencyHistogram h = new LatencyHistogram();
        for (long i = 0; i < frames; i++) {
            h.record(latencyUs * 1_000);
        }
        ControlLine result = ControlLine.of("RESULT").with("wall_ns", SECOND_NS).with("frames", frames).with("gaps", 0)
                .with("cpu_ns", (long) (cpuPct / 100 * SECOND_NS)).with("system_ticks", 1).with("wait_ns", 0)
                .with("switches", 10).with("machine_ticks", 200).with("machine_busy_ticks", 150)
                .with("machine_steal_ticks", 2).with("busy_ns", frames * 40).with("empty_polls", 5)
                .with("busy_loops", Math.max(1, frames / 4)).with("sleeps", 400).with("kicks", 0)
                .with("histogram", h.encode());
        ControlLine before = ControlLine.of("COUNT").with("wall_ns", 0).with("offered", 0).with("dropped", 0).with("cpu_ns", 0);
        ControlLine after = ControlLine.of("COUNT").with("wall_ns", SECOND_NS).with("offered", frames).with("dropped", 0)
                .with("cpu_ns", SECOND_NS / 2);
        return WindowResult.of(strategy, load, result, before, after);
    }

    private static List<CellSummary> cells(double adaptiveIdleCpu, double adaptiveCpuAt10, long adaptiveUsAt10,
            long busyUsAt10) {
        List<CellSummary> cells = new ArrayList<>();
        cells.add(CellSummary.of(List.of(window("busy", 0, 99, 0, 0))));
        cells.add(CellSummary.of(List.of(window("busy", 10, 99, busyUsAt10, 1000))));
        cells.add(CellSummary.of(List.of(window("adaptive", 0, adaptiveIdleCpu, 0, 0),
                window("adaptive", 0, adaptiveIdleCpu, 0, 0))));
        cells.add(CellSummary.of(List.of(window("adaptive", 10, adaptiveCpuAt10, adaptiveUsAt10, 1000))));
        cells.add(CellSummary.of(List.of(window("adaptive:maxSleepNs=200000", 10, 5, 300, 1000))));
        return cells;
    }

    @Test
    void theTargetsAreMetOnlyWhenAllThreeAre() {
        assertEquals(true, IdleReport.targets(cells(1.5, 15, 25, 10)).get("meets_targets"));
        Map<String, Object> idleTooHigh = IdleReport.targets(cells(2.5, 15, 25, 10));
        assertEquals(false, idleTooHigh.get("meets_cpu_at_0"));
        assertEquals(false, idleTooHigh.get("meets_targets"));
        assertEquals(false, IdleReport.targets(cells(1.5, 25, 25, 10)).get("meets_targets"));
        Map<String, Object> slow = IdleReport.targets(cells(1.5, 15, 40, 10));
        assertEquals(30.0, (double) slow.get("p99_over_busy_us_at_10"), 0.5);
        assertEquals(false, slow.get("meets_p99_at_10"));
        assertEquals(false, slow.get("meets_targets"));
    }

    @Test
    void missingCellsMeanTheTargetsAreNotMet() {
        Map<String, Object> t = IdleReport.targets(List.of(CellSummary.of(List.of(window("adaptive", 0, 1, 0, 0)))));
        assertEquals(true, t.get("meets_cpu_at_0"));
        assertNull(t.get("meets_p99_at_10"));
        assertEquals(false, t.get("meets_targets"));
    }

    @Test
    void figuresNameAdaptiveWithoutPrefixAndKeepVariantsInCells() {
        Map<String, Object> f = IdleReport.figures(cells(1.5, 15, 25, 10), 10.0, Map.of("quick", true));
        assertEquals(1.5, (double) f.get("cpu_pct_at_0"), 1e-9);
        assertEquals(15.0, (double) f.get("cpu_pct_at_10"), 1e-6);
        assertEquals(25.0, (double) f.get("p99_us_at_10"), 0.25);
        assertEquals(10.0, (double) f.get("busy_p99_us_at_10"), 0.1);
        assertEquals(99.0, (double) f.get("busy_cpu_pct_at_0"), 1e-6);
        assertFalse(f.keySet().stream().anyMatch(k -> k.contains(":")), "variants stay out of the flat figures");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Map<String, Object>>> byCell = (Map<String, Map<String, Map<String, Object>>>) f.get("cells");
        assertTrue(byCell.containsKey("adaptive:maxSleepNs=200000"));
        Map<String, Object> cell = byCell.get("adaptive").get("10");
        assertEquals(0.001, (double) cell.get("delivered_mpps"), 1e-9);
        assertEquals(4.0, (double) cell.get("mean_burst"), 1e-9);
        assertEquals(40.0, (double) cell.get("ns_per_packet"), 1e-9);
        assertEquals(1.5 - 0.15 - 0.5, (double) cell.get("other_cores"), 1e-9);
    }

    @Test
    void aCellSpreadsItsRoundsAndMergesItsLatencies() {
        CellSummary c = CellSummary.of(List.of(window("busy", 10, 90, 10, 1000), window("busy", 10, 100, 1000, 10)));
        assertEquals(95, c.cpuPct(), 1e-9);
        assertEquals(90, c.cpuPctMin(), 1e-9);
        assertEquals(100, c.cpuPctMax(), 1e-9);
        assertEquals(10, c.p99Us(), 0.1, "10 slow frames of 1010 are under 1%");
        assertEquals(1000, c.p999Us(), 10);
        assertEquals(1000, c.p99UsMax(), 10);
        assertEquals(1010, c.frames());
    }

    @Test
    void loadsAreNamedWithoutNeedlessDecimals() {
        assertEquals("10", IdleReport.loadText(10));
        assertEquals("0", IdleReport.loadText(0));
        assertEquals("0.005", IdleReport.loadText(0.005));
        assertEquals("12.5", IdleReport.loadText(12.5));
    }

    @Test
    void theTablePrintsEveryCell() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        IdleReport.printTable(new PrintStream(bytes, true, StandardCharsets.UTF_8), cells(1.5, 15, 25, 10), 10, Map.of());
        String table = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(5, table.lines().filter(l -> l.startsWith("busy ") || l.startsWith("adaptive")).count(), table);
    }

    @Test
    void aResultWithoutAFieldIsRejected() {
        ControlLine before = ControlLine.of("COUNT").with("wall_ns", 0).with("offered", 0).with("dropped", 0).with("cpu_ns", 0);
        assertThrows(IllegalArgumentException.class,
                () -> WindowResult.of("busy", 0, ControlLine.of("RESULT").with("wall_ns", 5), before, before));
        assertThrows(IllegalArgumentException.class,
                () -> WindowResult.of("busy", 0, ControlLine.of("RESULT").with("wall_ns", 0), before, before));
    }
}
