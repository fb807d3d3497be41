package io.nfchain.core.memif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The burst path allocates nothing once compiled (DESIGN.md 3.2): tx and rx in both
 * directions, plus the idle control-channel poll, measured with the per-thread allocation
 * counter. Runs batches until one allocates nothing, as core/os's HotPathAllocationTest does.
 */
class BurstAllocationTest {
    private static final int ROUNDS_PER_BATCH = 2_000;
    private static final int MAX_BATCHES = 200;

    private final ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    @TempDir
    Path dir;

    @Test
    void burstsAndIdleDoWorkDoNotAllocate() {
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "skipped: no per-thread allocation counter");
        Path socket = dir.resolve("memif.sock");
        try (MemifServer server = MemifServer.listen(MemifServer.Config.of(socket));
                MemifClient client = MemifClient.create(MemifClient.Config.of(socket).withRings(1, 8))) {
            MemifLink.connect(server, client);
            ClientQueuePair c = client.queuePair(0);
            ServerQueuePair s = server.queuePair(0);
            PacketBurst out = new PacketBurst(32, 4096);
            PacketBurst in = new PacketBurst(32, 4096);
            for (int i = 0; i < 32; i++) {
                MemifLink.putFrame(out, i, i, i == 0 ? 3000 : 64 + i); // one chained frame
            }
            out.setCount(32);
            Runnable round = () -> {
                c.txBurst(out);
                s.rxBurst(in);
                s.txBurst(out);
                c.rxBurst(in);
                server.doWork();
                client.doWork();
            };
            long fewest = Long.MAX_VALUE;
            for (int batch = 0; batch < MAX_BATCHES && fewest > 0; batch++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < ROUNDS_PER_BATCH; i++) {
                    round.run();
                }
                fewest = Math.min(fewest, threads.getCurrentThreadAllocatedBytes() - before);
            }
            assertEquals(0, fewest, "bytes allocated by " + ROUNDS_PER_BATCH + " rounds");
            assertEquals(0, c.counters().totalDrops() + s.counters().totalDrops());
            assertEquals(c.counters().txPackets(), s.counters().rxPackets());
        }
    }
}
