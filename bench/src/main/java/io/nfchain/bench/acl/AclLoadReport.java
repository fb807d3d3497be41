package io.nfchain.bench.acl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Stateless. The acl load run's order of rule counts, its figures for the JSON line and its
 * table, from the samples; nothing here measures, so all of it is tested without timing.
 */
final class AclLoadReport {
    /** Issue 4: the 10,000-rule Mpps at least half the 10-rule Mpps. */
    static final double RATIO_TARGET = 2.0;
    /** Below this CPU share a process did not have its core to itself. */
    static final double UNCONTENDED_SHARE = 0.9;
    /** One pass: the extremes first, so a drift over the pass weighs on both ends of the ratio. */
    static final int[] PASS_ORDER = {10, 10_000, 1000, 100};

    /** What the whole run verified besides the windows. */
    record Totals(long framesVerified, long returnedChecked, long notReturned, long permitted) {}

    /** How the run was made, for the JSON line. */
    record Setup(boolean quick, long warmupMs, long measureMs, int maxWindows, int frames, int minFrameBytes,
            int maxFrameBytes, int trafficCpu, int dutCpu) {}

    private AclLoadReport() {}

    /** {@code passes} passes over {@link #PASS_ORDER}, every other one reversed. */
    static List<Integer> schedule(int passes) {
        List<Integer> order = new ArrayList<>();
        for (int p = 0; p < passes; p++) {
            for (int i = 0; i < PASS_ORDER.length; i++) {
                order.add(PASS_ORDER[p % 2 == 0 ? i : PASS_ORDER.length - 1 - i]);
            }
        }
        return order;
    }

    /**
     * The figures: {@code acl_mpps_N} (median Mpps decided at N rules), the ratio of the 10-rule
     * to the 10,000-rule figure and whether it meets {@link #RATIO_TARGET}, per-count details,
     * and whether the cores were contended.
     *
     * @param passShares the share of the frames each rule count lets through, by the bench's engine
     */
    static Map<String, Object> figures(List<AclSample> samples, Map<Integer, Double> passShares, Totals totals,
            Setup setup) {
        Map<String, Object> f = new LinkedHashMap<>();
        List<Integer> counts = samples.stream().map(AclSample::rules).distinct().sorted().toList();
        for (int n : counts) {
            f.put("acl_mpps_" + n, median(samples, n, AclSample::mpps));
        }
        double ratio = median(samples, 10, AclSample::mpps) / median(samples, 10_000, AclSample::mpps);
        f.put("acl_mpps_ratio_10_to_10000", ratio);
        f.put("acl_mpps_ratio_target", RATIO_TARGET);
        f.put("acl_mpps_meets_target", ratio <= RATIO_TARGET);
        // the same medians over the windows in which both processes had their cores: NaN when none did
        List<AclSample> quiet = samples.stream().filter(s -> s.cpuShare() >= UNCONTENDED_SHARE).toList();
        for (int n : counts) {
            f.put("acl_uncontended_mpps_" + n, median(quiet, n, AclSample::mpps));
        }
        f.put("acl_uncontended_mpps_ratio_10_to_10000", median(quiet, 10, AclSample::mpps)
                / median(quiet, 10_000, AclSample::mpps));
        for (int n : counts) {
            f.put("acl_uncontended_runs_" + n, quiet.stream().filter(s -> s.rules() == n).count());
        }
        for (int n : counts) {
            f.put("acl_mpps_per_dut_cpu_s_" + n, median(samples, n, AclSample::mppsPerDutCpuSecond));
        }
        f.put("acl_mpps_per_dut_cpu_s_ratio_10_to_10000", median(samples, 10, AclSample::mppsPerDutCpuSecond)
                / median(samples, 10_000, AclSample::mppsPerDutCpuSecond));
        for (int n : counts) {
            f.put("acl_offered_mpps_" + n, median(samples, n, AclSample::offeredMpps));
        }
        for (int n : counts) {
            f.put("acl_pass_share_" + n, passShares.getOrDefault(n, Double.NaN));
        }
        for (int n : counts) {
            f.put("acl_dut_cpu_share_" + n, median(samples, n, AclSample::dutCpuShare));
        }
        for (int n : counts) {
            f.put("acl_compile_ms_" + n, median(samples, n, AclSample::compileMs));
        }
        Map<String, Object> runs = new LinkedHashMap<>();
        for (int n : counts) {
            Map<String, Object> byRun = new LinkedHashMap<>();
            samples.stream().filter(s -> s.rules() == n).forEach(s -> byRun.put("run" + (s.run() + 1), s.mpps()));
            runs.put(Integer.toString(n), byRun);
        }
        f.put("acl_runs_mpps", runs);
        double minShare = samples.stream().mapToDouble(AclSample::cpuShare).min().orElse(0);
        f.put("acl_min_cpu_share", minShare);
        f.put("acl_contended", minShare < UNCONTENDED_SHARE);
        f.put("acl_frames_verified", totals.framesVerified());
        f.put("acl_returned_frames_checked", totals.returnedChecked());
        f.put("acl_not_returned", totals.permitted() == 0 ? 0.0 : totals.notReturned() / (double) totals.permitted());
        Map<String, Object> load = new LinkedHashMap<>();
        load.put("quick", setup.quick());
        load.put("runs_per_rule_count", counts.isEmpty() ? 0 : samples.size() / counts.size());
        load.put("min_warmup_s", setup.warmupMs() / 1e3);
        load.put("measure_s", setup.measureMs() / 1e3);
        load.put("max_windows", setup.maxWindows()); // when contended, the window with the most CPU is kept
        load.put("frames", setup.frames());
        load.put("min_frame_bytes", setup.minFrameBytes());
        load.put("max_frame_bytes", setup.maxFrameBytes());
        load.put("traffic_cpu", setup.trafficCpu());
        load.put("dut_cpu", setup.dutCpu());
        f.put("acl_load", load);
        return f;
    }

    static String table(List<AclSample> samples, Map<Integer, Double> passShares, Setup setup) {
        StringBuilder t = new StringBuilder();
        String format = "%-22s %3s %8s %9s %8s %12s %10s %11s %10s %10s%n";
        t.append(String.format(format, "acl behind memif", "run", "Mpps", "offered", "passed", "Mpps/DUT CPU",
                "compile ms", "traffic CPU", "DUT CPU s", "CPU share"));
        for (AclSample s : samples) {
            t.append(String.format(format, s.rules() + " rules", s.run() + 1, f2(s.mpps()), f2(s.offeredMpps()),
                    String.format("%.1f%%", 100 * s.passShare()), f2(s.mppsPerDutCpuSecond()),
                    String.format("%.0f", s.compileMs()), f2(s.trafficCpuSeconds()), f2(s.dutCpuSeconds()),
                    String.format("%.0f%%", 100 * s.cpuShare())));
        }
        List<Integer> counts = samples.stream().map(AclSample::rules).distinct().sorted().toList();
        for (int n : counts) {
            t.append(String.format("%-22s %3s %8s %9s %8s %12s%n", n + " rules, median", "",
                    f2(median(samples, n, AclSample::mpps)), f2(median(samples, n, AclSample::offeredMpps)),
                    String.format("%.1f%%", 100 * passShares.getOrDefault(n, Double.NaN)),
                    f2(median(samples, n, AclSample::mppsPerDutCpuSecond))));
        }
        double ratio = median(samples, 10, AclSample::mpps) / median(samples, 10_000, AclSample::mpps);
        double minShare = samples.stream().mapToDouble(AclSample::cpuShare).min().orElse(0);
        List<AclSample> quiet = samples.stream().filter(s -> s.cpuShare() >= UNCONTENDED_SHARE).toList();
        if (minShare < UNCONTENDED_SHARE) {
            for (int n : counts) {
                t.append(String.format("%-22s %3s %8s%n", n + " rules, uncontended", "",
                        f2(median(quiet, n, AclSample::mpps))));
            }
        }
        t.append(String.format("10-rule Mpps / 10,000-rule Mpps: %.2f (target at most %.1f: %s)%s%n", ratio, RATIO_TARGET,
                ratio <= RATIO_TARGET ? "met" : "missed",
                minShare < UNCONTENDED_SHARE ? String.format("; CONTENDED: a process had %.0f%% of its core in some window,"
                        + " figures are low", 100 * minShare) : ""));
        t.append(String.format("(the acl NF runner, stateless, poll thread on core %d, fed over one memif queue by a traffic"
                + " process on core %d%n offering %d frames (%d-%d bytes) open loop; rules replaced over gRPC between"
                + " runs. Mpps: frames the acl decided%n (its permit and deny counters) per second over %.1f s; offered:"
                + " frames the ring took; passed: the share it let through,%n equal to what the bench's own engine"
                + " decides for every frame sent (checked; returned frames checked too); Mpps/DUT CPU: per%n"
                + " CPU-second of the runner; CPU share: the smaller of the two processes' CPU s over the window,"
                + " under %.0f%% the cores%n were shared with other processes.)%n", setup.dutCpu(),
                setup.trafficCpu(), setup.frames(), setup.minFrameBytes(), setup.maxFrameBytes(), setup.measureMs() / 1e3,
                100 * UNCONTENDED_SHARE));
        return t.toString();
    }

    /** The median of the samples at {@code rules} rules; NaN when there are none. */
    static double median(List<AclSample> samples, int rules, ToDoubleFunction<AclSample> value) {
        double[] v = samples.stream().filter(s -> s.rules() == rules).mapToDouble(value).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }

    private static String f2(double v) {
        return String.format("%.2f", v);
    }
}
