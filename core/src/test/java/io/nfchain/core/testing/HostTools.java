package io.nfchain.core.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Gate for tests that need something from the host: a program such as {@code tshark}, or root
 * for network namespaces.
 *
 * <p>A missing tool skips the test, unless the launcher said it made the tool available
 * ({@code -Dnfchain.require=tshark,root}); then a missing tool fails the test, so CI can never
 * pass by skipping what it was meant to run.
 */
public final class HostTools {
    private static final Set<String> REQUIRED = Arrays.stream(System.getProperty("nfchain.require", "").split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet());

    private HostTools() {}

    /** Skips (or, when required, fails) the calling test unless {@code program} is on the PATH. */
    public static Path requireProgram(String program) {
        Path found = which(program);
        gate(program, found != null, program + " is not on the PATH");
        return found;
    }

    /** Skips (or, when required, fails) the calling test unless it runs as root. */
    public static void requireRoot() {
        gate("root", isRoot(), "the test needs root (network namespaces, raw sockets)");
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The first executable named {@code program} on the PATH, or null. */
    public static Path which(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static void gate(String tool, boolean available, String why) {
        if (available) {
            return;
        }
        if (REQUIRED.contains(tool)) {
            fail(why + ", but the launcher required it (-Dnfchain.require=" + String.join(",", REQUIRED) + ")");
        }
        assumeTrue(false, "skipped: " + why);
    }

    /**
     * Runs a host program to completion (120 s at most) with {@code environment} added to ours:
     * its stdout lines, or a test failure naming the command, its exit code and its stderr.
     */
    public static List<String> run(List<String> command, Map<String, String> environment)
            throws IOException, InterruptedException {
        Path stderr = Files.createTempFile("nfchain-host-tool", ".stderr");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] stdout = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish in 120 s");
            }
            if (process.exitValue() != 0) {
                fail(String.join(" ", command) + " exited with " + process.exitValue() + ": " + Files.readString(stderr));
            }
            return new String(stdout, StandardCharsets.UTF_8).lines().toList();
        } finally {
            Files.deleteIfExists(stderr);
        }
    }
}
