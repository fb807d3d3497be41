package io.nfchain.bench.idle;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Not thread-safe: one driver thread. One peer of the idle bench in its own JVM, started with
 * this JVM's class path, commanded a line at a time on its standard input; its answers are
 * read from standard output (a reader thread queues them), its standard error goes to ours.
 */
final class PeerProcess implements AutoCloseable {
    private static final String END_OF_OUTPUT = "\u0000end";
    /**
     * Few GC threads and a small, fixed heap: the peers allocate almost nothing once running.
     * {@code -Xbatch}: a thread that triggers a compilation waits for it. The measured threads
     * spin at a high priority on both CPUs, so compiler threads in the background got so little
     * CPU that the link still ran interpreted or half-compiled code a minute in.
     */
    private static final List<String> JVM_OPTIONS = List.of("--enable-native-access=ALL-UNNAMED",
            "-XX:+UseSerialGC", "-Xms64m", "-Xmx64m", "-XX:-UsePerfData", "-Xbatch");

    private final String name;
    private final Process process;
    private final PrintStream input;
    private final BlockingQueue<String> output = new LinkedBlockingQueue<>();

    private PeerProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.input = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon(true).name(name + "-output").start(this::readOutput);
    }

    static PeerProcess start(String name, Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        try {
            return new PeerProcess(name, new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the " + name + " process", e);
        }
    }

    /** Sends {@code command} and waits for the answer, which must start with {@code expectedWord}. */
    ControlLine call(ControlLine command, String expectedWord, long timeoutMs) {
        input.println(command.format());
        return await(expectedWord, timeoutMs);
    }

    /**
     * Waits for the next line, which must start with {@code expectedWord}.
     *
     * @throws IllegalStateException if the peer answered an error or something else, ended, or
     *     said nothing within the timeout
     */
    ControlLine await(String expectedWord, long timeoutMs) {
        String line;
        try {
            line = output.poll(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the " + name);
        }
        if (line == null) {
            throw new IllegalStateException("the " + name + " did not answer " + expectedWord + " within " + timeoutMs + " ms");
        }
        if (line.equals(END_OF_OUTPUT)) {
            output.add(END_OF_OUTPUT);
            throw new IllegalStateException("the " + name + " process ended" + exitText() + " before answering " + expectedWord);
        }
        if (line.startsWith("ERROR")) {
            throw new IllegalStateException("the " + name + " failed: " + line.substring(5).trim());
        }
        ControlLine answer = ControlLine.parse(line);
        if (!answer.word().equals(expectedWord)) {
            throw new IllegalStateException("the " + name + " answered " + answer.word() + ", expected " + expectedWord);
        }
        return answer;
    }

    long pid() {
        return process.pid();
    }

    /** Asks the peer to quit, then ends it by its pid if it has not within 5 s. */
    @Override
    public void close() {
        if (process.isAlive()) {
            input.println("QUIT");
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroy();
                    if (!process.waitFor(5, TimeUnit.SECONDS)) {
                        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    }
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        input.close();
    }

    private String exitText() {
        try {
            return process.waitFor(1, TimeUnit.SECONDS) ? " (exit code " + process.exitValue() + ")" : "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private void readOutput() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                output.add(line);
            }
        } catch (IOException e) {
            // the process ended; the marker below says so
        }
        output.add(END_OF_OUTPUT);
    }
}
