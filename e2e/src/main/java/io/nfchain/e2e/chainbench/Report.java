package io.nfchain.e2e.chainbench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * Immutable. The bench's figures from its runs: medians per system and mix, the headline ratio
 * (nfchain's packets per CPU-second, ACL included, over the kernel's routing alone), the table
 * and the JSON figures. The headline figures are the 64-byte ones.
 */
record Report(ChainBench.Plan plan, List<RunResult> results, double permittedShare, double nfchainLoadS,
        double kernelLoadS, String pinning, double backgroundCpus) {
    /** Frames nfchain's two NF rings (4,096 slots each) can hold between the window's edges. */
    static final int IN_FLIGHT = 2 * 4096;

    double median(String system, String mix, ToDoubleFunction<RunResult> figure) {
        return RunResult.median(results.stream().filter(r -> r.system().equals(system) && r.mix().equals(mix))
                .map(figure::applyAsDouble).toList());
    }

    /** The headline: open-loop nfchain over kernel routing alone, packets decided per CPU-second. */
    double ratio(String mix) {
        return ratio(ChainBench.NFCHAIN, mix);
    }

    double ratio(String system, String mix) {
        double routeOnly = median(ChainBench.ROUTE_ONLY, mix, RunResult::pktsPerCpuS);
        return routeOnly > 0 ? median(system, mix, RunResult::pktsPerCpuS) / routeOnly : Double.NaN;
    }

    /**
     * Verdicts agree when every run delivered the share its rules permit (1 without rules), within
     * 2 points plus what the window's edges can hold in flight (nfchain's two NF rings).
     */
    boolean verdictsAgree() {
        return results.stream().allMatch(r -> r.processed() > 0 && Math.abs(r.permittedShare()
                - (r.system().equals(ChainBench.ROUTE_ONLY) ? 1 : permittedShare))
                < 0.02 + (double) IN_FLIGHT / r.processed());
    }

    List<String> mixes() {
        return results.stream().map(RunResult::mix).distinct().toList();
    }

    String table() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "bench chain: gen -> acl (%,d rules) -> router (%,d routes) -> sink%s%n",
                plan.rules(), plan.routes(), plan.quick() ? "   (--quick: indicative only)" : ""));
        s.append(String.format(Locale.ROOT, "  rules permit %.1f%% of the traffic; routes loaded: nfchain %.1f s (gRPC), "
                + "kernel %.1f s (ip -batch)%n  nfchain: %s; kernel sender pinned to cpu 0%n", 100 * permittedShare,
                nfchainLoadS, kernelLoadS, pinning));
        s.append(String.format(Locale.ROOT, "  before the runs, with nothing of the bench's moving, the machine was %.2f CPUs "
                + "busy (other jobs share these cores; their CPU is in every window's figure)%n", backgroundCpus));
        s.append(String.format(Locale.ROOT, "%n  %-18s %-5s %5s %10s %10s %10s %7s %7s %14s %14s%n", "system", "mix",
                "runs", "offered", "decided", "delivered", "lost", "CPUs", "decided/CPU-s", "deliv/CPU-s"));
        s.append(String.format(Locale.ROOT, "  %-18s %-5s %5s %10s %10s %10s %7s %7s %14s %14s%n", "", "", "", "Mpps",
                "Mpps", "Mpps", "%", "", "", ""));
        for (String mix : mixes()) {
            for (String system : ChainBench.REPORTED) {
                long runs = results.stream().filter(r -> r.system().equals(system) && r.mix().equals(mix)).count();
                if (runs == 0) {
                    continue;
                }
                s.append(String.format(Locale.ROOT, "  %-18s %-5s %5d %10.3f %10.3f %10.3f %7.2f %7.2f %,14.0f %,14.0f%n",
                        system, mix, runs, median(system, mix, r -> r.offered() / r.windowS() / 1e6),
                        median(system, mix, RunResult::mpps), median(system, mix, RunResult::deliveredMpps),
                        median(system, mix, r -> 100 * r.capacityLossShare()), median(system, mix, RunResult::cpus),
                        median(system, mix, RunResult::pktsPerCpuS), median(system, mix, RunResult::deliveredPerCpuS)));
            }
            s.append(String.format(Locale.ROOT, "  %s: nfchain / kernel-route-only, decided per CPU-second: %.1fx "
                    + "(target >= %.0fx); with nfchain's source at %.0f%% of what it decided open loop: %.1fx%n", mix,
                    ratio(mix), ChainBench.TARGET, 100 * ChainBench.RATED_SHARE, ratio(ChainBench.NFCHAIN_RATED, mix)));
        }
        s.append(String.format(Locale.ROOT, "%n  drops by reason, every run (packets in its window)%n"));
        for (RunResult r : results) {
            s.append(String.format(Locale.ROOT, "    %-18s %-5s %s%n", r.system(), r.mix(), new TreeMap<>(r.drops())));
        }
        s.append(String.format(Locale.ROOT, "  verdicts: %s%n", verdictsAgree()
                ? "every run delivered the share its rules permit" : "a run's delivered share differs from its rules'"));
        return s.toString();
    }

    Map<String, Object> figures() {
        String head = "64B";
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("suite", "chain");
        f.put("quick", plan.quick());
        f.put("rules", plan.rules());
        f.put("routes", plan.routes());
        f.put("rounds", plan.rounds());
        f.put("window_s", plan.windowS());
        f.put("permitted_share", round(permittedShare));
        f.put("nfchain_mpps", round(median(ChainBench.NFCHAIN, head, RunResult::mpps)));
        f.put("kernel_mpps", round(median(ChainBench.KERNEL, head, RunResult::mpps)));
        f.put("kernel_route_only_mpps", round(median(ChainBench.ROUTE_ONLY, head, RunResult::mpps)));
        f.put("nfchain_pkts_per_cpu_s", Math.round(median(ChainBench.NFCHAIN, head, RunResult::pktsPerCpuS)));
        f.put("kernel_pkts_per_cpu_s", Math.round(median(ChainBench.KERNEL, head, RunResult::pktsPerCpuS)));
        f.put("kernel_route_only_pkts_per_cpu_s", Math.round(median(ChainBench.ROUTE_ONLY, head,
                RunResult::pktsPerCpuS)));
        f.put("nfchain_over_kernel_route_only", round(ratio(head)));
        f.put("nfchain_rated_share", ChainBench.RATED_SHARE);
        f.put("nfchain_rated_mpps", round(median(ChainBench.NFCHAIN_RATED, head, RunResult::mpps)));
        f.put("nfchain_rated_pkts_per_cpu_s", Math.round(median(ChainBench.NFCHAIN_RATED, head,
                RunResult::pktsPerCpuS)));
        f.put("nfchain_rated_capacity_loss", round(median(ChainBench.NFCHAIN_RATED, head,
                RunResult::capacityLossShare)));
        f.put("nfchain_rated_over_kernel_route_only", round(ratio(ChainBench.NFCHAIN_RATED, head)));
        f.put("target", ChainBench.TARGET);
        f.put("target_met", ratio(head) >= ChainBench.TARGET);
        f.put("verdicts_agree", verdictsAgree());
        Map<String, Object> imix = new LinkedHashMap<>();
        for (String mix : mixes()) {
            if (mix.equals(head)) {
                continue;
            }
            for (String system : ChainBench.REPORTED) {
                String key = system.replace('-', '_');
                imix.put(key + "_mpps", round(median(system, mix, RunResult::mpps)));
                imix.put(key + "_pkts_per_cpu_s", Math.round(median(system, mix, RunResult::pktsPerCpuS)));
            }
            imix.put("nfchain_over_kernel_route_only", round(ratio(mix)));
            imix.put("nfchain_rated_over_kernel_route_only", round(ratio(ChainBench.NFCHAIN_RATED, mix)));
            f.put(mix.toLowerCase(Locale.ROOT), imix);
        }
        f.put("pinning", pinning);
        f.put("background_cpus", round(backgroundCpus));
        return f;
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : -1;
    }
}
