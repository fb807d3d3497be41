package io.nfchain.core.memif;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starting, reading and waiting for {@link MemifPeerProcess} children. */
final class PeerProcesses {
    static final long TIMEOUT_S = 60;

    private PeerProcesses() {}

    static Process start(String... args) throws IOException {
        return MemifLink.startJvm(MemifPeerProcess.class, args);
    }

    static BufferedReader reader(Process process) {
        return new BufferedReader(new InputStreamReader(process.getInputStream()));
    }

    /** Lines of {@code out} up to and including the first that starts with {@code prefix}. */
    static List<String> readUntil(BufferedReader out, String prefix) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            lines.add(line);
            if (line.startsWith(prefix)) {
                return lines;
            }
        }
        fail("output ended before '" + prefix + "': " + lines);
        return lines;
    }

    /** Waits, bounded, for the server child to create its socket file. */
    static void awaitSocket(Path socket, Process server) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (!Files.exists(socket)) {
            if (!server.isAlive() || System.nanoTime() > deadline) {
                server.destroyForcibly();
                fail("server did not listen: " + errors(server));
            }
            Thread.onSpinWait();
        }
    }

    static String errors(Process process) throws IOException {
        return new String(process.getErrorStream().readAllBytes());
    }

    /** SIGKILL, and waits until the process is gone. */
    static void kill(Process process) throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }
}
