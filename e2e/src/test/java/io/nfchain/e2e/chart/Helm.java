package io.nfchain.e2e.chart;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nfchain.e2e.LocalNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Helm binary the chart tests run, and the chart. Thread-safe (immutable).
 *
 * <p>Found at {@code -Dnfchain.helm} (what {@code ./nfchain test} passes after running
 * {@code helm/fetch-helm.sh}), else {@code NFCHAIN_HELM}, else {@code helm} on the PATH. Without
 * one the tests are skipped, unless {@code -Dnfchain.require} lists {@code helm}: then they fail,
 * so CI cannot pass by skipping them.
 */
final class Helm {
    /** The outcome of one helm command. */
    record Result(int exitCode, String stdout, String stderr) {
        /** stdout, or a test failure with the command's stderr. */
        String orFail(List<String> command) {
            if (exitCode != 0) {
                fail(String.join(" ", command) + " exited with " + exitCode + ":\n" + stderr);
            }
            return stdout;
        }
    }

    private final Path binary;
    private final Path chart;

    private Helm(Path binary, Path chart) {
        this.binary = binary;
        this.chart = chart;
    }

    /** The Helm to test with, or a skipped (or, when required, failed) test. */
    static Helm require() {
        Path chart = LocalNode.repositoryRoot().resolve("helm/nfchain");
        Path binary = locate();
        boolean required = Arrays.asList(System.getProperty("nfchain.require", "").split(",")).contains("helm");
        if (binary == null && required) {
            fail("no helm binary (-Dnfchain.helm, NFCHAIN_HELM or PATH), but the launcher required it"
                    + " (-Dnfchain.require lists helm)");
        }
        assumeTrue(binary != null, "no helm binary: run helm/fetch-helm.sh and pass -Dnfchain.helm=PATH");
        return new Helm(binary, chart);
    }

    private static Path locate() {
        for (String configured : new String[] {System.getProperty("nfchain.helm"), System.getenv("NFCHAIN_HELM")}) {
            if (configured != null && !configured.isBlank()) {
                Path p = Path.of(configured);
                if (!Files.isExecutable(p)) {
                    fail("helm at " + p + " (-Dnfchain.helm or NFCHAIN_HELM) is not an executable file");
                }
                return p;
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "helm");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    Path chart() {
        return chart;
    }

    /** The chart's CI values file {@code ci/<name>-values.yaml}. */
    Path ciValues(String name) {
        return chart.resolve("ci").resolve(name + "-values.yaml");
    }

    /** {@code helm lint --strict} of the chart with one values file. */
    Result lint(Path values) throws IOException, InterruptedException {
        return run(List.of("lint", "--strict", chart.toString(), "-f", values.toString()));
    }

    /** {@code helm template} of the chart: the rendered YAML, or a test failure. */
    String template(Path values, String... extraArgs) throws IOException, InterruptedException {
        List<String> args = templateArgs(values, extraArgs);
        return run(args).orFail(args);
    }

    /** {@code helm template} that may fail: for values the schema must refuse. */
    Result tryTemplate(Path values) throws IOException, InterruptedException {
        return run(templateArgs(values));
    }

    private List<String> templateArgs(Path values, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("template", "nfchain", chart.toString(), "--namespace", "nfchain",
                "-f", values.toString()));
        args.addAll(List.of(extraArgs));
        return args;
    }

    private Result run(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(args);
        Path out = Files.createTempFile("nfchain-helm", ".out");
        Path err = Files.createTempFile("nfchain-helm", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            // Helm must not read or write the user's Helm configuration or repositories.
            Path home = Files.createTempDirectory("nfchain-helm-home");
            builder.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
            builder.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
            builder.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish in 120 s");
            }
            deleteTree(home);
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
