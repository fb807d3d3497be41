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
 * Not thread-safe: one thread drives it. A {@link MemifPeer} in its own JVM, started with this
 * JVM's {@code java} and class path, and spoken to over its stdin/stdout; {@link #close()} asks
 * it to quit and kills it if it does not.
 */
final class PeerProcess implements AutoCloseable {
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
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                // one small serial heap: the loop allocates nothing, and fewer JVM threads compete for the 2 cores
                "-XX:+UseSerialGC", "-Xms64m", "-Xmx64m",
                "-cp", System.getProperty("java.class.path"),
                MemifPeer.class.getName(), mode, socket.toString(), Integer.toString(frameBytes), Integer.toString(cpu)));
        return new PeerProcess(new ProcessBuilder(command).start());
    }

    long pid() {
        return process.pid();
    }

    long cpuNanos() {
        return ProcessCpu.cpuNanos(process.pid());
    }

    /** Waits for a line equal to {@code expected}. */
    void await(String expected, long timeoutMs) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            String line = next(deadline, expected);
            if (line.equals(expected)) {
                return;
            }
        }
    }

    /** {@code stats}: the peer's packets and bytes so far. */
    long[] stats() throws IOException, InterruptedException {
        lines.clear();
        send("stats");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            String line = next(deadline, "STATS");
            if (line.startsWith("STATS ")) {
                String[] f = line.split(" ");
                if (f.length != 4) {
                    throw new IOException("peer answered '" + line + "'");
                }
                try {
                    return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])};
                } catch (NumberFormatException e) {
                    throw new IOException("peer answered '" + line + "'", e);
                }
            }
        }
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
