package io.nfchain.core.packet;

import java.lang.foreign.MemorySegment;

/**
 * IPv6 fixed header (RFC 8200), 40 bytes.
 *
 * <pre>
 *  0       4               12                                  31
 * +-------+---------------+------------------------------------+
 * |version| traffic class |             flow label             |  0
 * +-------+---------------+-------------+----------+-----------+
 * |         payload length              |next header| hop limit |  4
 * +-------------------------------------+----------+-----------+
 * |                source address (16 bytes)                   |  8
 * |             destination address (16 bytes)                 | 24
 * +------------------------------------------------------------+
 * </pre>
 */
public final class Ipv6Header extends HeaderView {
    public static final int LENGTH = 40;
    public static final int PAYLOAD_LENGTH = 4;
    public static final int NEXT_HEADER = 6;
    public static final int HOP_LIMIT = 7;
    public static final int SRC = 8;
    public static final int DST = 24;

    public Ipv6Header wrap(MemorySegment segment, long offset) {
        bind(segment, offset);
        return this;
    }

    public int version() {
        return u8(0) >>> 4;
    }

    public int trafficClass() {
        return (u32(0) >>> 20) & 0xFF;
    }

    public int flowLabel() {
        return u32(0) & 0xFFFFF;
    }

    /** Sets the DSCP (0..63) in the traffic class, keeping the ECN bits and the flow label. */
    public Ipv6Header markDscp(int dscp) {
        int word = u32(0);
        put32(0, (word & 0xF03F_FFFF) | (dscp & 0x3F) << 22);
        return this;
    }

    /** Writes version 6, the traffic class and the flow label. */
    public Ipv6Header versionClassFlow(int trafficClass, int flowLabel) {
        put32(0, 6 << 28 | (trafficClass & 0xFF) << 20 | (flowLabel & 0xFFFFF));
        return this;
    }

    public int payloadLength() {
        return u16(PAYLOAD_LENGTH);
    }

    public Ipv6Header payloadLength(int bytes) {
        put16(PAYLOAD_LENGTH, bytes);
        return this;
    }

    public int nextHeader() {
        return u8(NEXT_HEADER);
    }

    public Ipv6Header nextHeader(int next) {
        put8(NEXT_HEADER, next);
        return this;
    }

    public int hopLimit() {
        return u8(HOP_LIMIT);
    }

    public Ipv6Header hopLimit(int hops) {
        put8(HOP_LIMIT, hops);
        return this;
    }

    public long srcHi() {
        return u64(SRC);
    }

    public long srcLo() {
        return u64(SRC + 8);
    }

    public long dstHi() {
        return u64(DST);
    }

    public long dstLo() {
        return u64(DST + 8);
    }

    public Ipv6Header src(long hi, long lo) {
        put64(SRC, hi);
        put64(SRC + 8, lo);
        return this;
    }

    public Ipv6Header dst(long hi, long lo) {
        put64(DST, hi);
        put64(DST + 8, lo);
        return this;
    }
}
