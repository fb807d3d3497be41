package io.nfchain.e2e.chainbench;

import io.nfchain.core.tools.JsonLine;
import io.nfchain.e2e.LocalNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code ./nfchain bench chain [--quick]}: the whole node against the Linux kernel doing the same
 * job on this machine, in the same run. nfchain: gen -> acl -> router -> sink as processes
 * ({@link NfchainRig}); the kernel: a router namespace between veths with the same routes, with
 * and without the same rules in an nftables verdict map ({@link KernelRig}). Runs are
 * interleaved (the order rotates every round) and the figures are medians; CPU is the whole
 * machine's from /proc/stat. Prints a table, then one JSON line. Progress goes to stderr.
 */
public final class ChainBench {
    static final String NFCHAIN = "nfchain";
    static final String KERNEL = "kernel";
    static final String ROUTE_ONLY = "kernel-route-only";
    /** nfchain again right after each open-loop run, its source at {@link #RATED_SHARE} of what that run decided. */
    static final String NFCHAIN_RATED = "nfchain-rated";
    /** The systems the schedule rotates; each nfchain run brings its rated run along. */
    static final List<String> SYSTEMS = List.of(NFCHAIN, KERNEL, ROUTE_ONLY);
    /** Every system in the table and figures. */
    static final List<String> REPORTED = List.of(NFCHAIN, NFCHAIN_RATED, KERNEL, ROUTE_ONLY);
    static final double RATED_SHARE = 0.9;
    static final double TARGET = 10;

    /** What to run: {@code --quick} is a smoke run (fewer routes, one round, short windows). */
    record Plan(boolean quick, int rules, int routes, int rounds, double warmS, double windowS) {
        static Plan of(boolean quick) {
            return quick ? new Plan(true, 1_000, 100_000, 1, 2, 2) : new Plan(false, 1_000, 1_000_000, 5, 3, 5);
        }
    }

    private ChainBench() {}

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        for (String a : args) {
            if (a.equals("--quick")) {
                quick = true;
            } else {
                System.err.println("usage: ./nfchain bench chain [--quick]");
                System.exit(2);
            }
        }
        System.exit(run(Plan.of(quick)));
    }

    static int run(Plan plan) throws Exception {
        Path dir = Files.createTempDirectory("nfchain-bench-chain");
        ChainRules rules = ChainRules.generate(plan.rules, 42);
        note("generating %,d routes", plan.routes);
        ChainRoutes routes = ChainRoutes.generate(plan.routes, 20_240_101);
        List<ChainTraffic> mixes = List.of(new ChainTraffic(4096, ChainTraffic.SIXTY_FOUR),
                new ChainTraffic(4096, ChainTraffic.IMIX));
        double permitted = mixes.get(0).permittedShare(rules);
        NfchainRig nfchain = new NfchainRig(LocalNode.repositoryRoot(), 0, 1);
        KernelRig kernel = new KernelRig(dir);
        Thread hook = Thread.ofPlatform().unstarted(() -> closeAll(nfchain, kernel, dir));
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            note("starting nfchain (agent, acl, router) and loading %,d rules and %,d routes over gRPC", plan.rules,
                    plan.routes);
            double nfchainLoadS = nfchain.setUp(mixes.get(0), rules, routes);
            note("nfchain routes loaded in %.1f s; building the kernel namespaces and routes (ip -batch)", nfchainLoadS);
            double kernelLoadS = kernel.setUp(routes);
            kernel.rulesOn(rules);
            int elements = kernel.mapElements();
            if (elements != rules.rules().size()) {
                throw new IllegalStateException("nft holds " + elements + " map elements, not " + rules.rules().size());
            }
            kernel.rulesOff();
            note("kernel routes loaded in %.1f s; nft verdict map holds %d rules", kernelLoadS, elements);
            // Other jobs on the machine: their CPU lands in /proc/stat's figures too, so say how much.
            CpuTicks idle0 = CpuTicks.read();
            long idleStart = System.nanoTime();
            sleep(2);
            double backgroundCpus = CpuTicks.read().minus(idle0).busySeconds() / ((System.nanoTime() - idleStart) / 1e9);
            note("background load before the runs: %.2f CPUs busy", backgroundCpus);
            List<RunResult> results = new ArrayList<>();
            for (ChainTraffic mix : mixes) {
                for (int round = 0; round < plan.rounds; round++) {
                    for (int k = 0; k < SYSTEMS.size(); k++) {
                        String system = SYSTEMS.get((k + round) % SYSTEMS.size());
                        RunResult r = system.equals(NFCHAIN) ? runNfchain(plan, nfchain, mix, 0)
                                : runKernel(plan, kernel, mix, system.equals(KERNEL) ? rules : null);
                        noteRun(r, round);
                        results.add(r);
                        if (system.equals(NFCHAIN)) {
                            long ratePps = Math.max(1, Math.round(RATED_SHARE * r.processed() / r.windowS()));
                            RunResult rated = runNfchain(plan, nfchain, mix, ratePps);
                            noteRun(rated, round);
                            results.add(rated);
                        }
                    }
                }
            }
            Report report = new Report(plan, results, permitted, nfchainLoadS, kernelLoadS, nfchain.describePinning(),
                    backgroundCpus);
            System.out.print(report.table());
            System.out.println(JsonLine.object(report.figures()));
            return 0;
        } finally {
            closeAll(nfchain, kernel, dir);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already: the hook is running or has run
            }
        }
    }

    /**
     * One nfchain window: the gen port open loop ({@code ratePps} 0: a full burst every poll of the
     * agent's worker) or at {@code ratePps}, the run then named {@link #NFCHAIN_RATED}.
     */
    private static RunResult runNfchain(Plan plan, NfchainRig rig, ChainTraffic mix, long ratePps) throws Exception {
        rig.traffic(mix, ratePps);
        sleep(plan.warmS);
        rig.checkAlive();
        Map<String, Long> c0 = rig.counters();
        Map<String, Double> p0 = rig.processCpuSeconds();
        CpuTicks cpu0 = CpuTicks.read();
        long t0 = System.nanoTime();
        sleep(plan.windowS);
        Map<String, Long> c1 = rig.counters();
        Map<String, Double> p1 = rig.processCpuSeconds();
        CpuTicks cpu1 = CpuTicks.read();
        long t1 = System.nanoTime();
        rig.trafficOff(mix);
        StringBuilder byProcess = new StringBuilder();
        p1.forEach((name, seconds) -> byProcess.append(byProcess.isEmpty() ? "" : ", ").append(name).append(' ')
                .append(String.format(Locale.ROOT, "%.2f", (seconds - p0.getOrDefault(name, 0.0)) / ((t1 - t0) / 1e9))));
        note("%s %s: CPUs by process (all threads): %s", ratePps == 0 ? NFCHAIN : NFCHAIN_RATED, mix.mixName(), byProcess);
        Map<String, Long> d = delta(c1, c0);
        Map<String, Long> drops = new LinkedHashMap<>();
        d.forEach((k, v) -> {
            if (k.startsWith("drop.") && v > 0) {
                drops.put(k.substring(5), v);
            }
        });
        sleep(1.5); // the generator stops and the poll loops park before the next run
        return new RunResult(ratePps == 0 ? NFCHAIN : NFCHAIN_RATED, mix.mixName(), (t1 - t0) / 1e9,
                d.getOrDefault("offered", 0L),
                d.getOrDefault("acl_in", 0L), d.getOrDefault("delivered", 0L), drops, cpu1.minus(cpu0));
    }

    private static RunResult runKernel(Plan plan, KernelRig rig, ChainTraffic mix, ChainRules rules) throws Exception {
        if (rules != null) {
            rig.rulesOn(rules);
        } else {
            rig.rulesOff();
        }
        double senderWarmS = plan.warmS + 1; // the sender's JVM starts first
        Process sender = rig.startSender(mix, senderWarmS + plan.windowS + 1, 0);
        try {
            sleep(senderWarmS);
            if (!sender.isAlive()) {
                throw new IllegalStateException("the kernel's sender exited early (exit " + sender.exitValue() + ")");
            }
            Map<String, Long> c0 = rig.counters();
            CpuTicks cpu0 = CpuTicks.read();
            long t0 = System.nanoTime();
            sleep(plan.windowS);
            Map<String, Long> c1 = rig.counters();
            CpuTicks cpu1 = CpuTicks.read();
            long t1 = System.nanoTime();
            Map<String, Long> d = delta(c1, c0);
            long routerRx = d.get("router_rx");
            Map<String, Long> drops = new LinkedHashMap<>();
            drops.put("r0 rx_dropped (backlog)", d.get("router_rx_dropped"));
            drops.put(rules != null ? "rules and routes (nft drop)" : "routes", routerRx - d.get("delivered"));
            return new RunResult(rules != null ? KERNEL : ROUTE_ONLY, mix.mixName(), (t1 - t0) / 1e9, d.get("sent"),
                    routerRx, d.get("delivered"), drops, cpu1.minus(cpu0));
        } finally {
            if (!sender.waitFor(java.time.Duration.ofSeconds(10))) {
                sender.destroyForcibly();
                sender.waitFor();
            }
        }
    }

    private static void noteRun(RunResult r, int round) {
        note("%s %s round %d: %.3f Mpps offered, %.3f Mpps decided, %.3f Mpps delivered, %.2f%% lost for capacity, "
                + "%.2f CPUs, %,.0f pkts/CPU-s", r.system(), r.mix(), round + 1, r.offered() / r.windowS() / 1e6, r.mpps(),
                r.deliveredMpps(), 100 * r.capacityLossShare(), r.cpus(), r.pktsPerCpuS());
    }

    static Map<String, Long> delta(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> d = new LinkedHashMap<>();
        after.forEach((k, v) -> d.put(k, v - before.getOrDefault(k, 0L)));
        return d;
    }

    private static void closeAll(NfchainRig nfchain, KernelRig kernel, Path dir) {
        kernel.close();
        try {
            nfchain.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (java.io.IOException e) {
            // already gone
        }
    }

    private static void sleep(double seconds) throws InterruptedException {
        Thread.sleep((long) (seconds * 1000));
    }

    static void note(String format, Object... args) {
        System.err.println("bench chain: " + String.format(Locale.ROOT, format, args));
    }
}
