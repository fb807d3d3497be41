package io.nfchain.bench;

import io.nfchain.core.tools.JsonLine;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Version;

/**
 * {@code ./nfchain bench [NAME [--quick]]}: runs one registered {@link Suite} (with JMH, or as a
 * load run of processes) and prints a readable table, then, as the very last line of standard
 * output, one JSON object of figures. Without a name it lists the suites.
 */
public final class BenchMain {
    private static final int EXIT_FAILED = 1;
    private static final int EXIT_USAGE = 2;

    /** How long JMH measures; {@code --quick} is a smoke run whose figures are only indicative. */
    record Plan(boolean quick, int forks, int warmupIterations, TimeValue warmupTime,
                int measurementIterations, TimeValue measurementTime) {
        static Plan of(boolean quick) {
            return quick
                    ? new Plan(true, 1, 1, TimeValue.milliseconds(500), 2, TimeValue.milliseconds(500))
                    : new Plan(false, 1, 5, TimeValue.seconds(1), 5, TimeValue.seconds(1));
        }

        Map<String, Object> describe() {
            Map<String, Object> jmh = new LinkedHashMap<>();
            jmh.put("version", Version.getPlainVersion());
            jmh.put("quick", quick);
            jmh.put("forks", forks);
            jmh.put("warmup_iterations", warmupIterations);
            jmh.put("warmup_ms", warmupTime.convertTo(TimeUnit.MILLISECONDS));
            jmh.put("measurement_iterations", measurementIterations);
            jmh.put("measurement_ms", measurementTime.convertTo(TimeUnit.MILLISECONDS));
            jmh.put("profiler", "gc");
            return jmh;
        }
    }

    private BenchMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        String name = null;
        boolean quick = false;
        for (String arg : args) {
            switch (arg) {
                case "--quick" -> quick = true;
                case "-h", "--help" -> {
                    listSuites();
                    return 0;
                }
                default -> {
                    if (arg.startsWith("-") || name != null) {
                        System.err.println("bench: unexpected argument '" + arg + "'; usage: bench [NAME [--quick]]");
                        return EXIT_USAGE;
                    }
                    name = arg;
                }
            }
        }
        if (name == null) {
            listSuites();
            return 0;
        }
        Optional<Suite> suite = Suites.named(name);
        if (suite.isEmpty()) {
            System.err.println("bench: no suite named '" + name + "'");
            listSuites(System.err);
            return EXIT_USAGE;
        }
        return switch (suite.get()) {
            case JmhSuite jmh -> runSuite(jmh, Plan.of(quick));
            case LoadSuite load -> runLoad(load, quick);
        };
    }

    private static int runLoad(LoadSuite suite, boolean quick) {
        String prefix = "bench " + suite.name() + ": ";
        LoadSuite.Report report;
        try {
            report = suite.run(quick);
        } catch (Exception e) {
            System.err.println(prefix + "load run failed: " + e.getMessage());
            e.printStackTrace();
            return EXIT_FAILED;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("suite", suite.name());
        json.putAll(report.figures());
        json.put("machine", machine());

        System.out.println();
        System.out.println("Suite " + suite.name() + ": " + suite.description());
        System.out.print(report.table());
        System.out.println(JsonLine.object(json));
        System.out.flush();
        return 0;
    }

    private static int runSuite(JmhSuite suite, Plan plan) {
        String prefix = "bench " + suite.name() + ": ";
        if (!classExists(suite.benchmarkClass())) {
            System.err.println(prefix + "benchmark class " + suite.benchmarkClass()
                    + " is not in this build yet, so the suite has nothing to run");
            return EXIT_FAILED;
        }
        Collection<RunResult> runResults;
        try {
            runResults = new Runner(options(suite, plan)).run();
        } catch (NoBenchmarksException e) {
            System.err.println(prefix + "no @Benchmark methods match " + suite.includeRegex()
                    + " (was the JMH annotation processor run?)");
            return EXIT_FAILED;
        } catch (RunnerException e) {
            System.err.println(prefix + "JMH failed: " + e.getMessage());
            e.printStackTrace();
            return EXIT_FAILED;
        }
        SuiteResults results = new SuiteResults(runResults);
        Optional<LoadSuite.Report> load;
        try {
            load = suite.load(plan.quick());
        } catch (Exception e) {
            ResultTable.print(System.out, suite, results);
            System.err.println(prefix + "load run failed: " + e.getMessage());
            e.printStackTrace();
            return EXIT_FAILED;
        }
        Map<String, Object> figures;
        try {
            figures = load.isPresent() ? suite.figures(results, load.get().figures()) : suite.figures(results);
        } catch (RuntimeException e) {
            ResultTable.print(System.out, suite, results);
            System.err.println(prefix + "cannot derive figures: " + e.getMessage());
            return EXIT_FAILED;
        }

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("suite", suite.name());
        json.putAll(figures);
        json.put("jmh", plan.describe());
        json.put("machine", machine());

        ResultTable.print(System.out, suite, results);
        load.ifPresent(report -> {
            System.out.println();
            System.out.print(report.table());
        });
        System.out.println(JsonLine.object(json));
        System.out.flush();
        return 0;
    }

    private static Options options(JmhSuite suite, Plan plan) {
        return new OptionsBuilder()
                .include(suite.includeRegex())
                .forks(plan.forks())
                .warmupIterations(plan.warmupIterations())
                .warmupTime(plan.warmupTime())
                .measurementIterations(plan.measurementIterations())
                .measurementTime(plan.measurementTime())
                .addProfiler(GCProfiler.class)
                .jvmArgs("--enable-native-access=ALL-UNNAMED")
                .shouldFailOnError(true)
                .build();
    }

    private static boolean classExists(String className) {
        try {
            Class.forName(className, false, BenchMain.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static void listSuites() {
        listSuites(System.out);
    }

    private static void listSuites(PrintStream out) {
        out.println("Benchmark suites (./nfchain bench NAME [--quick]):");
        for (Suite suite : Suites.ALL) {
            out.printf("  %-10s %s%n", suite.name(), suite.description());
        }
    }

    private static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("cpu", cpuModel());
        machine.put("jdk", Runtime.version().toString());
        machine.put("vm", System.getProperty("java.vm.name"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("arch", System.getProperty("os.arch"));
        return machine;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
