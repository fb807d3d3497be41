package io.nfchain.functions.router;

import io.nfchain.core.packet.ArpPacket;
import io.nfchain.core.packet.Checksums;
import io.nfchain.core.packet.EthernetHeader;
import io.nfchain.core.packet.FlowKey;
import io.nfchain.core.packet.Icmpv6Header;
import io.nfchain.core.packet.IpLayers;
import io.nfchain.core.packet.IpProtocols;
import io.nfchain.core.packet.Ipv4Header;
import io.nfchain.core.packet.Ipv6Header;
import io.nfchain.core.packet.Layer;
import io.nfchain.core.packet.NetBytes;
import io.nfchain.core.packet.ParsedPacket;
import io.nfchain.functions.sdk.PacketVector;
import java.lang.foreign.MemorySegment;

/**
 * Not thread-safe: the poll thread's. What the router does with packets addressed to itself:
 * ARP (RFC 826: learn, answer requests for the input interface's address), neighbour discovery
 * (RFC 4861: learn from advertisements, answer solicitations for the input interface's address)
 * and echo requests to any of its addresses (rewritten in place into the reply; the caller
 * routes it back). Answers leave by the input interface with its MAC, keeping any VLAN tags
 * the request came with. Allocates nothing.
 */
final class RouterLocal {
    private static final int ND_PAYLOAD = 24 + 8; // NA body and the target link-layer address option
    private static final long ALL_NODES_HI = 0xFF02_0000_0000_0000L;
    private static final long ALL_NODES_LO = 1;

    private final long[] ifMac;
    private final int[] ifIpv4;
    private final boolean[] ifHasIpv4;
    private final long[] ifIpv6Hi;
    private final long[] ifIpv6Lo;
    private final boolean[] ifHasIpv6;
    private final LearnedNeighbors learned;
    private final ArpPacket arp = new ArpPacket();
    private final Icmpv6Header nd = new Icmpv6Header();

    RouterLocal(RouterInterface[] interfaces, LearnedNeighbors learned) {
        int n = interfaces.length;
        ifMac = new long[n];
        ifIpv4 = new int[n];
        ifHasIpv4 = new boolean[n];
        ifIpv6Hi = new long[n];
        ifIpv6Lo = new long[n];
        ifHasIpv6 = new boolean[n];
        for (int k = 0; k < n; k++) {
            RouterInterface f = interfaces[k];
            ifMac[k] = f.mac();
            ifIpv4[k] = f.ipv4();
            ifHasIpv4[k] = f.hasIpv4();
            ifIpv6Hi[k] = f.ipv6Hi();
            ifIpv6Lo[k] = f.ipv6Lo();
            ifHasIpv6[k] = f.hasIpv6();
        }
        this.learned = learned;
    }

    boolean isOwnIpv4(int address) {
        for (int k = 0; k < ifIpv4.length; k++) {
            if (ifHasIpv4[k] && ifIpv4[k] == address) {
                return true;
            }
        }
        return false;
    }

    boolean isOwnIpv6(long hi, long lo) {
        for (int k = 0; k < ifIpv6Hi.length; k++) {
            if (ifHasIpv6[k] && ifIpv6Hi[k] == hi && ifIpv6Lo[k] == lo) {
                return true;
            }
        }
        return false;
    }

    // ---- ARP ------------------------------------------------------------------------------------

    /**
     * RFC 826's algorithm: a known sender's MAC is updated by any ARP packet; a request for the
     * input interface's address adds the sender and becomes the reply. Replies teach their
     * sender whether or not it was known (as before requests were answered).
     */
    void arp(PacketVector<RouterCounter> vector, MemorySegment data, int i, ParsedPacket p) {
        long frame = vector.offset(i);
        arp.wrap(data, frame + p.l3Offset());
        int op = arp.operation();
        long mac = arp.senderMac();
        int ip = arp.senderIp();
        if (!arp.isEthernetIpv4() || op != ArpPacket.OP_REQUEST && op != ArpPacket.OP_REPLY || mac == 0
                || (mac >>> 40 & 1) != 0) {
            vector.drop(i, RouterCounter.ARP_IGNORED);
            return;
        }
        int input = vector.input();
        long nowNs = vector.nowNs();
        boolean merged = ip != 0 && learned.update4(ip, mac, input, nowNs);
        if (op == ArpPacket.OP_REPLY) {
            if (ip == 0) {
                vector.drop(i, RouterCounter.ARP_IGNORED);
            } else {
                vector.drop(i, merged || learned.learn4(ip, mac, input, nowNs) ? RouterCounter.NEIGHBOR_LEARNED
                        : RouterCounter.NEIGHBOR_TABLE_FULL);
            }
            return;
        }
        int target = arp.targetIp();
        if (!ifHasIpv4[input] || target != ifIpv4[input]) {
            vector.drop(i, RouterCounter.ARP_IGNORED);
            return;
        }
        // A sender of 0.0.0.0 is an address probe (RFC 5227): answered, so it sees the address is taken.
        if (ip != 0 && !merged && !learned.learn4(ip, mac, input, nowNs)) {
            vector.counters().increment(RouterCounter.NEIGHBOR_TABLE_FULL);
        }
        arp.set(ArpPacket.OP_REPLY, ifMac[input], target, mac, ip);
        NetBytes.put48(data, frame + EthernetHeader.DST, mac);
        NetBytes.put48(data, frame + EthernetHeader.SRC, ifMac[input]);
        vector.setOutput(i, input);
        vector.counters().increment(RouterCounter.ARP_REPLY_SENT);
    }

    // ---- neighbour discovery --------------------------------------------------------------------

    /**
     * Neighbour advertisements with a target link-layer address option teach the target's MAC;
     * solicitations for the input interface's address are answered. Only messages with hop
     * limit 255 and code 0 count (RFC 4861 7.1: they came from the link); others are dropped.
     */
    void neighborDiscovery(PacketVector<RouterCounter> vector, MemorySegment data, int i, ParsedPacket p) {
        IpLayers o = p.outer();
        int type = o.icmpType();
        if (o.hopLimit() != 255 || o.icmpCode() != 0 || !p.isWellFormed()
                || type != Icmpv6Header.NEIGHBOR_ADVERTISEMENT && type != Icmpv6Header.NEIGHBOR_SOLICITATION) {
            vector.drop(i, RouterCounter.ND_IGNORED);
            return;
        }
        long frame = vector.offset(i);
        int length = o.l3End() - o.l4Offset();
        nd.wrap(data, frame + o.l4Offset());
        if (type == Icmpv6Header.NEIGHBOR_SOLICITATION) {
            solicitation(vector, data, i, p, length);
            return;
        }
        int option = nd.findOption(Icmpv6Header.OPTION_TARGET_LINK_ADDRESS, length);
        long mac = option < 0 ? 0 : nd.linkAddressOption(option);
        if (mac == 0 || (mac >>> 40 & 1) != 0) {
            vector.drop(i, RouterCounter.ND_IGNORED);
            return;
        }
        vector.drop(i, learned.learn6(nd.targetHi(), nd.targetLo(), mac, vector.input(), vector.nowNs())
                ? RouterCounter.NEIGHBOR_LEARNED : RouterCounter.NEIGHBOR_TABLE_FULL);
    }

    /**
     * RFC 4861 7.2.3 and 7.2.4: the sender (with its source link-layer option) is learned, and
     * the solicitation becomes a solicited advertisement with the router flag, the override flag
     * and the input interface's MAC as target option. A duplicate address detection probe (from
     * ::) is answered to all-nodes, unsolicited. Without a source option the answer goes to the
     * frame's Ethernet source.
     */
    private void solicitation(PacketVector<RouterCounter> vector, MemorySegment data, int i, ParsedPacket p,
            int length) {
        int input = vector.input();
        long targetHi = nd.targetHi();
        long targetLo = nd.targetLo();
        FlowKey key = p.outer().key();
        long srcHi = key.srcHi();
        long srcLo = key.srcLo();
        boolean dad = srcHi == 0 && srcLo == 0;
        int option = nd.findOption(Icmpv6Header.OPTION_SOURCE_LINK_ADDRESS, length);
        long frame = vector.offset(i);
        long mac = option >= 0 ? nd.linkAddressOption(option) : NetBytes.u48(data, frame + EthernetHeader.SRC);
        int l3 = p.l3Offset();
        if (!ifHasIpv6[input] || targetHi != ifIpv6Hi[input] || targetLo != ifIpv6Lo[input] || dad && option >= 0
                || mac == 0 || (mac >>> 40 & 1) != 0 || !NeighborResolver.fits(vector, i, l3 + Ipv6Header.LENGTH + ND_PAYLOAD)) {
            vector.drop(i, RouterCounter.ND_IGNORED);
            return;
        }
        if (!dad && option >= 0 && !learned.learn6(srcHi, srcLo, mac, input, vector.nowNs())) {
            vector.counters().increment(RouterCounter.NEIGHBOR_TABLE_FULL);
        }
        long dstHi = dad ? ALL_NODES_HI : srcHi;
        long dstLo = dad ? ALL_NODES_LO : srcLo;
        int flags = Icmpv6Header.NA_FLAG_ROUTER | Icmpv6Header.NA_FLAG_OVERRIDE | (dad ? 0 : Icmpv6Header.NA_FLAG_SOLICITED);
        long ip = frame + l3;
        NeighborResolver.writeIpv6(data, ip, ND_PAYLOAD, targetHi, targetLo, dstHi, dstLo);
        long icmp = ip + Ipv6Header.LENGTH;
        NetBytes.put32(data, icmp, Icmpv6Header.NEIGHBOR_ADVERTISEMENT << 24);
        NetBytes.put32(data, icmp + 4, flags << 24);
        NetBytes.put64(data, icmp + 8, targetHi);
        NetBytes.put64(data, icmp + 16, targetLo);
        NeighborResolver.putLinkAddressOption(data, icmp + 24, Icmpv6Header.OPTION_TARGET_LINK_ADDRESS, ifMac[input]);
        NetBytes.put16(data, icmp + 2, Checksums.transport(data, icmp, ND_PAYLOAD, 2,
                Checksums.pseudoHeaderIpv6(targetHi, targetLo, dstHi, dstLo, IpProtocols.ICMPV6, ND_PAYLOAD)));
        NetBytes.put48(data, frame + EthernetHeader.DST, dad ? 0x3333_0000_0001L : mac);
        NetBytes.put48(data, frame + EthernetHeader.SRC, ifMac[input]);
        vector.setLength(i, l3 + Ipv6Header.LENGTH + ND_PAYLOAD);
        vector.setOutput(i, input);
        vector.counters().increment(RouterCounter.ND_ADVERT_SENT);
    }

    // ---- echo -----------------------------------------------------------------------------------

    /**
     * Turns an echo request to a router address into its reply in place (addresses swapped,
     * TTL 64, type 0, checksums updated) and returns true: the caller routes it to its new
     * destination. Anything else addressed to the router is dropped as {@code FOR_US}; a request
     * with a bad ICMP checksum as {@code MALFORMED}. Fragments are not reassembled.
     */
    boolean echo4(PacketVector<RouterCounter> vector, MemorySegment data, int i, ParsedPacket p) {
        IpLayers o = p.outer();
        int src = o.key().srcIpv4();
        if (!p.has(Layer.ICMPV4) || o.icmpType() != 8 || o.icmpCode() != 0 || !p.isWellFormed()
                || (o.fragmentFlags() & IpLayers.FRAG_IS_FRAGMENT) != 0 || src == 0 || src == -1 || (src >>> 28) >= 0xE
                || (src >>> 24) == 127) {
            vector.drop(i, RouterCounter.FOR_US);
            return false;
        }
        long ip = vector.offset(i) + p.l3Offset();
        long icmp = vector.offset(i) + o.l4Offset();
        int checksum = NetBytes.u16(data, icmp + 2);
        if (Checksums.ipv4Transport(data, ip) != checksum) {
            vector.drop(i, RouterCounter.MALFORMED);
            return false;
        }
        NetBytes.put32(data, ip + Ipv4Header.SRC, o.key().dstIpv4());
        NetBytes.put32(data, ip + Ipv4Header.DST, src);
        NetBytes.put16(data, ip + Ipv4Header.TTL, RouterFunction.ICMP_TTL << 8 | IpProtocols.ICMP);
        NetBytes.put16(data, ip + Ipv4Header.CHECKSUM, Checksums.ipv4Header(data, ip));
        NetBytes.put8(data, icmp, 0);
        NetBytes.put16(data, icmp + 2, Checksums.update16(checksum, 0x0800, 0x0000));
        return true;
    }

    /** {@link #echo4} for ICMPv6 (type 128 to 129, hop limit 64); only without extension headers. */
    boolean echo6(PacketVector<RouterCounter> vector, MemorySegment data, int i, ParsedPacket p) {
        IpLayers o = p.outer();
        FlowKey key = o.key();
        long srcHi = key.srcHi();
        long srcLo = key.srcLo();
        if (!p.has(Layer.ICMPV6) || o.icmpType() != Icmpv6Header.ECHO_REQUEST || o.icmpCode() != 0
                || !p.isWellFormed() || o.l4Offset() != p.l3Offset() + Ipv6Header.LENGTH || (srcHi >>> 56) == 0xFF
                || (srcHi == 0 && (srcLo == 0 || srcLo == 1))) {
            vector.drop(i, RouterCounter.FOR_US);
            return false;
        }
        long ip = vector.offset(i) + p.l3Offset();
        long icmp = ip + Ipv6Header.LENGTH;
        int checksum = NetBytes.u16(data, icmp + 2);
        if (Checksums.ipv6Transport(data, ip, icmp, IpProtocols.ICMPV6) != checksum) {
            vector.drop(i, RouterCounter.MALFORMED);
            return false;
        }
        // Swapping the addresses leaves the pseudo-header's sum as it was.
        NetBytes.put64(data, ip + Ipv6Header.SRC, key.dstHi());
        NetBytes.put64(data, ip + Ipv6Header.SRC + 8, key.dstLo());
        NetBytes.put64(data, ip + Ipv6Header.DST, srcHi);
        NetBytes.put64(data, ip + Ipv6Header.DST + 8, srcLo);
        NetBytes.put8(data, ip + Ipv6Header.HOP_LIMIT, RouterFunction.ICMP_TTL);
        NetBytes.put8(data, icmp, Icmpv6Header.ECHO_REPLY);
        NetBytes.put16(data, icmp + 2, Checksums.update16(checksum, Icmpv6Header.ECHO_REQUEST << 8,
                Icmpv6Header.ECHO_REPLY << 8));
        return true;
    }
}
