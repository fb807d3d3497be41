package io.nfchain.functions.acl;

import static io.nfchain.functions.acl.AclHarness.ports;
import static io.nfchain.functions.acl.AclHarness.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.api.acl.v1.Action;
import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.core.packet.TcpHeader;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated frames through the acl, stateless and stateful with a tiny flow table:
 * nothing throws, and every packet either leaves by output 0 counted by a permit or is dropped
 * counted by one reason ({@link AclHarness#run} checks the balance after each burst).
 */
class AclFunctionFuzzTest {
    private static final int BURSTS = 2_000;

    @Test
    void statelessNeverCrashesAndEveryPacketIsAccountedFor() {
        try (AclHarness h = AclHarness.stateless()) {
            fuzz(h, new SplittableRandom(0xAC1));
        }
    }

    @Test
    void statefulWithATinyTableNeverCrashesAndEveryPacketIsAccountedFor() {
        FlowTimeouts timeouts = new FlowTimeouts(50_000, 20_000, 30_000, 10_000);
        try (AclHarness h = AclHarness.stateful(16, timeouts, true)) {
            fuzz(h, new SplittableRandom(0xAC2));
            assertTrue(h.get(AclCounter.ACL_FLOW_EVICTED) + h.get(AclCounter.ACL_FLOW_NOT_TRACKED) > 0,
                    "the table filled up");
            assertTrue(h.get(AclCounter.ACL_FLOW_EXPIRED) > 0, "flows expired");
        }
    }

    private static void fuzz(AclHarness h, SplittableRandom random) {
        h.rules(Action.DENY,
                rule(Action.COUNT).setProtocol(17).build(),
                rule(Action.DENY).setProtocol(6).setDstPorts(ports(23, 23)).build(),
                rule(Action.SET_DSCP).setSetDscp(46).setProtocol(17).setDstPorts(ports(0, 32_767)).build(),
                rule(Action.PERMIT).setSrcPrefix("10.0.0.0/9").build(),
                rule(Action.PERMIT).setDstPrefix("2001:db8::/33").build(),
                rule(Action.PERMIT).setProtocol(6).setTcpFlagsValue(TcpHeader.SYN).setTcpFlagsMask(TcpHeader.SYN | TcpHeader.ACK)
                        .build());
        long frames = 0;
        for (int b = 0; b < BURSTS; b++) {
            MemorySegment[] burst = new MemorySegment[1 + random.nextInt(64)];
            for (int i = 0; i < burst.length; i++) {
                burst[i] = random.nextInt(3) == 0 ? noise(random) : mutated(random);
            }
            h.nowNs += random.nextInt(5_000);
            h.run(burst);
            frames += burst.length;
        }
        assertEquals(frames, h.received);
        assertTrue(h.forwarded > 0 && h.counters.drops() > 0, "both outcomes happened");
        assertTrue(h.get(AclCounter.ACL_MALFORMED) > 0 && h.get(AclCounter.ACL_SET_DSCP) > 0,
                "malformed frames and rewrites both happened");
    }

    /** Random bytes behind an Ethernet type that claims IPv4, IPv6, ARP, a VLAN, or anything. */
    private static MemorySegment noise(SplittableRandom random) {
        byte[] bytes = new byte[random.nextInt(2048)];
        random.nextBytes(bytes);
        if (bytes.length >= 14) {
            int[] types = {0x0800, 0x86DD, 0x0806, 0x8100, random.nextInt(0x10000)};
            int type = types[random.nextInt(types.length)];
            bytes[12] = (byte) (type >>> 8);
            bytes[13] = (byte) type;
            if (type == 0x0800 && bytes.length > 14) {
                bytes[14] = (byte) (0x40 | bytes[14] & 0x0F);
            }
        }
        return MemorySegment.ofArray(bytes);
    }

    /** A valid TCP, UDP or ICMP frame over IPv4 or IPv6, then truncated or with bytes flipped. */
    private static MemorySegment mutated(SplittableRandom random) {
        PacketBuilder b = new PacketBuilder().ethernet(2, 1);
        boolean v6 = random.nextBoolean();
        if (v6) {
            b.ipv6(0x20010db8_00000000L | random.nextInt(2), random.nextInt(4), 0x20010db8_00000000L, random.nextInt(4));
        } else {
            b.ipv4(0x0a000000 | random.nextInt(0x100_0000) & 0xFF0003, 0xc0000200 | random.nextInt(4));
        }
        int sport = random.nextInt(8);
        int dport = random.nextBoolean() ? 23 : random.nextInt(65_536);
        switch (random.nextInt(3)) {
            case 0 -> b.udp(sport, dport);
            case 1 -> b.tcp(sport, dport, 1, 1, random.nextInt(0x200), 1000, false);
            default -> {
                if (v6) {
                    b.icmpv6(128, 0, 0);
                } else {
                    b.icmp(8, 0, 0);
                }
            }
        }
        byte[] bytes = b.payload(random.nextInt(64)).toBytes();
        int flips = random.nextInt(4);
        for (int f = 0; f < flips; f++) {
            bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
        }
        int length = random.nextInt(4) == 0 ? random.nextInt(bytes.length + 1) : bytes.length;
        return MemorySegment.ofArray(java.util.Arrays.copyOf(bytes, length));
    }
}
