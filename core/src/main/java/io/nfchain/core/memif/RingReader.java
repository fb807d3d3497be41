package io.nfchain.core.memif;

import java.lang.foreign.MemorySegment;

/**
 * The one receive loop both roles share: copies the frames in the slots a peer produced
 * into a {@link PacketBurst}, checking every descriptor against the registered regions
 * first. A bad descriptor drops its whole frame with a reason; it is never followed.
 */
final class RingReader {
    private RingReader() {}

    /**
     * Reads complete frames from slots {@code cursor .. cursor + available - 1} into
     * {@code burst} (its count is set), counts them, and returns the new cursor (mod 2^16).
     * A frame whose chain is not yet complete is left for the next call.
     */
    static int read(MemifRing ring, int cursor, int available, MemifRegions regions, PacketBurst burst,
            MemifCounters counters) {
        int packets = 0;
        long bytes = 0;
        int capacity = burst.capacity();
        int frameBytes = burst.frameBytes();
        MemorySegment dst = burst.data();
        while (available > 0 && packets < capacity) {
            int chain = chainLength(ring, cursor, available);
            if (chain == 0) {
                if (available < ring.size()) {
                    break; // the rest of the frame is not published yet
                }
                counters.addDrop(MemifDrop.FRAME_TOO_LONG, 1); // NEXT on every slot of a full ring
                cursor += available;
                break;
            }
            long dstBase = burst.resetForReceive(packets);
            long total = 0;
            MemifDrop drop = null;
            for (int k = 0; k < chain && drop == null; k++) {
                int slot = cursor + k;
                int region = ring.descriptorRegion(slot);
                long offset = ring.descriptorOffset(slot); // read once: the peer may rewrite it
                long length = ring.descriptorLength(slot);
                drop = regions.check(region, offset, length);
                if (drop == null && total + length > frameBytes) {
                    drop = MemifDrop.FRAME_TOO_LONG;
                }
                if (drop == null) {
                    MemorySegment.copy(regions.segment(region), offset, dst, dstBase + total, length);
                    total += length;
                }
            }
            if (drop == null && total == 0) {
                drop = MemifDrop.FRAME_EMPTY;
            }
            if (drop != null) {
                counters.addDrop(drop, 1);
            } else {
                burst.put(packets++, (int) total, ring.descriptorMetadata(cursor));
                bytes += total;
            }
            cursor += chain;
            available -= chain;
        }
        burst.setCount(packets);
        counters.addRx(packets, bytes);
        return cursor & 0xffff;
    }

    /** Slots of the frame starting at {@code cursor}, or 0 when its chain runs past {@code available}. */
    private static int chainLength(MemifRing ring, int cursor, int available) {
        int chain = 1;
        while ((ring.descriptorFlags(cursor + chain - 1) & DescriptorLayout.FLAG_NEXT) != 0) {
            if (chain == available) {
                return 0;
            }
            chain++;
        }
        return chain;
    }

    /**
     * Frames in the {@code slots} slots from {@code cursor}: slots without the NEXT flag end a
     * frame, and a chain cut short by the end still counts as one. For loss accounting only.
     */
    static int frames(MemifRing ring, int cursor, int slots) {
        int frames = 0;
        boolean open = false;
        for (int i = 0; i < slots; i++) {
            open = (ring.descriptorFlags(cursor + i) & DescriptorLayout.FLAG_NEXT) != 0;
            if (!open) {
                frames++;
            }
        }
        return open ? frames + 1 : frames;
    }
}
