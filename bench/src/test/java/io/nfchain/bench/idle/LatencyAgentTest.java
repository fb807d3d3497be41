package io.nfchain.bench.idle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.nfchain.core.memif.ClientQueuePair;
import io.nfchain.core.memif.MemifClient;
import io.nfchain.core.memif.MemifServer;
import io.nfchain.core.memif.PacketBurst;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The poll loop of the bench over a real memif link in one thread, stepped by hand. */
class LatencyAgentTest {
    @TempDir
    Path dir;

    private MemifServer server;
    private MemifClient client;
    private PacketBurst rxBurst;
    private PacketBurst txBurst;
    private LatencyAgent agent;

    @BeforeEach
    void connect() {
        Path socket = dir.resolve("memif.sock");
        server = MemifServer.listen(MemifServer.Config.of(socket));
        client = MemifClient.create(MemifClient.Config.of(socket).withRings(1, 8));
        client.connect();
        for (int i = 0; !(server.isConnected() && client.isConnected()); i++) {
            if (i == 1_000) {
                fail("no connection after 1000 steps");
            }
            server.doWork();
            client.doWork();
        }
        rxBurst = new PacketBurst(32, 2048);
        txBurst = new PacketBurst(32, BenchFrameLayout.FRAME_BYTES);
        agent = new LatencyAgent(server, rxBurst, 0);
    }

    @AfterEach
    void close() {
        client.close();
        server.close();
        rxBurst.close();
        txBurst.close();
    }

    private void send(long... sequences) {
        long now = System.nanoTime();
        for (int i = 0; i < sequences.length; i++) {
            long offset = txBurst.offset(i);
            BenchFrameLayout.writeHeader(txBurst.data(), offset);
            BenchFrameLayout.writeSequence(txBurst.data(), offset, sequences[i]);
            BenchFrameLayout.writeSentNs(txBurst.data(), offset, now);
            txBurst.setLength(i, BenchFrameLayout.FRAME_BYTES);
        }
        txBurst.setCount(sequences.length);
        assertEquals(sequences.length, client.queuePair(0).txBurst(txBurst));
    }

    private int receiveAll() {
        int total = 0;
        for (int n = agent.doWork(); n > 0; n = agent.doWork()) {
            total += n;
        }
        return total;
    }

    @Test
    void aWindowCountsFramesGapsAndLatencies() {
        send(100, 101); // before the window: not counted
        assertEquals(2, receiveAll());
        agent.beginWindow();
        send(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        send(15, 16, 17, 18, 19);
        send(18);
        assertEquals(16, receiveAll());
        agent.endWindow();
        assertEquals(16, agent.windowFrames);
        assertEquals(5, agent.windowGaps, "10 .. 14 never came");
        assertEquals(1, agent.windowReordered, "18 came twice");
        assertEquals(0, agent.windowMalformed);
        assertEquals(16, agent.window.count());
        assertEquals(0, agent.window.negatives(), "both ends read CLOCK_MONOTONIC");
        assertTrue(agent.window.maxNs() < 60_000_000_000L, "sent during this test");
        assertEquals(2, agent.acknowledged());
    }

    @Test
    void aWindowRestartsTheSequenceCheckAndAShortFrameIsCountedNotRead() {
        agent.beginWindow();
        send(7, 8);
        receiveAll();
        agent.endWindow();
        assertEquals(0, agent.windowGaps, "the first frame of a window sets the expected sequence");

        agent.beginWindow();
        ClientQueuePair tx = client.queuePair(0);
        BenchFrameLayout.writeHeader(txBurst.data(), 0);
        txBurst.setLength(0, BenchFrameLayout.MIN_BYTES - 1);
        txBurst.setCount(1);
        assertEquals(1, tx.txBurst(txBurst));
        receiveAll();
        agent.endWindow();
        assertEquals(1, agent.windowMalformed);
        assertEquals(0, agent.window.count());
    }

    @Test
    void commandsRunOnThePollThreadAndAreNotCountedAsWork() {
        long before = agent.acknowledged();
        agent.commands.offer(agent::beginWindow);
        assertEquals(0, agent.doWork(), "a command is not a frame");
        assertEquals(before + 1, agent.acknowledged());
    }
}
