package io.nfchain.bench.acl;

import io.nfchain.api.acl.v1.ReplaceRulesResponse;
import io.nfchain.bench.LoadSuite;
import io.nfchain.bench.memif.PeerProcess;
import io.nfchain.bench.router.RunnerProcess;
import io.nfchain.core.tools.JsonLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Not thread-safe. The acl function as a process behind memif, the load half of
 * {@code ./nfchain bench acl}: one NF runner hosting a stateless acl (poll thread pinned to
 * {@link #DUT_CPU}, idle strategy busy) and one {@link AclTraffic} process (memif server, pinned to
 * {@link #TRAFFIC_CPU}) offering {@link AclFrames} open loop. For each rule count in
 * {@link AclLoadReport#schedule} order the traffic pauses and drains, the rule set is replaced over
 * gRPC, the traffic restarts, warms up and one window is measured (up to {@link #WINDOWS} when
 * another process took part of a core, keeping the one with the most CPU: on a shared machine the
 * short quiet stretches say the most about the acl); then it pauses and
 * drains again and what the acl decided for the rule set is checked against the bench's own engine
 * ({@link AclCounts#requireAsExpected}). Mpps is frames the acl decided (its permit and deny
 * counters, read over gRPC at both ends of the window) per second; each figure is the median of
 * its rule count's runs.
 */
public final class AclLoad {
    static final int TRAFFIC_CPU = 0;
    static final int DUT_CPU = 1;
    private static final int PASSES = 3;
    /** Windows a full run may measure per rule count when other processes took part of a core. */
    private static final int WINDOWS = 4;
    private static final long WARMUP_MS = 2_000;
    private static final long MEASURE_MS = 2_500;
    private static final long QUICK_WARMUP_MS = 500;
    private static final long QUICK_MEASURE_MS = 1_000;
    private static final long STARTUP_MS = 120_000;
    private static final long DRAIN_TIMEOUT_MS = 10_000;
    private static final long DRAIN_POLL_MS = 50;
    private static final long STABLE_WINDOW_MS = 500;
    private static final double STABLE_FRACTION = 0.05;

    private final boolean quick;
    private final long warmupMs;
    private final long measureMs;
    private final int windows;
    private final PeerProcess traffic;
    private final RunnerProcess runner;
    private final AclControlClient control;
    private long framesVerified;
    private long returnedChecked;
    private long notReturned;
    private long permitted;

    private AclLoad(boolean quick, PeerProcess traffic, RunnerProcess runner, AclControlClient control) {
        this.quick = quick;
        this.warmupMs = quick ? QUICK_WARMUP_MS : WARMUP_MS;
        this.measureMs = quick ? QUICK_MEASURE_MS : MEASURE_MS;
        this.windows = quick ? 1 : WINDOWS;
        this.traffic = traffic;
        this.runner = runner;
        this.control = control;
    }

    /**
     * Only the load half, for working on it: {@code java -cp BENCH_JAR io.nfchain.bench.acl.AclLoad
     * [--quick]} (the runner jar is found as for the router: {@code -Dnfchain.runner.jar=PATH} or the
     * repository's).
     */
    public static void main(String[] args) throws Exception {
        boolean quick = args.length > 0 && args[0].equals("--quick");
        LoadSuite.Report report = run(quick);
        System.out.print(report.table());
        System.out.println(JsonLine.object(report.figures()));
        System.exit(0);
    }

    /** Runs every rule count once ({@code quick}) or {@value #PASSES} times; progress goes to stderr. */
    public static LoadSuite.Report run(boolean quick) throws Exception {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            throw new IllegalStateException("needs two cores: one for the traffic, one for the acl");
        }
        Path jar = RunnerProcess.findJar();
        System.err.println("bench acl load: building rule sets, frames and their verdicts");
        AclFrames frames = AclFrames.standard();
        Map<Integer, Double> passShares = new LinkedHashMap<>();
        for (int n : frames.ruleCounts()) {
            passShares.put(n, frames.passShare(frames.ruleCountIndex(n)));
        }
        Path dir = Files.createTempDirectory("nfchain-bench-acl");
        Path socket = dir.resolve("acl.sock");
        List<AclSample> samples = new ArrayList<>();
        AclLoad load;
        try (PeerProcess traffic = PeerProcess.start(AclTraffic.class, List.of(socket.toString(),
                Integer.toString(TRAFFIC_CPU)))) {
            traffic.await("LISTENING", STARTUP_MS);
            int port = RunnerProcess.freePort();
            try (RunnerProcess runner = RunnerProcess.start(jar, properties(socket, DUT_CPU, port), port);
                    AclControlClient control = new AclControlClient(port)) {
                control.awaitReady(STARTUP_MS, runner);
                traffic.await("CONNECTED", STARTUP_MS);
                load = new AclLoad(quick, traffic, runner, control);
                List<Integer> schedule = AclLoadReport.schedule(quick ? 1 : PASSES);
                Map<Integer, Integer> runs = new LinkedHashMap<>();
                for (int i = 0; i < schedule.size(); i++) {
                    int rules = schedule.get(i);
                    int run = runs.merge(rules, 1, Integer::sum) - 1;
                    System.err.printf("bench acl load: %d rules (%d of %d): warm-up at least %.1f s, measure %.1f s%n",
                            rules, i + 1, schedule.size(), load.warmupMs / 1e3, load.measureMs / 1e3);
                    AclSample s = load.phase(frames, rules, run);
                    System.err.printf("bench acl load:   %.3f Mpps decided (%.3f offered), %.1f%% passed, CPU share %.0f%%%n",
                            s.mpps(), s.offeredMpps(), 100 * s.passShare(), 100 * s.cpuShare());
                    samples.add(s);
                }
            }
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
        AclLoadReport.Setup setup = new AclLoadReport.Setup(quick, load.warmupMs, load.measureMs, load.windows, frames.size(),
                frames.minFrameBytes(), frames.maxFrameBytes(), TRAFFIC_CPU, DUT_CPU);
        AclLoadReport.Totals totals = new AclLoadReport.Totals(load.framesVerified, load.returnedChecked, load.notReturned,
                load.permitted);
        return new LoadSuite.Report(AclLoadReport.table(samples, passShares, setup),
                AclLoadReport.figures(samples, passShares, totals, setup));
    }

    /** The runner's configuration: a stateless acl on {@code socket}, busy polling on {@code cpu}. */
    static Map<String, String> properties(Path socket, int cpu, int port) {
        return Map.ofEntries(
                Map.entry("nfchain.function.type", "acl"),
                Map.entry("nfchain.function.instance", "bench-acl"),
                Map.entry("nfchain.function.links[0].socket", socket.toString()),
                Map.entry("nfchain.function.idle-strategy", "busy"),
                Map.entry("nfchain.function.cpu", Integer.toString(cpu)),
                Map.entry("nfchain.acl.stateful", "false"),
                Map.entry("quarkus.http.port", Integer.toString(port)),
                Map.entry("quarkus.http.host", "127.0.0.1"),
                // 10,000 rules are about half a MB of protobuf
                Map.entry("quarkus.grpc.server.max-inbound-message-size", Integer.toString(64 << 20)));
    }

    /** One rule count: replace the rules, run, measure, drain, check. The rings are drained on entry. */
    private AclSample phase(AclFrames frames, int rules, int run) throws Exception {
        int c = frames.ruleCountIndex(rules);
        ReplaceRulesResponse replaced = control.replaceRules(frames.ruleSet(c));
        traffic.command("expect " + c);
        traffic.await("EXPECTING " + c, STARTUP_MS);
        AclCounts start = snapshot();
        traffic.command("start");
        warmUp();
        AclSample best = null;
        for (int w = 0; w < windows && (best == null || best.cpuShare() < AclLoadReport.UNCONTENDED_SHARE); w++) {
            AclSample s = window(rules, run, replaced.getCompileMs());
            if (best == null || s.cpuShare() > best.cpuShare()) {
                best = s;
            }
        }
        traffic.command("pause");
        AclCounts done = drain().minus(start);
        done.requireAsExpected(rules);
        framesVerified += done.sent();
        returnedChecked += done.checked();
        notReturned += done.permitted() - done.received();
        permitted += done.permitted();
        return best;
    }

    private AclCounts snapshot() throws IOException, InterruptedException {
        Map<String, Long> counters = control.counters();
        return AclCounts.of(traffic.stats(), counters);
    }

    private AclSample window(int rules, int run, double compileMs) throws Exception {
        long cpuDut0 = runner.cpuNanos();
        long cpuTraffic0 = traffic.cpuNanos();
        long t0 = System.nanoTime();
        AclCounts c0 = snapshot();
        long t0End = System.nanoTime();
        Thread.sleep(measureMs);
        long t1 = System.nanoTime();
        AclCounts c1 = snapshot();
        long t1End = System.nanoTime();
        long cpuTraffic1 = traffic.cpuNanos();
        long cpuDut1 = runner.cpuNanos();
        double seconds = ((t1 + t1End) / 2.0 - (t0 + t0End) / 2.0) / 1e9; // each count read mid-query
        AclCounts d = c1.minus(c0);
        return new AclSample(rules, run, seconds, d.decided(), d.permitted(), d.sent(), (cpuDut1 - cpuDut0) / 1e9,
                (cpuTraffic1 - cpuTraffic0) / 1e9, compileMs);
    }

    /**
     * Waits {@code warmupMs}, then until two successive {@link #STABLE_WINDOW_MS} windows agree on
     * the rate the ring takes frames within {@link #STABLE_FRACTION}, or {@code 5 * warmupMs} passed.
     */
    private void warmUp() throws IOException, InterruptedException {
        Thread.sleep(warmupMs);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(4 * warmupMs);
        long before = traffic.stats()[0];
        double lastRate = -1;
        while (System.nanoTime() < deadline) {
            Thread.sleep(STABLE_WINDOW_MS);
            long now = traffic.stats()[0];
            double rate = now - before;
            before = now;
            if (lastRate > 0 && Math.abs(rate - lastRate) <= STABLE_FRACTION * lastRate) {
                return;
            }
            lastRate = rate;
        }
    }

    /**
     * After {@code pause}: waits until the acl decided every frame sent and every frame it let
     * through came back or was counted as not sent (the worker counts its permit before it
     * transmits, so a quiet spell alone does not say a frame is not still on its way: under
     * contention the runner can be descheduled between the two).
     */
    private AclCounts drain() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_TIMEOUT_MS);
        while (true) {
            AclCounts now = snapshot();
            if (now.isDrained()) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the rings did not drain within " + DRAIN_TIMEOUT_MS + " ms: " + now
                        + "; the runner's log:\n" + runner.log());
            }
            Thread.sleep(DRAIN_POLL_MS);
        }
    }
}
