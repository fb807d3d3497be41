package io.nfchain.functions.acl;

import static io.nfchain.functions.acl.AclHarness.ports;
import static io.nfchain.functions.acl.AclHarness.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import io.nfchain.api.acl.v1.Action;
import io.nfchain.core.packet.ArpPacket;
import io.nfchain.core.packet.PacketBuilder;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link AclFunction#process} allocates nothing once warm (DESIGN.md 3.2): a stateful acl with
 * deny, count, set-DSCP and permit rules, on bursts holding permitted, denied, marked, replied,
 * non-IP and malformed frames. Measured with the JVM's per-thread allocation counter; batches
 * run until one allocates nothing, and the test fails if none ever does.
 */
class AclFunctionAllocationTest {
    private static final int MAX_BATCHES = 200;

    @Test
    void processingABurstAllocatesNothing() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "skipped: no per-thread allocation counter");
        try (AclHarness h = AclHarness.stateful(128, FlowTimeouts.DEFAULT).rules(Action.DENY,
                rule(Action.DENY).setProtocol(6).setDstPorts(ports(23, 23)).build(),
                rule(Action.COUNT).setProtocol(17).build(),
                rule(Action.SET_DSCP).setSetDscp(46).setProtocol(17).setDstPorts(ports(5060, 5060)).build(),
                rule(Action.PERMIT).setSrcPrefix("10.0.0.0/8").build())) {
            SplittableRandom random = new SplittableRandom(7);
            int n = 64;
            h.burst.setCount(n);
            for (int i = 0; i < n; i++) {
                int client = 0x0A00_0000 | random.nextInt(1 << 20);
                int server = 0xC000_0200 | random.nextInt(256);
                PacketBuilder b = new PacketBuilder().ethernet(2, 1);
                MemorySegment frame = switch (i % 6) {
                    case 0 -> b.ipv4(client, server).udp(1000 + i, 5060).payload(20).build();
                    case 1 -> b.ipv4(client, server).tcp(1000 + i, 23).build();
                    case 2 -> b.ipv4(server, client).udp(53, 1000 + i).build();
                    case 3 -> b.arp(ArpPacket.OP_REQUEST, 1, client, 0, server).build();
                    case 4 -> b.ipv4(client, server).udp(1000 + i, 53).build().asSlice(0, 30);
                    default -> b.ipv4(client, server).tcp(1000 + i, 443).build();
                };
                MemorySegment.copy(frame, 0, h.burst.data(), h.burst.offset(i), frame.byteSize());
                h.burst.setLength(i, (int) frame.byteSize());
            }
            long allocated = -1;
            for (int batch = 0; batch < MAX_BATCHES && allocated != 0; batch++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int round = 0; round < 100; round++) {
                    h.vector.begin(h.nowNs += 1_000_000);
                    h.acl.process(h.vector);
                }
                allocated = threads.getCurrentThreadAllocatedBytes() - before;
            }
            assertEquals(0, allocated, "bytes allocated by 100 bursts of " + n + " packets, after warm-up");
            assertTrue(h.get(AclCounter.ACL_SET_DSCP) > 0 && h.get(AclCounter.ACL_DENY) > 0
                    && h.get(AclCounter.ACL_MALFORMED) > 0 && h.get(AclCounter.ACL_NON_IP_DENY) > 0
                    && h.get(AclCounter.ACL_FLOW_PERMIT) > 0, "every path ran");
        }
    }
}
