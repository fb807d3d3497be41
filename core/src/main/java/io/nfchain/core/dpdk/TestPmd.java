package io.nfchain.core.dpdk;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Not thread-safe: one thread drives it. DPDK's {@code dpdk-testpmd} with one {@code net_memif}
 * port, run as a peer process in interactive mode ({@code -i}): commands go to its stdin, and
 * answers are parsed from its stdout (see {@link TestPmdOutput}), which runs through
 * {@code stdbuf -oL} so each line arrives when printed rather than when a 4 KiB pipe buffer
 * fills.
 *
 * <p>Every instance gets its own {@code --file-prefix}, so several run side by side. {@link
 * #close()} always ends the process ({@code quit}, then end of input, then SIGKILL) and removes what
 * DPDK leaves behind: the runtime directory {@code /var/run/dpdk/PREFIX}, hugepage files named
 * {@code PREFIX*} in the hugetlbfs directory, and the socket of a server port. A shutdown hook
 * does the same if the JVM exits without closing; if the JVM is killed, testpmd sees its stdin
 * close and quits by itself.
 */
public final class TestPmd implements AutoCloseable {
    /** The Debian 12 package providing the program is {@code dpdk-dev}. */
    public static final String PROGRAM = "dpdk-testpmd";
    private static final int PORT = 0;
    private static final AtomicLong INSTANCES = new AtomicLong();
    private static final long COMMAND_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    /** EAL and mbuf pool set-up have taken tens of seconds on a loaded 2-core machine. */
    private static final long READY_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(120);
    private static final long LINK_POLL_MS = 50;
    // Generous: on a 2-core machine shared with builds, quitting has taken over 5 s, and the
    // kernel needs a while to tear down a gigabyte of --no-huge memory after SIGKILL.
    private static final long QUIT_WAIT_MS = 20_000;
    private static final long EOF_WAIT_MS = 5_000;
    private static final long KILL_WAIT_MS = 60_000;

    private final TestPmdConfig config;
    private final String filePrefix;
    private final Process process;
    private final TestPmdConsole console;
    private final Thread shutdownHook;
    private boolean closed;

    private TestPmd(TestPmdConfig config, String filePrefix, Process process) {
        this.config = config;
        this.filePrefix = filePrefix;
        this.process = process;
        this.console = new TestPmdConsole(process);
        this.shutdownHook = Thread.ofPlatform().unstarted(this::killAndClean);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts {@code dpdk-testpmd} (found on the PATH) with {@code config}. Returns once the
     * process runs; its EAL initialisation continues in the background, so wait with
     * {@link #awaitSocket} or {@link #awaitLinkUp}.
     *
     * @throws TestPmdException when testpmd or {@code stdbuf} is not on the PATH or cannot start
     */
    public static TestPmd start(TestPmdConfig config) {
        String filePrefix = "nfc" + ProcessHandle.current().pid() + "x" + INSTANCES.incrementAndGet();
        List<String> command = new ArrayList<>();
        command.add(onPath("stdbuf", "coreutils").toString());
        command.add("-oL");
        command.addAll(config.commandLine(onPath(PROGRAM, "dpdk-dev").toString(), filePrefix));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new TestPmdException("cannot start " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        return new TestPmd(config, filePrefix, process);
    }

    public TestPmdConfig config() {
        return config;
    }

    /** testpmd's process id: {@code stdbuf} execs it, so this is testpmd itself. */
    public long pid() {
        return process.pid();
    }

    /** The {@code --file-prefix} of this instance, unique per JVM and instance. */
    public String filePrefix() {
        return filePrefix;
    }

    /** Where DPDK keeps this instance's runtime files: {@code /var/run/dpdk/PREFIX} for root. */
    public Path runtimeDir() {
        return runtimeDir(filePrefix);
    }

    /** DPDK's runtime directory for {@code filePrefix}, as its EAL computes it. */
    public static Path runtimeDir(String filePrefix) {
        String base = "root".equals(System.getProperty("user.name")) ? "/var/run"
                : System.getenv().getOrDefault("XDG_RUNTIME_DIR", "/tmp");
        return Path.of(base, "dpdk", filePrefix);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * testpmd's exit status: 0 after {@code quit}, 128 + the signal number when a signal ended it.
     *
     * @throws IllegalStateException while it runs
     */
    public int exitCode() {
        if (process.isAlive()) {
            throw new IllegalStateException("testpmd " + pid() + " still runs");
        }
        return process.exitValue();
    }

    /** CPU time testpmd (all threads) has used so far, in nanoseconds; see {@link ProcessCpu}. */
    public long cpuNanos() {
        return ProcessCpu.cpuNanos(process.pid());
    }

    /**
     * Waits until a server port's socket file exists, so a client may connect.
     *
     * @throws TestPmdException when testpmd exits first or {@code timeout} passes
     */
    public void awaitSocket(Duration timeout) {
        if (config.role() != TestPmdConfig.Role.SERVER) {
            throw new IllegalStateException("only a server port creates its socket");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(config.socketPath())) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new TestPmdException((process.isAlive() ? "timed out waiting for " : "testpmd exited before creating ")
                        + config.socketPath() + console.recentOutput());
            }
            sleepMs(10);
        }
    }

    /**
     * Waits until testpmd has started up, then asks {@code show port info 0} until the link is
     * up (the memif peer connected) or {@code timeout} passes.
     *
     * @throws TestPmdException when testpmd exits first, said it could not start the port (a
     *     memif client tries its server once), or {@code timeout} passes
     */
    public void awaitLinkUp(Duration timeout) {
        awaitReady();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (console.portStartFailure() != null) {
                throw new TestPmdException("the link of port " + PORT + " will not come up: '"
                        + console.portStartFailure() + "'" + console.recentOutput());
            }
            console.send("show port info " + PORT);
            String line = console.awaitLine(l -> TestPmdOutput.linkUp(l) != null, deadline, "the link status of port " + PORT);
            if (TestPmdOutput.linkUp(line)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TestPmdException("link of port " + PORT + " still down after " + timeout + console.recentOutput());
            }
            sleepMs(LINK_POLL_MS);
        }
    }

    /** {@code start}: forwarding in the configured mode begins. */
    public void startForwarding() {
        awaitReady();
        console.send("start");
        console.awaitLine(l -> l.contains("packet forwarding - ports=") || l.contains("Packet forwarding already started"),
                System.nanoTime() + COMMAND_TIMEOUT_NS, "forwarding to start");
    }

    /** {@code show port stats 0}: the port's counters since it started. */
    public PortStats portStats() {
        awaitReady();
        console.send("show port stats " + PORT);
        List<String> block = console.awaitBlock(l -> TestPmdOutput.isNicStatsHeader(l, PORT),
                l -> TestPmdOutput.isRule(l, '#'), System.nanoTime() + COMMAND_TIMEOUT_NS, "port statistics");
        return TestPmdOutput.parsePortStats(block, PORT);
    }

    /** {@code stop}: forwarding ends; returns the forwarding counters it prints. */
    public ForwardStats stopForwarding() {
        awaitReady();
        console.send("stop");
        long deadline = System.nanoTime() + COMMAND_TIMEOUT_NS;
        String first = console.awaitLine(l -> TestPmdOutput.isForwardStatsHeader(l, PORT)
                || l.contains("Packet forwarding not started"), deadline, "forwarding statistics");
        if (!TestPmdOutput.isForwardStatsHeader(first, PORT)) {
            throw new TestPmdException("stop: forwarding was not started");
        }
        List<String> block = new ArrayList<>(List.of(first));
        block.addAll(console.awaitThrough(l -> TestPmdOutput.isRule(l, '-'), deadline, "the end of the forwarding statistics"));
        return TestPmdOutput.parseForwardStats(block, PORT);
    }

    /** Waits until testpmd reads its console (see {@link TestPmdConsole#ready()}). */
    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT_NS;
        while (!console.ready()) {
            if (console.ended() || !process.isAlive()) {
                throw new TestPmdException("testpmd exited while starting up" + console.recentOutput());
            }
            if (System.nanoTime() > deadline) {
                throw new TestPmdException("testpmd did not finish starting up in "
                        + TimeUnit.NANOSECONDS.toSeconds(READY_TIMEOUT_NS) + " s" + console.recentOutput());
            }
            sleepMs(10);
        }
    }

    /**
     * Ends testpmd and removes its files; never leaves the process running.
     *
     * @throws TestPmdException when the process outlived SIGKILL by a minute or a file could not be removed
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (process.isAlive()) {
                try {
                    console.send("quit");
                } catch (TestPmdException e) {
                    // its input is gone; the signals below still end it
                }
                stop();
            }
        } finally {
            console.closeInput();
            try {
                console.awaitEnd(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            removeShutdownHook();
        }
        String left = removeFiles();
        if (process.isAlive()) {
            throw new TestPmdException("testpmd " + pid() + " still runs a minute after SIGKILL");
        }
        if (!left.isEmpty()) {
            throw new TestPmdException("could not remove " + left);
        }
    }

    /**
     * After {@code quit}: waits, then closes stdin (end of input also makes it quit), then
     * SIGKILLs. SIGTERM is not tried: in interactive mode testpmd only sets a flag on it and
     * stays blocked reading its console.
     */
    private void stop() {
        try {
            if (!process.waitFor(QUIT_WAIT_MS, TimeUnit.MILLISECONDS)) {
                console.closeInput();
                if (!process.waitFor(EOF_WAIT_MS, TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(KILL_WAIT_MS, TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void killAndClean() {
        process.destroyForcibly();
        try {
            process.waitFor(KILL_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        removeFiles();
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs and cleans up instead
        }
    }

    /** Removes DPDK's files of this instance; returns what could not be removed, or "". */
    private String removeFiles() {
        List<String> left = new ArrayList<>();
        deleteTree(runtimeDir(), left);
        Path hugeDir = config.hugeDir();
        if (hugeDir != null && Files.isDirectory(hugeDir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(hugeDir, filePrefix + "*")) {
                for (Path file : files) {
                    delete(file, left);
                }
            } catch (IOException e) {
                left.add(hugeDir + " (" + e.getMessage() + ")");
            }
        }
        if (config.role() == TestPmdConfig.Role.SERVER) {
            delete(config.socketPath(), left); // testpmd unlinks it on a clean quit, not when killed
        }
        return String.join(", ", left);
    }

    private static void deleteTree(Path dir, List<String> left) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                delete(p, left);
            }
        } catch (IOException e) {
            left.add(dir + " (" + e.getMessage() + ")");
        }
    }

    private static void delete(Path path, List<String> left) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            left.add(path + " (" + e.getMessage() + ")");
        }
    }

    private static Path onPath(String program, String debianPackage) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new TestPmdException(program + " is not on the PATH (Debian package " + debianPackage + ")");
    }

    private static void sleepMs(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TestPmdException("interrupted", e);
        }
    }
}
