package io.nfchain.core.afpacket;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.core.memif.PacketBurst;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The receive ring walker against blocks written here the way the kernel writes them (no root
 * needed), then against the same blocks with random header fields: every frame comes out as
 * written, tags put back; damaged blocks drop with RX_RING_CORRUPT and are given back, never
 * throw and never read outside their block.
 */
class RxRingFuzzTest {
    private static final int BLOCK_BYTES = 8192;
    private static final int BLOCKS = 4;

    @Test
    void framesWrittenAsTheKernelDoesComeOutWholeWithTheirTagsBack() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        try (Arena arena = Arena.ofConfined(); PacketBurst burst = new PacketBurst(16, 2048)) {
            MemorySegment ring = arena.allocate((long) BLOCK_BYTES * BLOCKS, 4096);
            RxRing rx = new RxRing(ring, BLOCK_BYTES, BLOCKS);
            AfPacketCounters counters = new AfPacketCounters();
            for (int round = 0; round < 200; round++) {
                List<byte[]> expected = new ArrayList<>();
                for (int b = 0; b < BLOCKS; b++) {
                    expected.addAll(writeBlock(ring, b, random, new ArrayList<>()));
                }
                List<byte[]> got = new ArrayList<>();
                while (rx.read(burst, counters) > 0) {
                    for (int i = 0; i < burst.count(); i++) {
                        got.add(burst.data().asSlice(burst.offset(i), burst.length(i)).toArray(JAVA_BYTE));
                    }
                }
                assertEquals(expected.size(), got.size(), "seed " + seed);
                for (int i = 0; i < got.size(); i++) {
                    assertArrayEquals(expected.get(i), got.get(i), "round " + round + " frame " + i + ", seed " + seed);
                }
                for (int b = 0; b < BLOCKS; b++) {
                    assertEquals(TpacketLayout.TP_STATUS_KERNEL, ring.get(JAVA_INT, (long) b * BLOCK_BYTES + 8), "block given back");
                }
            }
            assertEquals(0, counters.totalDrops(), "seed " + seed);
        }
    }

    @Test
    void damagedHeadersAreDroppedAndTheBlockGivenBackNeverFollowed() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        long[] fields = {TpacketLayout.HDR_NEXT_OFFSET, TpacketLayout.HDR_SNAPLEN_OFFSET, TpacketLayout.HDR_LEN_OFFSET,
            TpacketLayout.HDR_MAC_OFFSET, TpacketLayout.HDR_STATUS_OFFSET};
        try (Arena arena = Arena.ofConfined(); PacketBurst burst = new PacketBurst(16, 2048)) {
            // The segment is exactly the ring: a read past its end throws and fails the test.
            MemorySegment ring = arena.allocate((long) BLOCK_BYTES * BLOCKS, 4096);
            RxRing rx = new RxRing(ring, BLOCK_BYTES, BLOCKS);
            AfPacketCounters counters = new AfPacketCounters();
            long delivered = 0;
            for (int round = 0; round < 20_000; round++) {
                int b = round % BLOCKS;
                List<Integer> offsets = new ArrayList<>();
                writeBlock(ring, b, random, offsets);
                long block = (long) b * BLOCK_BYTES;
                for (int damage = 1 + random.nextInt(3); damage > 0; damage--) {
                    if (random.nextInt(5) == 0) {
                        long at = random.nextBoolean() ? TpacketLayout.BLOCK_NUM_PKTS_OFFSET : TpacketLayout.BLOCK_FIRST_PKT_OFFSET;
                        ring.set(JAVA_INT, block + at, random.nextInt());
                    } else {
                        long at = block + offsets.get(random.nextInt(offsets.size())) + fields[random.nextInt(fields.length)];
                        ring.set(JAVA_SHORT, at, (short) random.nextInt()); // low half of a u32, or a whole u16
                    }
                }
                int got;
                while ((got = rx.read(burst, counters)) > 0) {
                    for (int i = 0; i < got; i++) {
                        assertTrue(burst.length(i) <= burst.frameBytes(), "seed " + seed);
                    }
                    delivered += got;
                }
                assertEquals(TpacketLayout.TP_STATUS_KERNEL, ring.get(JAVA_INT, block + 8), "round " + round + ", seed " + seed
                        + ", num_pkts " + ring.get(JAVA_INT, block + 12) + ", first " + ring.get(JAVA_INT, block + 16));
            }
            assertTrue(counters.drops(AfPacketDrop.RX_RING_CORRUPT) > 0, "damage was seen, seed " + seed);
            assertTrue(delivered > 0, "undamaged packets still came through, seed " + seed);
        }
    }

    /** Fills block {@code b} as the kernel would, hands it to the reader; the frames as the reader should deliver them. */
    private static List<byte[]> writeBlock(MemorySegment ring, int b, Random random, List<Integer> offsets) {
        long block = (long) b * BLOCK_BYTES;
        List<byte[]> frames = new ArrayList<>();
        int offset = TpacketLayout.BLOCK_DESC_BYTES;
        int previous = -1;
        while (true) {
            boolean tagged = random.nextInt(4) == 0;
            int snap = 14 + random.nextInt(tagged ? 1500 : 1501);
            // The kernel rounds each packet up to 8 bytes (V3_ALIGNMENT), not to TPACKET_ALIGNMENT.
            int total = (TpacketLayout.RX_MAC_OFFSET + snap + 7) & -8;
            if (offset + total > BLOCK_BYTES || frames.size() == 64) {
                break;
            }
            byte[] wire = new byte[snap];
            random.nextBytes(wire);
            long header = block + offset;
            ring.asSlice(header, total).fill((byte) 0);
            ring.set(JAVA_INT, header + TpacketLayout.HDR_SNAPLEN_OFFSET, snap);
            ring.set(JAVA_INT, header + TpacketLayout.HDR_LEN_OFFSET, snap);
            ring.set(JAVA_SHORT, header + TpacketLayout.HDR_MAC_OFFSET, (short) TpacketLayout.RX_MAC_OFFSET);
            MemorySegment.copy(wire, 0, ring, JAVA_BYTE, header + TpacketLayout.RX_MAC_OFFSET, snap);
            byte[] delivered = wire;
            if (tagged) {
                int tci = random.nextInt(0x10000);
                boolean ad = random.nextBoolean();
                ring.set(JAVA_INT, header + TpacketLayout.HDR_STATUS_OFFSET,
                        TpacketLayout.TP_STATUS_VLAN_VALID | (ad ? TpacketLayout.TP_STATUS_VLAN_TPID_VALID : 0));
                ring.set(JAVA_INT, header + TpacketLayout.HDR_VLAN_TCI_OFFSET, tci);
                ring.set(JAVA_SHORT, header + TpacketLayout.HDR_VLAN_TPID_OFFSET, (short) (ad ? 0x88a8 : 0x9100));
                int tpid = ad ? 0x88a8 : 0x8100; // without TPID_VALID the kernel means 802.1Q
                delivered = new byte[snap + 4];
                System.arraycopy(wire, 0, delivered, 0, 12);
                delivered[12] = (byte) (tpid >> 8);
                delivered[13] = (byte) tpid;
                delivered[14] = (byte) (tci >> 8);
                delivered[15] = (byte) tci;
                System.arraycopy(wire, 12, delivered, 16, snap - 12);
            }
            if (previous >= 0) {
                ring.set(JAVA_INT, block + previous + TpacketLayout.HDR_NEXT_OFFSET, offset - previous);
            }
            frames.add(delivered);
            offsets.add(offset);
            previous = offset;
            offset += total;
        }
        ring.set(JAVA_INT, block + TpacketLayout.BLOCK_NUM_PKTS_OFFSET, frames.size());
        ring.set(JAVA_INT, block + TpacketLayout.BLOCK_FIRST_PKT_OFFSET, TpacketLayout.BLOCK_DESC_BYTES);
        ring.set(JAVA_INT, block + TpacketLayout.BLOCK_STATUS_OFFSET, TpacketLayout.TP_STATUS_USER);
        return frames;
    }
}
