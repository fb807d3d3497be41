package io.nfchain.functions.charging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import io.nfchain.api.session.v1.ExhaustionAction;
import io.nfchain.api.session.v1.Urr;
import io.nfchain.core.memif.ClientQueuePair;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.memif.ServerQueuePair;
import io.nfchain.functions.sdk.CounterSet;
import io.nfchain.functions.sdk.PacketVector;
import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.functions.session.SessionProtos;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Charging's per-burst path allocates nothing once warm (DESIGN.md 3.2): parse, session and PDR
 * lookup, quota checks, block and redirect, the burst intent, the memif transmit and the intent's
 * completion from the ring head, with the agent's receive in the same thread. Batches run until
 * one allocates nothing; the test fails if none ever does.
 */
class ChargingFunctionAllocationTest {
    private static final int MAX_BATCHES = 200;

    @TempDir
    Path dir;

    @Test
    void aBurstThroughTheWorkerAllocatesNothing() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "skipped: no per-thread allocation counter");
        try (ChargingHarness h = new ChargingHarness(dir)) {
            int[] ues = {0x0A2D0001, 0x0A2D0002, 0x0A2D0003};
            h.apply(SessionProtos.simple(1, 0x101, ues[0], 0x201, "192.0.2.9"),
                    SessionProtos.simple(2, 0x102, ues[1], 0x202, "192.0.2.9").toBuilder()
                            .setUrrs(0, Urr.newBuilder().setId(1).setVolumeQuotaBytes(1)).build(),
                    SessionProtos.simple(3, 0x103, ues[2], 0x203, "192.0.2.9").toBuilder()
                            .setUrrs(0, Urr.newBuilder().setId(1).setVolumeQuotaBytes(1)
                                    .setExhaustionAction(ExhaustionAction.REDIRECT).setRedirectAddress("192.0.2.80")).build());
            int n = 32;
            PacketBurst burst = new PacketBurst(n, 9216, 128);
            CounterSet<ChargingCounter> counters = new CounterSet<>(ChargingCounter.class);
            PacketVector<ChargingCounter> vector = new PacketVector<>(burst, counters, 1);
            for (int i = 0; i < n; i++) {
                int ue = ues[i % 3];
                PacketBuilder b = new PacketBuilder().ethernet(2, 1);
                MemorySegment f = (i & 4) == 0 ? b.ipv4(ue, 0xC6336401).udp(4000 + i, 443).payload(64 + i * 40).build()
                        : b.ipv4(0xC6336401, i == 31 ? 0x0A2D0099 : ue).udp(443, 4000 + i).payload(100).build();
                MemorySegment.copy(f, 0, burst.data(), burst.resetForReceive(i), f.byteSize());
                burst.put(i, (int) f.byteSize(), 0);
            }
            burst.setCount(n);
            // what FunctionWorker does per burst, without its memif control polls (core's, not charging's)
            ClientQueuePair link = h.worker.link(0).queuePair(0);
            ServerQueuePair queue = h.agent.queuePair(0);
            int[] frames = new int[n];
            long allocated = -1;
            long received = 0;
            for (int batch = 0; batch < MAX_BATCHES && allocated != 0; batch++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int round = 0; round < 100; round++) {
                    vector.begin(h.nowNs += 1_000);
                    h.function.process(vector);
                    int k = vector.gather(0, frames);
                    h.function.beforeTransmit(0, link, frames, k);
                    link.txBurst(burst, frames, k);
                    h.function.afterTransmit(0, link, frames, k);
                    while (queue.rxBurst(h.in) > 0) {
                        received += h.in.count();
                    }
                }
                allocated = threads.getCurrentThreadAllocatedBytes() - before;
            }
            assertEquals(0, allocated, "bytes allocated by 100 bursts of " + n + " packets, after warm-up");
            assertTrue(received > 0 && counters.get(ChargingCounter.CHARGING_QUOTA_EXHAUSTED) > 0
                    && counters.get(ChargingCounter.CHARGING_REDIRECTED) > 0
                    && counters.get(ChargingCounter.SESSION_UNKNOWN) > 0, "every path ran");
            burst.close();
            assertTrue(h.control.usage(1).getUsages(0).getPacketsUplink() > 0);
        }
    }
}
