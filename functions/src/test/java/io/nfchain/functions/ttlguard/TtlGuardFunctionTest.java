package io.nfchain.functions.ttlguard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.packet.Checksums;
import io.nfchain.core.packet.Ipv4Header;
import io.nfchain.core.packet.Ipv6Header;
import io.nfchain.core.packet.NetBytes;
import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.functions.sdk.CounterSet;
import io.nfchain.functions.sdk.PacketVector;
import io.nfchain.functions.ttlguard.TtlGuardFunction.Counter;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A function tested as the author guide shows: packets written into a burst, one
 * {@code process} call, then the bytes, outputs and counters checked. No link, no runner.
 */
class TtlGuardFunctionTest {
    private static final long MAC_A = 0x02_00_00_00_00_0aL;
    private static final long MAC_B = 0x02_00_00_00_00_0bL;

    private final TtlGuardFunction function = new TtlGuardFunction();

    @Test
    void decrementsTtlKeepsTheChecksumRightAndDropsWhatExpires() {
        Random random = new Random(11);
        try (PacketBurst burst = new PacketBurst(32, 2048)) {
            CounterSet<Counter> counters = new CounterSet<>(Counter.class);
            PacketVector<Counter> vector = new PacketVector<>(burst, counters, 1);
            long forwarded = 0;
            long expired = 0;
            for (int round = 0; round < 500; round++) {
                int[] ttl = new int[32];
                boolean[] v6 = new boolean[32];
                for (int i = 0; i < 32; i++) {
                    ttl[i] = random.nextInt(4) == 0 ? random.nextInt(2) : random.nextInt(256);
                    v6[i] = random.nextBoolean();
                    PacketBuilder b = new PacketBuilder().ethernet(MAC_B, MAC_A);
                    if (v6[i]) {
                        b.ipv6(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong())
                                .ipv6Fields(random.nextInt(256), random.nextInt(1 << 20), ttl[i]);
                    } else {
                        b.ipv4(random.nextInt(), random.nextInt()).ipv4Fields(random.nextInt(256), ttl[i],
                                random.nextInt(65536), 0, new byte[0]);
                    }
                    write(burst, i, b.udp(random.nextInt(65536), 53).payload(random.nextInt(200)).build());
                }
                burst.setCount(32);
                vector.begin(0);
                function.process(vector);
                for (int i = 0; i < 32; i++) {
                    long ip = burst.offset(i) + vector.packet(i).l3Offset();
                    if (ttl[i] <= 1) {
                        assertEquals(PacketVector.DROP, vector.output(i), "ttl " + ttl[i] + " expires");
                        expired++;
                    } else if (v6[i]) {
                        assertEquals(0, vector.output(i));
                        assertEquals(ttl[i] - 1, NetBytes.u8(burst.data(), ip + Ipv6Header.HOP_LIMIT));
                        forwarded++;
                    } else {
                        assertEquals(0, vector.output(i));
                        assertEquals(ttl[i] - 1, NetBytes.u8(burst.data(), ip + Ipv4Header.TTL));
                        assertEquals(Checksums.ipv4Header(burst.data(), ip),
                                NetBytes.u16(burst.data(), ip + Ipv4Header.CHECKSUM), "RFC 1624 update = recomputation");
                        forwarded++;
                    }
                }
            }
            assertEquals(forwarded, counters.get(Counter.FORWARDED));
            assertEquals(expired, counters.get(Counter.TTL_EXPIRED));
            assertEquals(expired, counters.drops());
        }
    }

    @Test
    void arpPassesAndATruncatedIpHeaderIsDroppedWithItsReason() {
        try (PacketBurst burst = new PacketBurst(2, 2048)) {
            CounterSet<Counter> counters = new CounterSet<>(Counter.class);
            PacketVector<Counter> vector = new PacketVector<>(burst, counters, 1);
            write(burst, 0, new PacketBuilder().ethernet(-1L & 0xffff_ffff_ffffL, MAC_A)
                    .arp(1, MAC_A, 0x0a000001, 0, 0x0a000002).build());
            MemorySegment ip = new PacketBuilder().ethernet(MAC_B, MAC_A).ipv4(1, 2).udp(1, 2).build();
            write(burst, 1, ip.asSlice(0, 14 + 12)); // cut inside the IPv4 header
            burst.setCount(2);
            vector.begin(0);
            function.process(vector);
            assertEquals(0, vector.output(0));
            assertEquals(PacketVector.DROP, vector.output(1));
            assertEquals(1, counters.get(Counter.PASSED_NON_IP));
            assertEquals(1, counters.get(Counter.NOT_IP_MALFORMED));
        }
    }

    private static void write(PacketBurst burst, int index, MemorySegment frame) {
        MemorySegment.copy(frame, 0, burst.data(), burst.offset(index), frame.byteSize());
        burst.setLength(index, (int) frame.byteSize());
    }
}
