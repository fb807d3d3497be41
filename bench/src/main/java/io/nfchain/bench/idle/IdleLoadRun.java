package io.nfchain.bench.idle;

import io.nfchain.core.os.CpuAffinity;
import io.nfchain.core.tools.JsonLine;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench idle}: what each idle strategy costs and what latency it adds on one memif link,
 * at offered loads from idle to saturated. Three processes: an {@link IdleReceiver} (memif
 * server, the poll loop under test, pinned to one CPU), an {@link IdleSender} (memif client
 * pinned to another, pacing 64-byte timestamped frames), and an {@link IdleConductor} that
 * drives them: it first measures the link's maximum (busy polling, unpaced sender), then for
 * each round, each load and each strategy (order rotated per round, so that no strategy always
 * follows the same one) restarts the receiver's runner with the strategy, lets it settle, and
 * measures one window. This class, in the caller's process, starts the conductor, collects the
 * windows it reports and makes the table and figures of them.
 *
 * <p>Not thread-safe; one run at a time. Usage (after {@code ./mvnw -pl bench -am package}):
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/nfchain-bench-*.jar \
 *     io.nfchain.bench.idle.IdleLoadRun [--quick] [--strategy SPEC]... [--loads 0,1,10,50,100]
 *     [--rounds N] [--warmup-ms N] [--measure-ms N] [--unpinned] [--nice N]
 * </pre>
 * {@code SPEC} is a {@link StrategySpec}, such as {@code adaptive:maxSleepNs=30000}.
 */
public final class IdleLoadRun {
    static final List<Double> LOADS_PCT = List.of(0.0, 1.0, 10.0, 50.0, 100.0);
    private static final long START_TIMEOUT_MS = 60_000;
    private static final long COMMAND_TIMEOUT_MS = 30_000;
    private static final int EXIT_FAILED = 1;
    private static final int EXIT_USAGE = 2;

    /**
     * What to measure and for how long.
     *
     * @param senderCpu the sender thread's CPU, or -1 unpinned
     * @param receiverCpu the poll thread's CPU, or -1 unpinned
     * @param nice the nice value of the sender thread and the poll thread, -20..19 (0: as inherited)
     */
    record Plan(boolean quick, List<StrategySpec> strategies, List<Double> loadsPct, int rounds, long warmupMs,
            long measureMs, int senderCpu, int receiverCpu, int nice) {
        /** High priority for the two measured threads: see {@link SchedulingPriority}. */
        static final int DEFAULT_NICE = -20;

        Plan {
            strategies = List.copyOf(strategies);
            loadsPct = List.copyOf(loadsPct);
            if (strategies.isEmpty() || loadsPct.isEmpty() || rounds < 1 || warmupMs < 0 || measureMs < 100
                    || nice < -20 || nice > 19) {
                throw new IllegalArgumentException("a plan needs strategies, loads, rounds >= 1, warm-up >= 0"
                        + ", windows of at least 100 ms and nice -20..19");
            }
            for (double load : loadsPct) {
                if (!(load >= 0 && load <= 100)) {
                    throw new IllegalArgumentException("loads are 0..100 %: " + load);
                }
            }
        }

        /** Full: 3 rounds of 0.5 s settling + 2 s measured per cell (about 2.7 minutes); quick: 1 round of 0.3 + 1 s. */
        static Plan of(boolean quick) {
            List<StrategySpec> all = List.of(StrategySpec.parse("busy"), StrategySpec.parse("backoff"),
                    StrategySpec.parse("adaptive"), StrategySpec.parse("interrupt"));
            BitSet cpus = CpuAffinity.get();
            int first = cpus.nextSetBit(0);
            int second = cpus.nextSetBit(first + 1);
            return quick
                    ? new Plan(true, all, LOADS_PCT, 1, 300, 1_000, first, second < 0 ? first : second, DEFAULT_NICE)
                    : new Plan(false, all, LOADS_PCT, 3, 500, 2_000, first, second < 0 ? first : second, DEFAULT_NICE);
        }

        Plan with(List<StrategySpec> newStrategies, List<Double> newLoads, int newRounds, long newWarmupMs,
                long newMeasureMs, boolean pinned, int newNice) {
            return new Plan(quick, newStrategies, newLoads, newRounds, newWarmupMs, newMeasureMs,
                    pinned ? senderCpu : -1, pinned ? receiverCpu : -1, newNice);
        }

        /** Measured windows, calibration excluded. */
        int windows() {
            return rounds * strategies.size() * loadsPct.size();
        }

        double estimatedSeconds() {
            return (2 + windows()) * (warmupMs + measureMs) / 1e3 + 5;
        }

        /** The plan as one control line, for the conductor. */
        ControlLine toLine() {
            return ControlLine.of("PLAN").with("quick", quick)
                    .with("strategies", String.join(";", strategies.stream().map(StrategySpec::label).toList()))
                    .with("loads", String.join(",", loadsPct.stream().map(IdleReport::loadText).toList()))
                    .with("rounds", rounds).with("warmup_ms", warmupMs).with("measure_ms", measureMs)
                    .with("sender_cpu", senderCpu).with("receiver_cpu", receiverCpu).with("nice", nice);
        }

        /** @throws IllegalArgumentException for a line {@link #toLine} did not write */
        static Plan fromLine(ControlLine line) {
            List<StrategySpec> strategies = new ArrayList<>();
            for (String spec : line.text("strategies").split(";", -1)) {
                strategies.add(StrategySpec.parse(spec));
            }
            return new Plan(Boolean.parseBoolean(line.text("quick")), strategies, parseLoads(line.text("loads")),
                    (int) line.longValue("rounds"), line.longValue("warmup_ms"), line.longValue("measure_ms"),
                    (int) line.longValue("sender_cpu"), (int) line.longValue("receiver_cpu"),
                    (int) line.longValue("nice"));
        }
    }

    private IdleLoadRun() {}

    /** Runs the full or quick plan, prints the table on {@code table} and returns the figures. */
    public static Map<String, Object> run(boolean quick, PrintStream table) {
        return run(Plan.of(quick), table, System.err);
    }

    static Map<String, Object> run(Plan plan, PrintStream table, PrintStream progress) {
        String loadBefore = loadAverage();
        progress.printf(Locale.ROOT, "bench idle: %d strategies x %d loads x %d rounds, about %.0f s; load average %s%n",
                plan.strategies().size(), plan.loadsPct().size(), plan.rounds(), plan.estimatedSeconds(), loadBefore);
        long windowTimeoutMs = COMMAND_TIMEOUT_MS + plan.warmupMs() + plan.measureMs();
        try (PeerProcess conductor = PeerProcess.start("conductor", IdleConductor.class, plan.toLine().format())) {
            ControlLine groups = conductor.await("GROUPS", START_TIMEOUT_MS);
            progress.println("bench idle: conductor " + groups.text("conductor") + ", receiver " + groups.text("receiver")
                    + ", sender " + groups.text("sender"));
            ControlLine calibrated = conductor.await("CALIBRATED", 2 * windowTimeoutMs);
            double maxMpps = calibrated.doubleValue("max_mpps");
            progress.printf(Locale.ROOT, "bench idle: warm-up %.3f Mpps, maximum %.3f Mpps (busy poller, unpaced sender)%n",
                    calibrated.doubleValue("warmup_mpps"), maxMpps);
            Map<String, List<WindowResult>> byCell = new LinkedHashMap<>();
            for (StrategySpec s : plan.strategies()) {
                for (double load : plan.loadsPct()) {
                    byCell.put(s.label() + "@" + IdleReport.loadText(load), new ArrayList<>());
                }
            }
            long startNs = System.nanoTime();
            for (int i = 0; i < plan.windows(); i++) {
                ControlLine line = conductor.await("WINDOW", windowTimeoutMs);
                WindowResult w = IdleConductor.windowResult(line);
                List<WindowResult> cell = byCell.get(w.strategy() + "@" + IdleReport.loadText(w.loadPct()));
                if (cell == null) {
                    throw new IllegalStateException("the conductor measured a cell not in the plan: " + w.strategy());
                }
                cell.add(w);
                progress.printf(Locale.ROOT, "  %5.0f s  round %s %-10s %5s%%: cpu %6.2f%%  p99 %8.1f us  %.3f Mpps"
                        + "  wait %.1f%%%n", (System.nanoTime() - startNs) / 1e9, line.text("round"), w.strategy(),
                        IdleReport.loadText(w.loadPct()), w.cpuPct(), w.histogram().percentileNs(0.99) / 1e3,
                        w.deliveredMpps(), w.waitPct());
            }
            conductor.await("DONE", COMMAND_TIMEOUT_MS);
            List<CellSummary> cells = new ArrayList<>();
            byCell.values().forEach(windows -> cells.add(CellSummary.of(windows)));
            Map<String, Object> conditions = conditions(plan, loadBefore, cells);
            IdleReport.printTable(table, cells, maxMpps, conditions);
            return IdleReport.figures(cells, maxMpps, conditions);
        }
    }

    private static Map<String, Object> conditions(Plan plan, String loadBefore, List<CellSummary> cells) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("quick", plan.quick());
        c.put("rounds", plan.rounds());
        c.put("warmup_ms", plan.warmupMs());
        c.put("measure_ms", plan.measureMs());
        c.put("cpus", Runtime.getRuntime().availableProcessors());
        c.put("receiver_cpu", plan.receiverCpu());
        c.put("sender_cpu", plan.senderCpu());
        c.put("frame_bytes", BenchFrameLayout.FRAME_BYTES);
        c.put("ring_slots", 1024);
        c.put("burst", 32);
        c.put("timer_slack_ns", 1_000);
        c.put("nice", plan.nice());
        c.put("load_average_before", loadBefore);
        c.put("load_average_after", loadAverage());
        c.put("other_cores_mean", cells.stream().mapToDouble(CellSummary::otherCores).average().orElse(0));
        c.put("steal_pct_mean", cells.stream().mapToDouble(CellSummary::stealPct).average().orElse(0));
        return c;
    }

    public static void main(String[] args) {
        Plan plan;
        try {
            plan = parseArgs(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench idle: " + e.getMessage());
            System.err.println("usage: IdleLoadRun [--quick] [--strategy SPEC]... [--loads 0,1,10,50,100] [--rounds N]"
                    + " [--warmup-ms N] [--measure-ms N] [--unpinned] [--nice N]");
            System.exit(EXIT_USAGE);
            return;
        }
        try {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("suite", "idle");
            json.putAll(run(plan, System.out, System.err));
            System.out.println(JsonLine.object(json));
            System.out.flush();
        } catch (RuntimeException e) {
            System.err.println("bench idle: " + e.getMessage());
            System.exit(EXIT_FAILED);
        }
    }

    static Plan parseArgs(String[] args) {
        boolean quick = List.of(args).contains("--quick");
        Plan defaults = Plan.of(quick);
        List<StrategySpec> strategies = new ArrayList<>();
        List<Double> loads = defaults.loadsPct();
        int rounds = defaults.rounds();
        long warmupMs = defaults.warmupMs();
        long measureMs = defaults.measureMs();
        boolean pinned = true;
        int nice = defaults.nice();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> { }
                case "--unpinned" -> pinned = false;
                case "--strategy" -> strategies.add(StrategySpec.parse(value(args, ++i)));
                case "--loads" -> loads = parseLoads(value(args, ++i));
                case "--rounds" -> rounds = (int) number(value(args, ++i), "--rounds");
                case "--warmup-ms" -> warmupMs = number(value(args, ++i), "--warmup-ms");
                case "--measure-ms" -> measureMs = number(value(args, ++i), "--measure-ms");
                case "--nice" -> nice = (int) number(value(args, ++i), "--nice");
                default -> throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
            }
        }
        return defaults.with(strategies.isEmpty() ? defaults.strategies() : strategies, loads, rounds, warmupMs,
                measureMs, pinned, nice);
    }

    static List<Double> parseLoads(String text) {
        List<Double> loads = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            try {
                loads.add(Double.parseDouble(part.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--loads takes numbers (% of the maximum), not '" + part + "'");
            }
        }
        return loads;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static long number(String text, String option) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes an integer, not '" + text + "'");
        }
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

}
