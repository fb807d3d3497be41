package io.nfchain.bench.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.bench.memif.PeerProcess;
import io.nfchain.core.memif.ClientQueuePair;
import io.nfchain.core.memif.MemifClient;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.functions.router.Ipv4Lpm;
import io.nfchain.functions.router.Ipv4Routes;
import io.nfchain.functions.router.SyntheticTables;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The traffic process end to end, against a device under test played by this test over memif. */
class RouterTrafficTest {
    @TempDir
    Path dir;

    private FlowSet flows() throws Exception {
        Ipv4Routes routes = SyntheticTables.ipv4(10_000, RouterLoad.NEXT_HOPS, 21);
        FlowSet flows = FlowSet.covering(routes, Ipv4Lpm.build(routes), 256, 4);
        flows.write(dir.resolve("flows.txt"));
        return flows;
    }

    /** Forwards what it receives after {@code handle} rewrote each frame; returns the traffic process's last stats. */
    private TrafficStats run(String mode, BiConsumer<MemorySegment, Long> handle) throws Exception {
        Path socket = dir.resolve("t.sock");
        long pid;
        TrafficStats stats;
        try (PeerProcess traffic = PeerProcess.start(RouterTraffic.class,
                List.of(mode, socket.toString(), dir.resolve("flows.txt").toString(), "0"));
                MemifClient client = MemifClient.create(MemifClient.Config.of(socket));
                PacketBurst burst = new PacketBurst(32, 2048)) {
            pid = traffic.pid();
            traffic.await("LISTENING", 60_000);
            client.connect();
            while (!client.isConnected()) {
                assertTrue(client.isActive(), "handshake refused: " + client.lastError());
                client.doWork();
                Thread.sleep(1);
            }
            traffic.await("CONNECTED", 60_000);
            assertEquals(0, TrafficStats.of(traffic.stats()).sent(), "nothing is sent before start");
            traffic.command("start");
            ClientQueuePair pair = client.queuePair(0);
            long deadline = System.nanoTime() + 60_000_000_000L;
            do {
                for (int turn = 0; turn < 20_000; turn++) {
                    if (pair.rxBurst(burst) > 0) {
                        for (int i = 0; i < burst.count(); i++) {
                            handle.accept(burst.data().asSlice(burst.offset(i), burst.length(i)), (long) i);
                        }
                        pair.txBurst(burst);
                    }
                }
                client.doWork();
                stats = TrafficStats.of(traffic.stats());
            } while ((stats.checked() < 64 || stats.received() < 20_000) && System.nanoTime() < deadline);
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the traffic process ended");
        return stats;
    }

    @Test
    void framesRoutedAsExpectedAreCountedAndPassTheCheck() throws Exception {
        FlowSet flows = flows();
        TrafficStats stats = run("routed", (frame, i) -> {
            int flow = io.nfchain.core.packet.NetBytes.u16(frame, 34) - FlowSet.SOURCE_PORT_BASE;
            ReturnCheckTest.route(frame, flows.expectedMac(flow));
        });
        assertTrue(stats.received() >= 20_000 && stats.sent() >= stats.received(), stats.toString());
        assertTrue(stats.checked() >= 64, stats.toString());
        stats.requireClean("test router");
    }

    @Test
    void framesNotRoutedAreCaughtWithTheirReason() throws Exception {
        flows();
        TrafficStats stats = run("routed", (frame, i) -> ReturnCheckTest.swap(frame));
        assertEquals(stats.checked(), stats.bad(), stats.toString());
        assertEquals(ReturnCheck.Verdict.WRONG_TTL.ordinal(), stats.firstBad());
    }
}
