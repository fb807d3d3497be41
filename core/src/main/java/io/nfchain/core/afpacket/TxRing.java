package io.nfchain.core.afpacket;

import static io.nfchain.core.afpacket.TpacketLayout.HDR_LEN_OFFSET;
import static io.nfchain.core.afpacket.TpacketLayout.HDR_NEXT_OFFSET;
import static io.nfchain.core.afpacket.TpacketLayout.HDR_SNAPLEN_OFFSET;
import static io.nfchain.core.afpacket.TpacketLayout.HDR_STATUS_OFFSET;
import static io.nfchain.core.afpacket.TpacketLayout.TX_DATA_OFFSET;

import io.nfchain.core.memif.PacketBurst;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Not thread-safe: one writer. A TPACKET_V3 transmit ring: fixed slots, each a
 * {@code tpacket3_hdr} and the frame at byte 48. The writer fills the next slot in order while
 * the kernel shows it TP_STATUS_AVAILABLE, marks it TP_STATUS_SEND_REQUEST with a release
 * store, and the port's kick makes the kernel send every marked slot and free it again.
 *
 * <p>Frames the kernel would refuse (shorter than an Ethernet header, longer than the MTU) are
 * dropped here with a reason: with PACKET_LOSS the kernel would skip them silently.
 */
final class TxRing {
    private static final VarHandle STATUS = ValueLayout.JAVA_INT.varHandle();
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int ETHERNET_HEADER_BYTES = 14;
    private static final int ETHERTYPE_OFFSET = 12;
    private static final int TPID_8021Q = 0x8100;
    private static final int VLAN_TAG_BYTES = 4;

    private final MemorySegment ring;
    private final long[] slotOffsets;
    private final int ringSlots;
    private final int slotCapacity;
    private final int maxFrameBytes;
    private int slot;
    private int postedByLastCall;

    /**
     * @param mtuBytes the interface MTU: untagged frames up to {@code mtuBytes + 14} bytes, 802.1Q
     *     tagged ones 4 more (as the kernel allows), and never more than a slot holds
     */
    TxRing(MemorySegment ring, int blockBytes, int blockCount, int frameBytes, int mtuBytes) {
        this.ring = ring;
        int perBlock = blockBytes / frameBytes;
        this.slotOffsets = new long[perBlock * blockCount];
        for (int i = 0; i < slotOffsets.length; i++) {
            slotOffsets[i] = (long) (i / perBlock) * blockBytes + (long) (i % perBlock) * frameBytes;
        }
        this.maxFrameBytes = Math.min(mtuBytes + ETHERNET_HEADER_BYTES, frameBytes - TX_DATA_OFFSET);
        this.ringSlots = slotOffsets.length;
        this.slotCapacity = frameBytes - TX_DATA_OFFSET;
    }

    int slots() {
        return ringSlots;
    }

    /**
     * Posts {@code frames[from .. count-1]} of {@code burst}, in order, until a slot is still the
     * kernel's. Counts posted frames and drops; the caller kicks.
     *
     * @return the index in {@code frames} of the first frame not consumed ({@code count} when all were)
     */
    int post(PacketBurst burst, int[] frames, int from, int count, AfPacketCounters counters) {
        MemorySegment src = burst.data();
        int i = from;
        int posted = 0;
        long bytes = 0;
        for (; i < count; i++) {
            int frame = frames[i];
            int length = burst.length(frame);
            long offset = burst.offset(frame);
            AfPacketDrop drop = check(src, offset, length);
            if (drop != null) {
                counters.addDrop(drop, 1);
                continue;
            }
            long base = slotOffsets[slot];
            int status = (int) STATUS.getAcquire(ring, base + HDR_STATUS_OFFSET);
            if ((status & (TpacketLayout.TP_STATUS_SEND_REQUEST | TpacketLayout.TP_STATUS_SENDING)) != 0) {
                break;
            }
            if (status == TpacketLayout.TP_STATUS_WRONG_FORMAT) {
                counters.addDrop(AfPacketDrop.TX_REJECTED, 1); // an earlier frame in this slot
            }
            MemorySegment.copy(src, offset, ring, base + TX_DATA_OFFSET, length);
            ring.set(U32, base + HDR_LEN_OFFSET, length);
            ring.set(U32, base + HDR_SNAPLEN_OFFSET, length);
            ring.set(U32, base + HDR_NEXT_OFFSET, 0); // V3 transmit refuses chained frames
            STATUS.setRelease(ring, base + HDR_STATUS_OFFSET, TpacketLayout.TP_STATUS_SEND_REQUEST);
            slot = slot + 1 == ringSlots ? 0 : slot + 1;
            posted++;
            bytes += length;
        }
        counters.addTx(posted, bytes);
        postedByLastCall = posted;
        return i;
    }

    /** Frames the last {@link #post} put in the ring (not counting drops). */
    int postedByLastCall() {
        return postedByLastCall;
    }

    private AfPacketDrop check(MemorySegment src, long offset, int length) {
        if (length < ETHERNET_HEADER_BYTES) {
            return AfPacketDrop.TX_TOO_SHORT;
        }
        if (length > maxFrameBytes) {
            boolean tagged = Short.toUnsignedInt(src.get(BE16, offset + ETHERTYPE_OFFSET)) == TPID_8021Q;
            if (!tagged || length > maxFrameBytes + VLAN_TAG_BYTES || length > slotCapacity) {
                return AfPacketDrop.TX_TOO_LONG;
            }
        }
        return null;
    }
}
