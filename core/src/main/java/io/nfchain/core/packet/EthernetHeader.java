package io.nfchain.core.packet;

import java.lang.foreign.MemorySegment;

/**
 * Ethernet II header, with 802.1Q / 802.1ad (QinQ) tags between the source MAC and the
 * EtherType.
 *
 * <pre>
 *  0                   6                  12      14
 * +-------------------+-------------------+-------+
 * | destination MAC   | source MAC        | type  |           untagged
 * +-------------------+-------------------+-------+-----+-------+
 * | destination MAC   | source MAC        | TPID  | TCI | type  |   one tag (18 bytes)
 * +-------------------+-------------------+-------+-----+-------+
 *                          TCI = PCP(3) DEI(1) VID(12)
 * </pre>
 */
public final class EthernetHeader extends HeaderView {
    public static final int LENGTH = 14;
    public static final int TAG_LENGTH = 4;
    public static final int DST = 0;
    public static final int SRC = 6;
    public static final int TYPE = 12;

    public EthernetHeader wrap(MemorySegment segment, long offset) {
        bind(segment, offset);
        return this;
    }

    /** Destination MAC in the low 48 bits. */
    public long dst() {
        return NetBytes.u48(segment, offset + DST);
    }

    public EthernetHeader dst(long mac) {
        NetBytes.put48(segment, offset + DST, mac);
        return this;
    }

    /** Source MAC in the low 48 bits. */
    public long src() {
        return NetBytes.u48(segment, offset + SRC);
    }

    public EthernetHeader src(long mac) {
        NetBytes.put48(segment, offset + SRC, mac);
        return this;
    }

    /** The field at byte 12: the EtherType, or the first tag's TPID on a tagged frame. */
    public int typeOrTpid() {
        return u16(TYPE);
    }

    public EthernetHeader typeOrTpid(int value) {
        put16(TYPE, value);
        return this;
    }

    /** Number of VLAN tags (stops counting at 3: more is malformed for nfchain). */
    public int tagCount() {
        int n = 0;
        while (n < 3 && EtherTypes.isVlanTpid(u16(TYPE + n * TAG_LENGTH))) {
            n++;
        }
        return n;
    }

    /** TPID of tag {@code i} (0 = outermost). */
    public int tagTpid(int i) {
        return u16(TYPE + i * TAG_LENGTH);
    }

    /** TCI of tag {@code i} (0 = outermost). */
    public int tagTci(int i) {
        return u16(TYPE + 2 + i * TAG_LENGTH);
    }

    public int tagVlanId(int i) {
        return tagTci(i) & 0x0FFF;
    }

    public int tagPcp(int i) {
        return tagTci(i) >>> 13;
    }

    /** Writes tag {@code i}: TPID, then TCI from PCP, DEI and VID. The caller makes room. */
    public EthernetHeader tag(int i, int tpid, int pcp, boolean dei, int vlanId) {
        put16(TYPE + i * TAG_LENGTH, tpid);
        put16(TYPE + 2 + i * TAG_LENGTH, (pcp & 7) << 13 | (dei ? 1 << 12 : 0) | (vlanId & 0x0FFF));
        return this;
    }

    /** The EtherType after {@code tags} tags. */
    public int etherType(int tags) {
        return u16(TYPE + tags * TAG_LENGTH);
    }

    public EthernetHeader etherType(int tags, int etherType) {
        put16(TYPE + tags * TAG_LENGTH, etherType);
        return this;
    }

    /** Header length with {@code tags} VLAN tags. */
    public static int length(int tags) {
        return LENGTH + tags * TAG_LENGTH;
    }
}
