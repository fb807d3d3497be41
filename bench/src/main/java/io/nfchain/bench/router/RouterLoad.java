package io.nfchain.bench.router;

import io.nfchain.bench.LoadSuite;
import io.nfchain.bench.router.DutRun.Dut;
import io.nfchain.functions.router.Ipv4Lpm;
import io.nfchain.functions.router.Ipv4Routes;
import io.nfchain.functions.router.SyntheticTables;
import io.nfchain.core.tools.JsonLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * The router as a process behind memif, next to testpmd macswap in the same run: the load half
 * of {@code ./nfchain bench router}. The two devices under test take turns (A B B A ...), so a
 * drift in the machine weighs on both; each figure is the median of its runs.
 */
public final class RouterLoad {
    public static final double TARGET_RATIO = 0.8;
    /** Below this CPU share a process did not have its core to itself. */
    static final double UNCONTENDED_SHARE = 0.9;
    static final int FLOWS = 4096;
    static final int NEXT_HOPS = 64;
    static final long FLOW_SEED = 7_000_003;
    private static final int REPETITIONS = 3;
    private static final long WARMUP_MS = 3_000;
    private static final long MEASURE_MS = 10_000;
    private static final long QUICK_WARMUP_MS = 1_000;
    private static final long QUICK_MEASURE_MS = 2_000;

    private RouterLoad() {}

    /**
     * Only the load half, for working on it: {@code java -cp BENCH_JAR io.nfchain.bench.router.RouterLoad
     * [--quick] [ROUTES]} (default the full 1M-route table of the suite).
     */
    public static void main(String[] args) throws Exception {
        boolean quick = args.length > 0 && args[0].equals("--quick");
        int routes = args.length > (quick ? 1 : 0) ? Integer.parseInt(args[quick ? 1 : 0]) : 1_000_000;
        LoadSuite.Report report = run(quick, SyntheticTables.ipv4(routes, NEXT_HOPS, 20_241_023));
        System.out.print(report.table());
        System.out.println(JsonLine.object(report.figures()));
        System.exit(0);
    }

    /**
     * Runs both devices under test {@code quick ? 1 : 3} times each with {@code routes} loaded into
     * the router (next hops 0..63); progress goes to stderr.
     */
    public static LoadSuite.Report run(boolean quick, Ipv4Routes routes) throws Exception {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            throw new IllegalStateException("needs two cores: one for the traffic, one for the device under test");
        }
        Path jar = RunnerProcess.findJar();
        FlowSet flows = FlowSet.covering(routes, Ipv4Lpm.build(routes), FLOWS, FLOW_SEED);
        long warmupMs = quick ? QUICK_WARMUP_MS : WARMUP_MS;
        long measureMs = quick ? QUICK_MEASURE_MS : MEASURE_MS;
        Path dir = Files.createTempDirectory("nfchain-bench-router");
        List<Sample> samples = new ArrayList<>();
        try {
            Path flowsFile = dir.resolve("flows.txt");
            flows.write(flowsFile);
            DutRun.Setup setup = new DutRun.Setup(flowsFile, routes, NEXT_HOPS, dir, jar);
            List<Dut> schedule = schedule(quick ? 1 : REPETITIONS);
            for (int i = 0; i < schedule.size(); i++) {
                Dut dut = schedule.get(i);
                System.err.printf("bench router: %s (run %d of %d): warm-up at least %.1f s, measure %.1f s%n", dut.label,
                        i + 1, schedule.size(), warmupMs / 1e3, measureMs / 1e3);
                Sample s = DutRun.measure(dut, i, setup, warmupMs, measureMs, quick ? 1 : DutRun.WINDOWS);
                System.err.printf("bench router:   %.2f Mpps back (%.2f offered), CPU share %.0f%%%n", s.mpps(),
                        s.offeredMpps(), 100 * s.cpuShare());
                samples.add(s);
            }
        } finally {
            deleteTree(dir);
        }
        Map<String, Object> figures = figures(samples, quick, warmupMs, measureMs);
        return new LoadSuite.Report(table(samples, measureMs), figures);
    }

    /** A B B A A B ...: each device under test {@code repetitions} times, the pairs mirrored. */
    static List<Dut> schedule(int repetitions) {
        List<Dut> order = new ArrayList<>();
        for (int r = 0; r < repetitions; r++) {
            boolean routerFirst = r % 2 == 0;
            order.add(routerFirst ? Dut.ROUTER : Dut.MACSWAP);
            order.add(routerFirst ? Dut.MACSWAP : Dut.ROUTER);
        }
        return order;
    }

    static Map<String, Object> figures(List<Sample> samples, boolean quick, long warmupMs, long measureMs) {
        double router = median(samples, Dut.ROUTER, Sample::mpps);
        double macswap = median(samples, Dut.MACSWAP, Sample::mpps);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("router_mpps", router);
        f.put("testpmd_macswap_mpps", macswap);
        f.put("router_vs_macswap", router / macswap);
        f.put("router_target_ratio", TARGET_RATIO);
        f.put("router_offered_mpps", median(samples, Dut.ROUTER, Sample::offeredMpps));
        f.put("testpmd_macswap_offered_mpps", median(samples, Dut.MACSWAP, Sample::offeredMpps));
        f.put("router_not_returned", median(samples, Dut.ROUTER, Sample::notReturnedFraction));
        f.put("testpmd_macswap_not_returned", median(samples, Dut.MACSWAP, Sample::notReturnedFraction));
        f.put("router_routes", samples.stream().filter(s -> s.dut() == Dut.ROUTER).mapToLong(Sample::routes).max()
                .orElse(0));
        f.put("router_route_load_s", median(samples, Dut.ROUTER, Sample::loadSeconds));
        f.put("router_runs_mpps", values(samples, Dut.ROUTER, Sample::mpps));
        f.put("testpmd_macswap_runs_mpps", values(samples, Dut.MACSWAP, Sample::mpps));
        f.put("router_runs_cpu_s", values(samples, Dut.ROUTER, Sample::dutCpuSeconds));
        f.put("testpmd_macswap_runs_cpu_s", values(samples, Dut.MACSWAP, Sample::dutCpuSeconds));
        f.put("traffic_runs_cpu_s", values(samples, null, Sample::trafficCpuSeconds));
        f.put("frames_checked", samples.stream().mapToLong(Sample::checked).sum());
        double minShare = samples.stream().mapToDouble(Sample::cpuShare).min().orElse(0);
        f.put("min_cpu_share", minShare);
        f.put("contended", minShare < UNCONTENDED_SHARE);
        Map<String, Object> load = new LinkedHashMap<>();
        load.put("quick", quick);
        load.put("runs_per_dut", samples.size() / 2);
        load.put("min_warmup_s", warmupMs / 1e3);
        load.put("measure_s", measureMs / 1e3);
        load.put("max_windows", quick ? 1 : DutRun.WINDOWS); // when contended, the window with the most CPU is kept
        load.put("flows", FLOWS);
        load.put("frame_bytes", FlowSet.FRAME_BYTES);
        load.put("traffic_cpu", DutRun.TRAFFIC_CPU);
        load.put("dut_cpu", DutRun.DUT_CPU);
        f.put("router_load", load);
        return f;
    }

    static String table(List<Sample> samples, long measureMs) {
        StringBuilder t = new StringBuilder();
        String format = "%-20s %4s %9s %11s %11s %12s %11s %10s%n";
        t.append(String.format(format, "Device under test", "run", "Mpps", "offered", "not back", "traffic CPU s",
                "DUT CPU s", "CPU share"));
        for (Sample s : samples) {
            t.append(String.format(format, s.dut().label, s.repetition() + 1, f2(s.mpps()), f2(s.offeredMpps()),
                    String.format("%.2f%%", 100 * s.notReturnedFraction()), f2(s.trafficCpuSeconds()),
                    f2(s.dutCpuSeconds()), String.format("%.0f%%", 100 * s.cpuShare())));
        }
        t.append(String.format("(64-byte IPv4/UDP frames, %d flows over the routed table, one memif queue, offered in bursts of 32,"
                + " read in bursts of up to %d by both devices;%n traffic process (memif server) on core %d,"
                + " device under test (memif client) forwarding on core %d;"
                + " Mpps: frames back at the traffic process per second over %.1f s; offered: frames the ring took;%n"
                + " DUT CPU s: all threads of the runner JVM or testpmd; CPU share: the smaller of the two processes' CPU"
                + " s over the window, under %.0f%%%n the cores were shared with other processes. Router runs load"
                + " their routes over gRPC first.)%n", FLOWS, DutRun.DUT_BURST, DutRun.TRAFFIC_CPU, DutRun.DUT_CPU, measureMs / 1e3,
                100 * UNCONTENDED_SHARE));
        return t.toString();
    }

    /** The median of the samples of {@code dut}; NaN when there are none. */
    static double median(List<Sample> samples, Dut dut, ToDoubleFunction<Sample> value) {
        double[] v = samples.stream().filter(s -> s.dut() == dut).mapToDouble(value).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }

    /** Per run of {@code dut} (every run when null), keyed {@code run1, run2, ...} in run order. */
    private static Map<String, Object> values(List<Sample> samples, Dut dut,
            ToDoubleFunction<Sample> value) {
        Map<String, Object> byRun = new LinkedHashMap<>();
        for (Sample s : samples) {
            if (dut == null || s.dut() == dut) {
                byRun.put("run" + (s.repetition() + 1), value.applyAsDouble(s));
            }
        }
        return byRun;
    }

    private static String f2(double v) {
        return String.format("%.2f", v);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
