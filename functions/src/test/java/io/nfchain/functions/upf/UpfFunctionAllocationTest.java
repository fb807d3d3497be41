package io.nfchain.functions.upf;

import static io.nfchain.functions.upf.UpfFunctionTest.REMOTE;
import static io.nfchain.functions.upf.UpfFunctionTest.TEID;
import static io.nfchain.functions.upf.UpfFunctionTest.UE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import io.nfchain.core.packet.GtpuHeader;
import io.nfchain.core.packet.PacketBuilder;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * {@link UpfFunction#process} allocates nothing once warm: bursts of uplink G-PDUs (decapsulated),
 * downlink packets (encapsulated), echo requests, unknown TEIDs and malformed frames. Measured with
 * the JVM's per-thread allocation counter; batches run until one allocates nothing.
 */
class UpfFunctionAllocationTest {
    private static final int MAX_BATCHES = 200;

    @Test
    void processingABurstAllocatesNothing() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "skipped: no per-thread allocation counter");
        try (UpfHarness h = new UpfHarness().create(UpfFunctionTest.session())) {
            int n = 60;
            MemorySegment[] frames = new MemorySegment[n];
            for (int i = 0; i < n; i++) {
                frames[i] = switch (i % 5) {
                    case 0 -> UpfHarness.uplink(TEID, 9, UE, REMOTE, 53);
                    case 1 -> UpfHarness.plain(REMOTE, UE, 53, 40000);
                    case 2 -> new PacketBuilder().ethernet(1, 2).ipv4(UpfHarness.v4(UpfHarness.GNB),
                            UpfHarness.v4(UpfHarness.N3_V4)).udp(2152, 2152).gtpu(GtpuHeader.ECHO_REQUEST, 0)
                            .gtpuSequence(i).build();
                    case 3 -> UpfHarness.uplink(TEID + 7, 9, UE, REMOTE, 53);
                    default -> UpfHarness.uplink(TEID, 9, UE, REMOTE, 53).asSlice(0, 50);
                };
            }
            long allocated = -1;
            for (int batch = 0; batch < MAX_BATCHES && allocated != 0; batch++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int round = 0; round < 100; round++) {
                    load(h, frames);
                    h.vector.begin(round);
                    h.upf.process(h.vector);
                }
                allocated = threads.getCurrentThreadAllocatedBytes() - before;
            }
            assertEquals(0, allocated, "bytes allocated by 100 bursts of " + n + " packets, after warm-up");
            assertTrue(h.get(UpfCounter.UPF_UPLINK_FORWARDED) > 0 && h.get(UpfCounter.UPF_DOWNLINK_FORWARDED) > 0
                    && h.get(UpfCounter.UPF_ECHO_REPLIED) > 0 && h.get(UpfCounter.SESSION_UNKNOWN) > 0
                    && h.get(UpfCounter.UPF_MALFORMED) > 0, "every path ran");
        }
    }

    /** Copies the frames into the burst again (the upf rewrote them in place). */
    private static void load(UpfHarness h, MemorySegment[] frames) {
        h.burst.setCount(frames.length);
        for (int i = 0; i < frames.length; i++) {
            h.burst.resetForReceive(i);
            MemorySegment.copy(frames[i], 0, h.burst.data(), h.burst.offset(i), frames[i].byteSize());
            h.burst.setLength(i, (int) frames[i].byteSize());
        }
    }
}
