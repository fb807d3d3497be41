package io.nfchain.core.dpdk;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Not thread-safe for callers (one thread sends and awaits); a daemon thread of its own reads
 * testpmd's output. The interactive console of one {@code dpdk-testpmd -i} process: commands
 * go to its stdin, and every output line (stderr merged) goes to a bounded queue the caller
 * awaits answers on, and to a short history for error messages.
 *
 * <p>The reader never stops reading, so testpmd can never block on a full pipe: when the
 * caller does not keep up, the oldest queued lines are dropped. Each command first discards
 * what is queued, so an answer is never taken from output that came before the command.
 */
final class TestPmdConsole {
    private static final int MAX_QUEUED_LINES = 8192;
    private static final int HISTORY_LINES = 40;
    private static final long POLL_MS = 50;
    /** Queued after the last line: compared by identity, never equal to a real line. */
    private static final String END_OF_OUTPUT = new String("<end of testpmd output>");

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> queued = new LinkedBlockingQueue<>(MAX_QUEUED_LINES);
    private final ArrayDeque<String> history = new ArrayDeque<>(HISTORY_LINES);
    private final Thread reader;
    private volatile boolean ended;
    private volatile String portStartFailure;
    private volatile boolean ready;

    TestPmdConsole(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.reader = Thread.ofPlatform().daemon().name("testpmd-" + process.pid() + "-output").start(this::read);
    }

    /** Discards what is queued and sends {@code command} (one line). */
    void send(String command) {
        queued.clear();
        try {
            stdin.write(command + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new TestPmdException("cannot send '" + command + "': testpmd's input is closed" + exitNote()
                    + recentOutput(), e);
        }
    }

    /** Closes testpmd's stdin: in interactive mode that makes it quit, as a last resort. */
    void closeInput() {
        try {
            stdin.close();
        } catch (IOException e) {
            // already closed, or the process is gone: either way there is no more input
        }
    }

    /** The first line that {@code wanted} accepts, waiting until {@code deadlineNs} (System.nanoTime). */
    String awaitLine(Predicate<String> wanted, long deadlineNs, String what) {
        while (true) {
            String line = next(deadlineNs, what);
            if (wanted.test(line)) {
                return line;
            }
        }
    }

    /**
     * The lines from the first that {@code header} accepts up to and including the first
     * after it that {@code end} accepts, waiting until {@code deadlineNs}.
     */
    List<String> awaitBlock(Predicate<String> header, Predicate<String> end, long deadlineNs, String what) {
        List<String> block = new ArrayList<>();
        block.add(awaitLine(header, deadlineNs, what));
        block.addAll(awaitThrough(end, deadlineNs, what));
        return block;
    }

    /** The lines up to and including the first that {@code end} accepts, waiting until {@code deadlineNs}. */
    List<String> awaitThrough(Predicate<String> end, long deadlineNs, String what) {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = next(deadlineNs, what);
            lines.add(line);
            if (end.test(line)) {
                return lines;
            }
        }
    }

    /**
     * The lines in which testpmd said it could not start a port ({@code Fail to start port N})
     * and the two before, which hold the driver's reason, or null. testpmd keeps running after that (a memif client whose server is not there
     * fails so, and never retries), so the caller must look for it rather than for an exit.
     */
    String portStartFailure() {
        return portStartFailure;
    }

    /**
     * Whether testpmd finished starting up and reads its console: it printed the {@code Done}
     * that ends port start-up, or a prompt. Commands sent before are only queued in the pipe.
     */
    boolean ready() {
        return ready;
    }

    /** Whether testpmd's output has ended (it exited or closed stdout). */
    boolean ended() {
        return ended;
    }

    /** Waits up to {@code timeoutMs} for the reader to see the end of output. */
    void awaitEnd(long timeoutMs) throws InterruptedException {
        reader.join(timeoutMs);
    }

    /** testpmd's last output lines, as a suffix for error messages. */
    String recentOutput() {
        synchronized (history) {
            return history.isEmpty() ? "" : "; testpmd's last output:\n  " + String.join("\n  ", history);
        }
    }

    private String next(long deadlineNs, String what) {
        while (true) {
            long leftNs = deadlineNs - System.nanoTime();
            if (leftNs <= 0) {
                throw new TestPmdException("timed out waiting for " + what + exitNote() + recentOutput());
            }
            String line;
            try {
                line = queued.poll(Math.min(leftNs, TimeUnit.MILLISECONDS.toNanos(POLL_MS)), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TestPmdException("interrupted waiting for " + what, e);
            }
            if (line == END_OF_OUTPUT || (line == null && ended && queued.isEmpty())) {
                queued.offer(END_OF_OUTPUT); // later waits fail at once too
                throw new TestPmdException("testpmd's output ended while waiting for " + what + exitNote()
                        + recentOutput());
            }
            if (line != null) {
                return line;
            }
        }
    }

    private String exitNote() {
        try {
            if (process.waitFor(200, TimeUnit.MILLISECONDS)) {
                return " (testpmd exited with code " + process.exitValue() + ")";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "";
    }

    private void read() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                remember(line);
                if (!ready && (line.strip().equals("Done") || line.startsWith(TestPmdOutput.PROMPT))) {
                    ready = true;
                }
                if (portStartFailure == null && line.contains("Fail to start port")) {
                    portStartFailure = lastLines(3); // the driver says why just before
                }
                enqueue(line);
            }
        } catch (IOException e) {
            remember("(reading testpmd's output failed: " + e.getMessage() + ")");
        } finally {
            ended = true;
            enqueue(END_OF_OUTPUT);
        }
    }

    private void enqueue(String line) {
        while (!queued.offer(line)) {
            queued.poll(); // the caller is not listening: keep the newest
        }
    }

    private String lastLines(int n) {
        synchronized (history) {
            List<String> all = new ArrayList<>(history);
            return String.join(" / ", all.subList(Math.max(0, all.size() - n), all.size())).strip();
        }
    }

    private void remember(String line) {
        synchronized (history) {
            if (history.size() == HISTORY_LINES) {
                history.removeFirst();
            }
            history.addLast(line);
        }
    }
}
