package io.nfchain.bench.memif;

import io.nfchain.core.dpdk.ProcessCpu;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Not thread-safe: one thread drives it. A {@link MemifPeer} (or another bench main class that
 * speaks the same console: {@code stats}, {@code quit}) in its own JVM, started with this JVM's
 * {@code java} and class path, and spoken to over its stdin/stdout; {@link #close()} asks it to
 * quit and kills it if it does not.
 */
public final class PeerProcess implements AutoCloseable {
    private static final long QUIT_WAIT_MS = 10_000;
    private static final String END = new String("<end of output>");

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder errors = new StringBuilder();

    private PeerProcess(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon().name("peer-" + process.pid() + "-out").start(this::readOutput);
        Thread.ofPlatform().daemon().name("peer-" + process.pid() + "-err").start(this::readErrors);
    }

    /** Starts {@code MemifPeer MODE SOCKET FRAME_BYTES CPU} in a new JVM. */
    static PeerProcess start(String mode, Path socket, int frameBytes, int cpu) throws IOException {
        return start(MemifPeer.class, List.of(mode, socket.toString(), Integer.toString(frameBytes), Integer.toString(cpu)));
    }

    /** Starts {@code main} with {@code args} in a new JVM with a small serial heap. */
    public static PeerProcess start(Class<?> main, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                // one small serial heap: the loop allocates nothing, and fewer JVM threads compete for the 2 cores
                "-XX:+UseSerialGC", "-Xms64m", "-Xmx64m",
                "-cp", System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(args);
        return new PeerProcess(new ProcessBuilder(command).start());
    }

    public long pid() {
        return process.pid();
    }

    /** Whether the process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    public long cpuNanos() {
        return ProcessCpu.cpuNanos(process.pid());
    }

    /** Waits for a line equal to {@code expected}. */
    public void await(String expected, long timeoutMs) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            String line = next(deadline, expected);
            if (line.equals(expected)) {
                return;
            }
        }
    }

    /** Sends one console line (a command the peer understands, e.g. {@code start}). */
    public void command(String line) throws IOException {
        send(line);
    }

    /** {@code stats}: the numbers of the peer's {@code STATS} line (MemifPeer: packets, bytes, drops). */
    public long[] stats() throws IOException, InterruptedException {
        lines.clear();
        send("stats");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            String line = next(deadline, "STATS");
            if (line.startsWith("STATS ")) {
                return parseStats(line);
            }
        }
    }

    /** The numbers after {@code STATS}: at least one, each a non-negative long. */
    static long[] parseStats(String line) throws IOException {
        String[] f = line.strip().split(" +");
        if (f.length < 2 || !f[0].equals("STATS")) {
            throw new IOException("peer answered '" + line + "'");
        }
        long[] values = new long[f.length - 1];
        for (int i = 1; i < f.length; i++) {
            try {
                values[i - 1] = Long.parseLong(f[i]);
            } catch (NumberFormatException e) {
                throw new IOException("peer answered '" + line + "'", e);
            }
            if (values[i - 1] < 0) {
                throw new IOException("peer answered '" + line + "': negative count");
            }
        }
        return values;
    }

    @Override
    public void close() throws InterruptedException {
        try {
            send("quit");
        } catch (IOException e) {
            // its input is gone: it is exiting or dead; the wait below tells
        }
        if (!process.waitFor(QUIT_WAIT_MS, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(QUIT_WAIT_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void send(String command) throws IOException {
        stdin.write(command + "\n");
        stdin.flush();
    }

    private String next(long deadline, String what) throws IOException, InterruptedException {
        String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == END || line == null) {
            if (line == END) {
                lines.offer(END); // later waits fail at once too
            }
            throw new IOException((line == null ? "timed out" : "peer exited") + " waiting for " + what
                    + "; its errors: " + errors());
        }
        return line;
    }

    private String errors() {
        synchronized (errors) {
            return errors.toString().strip();
        }
    }

    private void readOutput() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.offer(line);
            }
        } catch (IOException e) {
            // ends like EOF
        }
        lines.offer(END);
    }

    private void readErrors() {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line = err.readLine(); line != null; line = err.readLine()) {
                synchronized (errors) {
                    if (errors.length() < 16_384) {
                        errors.append(line).append('\n');
                    }
                }
            }
        } catch (IOException e) {
            // nothing more to collect
        }
    }
}
