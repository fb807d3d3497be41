package io.nfchain.bench.router;

import io.nfchain.bench.memif.PeerProcess;
import io.nfchain.core.dpdk.TestPmd;
import io.nfchain.core.dpdk.TestPmdConfig;
import io.nfchain.core.dpdk.TestPmdConfig.ForwardMode;
import io.nfchain.core.dpdk.TestPmdConfig.Role;
import io.nfchain.functions.router.Ipv4Routes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One measured run of one device under test behind a memif link: the traffic process
 * ({@link RouterTraffic}, memif server on core {@link #TRAFFIC_CPU}) against the router runner or
 * testpmd macswap (memif client, forwarding on core {@link #DUT_CPU}). Everything started here is
 * closed here, whatever happens.
 */
final class DutRun {
    static final int TRAFFIC_CPU = 0;
    static final int DUT_CPU = 1;
    /**
     * Packets per burst both devices read and send: the runner's default, given to testpmd too
     * (its own default is 32), so that neither pays its per-burst costs more often.
     */
    static final int DUT_BURST = 64;
    private static final long STARTUP_MS = 120_000;
    private static final long WINDOW_MS = 500;
    private static final double STABLE_FRACTION = 0.05;
    /** Windows a full run may measure when other processes shared the cores. */
    static final int WINDOWS = 3;

    /** The devices under test. */
    enum Dut {
        ROUTER("router (NF runner)", "routed"),
        MACSWAP("testpmd macswap", "swapped");

        final String label;
        final String trafficMode;

        Dut(String label, String trafficMode) {
            this.label = label;
            this.trafficMode = trafficMode;
        }
    }

    /** What the run needs: the flows file, the table, where sockets go, the runner jar. */
    record Setup(Path flowsFile, Ipv4Routes routes, int nextHops, Path dir, Path runnerJar) {}

    private DutRun() {}

    static Sample measure(Dut dut, int repetition, Setup setup, long warmupMs, long measureMs, int windows)
            throws Exception {
        Path socket = setup.dir().resolve("router-" + dut.name().toLowerCase() + "-" + repetition + ".sock");
        Files.deleteIfExists(socket);
        try (PeerProcess traffic = PeerProcess.start(RouterTraffic.class, List.of(dut.trafficMode, socket.toString(),
                setup.flowsFile().toString(), Integer.toString(TRAFFIC_CPU)))) {
            traffic.await("LISTENING", STARTUP_MS);
            return dut == Dut.ROUTER
                    ? router(repetition, setup, socket, traffic, warmupMs, measureMs, windows)
                    : macswap(repetition, socket, traffic, warmupMs, measureMs, windows);
        } finally {
            Files.deleteIfExists(socket);
        }
    }

    private static Sample router(int repetition, Setup setup, Path socket, PeerProcess traffic, long warmupMs,
            long measureMs, int windows) throws Exception {
        try (RunnerProcess runner = RunnerProcess.start(setup.runnerJar(), socket, DUT_CPU);
                RouteLoader loader = new RouteLoader(runner.port())) {
            loader.awaitReady(STARTUP_MS, runner);
            traffic.await("CONNECTED", STARTUP_MS);
            long t0 = System.nanoTime();
            loader.setGateways(setup.nextHops());
            long held = loader.addRoutes(setup.routes());
            double loadSeconds = (System.nanoTime() - t0) / 1e9;
            if (held != setup.routes().size()) {
                throw new IllegalStateException("the router holds " + held + " IPv4 routes, not " + setup.routes().size());
            }
            System.err.printf("bench router:   %d routes loaded over gRPC in %.1f s%n", held, loadSeconds);
            traffic.command("start");
            warmUp(traffic, warmupMs);
            return bestWindow(Dut.ROUTER, repetition, traffic, runner::cpuNanos, measureMs, windows, loadSeconds, held);
        }
    }

    private static Sample macswap(int repetition, Path socket, PeerProcess traffic, long warmupMs, long measureMs,
            int windows) throws Exception {
        // forwarding lcore on DUT_CPU; the main lcore only blocks on the console
        try (TestPmd testpmd = TestPmd.start(TestPmdConfig.of(socket, Role.CLIENT, ForwardMode.MACSWAP)
                .withLcores(TRAFFIC_CPU, DUT_CPU).withBurst(DUT_BURST))) {
            testpmd.awaitLinkUp(Duration.ofMillis(STARTUP_MS));
            testpmd.startForwarding();
            traffic.await("CONNECTED", STARTUP_MS);
            traffic.command("start");
            warmUp(traffic, warmupMs);
            return bestWindow(Dut.MACSWAP, repetition, traffic, testpmd::cpuNanos, measureMs, windows, Double.NaN, 0);
        }
    }

    private interface CpuClock {
        long cpuNanos();
    }

    /**
     * One window; when other processes took part of a core (CPU share under
     * {@link RouterLoad#UNCONTENDED_SHARE}), up to {@code windows} in all, keeping the one with the
     * highest share: it says the most about the device and the least about the neighbours.
     */
    private static Sample bestWindow(Dut dut, int repetition, PeerProcess traffic, CpuClock dutCpu, long measureMs,
            int windows, double loadSeconds, long routes) throws Exception {
        Sample best = null;
        for (int w = 0; w < windows && (best == null || best.cpuShare() < RouterLoad.UNCONTENDED_SHARE); w++) {
            Sample s = window(dut, repetition, traffic, dutCpu, measureMs, loadSeconds, routes);
            if (best == null || s.cpuShare() > best.cpuShare()) {
                best = s;
            }
        }
        return best;
    }

    private static Sample window(Dut dut, int repetition, PeerProcess traffic, CpuClock dutCpu, long measureMs,
            double loadSeconds, long routes) throws Exception {
        long cpuDut0 = dutCpu.cpuNanos();
        long cpuTraffic0 = traffic.cpuNanos();
        long t0 = System.nanoTime();
        long[] s0 = traffic.stats();
        long t0End = System.nanoTime();
        Thread.sleep(measureMs);
        long t1 = System.nanoTime();
        long[] s1 = traffic.stats();
        long t1End = System.nanoTime();
        long cpuTraffic1 = traffic.cpuNanos();
        long cpuDut1 = dutCpu.cpuNanos();
        double seconds = ((t1 + t1End) / 2.0 - (t0 + t0End) / 2.0) / 1e9; // each count read mid-query
        TrafficStats before = TrafficStats.of(s0);
        TrafficStats after = TrafficStats.of(s1);
        after.requireClean(dut.label);
        return new Sample(dut, repetition, seconds, after.sent() - before.sent(), after.received() - before.received(),
                after.checked(), (cpuTraffic1 - cpuTraffic0) / 1e9, (cpuDut1 - cpuDut0) / 1e9, loadSeconds, routes);
    }

    /**
     * Waits {@code minMs}, then until two successive {@link #WINDOW_MS} windows agree on the
     * received rate within {@link #STABLE_FRACTION}, or {@code 5 * minMs} passed.
     */
    private static void warmUp(PeerProcess traffic, long minMs) throws IOException, InterruptedException {
        Thread.sleep(minMs);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(4 * minMs);
        long before = TrafficStats.of(traffic.stats()).received();
        double lastRate = -1;
        while (System.nanoTime() < deadline) {
            Thread.sleep(WINDOW_MS);
            long now = TrafficStats.of(traffic.stats()).received();
            double rate = now - before;
            before = now;
            if (lastRate > 0 && Math.abs(rate - lastRate) <= STABLE_FRACTION * lastRate) {
                return;
            }
            lastRate = rate;
        }
    }
}
