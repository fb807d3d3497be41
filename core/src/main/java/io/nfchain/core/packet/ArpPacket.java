package io.nfchain.core.packet;

import java.lang.foreign.MemorySegment;

/**
 * ARP for Ethernet and IPv4 (RFC 826), 28 bytes.
 *
 * <pre>
 *  0      2      4    5    6      8             14         18            24         28
 * +------+------+----+----+------+-------------+----------+-------------+----------+
 * | htype| ptype|hlen|plen|  op  | sender MAC  | sender IP| target MAC  | target IP|
 * +------+------+----+----+------+-------------+----------+-------------+----------+
 * </pre>
 */
public final class ArpPacket extends HeaderView {
    public static final int LENGTH = 28;
    public static final int OP_REQUEST = 1;
    public static final int OP_REPLY = 2;

    public ArpPacket wrap(MemorySegment segment, long offset) {
        bind(segment, offset);
        return this;
    }

    public int hardwareType() {
        return u16(0);
    }

    public int protocolType() {
        return u16(2);
    }

    public int hardwareLength() {
        return u8(4);
    }

    public int protocolLength() {
        return u8(5);
    }

    /** True when this is the Ethernet/IPv4 form whose address fields the accessors below read. */
    public boolean isEthernetIpv4() {
        return hardwareType() == 1 && protocolType() == EtherTypes.IPV4 && hardwareLength() == 6 && protocolLength() == 4;
    }

    public int operation() {
        return u16(6);
    }

    public long senderMac() {
        return NetBytes.u48(segment, offset + 8);
    }

    public int senderIp() {
        return u32(14);
    }

    public long targetMac() {
        return NetBytes.u48(segment, offset + 18);
    }

    public int targetIp() {
        return u32(24);
    }

    /** Writes a whole Ethernet/IPv4 ARP packet. */
    public ArpPacket set(int operation, long senderMac, int senderIp, long targetMac, int targetIp) {
        put16(0, 1);
        put16(2, EtherTypes.IPV4);
        put8(4, 6);
        put8(5, 4);
        put16(6, operation);
        NetBytes.put48(segment, offset + 8, senderMac);
        put32(14, senderIp);
        NetBytes.put48(segment, offset + 18, targetMac);
        put32(24, targetIp);
        return this;
    }
}
