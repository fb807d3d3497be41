package io.nfchain.core.packet;

import java.lang.foreign.MemorySegment;

/**
 * A reusable view of one protocol header at an offset in a {@link MemorySegment}: reads and
 * writes fields in network byte order, in place.
 *
 * <p>Views check nothing on wrap; the caller wraps only where {@link PacketParser} found the
 * header (or where it is building one). Every access is still bounds-checked by the segment.
 * Not thread-safe: one view per worker.
 */
public abstract class HeaderView {
    protected MemorySegment segment;
    protected long offset;

    protected void bind(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
    }

    public MemorySegment segment() {
        return segment;
    }

    /** Offset of the header's first byte in {@link #segment()}. */
    public long offset() {
        return offset;
    }

    protected final int u8(int at) {
        return NetBytes.u8(segment, offset + at);
    }

    protected final int u16(int at) {
        return NetBytes.u16(segment, offset + at);
    }

    protected final int u32(int at) {
        return NetBytes.u32(segment, offset + at);
    }

    protected final long u64(int at) {
        return NetBytes.u64(segment, offset + at);
    }

    protected final void put8(int at, int value) {
        NetBytes.put8(segment, offset + at, value);
    }

    protected final void put16(int at, int value) {
        NetBytes.put16(segment, offset + at, value);
    }

    protected final void put32(int at, int value) {
        NetBytes.put32(segment, offset + at, value);
    }

    protected final void put64(int at, long value) {
        NetBytes.put64(segment, offset + at, value);
    }
}
