package io.nfchain.core.memif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client in a second JVM: the region, rings and eventfds really cross a process boundary.
 * Wall time is bounded by deadlines only; nothing sleeps.
 */
class TwoProcessTest {
    private static final long DEADLINE_NS = 60_000_000_000L;
    private static final int FRAMES = 20_000;

    @TempDir
    Path dir;

    @Test
    void framesEchoedByTheServerReturnIntactAndTheExitIsNoticed() throws Exception {
        Path socket = dir.resolve("memif.sock");
        try (MemifServer server = MemifServer.listen(MemifServer.Config.of(socket))) {
            Process child = start(socket, "echo", Integer.toString(FRAMES));
            PacketBurst burst = new PacketBurst(32, 2048);
            long echoed = 0;
            long start = System.nanoTime();
            while (child.isAlive() || server.isConnected()) {
                server.doWork();
                if (server.isConnected()) {
                    echoed += echo(server.queuePair(0), burst);
                }
                if (System.nanoTime() - start > DEADLINE_NS) {
                    child.destroyForcibly();
                    fail("timed out after echoing " + echoed);
                }
            }
            String output = new String(child.getInputStream().readAllBytes());
            assertEquals(0, child.exitValue(), output + new String(child.getErrorStream().readAllBytes()));
            assertEquals(FRAMES, echoed);
            assertEquals(MemifError.PEER_CLOSED, server.lastError(), "process exit seen as the socket closing");
        }
    }

    @Test
    void aKilledClientIsNoticedAndAnotherIsAccepted() throws Exception {
        Path socket = dir.resolve("memif.sock");
        try (MemifServer server = MemifServer.listen(MemifServer.Config.of(socket))) {
            Process child = start(socket, "flood", "0");
            PacketBurst burst = new PacketBurst(32, 2048);
            long received = 0;
            long start = System.nanoTime();
            while (received < 5_000) {
                server.doWork();
                if (server.isConnected()) {
                    ServerQueuePair pair = server.queuePair(0);
                    int n = pair.rxBurst(burst);
                    for (int i = 0; i < n; i++, received++) {
                        MemifLink.checkFrame(burst, i, received, MemifLink.lengthFor(received));
                    }
                }
                if (System.nanoTime() - start > DEADLINE_NS || !child.isAlive()) {
                    child.destroyForcibly();
                    fail("flood stopped after " + received + ": " + new String(child.getErrorStream().readAllBytes()));
                }
            }
            child.destroyForcibly().waitFor();
            MemifLink.pump(server, null, () -> !server.isConnected());
            assertEquals(MemifError.PEER_CLOSED, server.lastError());
            try (MemifClient client = MemifClient.create(MemifClient.Config.of(socket))) {
                MemifLink.connect(server, client);
                assertEquals(2, server.connects());
            }
        }
    }

    /** Receives a burst and sends it back, moving what did not fit to the front until all went. */
    private static int echo(ServerQueuePair pair, PacketBurst burst) {
        int n = pair.rxBurst(burst);
        int done = 0;
        long start = System.nanoTime();
        while (done < n) {
            int sent = pair.txBurst(burst);
            done += sent;
            compact(burst, sent);
            if (System.nanoTime() - start > DEADLINE_NS) {
                fail("client stopped posting buffers");
            }
        }
        return n;
    }

    private static void compact(PacketBurst burst, int consumed) {
        int left = burst.count() - consumed;
        MemorySegment data = burst.data();
        for (int i = 0; i < left; i++) {
            MemorySegment.copy(data, burst.offset(consumed + i), data, burst.offset(i), burst.length(consumed + i));
            burst.setLength(i, burst.length(consumed + i));
            burst.setMetadata(i, burst.metadata(consumed + i));
        }
        burst.setCount(left);
    }

    private static Process start(Path socket, String mode, String frames) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), MemifPeerProcess.class.getName(), socket.toString(), mode, frames);
        Process process = new ProcessBuilder(command).start();
        assertTrue(process.isAlive() || process.exitValue() == 0);
        return process;
    }
}
