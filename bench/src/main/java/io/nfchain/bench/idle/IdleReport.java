package io.nfchain.bench.idle;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Stateless. The idle bench's two outputs: the table for people and the figures for the JSON line. */
final class IdleReport {
    static final double TARGET_CPU_PCT_AT_0 = 2;
    static final double TARGET_CPU_PCT_AT_10 = 20;
    static final double TARGET_P99_OVER_BUSY_US = 20;
    static final String ADAPTIVE = "adaptive";
    static final String BUSY = "busy";

    private IdleReport() {}

    /**
     * The figures: for each plain strategy name and load {@code {prefix}cpu_pct_at_{load}} and
     * {@code {prefix}p99_us_at_{load}} (prefix empty for adaptive, {@code name_} for the others),
     * the targets and whether they are met, then every cell's figures under {@code cells}.
     */
    static Map<String, Object> figures(List<CellSummary> cells, double maxMpps, Map<String, Object> conditions) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("max_mpps", maxMpps);
        f.put("load_definition", "100% = unpaced sending (bursts of 32 as fast as the ring takes them); "
                + "other loads paced at that % of max_mpps, measured with busy polling at the start of the run");
        for (CellSummary c : cells) {
            if (c.strategy().indexOf(':') < 0) {
                String prefix = c.strategy().equals(ADAPTIVE) ? "" : c.strategy() + "_";
                f.put(prefix + "cpu_pct_at_" + loadText(c.loadPct()), c.cpuPct());
                f.put(prefix + "p99_us_at_" + loadText(c.loadPct()), c.p99Us());
            }
        }
        Map<String, Object> targets = targets(cells);
        f.putAll(targets);
        f.put("conditions", conditions);
        Map<String, Object> byCell = new LinkedHashMap<>();
        for (CellSummary c : cells) {
            @SuppressWarnings("unchecked")
            Map<String, Object> byLoad = (Map<String, Object>) byCell.computeIfAbsent(c.strategy(), k -> new LinkedHashMap<>());
            byLoad.put(loadText(c.loadPct()), c.figures());
        }
        f.put("cells", byCell);
        return f;
    }

    /** The targets for adaptive: idle CPU, CPU at 10% load, and p99 at 10% against busy polling. */
    static Map<String, Object> targets(List<CellSummary> cells) {
        Optional<CellSummary> idle = cell(cells, ADAPTIVE, 0);
        Optional<CellSummary> adaptive10 = cell(cells, ADAPTIVE, 10);
        Optional<CellSummary> busy10 = cell(cells, BUSY, 10);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("busy_p99_us_at_10", busy10.map(CellSummary::p99Us).orElse(null));
        Double over = adaptive10.isPresent() && busy10.isPresent()
                ? adaptive10.get().p99Us() - busy10.get().p99Us() : null;
        t.put("p99_over_busy_us_at_10", over);
        t.put("target_cpu_pct_at_0", TARGET_CPU_PCT_AT_0);
        t.put("target_cpu_pct_at_10", TARGET_CPU_PCT_AT_10);
        t.put("target_p99_over_busy_us", TARGET_P99_OVER_BUSY_US);
        Boolean idleMet = idle.map(c -> c.cpuPct() <= TARGET_CPU_PCT_AT_0).orElse(null);
        Boolean loadMet = adaptive10.map(c -> c.cpuPct() <= TARGET_CPU_PCT_AT_10).orElse(null);
        Boolean latencyMet = over == null ? null : over <= TARGET_P99_OVER_BUSY_US;
        t.put("meets_cpu_at_0", idleMet);
        t.put("meets_cpu_at_10", loadMet);
        t.put("meets_p99_at_10", latencyMet);
        t.put("meets_targets", Boolean.TRUE.equals(idleMet) && Boolean.TRUE.equals(loadMet)
                && Boolean.TRUE.equals(latencyMet));
        return t;
    }

    /** A load as figure names carry it: {@code 10} for 10%, {@code 0.005} for 0.005%. */
    static String loadText(double loadPct) {
        return loadPct == Math.rint(loadPct) ? Long.toString((long) loadPct)
                : java.math.BigDecimal.valueOf(loadPct).stripTrailingZeros().toPlainString();
    }

    static Optional<CellSummary> cell(List<CellSummary> cells, String strategy, double loadPct) {
        return cells.stream().filter(c -> c.strategy().equals(strategy) && c.loadPct() == loadPct).findFirst();
    }

    static void printTable(PrintStream out, List<CellSummary> cells, double maxMpps, Map<String, Object> conditions) {
        int width = Math.max(8, cells.stream().mapToInt(c -> c.strategy().length()).max().orElse(8));
        String head = "%-" + width + "s %5s %8s %8s %7s %13s %6s %8s %8s %15s %9s %9s %9s %6s %7s %8s %6s%n";
        out.println();
        out.printf(Locale.ROOT, "Suite idle: one memif link, 64-byte frames; max %.3f Mpps (busy poller, unpaced sender)%n",
                maxMpps);
        out.printf(Locale.ROOT, head, "strategy", "load%", "off_Mpps", "rx_Mpps", "cpu%", "(min-max)", "wait%",
                "p50_us", "p99_us", "(min-max)", "p99.9_us", "max_us", "sleeps/s", "burst", "ns/pkt", "lost", "other");
        String row = "%-" + width + "s %5s %8.3f %8.3f %7.2f %13s %6.2f %8.1f %8.1f %15s %9.1f %9.1f %9.0f %6.1f %7.1f %8d"
                + " %6.2f%n";
        for (CellSummary c : cells) {
            out.printf(Locale.ROOT, row, c.strategy(), loadText(c.loadPct()), c.offeredMpps(), c.deliveredMpps(), c.cpuPct(),
                    String.format(Locale.ROOT, "(%.1f-%.1f)", c.cpuPctMin(), c.cpuPctMax()), c.waitPct(), c.p50Us(),
                    c.p99Us(), String.format(Locale.ROOT, "(%.0f-%.0f)", c.p99UsMin(), c.p99UsMax()), c.p999Us(), c.maxUs(), c.sleepsPerSecond(), c.meanBurst(), c.nsPerPacket(), c.lost(),
                    c.otherCores());
        }
        out.println("cpu%: the receiver's poll thread, % of one core (min-max: over rounds); wait%: time it was"
                + " runnable but another task had its CPU;");
        out.println("latency: one-way, sender's clock read before publishing to receiver's after the burst, all rounds"
                + " merged; lost: frames missing");
        out.println("from the sequence (the sender dropped them: the ring was full); other: CPU cores the rest of the"
                + " machine used meanwhile. Conditions: " + conditions);
    }
}
