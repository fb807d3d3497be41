package io.nfchain.core.afpacket;

import static io.nfchain.core.afpacket.TpacketLayout.BLOCK_DESC_BYTES;
import static io.nfchain.core.afpacket.TpacketLayout.BLOCK_FIRST_PKT_OFFSET;
import static io.nfchain.core.afpacket.TpacketLayout.BLOCK_NUM_PKTS_OFFSET;
import static io.nfchain.core.afpacket.TpacketLayout.BLOCK_STATUS_OFFSET;
import static io.nfchain.core.afpacket.TpacketLayout.HDR_BYTES;
import static io.nfchain.core.afpacket.TpacketLayout.HDR_LEN_OFFSET;
import static io.nfchain.core.afpacket.TpacketLayout.HDR_MAC_OFFSET;
import static io.nfchain.core.afpacket.TpacketLayout.HDR_NEXT_OFFSET;
import static io.nfchain.core.afpacket.TpacketLayout.HDR_SNAPLEN_OFFSET;
import static io.nfchain.core.afpacket.TpacketLayout.HDR_STATUS_OFFSET;
import static io.nfchain.core.afpacket.TpacketLayout.HDR_VLAN_TCI_OFFSET;
import static io.nfchain.core.afpacket.TpacketLayout.HDR_VLAN_TPID_OFFSET;

import io.nfchain.core.memif.PacketBurst;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Not thread-safe: one reader. Walks a TPACKET_V3 receive ring: takes the next block once the
 * kernel marks it TP_STATUS_USER, copies its packets into bursts (a block may span several
 * bursts), and gives it back with a release store of TP_STATUS_KERNEL. Every offset the kernel
 * wrote is checked against the block before it is followed; a bad one drops the rest of the
 * block, counted, and the block goes back.
 *
 * <p>A tag the device stripped (TP_STATUS_VLAN_VALID) is put back into the copy, so a burst
 * holds the frame as it was on the wire.
 */
final class RxRing {
    private static final VarHandle STATUS = ValueLayout.JAVA_INT.varHandle();
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT;
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int MAC_ADDRESSES_BYTES = 12;
    private static final int VLAN_TAG_BYTES = 4;
    private static final int TPID_8021Q = 0x8100;

    private final MemorySegment ring;
    private final int blockBytes;
    private final int blockCount;
    private int block;
    /** Packets of the current block not yet read; 0 when no block is open. */
    private int remaining;
    /** Offset in the current block of the next packet's header. */
    private int packetOffset;

    RxRing(MemorySegment ring, int blockBytes, int blockCount) {
        this.ring = ring;
        this.blockBytes = blockBytes;
        this.blockCount = blockCount;
    }

    /**
     * Copies up to {@code burst.capacity()} frames into {@code burst} (sets its count).
     *
     * @return frames received
     */
    int read(PacketBurst burst, AfPacketCounters counters) {
        int capacity = burst.capacity();
        int packets = 0;
        long bytes = 0;
        while (packets < capacity && (remaining > 0 || openBlock(counters))) {
            int length = copyPacket(burst, packets, counters);
            if (length > 0) {
                packets++;
                bytes += length;
            }
        }
        burst.setCount(packets);
        counters.addRx(packets, bytes);
        return packets;
    }

    /** Whether a block is ready to read (an idle check that touches one cache line). */
    boolean readable() {
        return remaining > 0
                || ((int) STATUS.getAcquire(ring, blockBase() + BLOCK_STATUS_OFFSET) & TpacketLayout.TP_STATUS_USER) != 0;
    }

    /**
     * Opens the next block the kernel has handed over that has packets; gives back empty and
     * corrupt ones on the way (each release returns a block, so this ends within one lap).
     *
     * @return false when the next block is still the kernel's
     */
    private boolean openBlock(AfPacketCounters counters) {
        while (true) {
            long base = blockBase();
            int status = (int) STATUS.getAcquire(ring, base + BLOCK_STATUS_OFFSET);
            if ((status & TpacketLayout.TP_STATUS_USER) == 0) {
                return false;
            }
            int packets = ring.get(U32, base + BLOCK_NUM_PKTS_OFFSET);
            int first = ring.get(U32, base + BLOCK_FIRST_PKT_OFFSET);
            if (packets > 0 && fitsHeader(first)) {
                remaining = packets;
                packetOffset = first;
                return true;
            }
            if (packets != 0) {
                counters.addDrop(AfPacketDrop.RX_RING_CORRUPT, 1);
            }
            releaseBlock();
        }
    }

    /**
     * Copies the packet at {@link #packetOffset} into frame {@code index} of {@code burst} and
     * moves to the next one, closing the block after its last.
     *
     * @return the frame's length, or 0 when it was dropped (counted)
     */
    private int copyPacket(PacketBurst burst, int index, AfPacketCounters counters) {
        long header = blockBase() + packetOffset;
        int snap = ring.get(U32, header + HDR_SNAPLEN_OFFSET);
        int mac = Short.toUnsignedInt(ring.get(U16, header + HDR_MAC_OFFSET));
        long end = (long) packetOffset + mac + Integer.toUnsignedLong(snap);
        if (mac < HDR_BYTES || end > blockBytes || snap < MAC_ADDRESSES_BYTES) {
            counters.addDrop(AfPacketDrop.RX_RING_CORRUPT, remaining);
            releaseBlock();
            return 0;
        }
        int status = ring.get(U32, header + HDR_STATUS_OFFSET);
        int length = deliver(burst, index, header, mac, snap, status, counters);
        if (--remaining == 0) {
            releaseBlock();
        } else {
            int next = ring.get(U32, header + HDR_NEXT_OFFSET);
            if (next < HDR_BYTES || !fitsHeader(packetOffset + next)) {
                counters.addDrop(AfPacketDrop.RX_RING_CORRUPT, remaining);
                releaseBlock();
            } else {
                packetOffset += next;
            }
        }
        return length;
    }

    private int deliver(PacketBurst burst, int index, long header, int mac, int snap, int status,
            AfPacketCounters counters) {
        int wireLength = ring.get(U32, header + HDR_LEN_OFFSET);
        if (snap != wireLength) {
            counters.addDrop(AfPacketDrop.RX_TRUNCATED, 1);
            return 0;
        }
        boolean tagged = (status & TpacketLayout.TP_STATUS_VLAN_VALID) != 0;
        int length = tagged ? snap + VLAN_TAG_BYTES : snap;
        if (length > burst.frameBytes()) {
            counters.addDrop(AfPacketDrop.RX_TOO_LONG, 1);
            return 0;
        }
        MemorySegment dst = burst.data();
        long out = burst.resetForReceive(index);
        long in = header + mac;
        if (tagged) {
            MemorySegment.copy(ring, in, dst, out, MAC_ADDRESSES_BYTES);
            int tpid = (status & TpacketLayout.TP_STATUS_VLAN_TPID_VALID) != 0
                    ? Short.toUnsignedInt(ring.get(U16, header + HDR_VLAN_TPID_OFFSET)) : TPID_8021Q;
            dst.set(BE16, out + MAC_ADDRESSES_BYTES, (short) tpid);
            dst.set(BE16, out + MAC_ADDRESSES_BYTES + 2, (short) ring.get(U32, header + HDR_VLAN_TCI_OFFSET));
            MemorySegment.copy(ring, in + MAC_ADDRESSES_BYTES, dst, out + MAC_ADDRESSES_BYTES + VLAN_TAG_BYTES,
                    snap - MAC_ADDRESSES_BYTES);
        } else {
            MemorySegment.copy(ring, in, dst, out, snap);
        }
        burst.put(index, length, 0);
        return length;
    }

    /** The kernel packs packets at 8-byte alignment (V3_ALIGNMENT), so their u32 fields are aligned. */
    private boolean fitsHeader(int offset) {
        return offset >= BLOCK_DESC_BYTES && offset <= blockBytes - HDR_BYTES && (offset & (TpacketLayout.RX_PACKET_ALIGNMENT - 1)) == 0;
    }

    private void releaseBlock() {
        remaining = 0;
        STATUS.setRelease(ring, blockBase() + BLOCK_STATUS_OFFSET, TpacketLayout.TP_STATUS_KERNEL);
        block = block + 1 == blockCount ? 0 : block + 1;
    }

    private long blockBase() {
        return (long) block * blockBytes;
    }
}
