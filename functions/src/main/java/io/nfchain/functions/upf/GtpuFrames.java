package io.nfchain.functions.upf;

import static io.nfchain.core.packet.NetBytes.put16;
import static io.nfchain.core.packet.NetBytes.put32;
import static io.nfchain.core.packet.NetBytes.put48;
import static io.nfchain.core.packet.NetBytes.put64;
import static io.nfchain.core.packet.NetBytes.put8;
import static io.nfchain.core.packet.NetBytes.u16;
import static io.nfchain.core.packet.NetBytes.u32;
import static io.nfchain.core.packet.NetBytes.u48;
import static io.nfchain.core.packet.NetBytes.u8;
import static io.nfchain.core.packet.NetBytes.u64;

import io.nfchain.core.packet.Checksums;
import io.nfchain.core.packet.GtpuHeader;
import io.nfchain.core.packet.IpProtocols;
import java.lang.foreign.MemorySegment;

/**
 * Stateless. Writes the headers the upf adds: outer IPv4 or IPv6, UDP and GTP-U v1 (TS 29.281)
 * with an optional PDU Session Container (TS 38.415, downlink PDU type 0), and the messages it
 * answers or sends (echo response with a Recovery IE, end marker). Offsets are absolute in
 * {@code s}; nothing allocates.
 *
 * <pre>
 * outer IPv4 (20) | UDP (8) | GTP-U 8 [+ 4 seq/npdu/next=0x85 + 4 container len=1, type 0, QFI, next=0] | inner IP
 * </pre>
 */
final class GtpuFrames {
    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_IPV6 = 0x86DD;
    static final int RECOVERY_IE = 14;
    static final int TTL = 64;

    private GtpuFrames() {}

    /** Bytes of outer IP + UDP + GTP-U (+ container) in front of an inner packet. */
    static int tunnelBytes(boolean ipv6, boolean container) {
        return (ipv6 ? 40 : 20) + 8 + GtpuHeader.LENGTH + (container ? 8 : 0);
    }

    /**
     * Writes outer IP, UDP and GTP-U at {@code at} for a {@code payloadBytes}-byte GTP-U payload
     * (the inner packet, or nothing for an end marker).
     *
     * @param qfi the container's QFI, or -1 for no container
     * @param tos the outer IPv4 TOS / IPv6 traffic class byte
     */
    static void writeTunnel(MemorySegment s, long at, Peer peer, int messageType, int teid, int qfi, int tos,
            int payloadBytes) {
        boolean container = qfi >= 0;
        int gtpBytes = GtpuHeader.LENGTH + (container ? 8 : 0);
        int udpBytes = 8 + gtpBytes + payloadBytes;
        long udp;
        if (peer.ipv6) {
            put32(s, at, 0x6000_0000 | tos << 20);
            put16(s, at + 4, udpBytes);
            put8(s, at + 6, IpProtocols.UDP);
            put8(s, at + 7, TTL);
            put64(s, at + 8, peer.localHi);
            put64(s, at + 16, peer.localLo);
            put64(s, at + 24, peer.hi);
            put64(s, at + 32, peer.lo);
            udp = at + 40;
        } else {
            put16(s, at, 0x4500 | tos);
            put16(s, at + 2, 20 + udpBytes);
            put32(s, at + 4, 0);
            put8(s, at + 8, TTL);
            put8(s, at + 9, IpProtocols.UDP);
            put16(s, at + 10, 0);
            put32(s, at + 12, (int) peer.localLo);
            put32(s, at + 16, (int) peer.lo);
            put16(s, at + 10, Checksums.ipv4Header(s, at));
            udp = at + 20;
        }
        put16(s, udp, IpProtocols.GTPU_PORT);
        put16(s, udp + 2, peer.port);
        put16(s, udp + 4, udpBytes);
        put16(s, udp + 6, 0);
        long gtp = udp + 8;
        put8(s, gtp, GtpuHeader.VERSION_1_GTP | (container ? GtpuHeader.FLAG_E : 0));
        put8(s, gtp + 1, messageType);
        put16(s, gtp + 2, gtpBytes - GtpuHeader.LENGTH + payloadBytes);
        put32(s, gtp + 4, teid);
        if (container) {
            put32(s, gtp + 8, GtpuHeader.EXT_PDU_SESSION_CONTAINER);
            put32(s, gtp + 12, 1 << 24 | GtpuHeader.PDU_TYPE_DOWNLINK << 20 | (qfi & 0x3F) << 8);
        }
        if (peer.ipv6) {
            // UDP over IPv6 must carry a checksum (RFC 8200 8.1); it covers the inner packet too.
            put16(s, udp + 6, Checksums.ipv6Transport(s, at, udp, IpProtocols.UDP));
        }
    }

    /**
     * Turns the echo request whose IP header is at {@code ip} and GTP-U header at {@code gtp} into
     * its response, in place: addresses, ports and MACs swapped, type 2, the request's sequence
     * number, a Recovery IE. Returns the response's length from {@code frame}.
     */
    static int echoResponse(MemorySegment s, long frame, long ip, boolean ipv6, long gtp, int restartCounter) {
        long dstMac = u48(s, frame);
        put48(s, frame, u48(s, frame + 6));
        put48(s, frame + 6, dstMac);
        int sequence = (u8(s, gtp) & GtpuHeader.FLAG_S) != 0 ? u16(s, gtp + 8) : 0;
        put8(s, gtp, GtpuHeader.VERSION_1_GTP | GtpuHeader.FLAG_S);
        put8(s, gtp + 1, GtpuHeader.ECHO_RESPONSE);
        put16(s, gtp + 2, 4 + 2);
        put32(s, gtp + 4, 0);
        put16(s, gtp + 8, sequence);
        put16(s, gtp + 10, 0);
        put8(s, gtp + 12, RECOVERY_IE);
        put8(s, gtp + 13, restartCounter);
        long udp = gtp - 8;
        int requestSourcePort = u16(s, udp);
        put16(s, udp, IpProtocols.GTPU_PORT);
        put16(s, udp + 2, requestSourcePort);
        put16(s, udp + 4, 8 + 14);
        put16(s, udp + 6, 0);
        if (ipv6) {
            long hi = u64(s, ip + 8);
            long lo = u64(s, ip + 16);
            put64(s, ip + 8, u64(s, ip + 24));
            put64(s, ip + 16, u64(s, ip + 32));
            put64(s, ip + 24, hi);
            put64(s, ip + 32, lo);
            put16(s, ip + 4, (int) (gtp + 14 - ip - 40));
            put8(s, ip + 7, TTL);
            put16(s, udp + 6, Checksums.ipv6Transport(s, ip, udp, IpProtocols.UDP));
        } else {
            int src = u32(s, ip + 12);
            put32(s, ip + 12, u32(s, ip + 16));
            put32(s, ip + 16, src);
            put16(s, ip + 2, (int) (gtp + 14 - ip));
            put8(s, ip + 8, TTL);
            put16(s, ip + 10, Checksums.ipv4Header(s, ip));
        }
        return (int) (gtp + 14 - frame);
    }


    /**
     * Not thread-safe: the worker's scratch. Where a tunnel goes: the peer's address and port, and
     * the local address of the same IP version.
     */
    static final class Peer {
        boolean ipv6;
        long hi;
        long lo;
        int port;
        long localHi;
        long localLo;
    }
}
