package io.nfchain.bench.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.bench.router.DutRun.Dut;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterLoadTest {

    private static Sample sample(Dut dut, int run, double mpps, double cpuShare) {
        long received = (long) (mpps * 1e6 * 10);
        return new Sample(dut, run, 10, received + 100, received, 5000, 10 * cpuShare, 10, dut == Dut.ROUTER ? 12.5 : Double.NaN,
                dut == Dut.ROUTER ? 1_000_000 : 0);
    }

    @Test
    void scheduleMirrorsEachPairSoEachDeviceRunsEqually() {
        assertEquals(List.of(Dut.ROUTER, Dut.MACSWAP, Dut.MACSWAP, Dut.ROUTER, Dut.ROUTER, Dut.MACSWAP), RouterLoad.schedule(3));
        assertEquals(List.of(Dut.ROUTER, Dut.MACSWAP), RouterLoad.schedule(1));
    }

    @Test
    void figuresAreMediansAndTheirRatio() {
        List<Sample> samples = List.of(sample(Dut.ROUTER, 0, 4.0, 1), sample(Dut.MACSWAP, 1, 10.0, 1),
                sample(Dut.MACSWAP, 2, 6.0, 1), sample(Dut.ROUTER, 3, 9.0, 1), sample(Dut.ROUTER, 4, 5.0, 1),
                sample(Dut.MACSWAP, 5, 8.0, 1));
        Map<String, Object> f = RouterLoad.figures(samples, false, 3000, 10000);
        assertEquals(5.0, (double) f.get("router_mpps"), 1e-9);
        assertEquals(8.0, (double) f.get("testpmd_macswap_mpps"), 1e-9);
        assertEquals(5.0 / 8.0, (double) f.get("router_vs_macswap"), 1e-9);
        assertEquals(1_000_000L, f.get("router_routes"));
        assertEquals(12.5, (double) f.get("router_route_load_s"), 1e-9);
        assertEquals(false, f.get("contended"));
        assertEquals(Map.of("run1", 4.0, "run4", 9.0, "run5", 5.0),
                Map.copyOf((Map<?, ?>) f.get("router_runs_mpps")));
    }

    @Test
    void anEvenCountTakesTheMeanOfTheMiddleTwoAndAContendedRunIsFlagged() {
        List<Sample> samples = List.of(sample(Dut.ROUTER, 0, 4.0, 1), sample(Dut.MACSWAP, 1, 10.0, 0.5),
                sample(Dut.MACSWAP, 2, 6.0, 1), sample(Dut.ROUTER, 3, 9.0, 1));
        Map<String, Object> f = RouterLoad.figures(samples, true, 1000, 2000);
        assertEquals(6.5, (double) f.get("router_mpps"), 1e-9);
        assertEquals(8.0, (double) f.get("testpmd_macswap_mpps"), 1e-9);
        assertEquals(true, f.get("contended"));
        assertEquals(0.5, (double) f.get("min_cpu_share"), 1e-9);
        assertTrue(Double.isNaN(RouterLoad.median(samples.subList(0, 1), Dut.MACSWAP, Sample::mpps)));
    }

    @Test
    void trafficStatsRefuseFiguresOfFramesThatWereNotForwardedRight() {
        TrafficStats clean = TrafficStats.of(new long[] {100, 90, 64, 0, 0, 0});
        clean.requireClean("router");
        IllegalStateException wrong = assertThrows(IllegalStateException.class,
                () -> TrafficStats.of(new long[] {100, 90, 64, 3, ReturnCheck.Verdict.WRONG_TTL.ordinal(), 0})
                        .requireClean("router"));
        assertTrue(wrong.getMessage().contains("3 of 64") && wrong.getMessage().contains("TTL"), wrong.getMessage());
        assertThrows(IllegalStateException.class, () -> TrafficStats.of(new long[] {100, 90, 0, 0, 0, 0}).requireClean("x"));
        assertThrows(IllegalArgumentException.class, () -> TrafficStats.of(new long[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> TrafficStats.of(new long[] {1, 2, 3, 4, 99, 0}));
    }

    @Test
    void statsLinesParseOrFailWithTheLine() throws IOException {
        assertEquals(List.of(1L, 2L, 3L), toList(io.nfchain.bench.memif.PeerProcessAccess.parse("STATS 1 2 3")));
        for (String bad : new String[] {"STATS", "STATS 1 x", "STATS -1 2", "STAT 1 2", "", "STATS 99999999999999999999"}) {
            IOException e = assertThrows(IOException.class, () -> io.nfchain.bench.memif.PeerProcessAccess.parse(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    private static List<Long> toList(long[] values) {
        return java.util.Arrays.stream(values).boxed().toList();
    }
}
