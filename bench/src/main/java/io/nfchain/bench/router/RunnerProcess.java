package io.nfchain.bench.router;

import io.nfchain.core.dpdk.ProcessCpu;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Not thread-safe: one thread drives it. The NF runner ({@code quarkus-run.jar}) hosting the
 * router, one-armed: link 0 is a memif client of the traffic process's socket, interface 0 is
 * {@link FlowSet#ROUTER_MAC} / 192.0.2.1, the idle strategy {@code busy}, the poll thread pinned.
 * Its gRPC API listens on a free port. {@link #close()} sends SIGTERM (Quarkus shuts down, the
 * link disconnects) and kills the process if it has not ended in time.
 */
public final class RunnerProcess implements AutoCloseable {
    /** Overrides where the runner jar is: {@code -Dnfchain.runner.jar=PATH}. */
    static final String JAR_PROPERTY = "nfchain.runner.jar";
    static final String JAR_IN_REPO = "functions/target/quarkus-app/quarkus-run.jar";
    private static final long TERM_WAIT_MS = 20_000;
    private static final int LOG_LIMIT_CHARS = 32_768;

    private final Process process;
    private final int port;
    private final StringBuilder log = new StringBuilder();
    private final Thread killOnExit;

    private RunnerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
        // a busy-polling runner left behind would take a core from everything after this JVM
        this.killOnExit = Thread.ofPlatform().unstarted(process::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(killOnExit);
        Thread.ofPlatform().daemon().name("runner-" + process.pid() + "-log").start(this::readLog);
    }

    /** The runner hosting a router on {@code socket}, its poll thread on {@code cpu}. */
    static RunnerProcess start(Path jar, Path socket, int cpu) throws IOException {
        int port = freePort();
        return start(jar, properties(socket, cpu, port), port);
    }

    /**
     * A runner configured by {@code properties} (system properties: {@code nfchain.function.type},
     * its links, ...) whose HTTP and gRPC API listens on {@code port} (the properties must say so).
     */
    public static RunnerProcess start(Path jar, Map<String, String> properties, int port) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Xms1g", "-Xmx2g"));
        for (Map.Entry<String, String> p : properties.entrySet()) {
            command.add("-D" + p.getKey() + "=" + p.getValue());
        }
        command.add("-jar");
        command.add(jar.toString());
        return adopt(new ProcessBuilder(command).redirectErrorStream(true).start(), port);
    }

    /** Takes charge of a started process: its log is collected, and closing (or this JVM's exit) ends it. */
    static RunnerProcess adopt(Process process, int port) {
        return new RunnerProcess(process, port);
    }

    /** The runner's configuration for this bench, as system properties. */
    static Map<String, String> properties(Path socket, int cpu, int port) {
        return Map.ofEntries(
                Map.entry("nfchain.function.type", "router"),
                Map.entry("nfchain.function.instance", "bench-router"),
                Map.entry("nfchain.function.links[0].socket", socket.toString()),
                Map.entry("nfchain.function.idle-strategy", "busy"),
                Map.entry("nfchain.function.cpu", Integer.toString(cpu)),
                Map.entry("nfchain.function.burst-size", Integer.toString(DutRun.DUT_BURST)),
                Map.entry("nfchain.router.interfaces[0].mac", "02:00:00:00:01:00"),
                Map.entry("nfchain.router.interfaces[0].ipv4", "192.0.2.1"),
                Map.entry("quarkus.http.port", Integer.toString(port)),
                Map.entry("quarkus.http.host", "127.0.0.1"),
                // route batches of RouteLoader.BATCH_ROUTES are a few MB each
                Map.entry("quarkus.grpc.server.max-inbound-message-size", Integer.toString(64 << 20)));
    }

    /**
     * The runner jar: {@code -Dnfchain.runner.jar}, else {@link #JAR_IN_REPO} in the repository
     * this bench's classes or jar were built in ({@code bench/target/...}).
     */
    public static Path findJar() {
        String override = System.getProperty(JAR_PROPERTY);
        Path jar;
        if (override != null) {
            jar = Path.of(override);
        } else {
            jar = repositoryRoot().resolve(JAR_IN_REPO);
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no NF runner at " + jar + ": build it with ./mvnw package -DskipTests"
                    + " (./nfchain bench does), or name it with -D" + JAR_PROPERTY + "=PATH");
        }
        return jar;
    }

    /** Three levels above bench/target/classes or bench/target/nfchain-bench.jar. */
    static Path repositoryRoot() {
        try {
            Path here = Path.of(RunnerProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return rootAbove(here);
        } catch (URISyntaxException | SecurityException e) {
            throw new IllegalStateException("cannot tell where the bench classes are: " + e.getMessage(), e);
        }
    }

    static Path rootAbove(Path benchClassesOrJar) {
        Path target = benchClassesOrJar.toAbsolutePath().normalize().getParent();
        if (target == null || !target.getFileName().toString().equals("target") || target.getParent() == null
                || target.getParent().getParent() == null) {
            throw new IllegalStateException(benchClassesOrJar + " is not inside bench/target of a repository");
        }
        return target.getParent().getParent();
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long cpuNanos() {
        return ProcessCpu.cpuNanos(process.pid());
    }

    /**
     * Repeats {@code probe}, a gRPC call to the runner, every 200 ms until it returns: the runner
     * starts in seconds, more on a loaded machine. Fails with the runner's log once it has exited
     * or {@code timeoutMs} has passed; a probe that throws anything but a
     * {@link io.grpc.StatusRuntimeException} fails at once.
     */
    public void awaitApi(long timeoutMs, Runnable probe) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            try {
                probe.run();
                return;
            } catch (io.grpc.StatusRuntimeException e) {
                if (!isAlive()) {
                    throw new IllegalStateException("the NF runner exited before its gRPC API answered; its log:\n" + log());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the NF runner's gRPC API did not answer within " + timeoutMs
                            + " ms (" + e.getStatus() + "); its log:\n" + log());
                }
                Thread.sleep(200);
            }
        }
    }

    /** The last of what it printed (Quarkus logs to the console), for error messages. */
    public String log() {
        synchronized (log) {
            return log.toString();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(TERM_WAIT_MS, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(TERM_WAIT_MS, TimeUnit.MILLISECONDS);
        }
        if (!process.isAlive()) {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook runs and finds the process gone
            }
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void readLog() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                synchronized (log) {
                    log.append(line).append('\n');
                    if (log.length() > LOG_LIMIT_CHARS) {
                        log.delete(0, log.length() - LOG_LIMIT_CHARS / 2);
                    }
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }
}
