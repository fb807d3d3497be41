package io.nfchain.core.memif;

import java.lang.foreign.MemorySegment;

/**
 * Not thread-safe: filled during the handshake, then read by the datapath thread. The
 * mapped regions of one connection, by region index: what every descriptor is checked
 * against before a byte is followed.
 */
final class MemifRegions {
    private final MemorySegment[] segments;
    private int count;

    MemifRegions(int maxRegions) {
        this.segments = new MemorySegment[maxRegions];
    }

    void add(MemorySegment segment) {
        segments[count++] = segment;
    }

    int count() {
        return count;
    }

    MemorySegment segment(int region) {
        return segments[region];
    }

    /**
     * Why the buffer {@code region}/{@code offset}/{@code length} (unsigned 32-bit values)
     * may not be touched, or null when it lies wholly inside a registered region.
     */
    MemifDrop check(int region, long offset, long length) {
        if (region >= count) {
            return MemifDrop.DESCRIPTOR_REGION_UNKNOWN;
        }
        if (offset + length > segments[region].byteSize()) { // both < 2^32: no overflow
            return MemifDrop.DESCRIPTOR_OUTSIDE_REGION;
        }
        return null;
    }
}
