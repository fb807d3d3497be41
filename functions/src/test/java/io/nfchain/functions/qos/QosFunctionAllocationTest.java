package io.nfchain.functions.qos;

import static io.nfchain.functions.qos.QosSessions.down;
import static io.nfchain.functions.qos.QosSessions.downGtpu;
import static io.nfchain.functions.qos.QosSessions.downlink;
import static io.nfchain.functions.qos.QosSessions.qer;
import static io.nfchain.functions.qos.QosSessions.session;
import static io.nfchain.functions.qos.QosSessions.udpPort;
import static io.nfchain.functions.qos.QosSessions.up;
import static io.nfchain.functions.qos.QosSessions.up6;
import static io.nfchain.functions.qos.QosSessions.uplink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import io.nfchain.core.packet.GtpuHeader;
import io.nfchain.core.packet.IpAddresses;
import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.api.session.v1.GateStatus;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * {@link QosFunction#process} allocates nothing once warm (DESIGN.md 3.2): bursts of packets
 * that pass, are protected by a GBR, exceed an MBR, meet a closed gate, get marked (plain and
 * GTP-U, IPv4 and IPv6), belong to no session or are malformed — with a QER replaced between
 * batches, so the worker also re-reads QER parameters. Measured with the JVM's per-thread
 * allocation counter (own JVM: the allocation-tests surefire execution); batches run until one
 * allocates nothing, and the test fails if none ever does.
 */
class QosFunctionAllocationTest {
    private static final int MAX_BATCHES = 200;

    @Test
    void processingABurstAllocatesNothing() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "skipped: no per-thread allocation counter");
        try (QosHarness h = new QosHarness(QfiDscpMap.parse("t", "9=46,5=10"), true, false)) {
            h.create(session(1)
                    .addPdrs(udpPort(uplink(1, 10, 1, 2), 5060)).addPdrs(uplink(2, 100, 2)).addPdrs(downlink(3, 10, 3))
                    .addQers(qer(1).setGbrUplinkBps(500_000).setMbrUplinkBps(1_000_000).setQfi(5))
                    .addQers(qer(2).setMbrUplinkBps(1_000_000))
                    .addQers(qer(3).setGateDownlink(GateStatus.CLOSED)).build());
            MemorySegment[] frames = {
                up(5060, 100), up(40000, 1200), up(40000, 1200), up6(300), downGtpu(9, 100), down(40000, 100),
                new PacketBuilder().ethernet(2, 1).ipv4(IpAddresses.parseIpv4("10.9.9.9"), 1).udp(1, 2).build(),
                up(40000, 100).asSlice(0, 30),
                new PacketBuilder().ethernet(2, 1).ipv4(QosSessions.UPF, QosSessions.GNB).udp(2152, 2152)
                        .gtpu(GtpuHeader.ECHO_RESPONSE, 0).build()
            };
            int n = 64;
            h.burst.setCount(n);
            for (int i = 0; i < n; i++) {
                MemorySegment f = frames[i % frames.length];
                MemorySegment.copy(f, 0, h.burst.data(), h.burst.offset(i), f.byteSize());
                h.burst.setLength(i, (int) f.byteSize());
            }
            long allocated = -1;
            for (int batch = 0; batch < MAX_BATCHES && allocated != 0; batch++) {
                h.replace(session(1)
                        .addPdrs(udpPort(uplink(1, 10, 1, 2), 5060)).addPdrs(uplink(2, 100, 2)).addPdrs(downlink(3, 10, 3))
                        .addQers(qer(1).setGbrUplinkBps(500_000).setMbrUplinkBps(1_000_000 + batch).setQfi(5))
                        .addQers(qer(2).setMbrUplinkBps(1_000_000))
                        .addQers(qer(3).setGateDownlink(GateStatus.CLOSED)).build());
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int round = 0; round < 100; round++) {
                    h.vector.begin(h.nowNs += 1_000_000);
                    h.qos.process(h.vector);
                }
                allocated = threads.getCurrentThreadAllocatedBytes() - before;
            }
            assertEquals(0, allocated, "bytes allocated by 100 bursts of " + n + " packets, after warm-up");
            for (QosCounter c : QosCounter.values()) {
                if (c != QosCounter.SESSION_UNKNOWN && c != QosCounter.SESSION_NO_PDR) {
                    assertTrue(h.get(c) > 0, c + " ran");
                }
            }
        }
    }
}
