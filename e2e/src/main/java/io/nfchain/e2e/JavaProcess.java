package io.nfchain.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Thread-safe (the process handle is). A Java program of this repository run as a child process
 * on the same JDK as this one, its output in a log file, stopped by SIGTERM (then SIGKILL) or
 * killed outright for fault tests. A process is never left behind: {@link #close()} kills what
 * is still running and waits for it.
 */
public final class JavaProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private JavaProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code java [jvmOptions] -Dkey=value... -jar jar}.
     *
     * @param properties system properties: Quarkus and nfchain configuration
     */
    public static JavaProcess start(String name, Path jar, List<String> jvmOptions, Map<String, String> properties,
            Path log) throws IOException {
        return start(name, jar, jvmOptions, properties, Map.of(), log);
    }

    /**
     * As {@link #start(String, Path, List, Map, Path)}, with {@code environment} added to this
     * process's: how a pod's {@code env} reaches its container.
     */
    public static JavaProcess start(String name, Path jar, List<String> jvmOptions, Map<String, String> properties,
            Map<String, String> environment, Path log) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + " does not exist: build first (./mvnw package -DskipTests)");
        }
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(jvmOptions);
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar.toString());
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        return new JavaProcess(name, process, log);
    }

    /** The JDK running this program: children run on the same one. */
    static String javaBinary() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString());
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** The last {@code lines} lines of its output, for error messages. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGKILL, and waits until it is gone: a crash, for fault tests. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM (a clean Quarkus shutdown), then SIGKILL if it is still there after {@code grace}. */
    public void stop(Duration grace) throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
        }
    }

    /** User plus system CPU seconds used so far, from /proc/PID/stat; 0 once it has exited. */
    public double cpuSeconds() {
        return ProcCpu.seconds(process.pid());
    }

    @Override
    public void close() throws InterruptedException {
        stop(Duration.ofSeconds(5));
    }
}
