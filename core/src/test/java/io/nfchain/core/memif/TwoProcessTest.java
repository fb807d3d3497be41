package io.nfchain.core.memif;

import static io.nfchain.core.memif.PeerProcesses.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.core.os.PollSet;
import java.io.BufferedReader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ends in separate JVMs: the region, rings and eventfds really cross process boundaries,
 * and a process that exits or is SIGKILLed is seen as its socket closing. The busy loops
 * run in the children ({@link MemifPeerProcess}); this JVM only starts, reads and kills.
 */
class TwoProcessTest {
    private static final int FRAMES = 20_000;

    @TempDir
    Path dir;

    @Test
    void framesEchoedAcrossProcessesReturnIntactAndTheExitIsNoticed() throws Exception {
        Path socket = dir.resolve("memif.sock");
        Process server = start("server", socket.toString(), "1", "true");
        try (BufferedReader serverOut = reader(server)) {
            awaitSocket(socket, server);
            Process client = start("client-echo", socket.toString(), Integer.toString(FRAMES));
            assertTrue(client.waitFor(TIMEOUT_S, TimeUnit.SECONDS), "client finished");
            assertEquals(0, client.exitValue(), errors(client));
            List<String> lines = readUntil(serverOut, "ENDED");
            assertEquals("ENDED PEER_CLOSED " + FRAMES, lines.getLast(), lines.toString());
            assertTrue(server.waitFor(TIMEOUT_S, TimeUnit.SECONDS));
            assertEquals(0, server.exitValue(), errors(server));
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void aKilledClientIsNoticedAndTheNextOneIsAccepted() throws Exception {
        Path socket = dir.resolve("memif.sock");
        Process server = start("server", socket.toString(), "2", "false");
        Process flood = null;
        try (BufferedReader serverOut = reader(server)) {
            awaitSocket(socket, server);
            flood = start("client-flood", socket.toString());
            readUntil(serverOut, "RECEIVED 5000");
            flood.destroyForcibly().waitFor(); // SIGKILL mid-traffic
            List<String> lines = readUntil(serverOut, "ENDED");
            assertTrue(lines.getLast().startsWith("ENDED PEER_CLOSED "), lines.toString());

            try (MemifClient client = MemifClient.create(MemifClient.Config.of(socket))) {
                client.connect();
                try (PollSet control = new PollSet(1)) {
                    control.add(client.controlFd(), PollSet.POLLIN);
                    for (int i = 0; i < 1_000 && client.isActive() && !client.isConnected(); i++) {
                        control.await(10); // a handshake step, without spinning on recvmsg
                        client.doWork();
                    }
                }
                assertTrue(client.isConnected(), "the server accepts the next client");
                assertEquals("CONNECTED 2", readUntil(serverOut, "CONNECTED 2").getLast());
            } // closing sends DISCONNECT
            assertEquals("ENDED PEER_DISCONNECTED 0", readUntil(serverOut, "ENDED").getLast());
            assertTrue(server.waitFor(TIMEOUT_S, TimeUnit.SECONDS));
            assertEquals(0, server.exitValue(), errors(server));
        } finally {
            server.destroyForcibly();
            if (flood != null) {
                flood.destroyForcibly();
            }
        }
    }
}
