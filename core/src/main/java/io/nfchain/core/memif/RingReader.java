package io.nfchain.core.memif;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The one receive loop both roles share: copies the frames in the slots a peer produced
 * into a {@link PacketBurst}, checking every descriptor against the registered regions
 * first. A bad descriptor drops its whole frame with a reason; it is never followed.
 */
final class RingReader {
    private RingReader() {}

    /**
     * Reads complete frames from slots {@code cursor .. cursor + available - 1} into
     * {@code burst} (its count is set), at most {@code maxFrames} of them, counts them, and
     * returns the new cursor (mod 2^16). A frame whose chain is not yet complete is left for the
     * next call.
     */
    static int read(MemifRing ring, int cursor, int available, MemifRegions regions, PacketBurst burst,
            MemifCounters counters, int maxFrames) {
        burst.reclaim();
        int packets = 0;
        long bytes = 0;
        int capacity = Math.min(burst.capacity(), maxFrames);
        int frameBytes = burst.frameBytes();
        MemorySegment dst = burst.data();
        burst.warmed(warm(ring, cursor, Math.min(available, capacity), regions));
        while (available > 0 && packets < capacity) {
            long word0 = ring.descriptorWord0(cursor); // read once: the peer may rewrite it
            if ((MemifRing.flags(word0) & DescriptorLayout.FLAG_NEXT) == 0) { // one slot: the common case
                long word1 = ring.descriptorWord1(cursor);
                int region = MemifRing.region(word0);
                long length = MemifRing.length(word0);
                long offset = MemifRing.offset(word1);
                MemifDrop drop = regions.check(region, offset, length);
                if (drop == null && length > frameBytes) {
                    drop = MemifDrop.FRAME_TOO_LONG;
                } else if (drop == null && length == 0) {
                    drop = MemifDrop.FRAME_EMPTY;
                }
                if (drop != null) {
                    counters.addDrop(drop, 1);
                } else {
                    MemorySegment.copy(regions.segment(region), offset, dst, burst.resetForReceive(packets), length);
                    burst.put(packets++, (int) length, MemifRing.metadata(word1));
                    bytes += length;
                }
                cursor++;
                available--;
                continue;
            }
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
            int metadata = 0;
            for (int k = 0; k < chain && drop == null; k++) {
                int slot = cursor + k;
                long w0 = ring.descriptorWord0(slot);
                long w1 = ring.descriptorWord1(slot);
                int region = MemifRing.region(w0);
                long offset = MemifRing.offset(w1);
                long length = MemifRing.length(w0);
                if (k == 0) {
                    metadata = MemifRing.metadata(w1);
                }
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
                burst.put(packets++, (int) total, metadata);
                bytes += total;
            }
            cursor += chain;
            available -= chain;
        }
        burst.setCount(packets);
        counters.addRx(packets, bytes);
        return cursor & 0xffff;
    }

    /**
     * Loads every descriptor of the next {@code slots} slots and the first byte of each buffer
     * they point into, with nothing else in the loop. The peer wrote those lines on its own core,
     * so each first touch is a transfer between caches; loaded one frame at a time inside the copy
     * loop they wait out one another, here they are all in flight together and the copies that
     * follow find them cached (the bulk-prefetch step of DPDK's receive paths, which Java can only
     * express as loads). Only what is checked to lie inside a region is touched; the copy loop
     * still checks every descriptor as it reads it again.
     *
     * @return what the loaded bytes sum to: meaningless, for the caller to keep so the loads stay
     */
    static int warm(MemifRing ring, int cursor, int slots, MemifRegions regions) {
        int touched = 0;
        int count = regions.count();
        for (int k = 0; k < slots; k++) {
            int region = MemifRing.region(ring.descriptorWord0(cursor + k));
            long offset = MemifRing.offset(ring.descriptorWord1(cursor + k));
            if (region < count) {
                MemorySegment segment = regions.segment(region);
                if (offset < segment.byteSize()) {
                    touched += segment.get(ValueLayout.JAVA_BYTE, offset);
                }
            }
        }
        return touched;
    }

    /** Slots of the frame starting at {@code cursor}, or 0 when its chain runs past {@code available}. */
    static int chainLength(MemifRing ring, int cursor, int available) {
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
