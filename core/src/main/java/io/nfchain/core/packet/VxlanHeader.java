package io.nfchain.core.packet;

import java.lang.foreign.MemorySegment;

/**
 * VXLAN header (RFC 7348), 8 bytes, followed by the inner Ethernet frame.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-------------------------------------------+
 * |R|R|R|R|I|R|R|R|            reserved (24)                  |
 * +-+-+-+-+-+-+-+-+-----------------------------+-------------+
 * |           VXLAN network identifier (24)     | reserved (8)|
 * +---------------------------------------------+-------------+
 * </pre>
 */
public final class VxlanHeader extends HeaderView {
    public static final int LENGTH = 8;
    public static final int FLAG_VNI_VALID = 0x08;

    public VxlanHeader wrap(MemorySegment segment, long offset) {
        bind(segment, offset);
        return this;
    }

    public int flags() {
        return u8(0);
    }

    public int vni() {
        return u32(4) >>> 8;
    }

    /** Writes the I flag and {@code vni} (24 bits), zeroing the reserved fields. */
    public VxlanHeader set(int vni) {
        put32(0, FLAG_VNI_VALID << 24);
        put32(4, (vni & 0xFFFFFF) << 8);
        return this;
    }
}
