package io.nfchain.bench.idle;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Immutable. A cell's windows (one per round) taken together: CPU over the summed windows, and
 * latency percentiles of every frame of every window (histograms merged), with the spread of
 * the per-window figures beside them.
 */
public record CellSummary(String strategy, double loadPct, List<WindowResult> windows, LatencyHistogram latency) {

    public CellSummary {
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("a cell needs at least one window");
        }
        windows = List.copyOf(windows);
    }

    static CellSummary of(List<WindowResult> windows) {
        LatencyHistogram merged = new LatencyHistogram();
        for (WindowResult w : windows) {
            merged.add(w.histogram());
        }
        WindowResult first = windows.getFirst();
        return new CellSummary(first.strategy(), first.loadPct(), windows, merged);
    }

    private long sum(java.util.function.ToLongFunction<WindowResult> field) {
        return windows.stream().mapToLong(field).sum();
    }

    private double min(java.util.function.ToDoubleFunction<WindowResult> field) {
        return windows.stream().mapToDouble(field).min().orElse(Double.NaN);
    }

    private double max(java.util.function.ToDoubleFunction<WindowResult> field) {
        return windows.stream().mapToDouble(field).max().orElse(Double.NaN);
    }

    public double wallSeconds() {
        return sum(WindowResult::wallNs) / 1e9;
    }

    /** The poll thread's CPU, % of one core, over all windows. */
    public double cpuPct() {
        return 100.0 * sum(WindowResult::cpuNs) / sum(WindowResult::wallNs);
    }

    public double cpuPctMin() {
        return min(WindowResult::cpuPct);
    }

    public double cpuPctMax() {
        return max(WindowResult::cpuPct);
    }

    /** Time the poll thread waited for its CPU while runnable, % of the windows. */
    public double waitPct() {
        return 100.0 * sum(WindowResult::waitNs) / sum(WindowResult::wallNs);
    }

    public double p50Us() {
        return latency.percentileNs(0.50) / 1e3;
    }

    public double p99Us() {
        return latency.percentileNs(0.99) / 1e3;
    }

    public double p999Us() {
        return latency.percentileNs(0.999) / 1e3;
    }

    public double maxUs() {
        return latency.maxNs() / 1e3;
    }

    public double p99UsMin() {
        return min(w -> w.histogram().percentileNs(0.99) / 1e3);
    }

    public double p99UsMax() {
        return max(w -> w.histogram().percentileNs(0.99) / 1e3);
    }

    public long frames() {
        return sum(WindowResult::frames);
    }

    public double deliveredMpps() {
        return frames() / wallSeconds() / 1e6;
    }

    public double offeredMpps() {
        long senderWallNs = sum(WindowResult::senderWallNs);
        return senderWallNs == 0 ? 0 : sum(WindowResult::senderOffered) * 1e3 / senderWallNs;
    }

    /** Frames the sender dropped (ring full) over the windows with their warm-ups. */
    public long senderDropped() {
        return sum(WindowResult::senderDropped);
    }

    /** Frames missing from the sequence inside the windows: the window's own losses. */
    public long lost() {
        return sum(WindowResult::gaps);
    }

    public double sleepsPerSecond() {
        return sum(WindowResult::sleeps) / wallSeconds();
    }

    public double emptyPollsPerSecond() {
        return sum(WindowResult::emptyPolls) / wallSeconds();
    }

    public double switchesPerSecond() {
        return sum(WindowResult::switches) / wallSeconds();
    }

    public double kicksPerSecond() {
        return sum(WindowResult::kicks) / wallSeconds();
    }

    /** Frames per cycle that found frames: VPP's vectors/call. */
    public double meanBurst() {
        long busyLoops = sum(WindowResult::busyLoops);
        return busyLoops == 0 ? 0 : (double) frames() / busyLoops;
    }

    /** Time in doWork calls that found frames, per frame. */
    public double nsPerPacket() {
        long frames = frames();
        return frames == 0 ? 0 : (double) sum(WindowResult::busyNs) / frames;
    }

    /** Time in doWork calls that found frames, % of the windows: the runner's busy ratio. */
    public double busyPct() {
        return 100.0 * sum(WindowResult::busyNs) / sum(WindowResult::wallNs);
    }

    /** The poll thread's system (kernel) time, % of its CPU time (10 ms ticks: coarse at low CPU). */
    public double systemSharePct() {
        long cpuNs = sum(WindowResult::cpuNs);
        return cpuNs == 0 ? 0 : 100.0 * sum(WindowResult::systemTicks) * 1e9 / WindowResult.TICKS_PER_SECOND / cpuNs;
    }

    public double otherCores() {
        return windows.stream().mapToDouble(WindowResult::otherCores).average().orElse(0);
    }

    public double stealPct() {
        return windows.stream().mapToDouble(WindowResult::stealPct).average().orElse(0);
    }

    public double senderCpuPct() {
        return windows.stream().mapToDouble(WindowResult::senderCpuPct).average().orElse(0);
    }

    /** Everything above, for the JSON line. */
    public Map<String, Object> figures() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("cpu_pct", cpuPct());
        f.put("cpu_pct_min", cpuPctMin());
        f.put("cpu_pct_max", cpuPctMax());
        f.put("p50_us", p50Us());
        f.put("p99_us", p99Us());
        f.put("p999_us", p999Us());
        f.put("max_us", maxUs());
        f.put("p99_us_min", p99UsMin());
        f.put("p99_us_max", p99UsMax());
        f.put("frames", frames());
        f.put("offered_mpps", offeredMpps());
        f.put("delivered_mpps", deliveredMpps());
        f.put("lost", lost());
        f.put("sender_dropped", senderDropped());
        f.put("negative_latencies", latency.negatives());
        f.put("busy_pct", busyPct());
        f.put("mean_burst", meanBurst());
        f.put("ns_per_packet", nsPerPacket());
        f.put("sleeps_per_s", sleepsPerSecond());
        f.put("empty_polls_per_s", emptyPollsPerSecond());
        f.put("switches_per_s", switchesPerSecond());
        f.put("kicks_per_s", kicksPerSecond());
        f.put("system_share_pct", systemSharePct());
        f.put("wait_pct", waitPct());
        f.put("sender_cpu_pct", senderCpuPct());
        f.put("other_cores", otherCores());
        f.put("steal_pct", stealPct());
        f.put("windows", windows.size());
        f.put("seconds", wallSeconds());
        return f;
    }
}
