package io.nfchain.bench.idle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The driver's plan, as options set it and as it crosses to the conductor, and the window lines coming back. */
class IdleLoadRunTest {
    @Test
    void optionsMakeAPlanThatCrossesToTheConductorIntact() {
        IdleLoadRun.Plan plan = IdleLoadRun.parseArgs(new String[] {"--quick", "--strategy", "busy", "--strategy",
                "adaptive:maxSleepNs=200000,spinPolls=0", "--loads", "0,0.005,10", "--rounds", "2", "--warmup-ms", "100",
                "--measure-ms", "400", "--nice", "-5"});
        assertTrue(plan.quick());
        assertEquals(List.of("busy", "adaptive:maxSleepNs=200000,spinPolls=0"),
                plan.strategies().stream().map(StrategySpec::label).toList());
        assertEquals(List.of(0.0, 0.005, 10.0), plan.loadsPct());
        assertEquals(6 * 2, plan.windows());
        IdleLoadRun.Plan back = IdleLoadRun.Plan.fromLine(ControlLine.parse(plan.toLine().format()));
        assertEquals(plan.toLine(), back.toLine());
        assertEquals(plan.strategies().get(1).overrides(), back.strategies().get(1).overrides());
        assertEquals(-5, back.nice());
        assertEquals(-1, IdleLoadRun.parseArgs(new String[] {"--unpinned"}).receiverCpu());
    }

    @Test
    void badOptionsAreRejectedWithAReason() {
        assertThrows(IllegalArgumentException.class, () -> IdleLoadRun.parseArgs(new String[] {"--loads", "0,x"}));
        assertThrows(IllegalArgumentException.class, () -> IdleLoadRun.parseArgs(new String[] {"--loads", "120"}));
        assertThrows(IllegalArgumentException.class, () -> IdleLoadRun.parseArgs(new String[] {"--rounds", "0"}));
        assertThrows(IllegalArgumentException.class, () -> IdleLoadRun.parseArgs(new String[] {"--nice", "-21"}));
        assertThrows(IllegalArgumentException.class, () -> IdleLoadRun.parseArgs(new String[] {"--strategy"}));
        assertThrows(IllegalArgumentException.class, () -> IdleLoadRun.parseArgs(new String[] {"--strategy", "spin"}));
        assertThrows(IllegalArgumentException.class, () -> IdleLoadRun.parseArgs(new String[] {"--fast"}));
    }

    @Test
    void aWindowLineReadsBackAsTheWindow() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(1_500);
        h.record(90_000);
        ControlLine result = ControlLine.of("RESULT").with("wall_ns", 2_000_000_000L).with("frames", 2).with("gaps", 3)
                .with("cpu_ns", 20_000_000).with("system_ticks", 1).with("wait_ns", 5).with("switches", 7)
                .with("machine_ticks", 400).with("machine_busy_ticks", 100).with("machine_steal_ticks", 0)
                .with("busy_ns", 80).with("empty_polls", 9).with("busy_loops", 2).with("sleeps", 11).with("kicks", 1)
                .with("histogram", h.encode());
        ControlLine before = ControlLine.of("COUNT").with("wall_ns", 10).with("offered", 100).with("dropped", 1)
                .with("cpu_ns", 0);
        ControlLine after = ControlLine.of("COUNT").with("wall_ns", 1_000_000_010L).with("offered", 1_100).with("dropped", 4)
                .with("cpu_ns", 500_000_000);
        ControlLine line = ControlLine.parse(
                IdleConductor.windowLine("adaptive:spinPolls=0", 0.005, 3, result, before, after).format());
        WindowResult w = IdleConductor.windowResult(line);
        assertEquals(WindowResult.of("adaptive:spinPolls=0", 0.005, result, before, after).toString()
                .replaceAll("histogram=[^,)]*", ""), w.toString().replaceAll("histogram=[^,)]*", ""));
        assertEquals(h.encode(), w.histogram().encode());
        assertEquals("3", line.text("round"));
        assertEquals(1.0, w.cpuPct(), 1e-9);
        assertEquals(50.0, w.senderCpuPct(), 1e-9);
        assertEquals(1_000, w.senderOffered());
        assertEquals(0, w.otherCores(), "0.5 cores busy less 0.01 (receiver) and 0.5 (sender): clamped at 0");
        assertThrows(IllegalArgumentException.class,
                () -> IdleConductor.windowResult(ControlLine.parse("WINDOW strategy=busy load=x")));
        assertThrows(IllegalArgumentException.class,
                () -> IdleConductor.windowResult(ControlLine.parse("WINDOW strategy=busy load=1 r.wall_ns=5")));
    }
}
