package io.nfchain.functions.router;

import io.nfchain.core.packet.ArpPacket;
import io.nfchain.core.packet.Checksums;
import io.nfchain.core.packet.EthernetHeader;
import io.nfchain.core.packet.Icmpv6Header;
import io.nfchain.core.packet.IpProtocols;
import io.nfchain.core.packet.Ipv6Header;
import io.nfchain.core.packet.NetBytes;
import io.nfchain.functions.sdk.PacketVector;
import java.lang.foreign.MemorySegment;

/**
 * Not thread-safe: the poll thread's. Resolves next hops whose MAC is unknown: the packet that
 * found the neighbour missing is dropped, and its buffer becomes an ARP request (RFC 826) or a
 * neighbour solicitation to the target's solicited-node multicast group (RFC 4861 7.2.2), sent
 * out of the path's interface. There is no queue of waiting packets, as in VPP: the sender
 * retransmits.
 *
 * <p>Requests are limited to one per address per {@link #RETRY_NS} by a fixed table of
 * {@value #SLOTS} recent requests (4-way set associative). A request holds its slot for that
 * long, so when every way of a set is held by other addresses the request waits too: at most
 * {@value #SLOTS} requests a second leave in total, however many addresses are missing.
 * Allocates nothing.
 */
final class NeighborResolver {
    /** Least time between two requests for one address (Linux's retrans_time is 1 s too). */
    static final long RETRY_NS = 1_000_000_000L;
    static final int SLOTS = 256;
    private static final int WAYS = 4;
    /** An ARP request padded to the 60-byte Ethernet minimum (FCS excluded). */
    static final int ARP_FRAME_BYTES = 60;
    private static final int ND_PAYLOAD = 24 + 8; // NS body and one link-layer address option
    static final int NS_FRAME_BYTES = EthernetHeader.LENGTH + Ipv6Header.LENGTH + ND_PAYLOAD;
    /** ff02::1:ff00:0/104, RFC 4291 2.7.1. */
    private static final long SOLICITED_HI = 0xFF02_0000_0000_0000L;
    private static final long SOLICITED_LO = 0x0000_0001_FF00_0000L;
    /** IPv4 keys carry this as their high half: no unicast IPv6 next hop starts with ffff. */
    private static final long IPV4_KEY = -1L;

    private final long[] keyHi = new long[SLOTS];
    private final long[] keyLo = new long[SLOTS];
    private final long[] sentNs = new long[SLOTS];
    private final boolean[] used = new boolean[SLOTS];
    private final ArpPacket arp = new ArpPacket();
    private final long[] ifMac;
    private final int[] ifIpv4;
    private final boolean[] ifHasIpv4;
    private final long[] ifIpv6Hi;
    private final long[] ifIpv6Lo;
    private final boolean[] ifHasIpv6;

    /** @param interfaces the router's, by output: requests leave from the path's interface address */
    NeighborResolver(RouterInterface[] interfaces) {
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
    }

    /**
     * Packet {@code i} is dropped (counted {@code NEIGHBOR_MISSING}) for want of {@code hop}'s
     * MAC; its buffer becomes the ARP request for {@code hop} out of {@code out}, unless one left
     * within {@link #RETRY_NS}.
     */
    void resolve4(PacketVector<RouterCounter> vector, MemorySegment data, int i, int out, int hop, long nowNs) {
        vector.drop(i, RouterCounter.NEIGHBOR_MISSING);
        if (!ifHasIpv4[out] || !fits(vector, i, ARP_FRAME_BYTES)) {
            vector.counters().increment(RouterCounter.RESOLVE_NOT_SENT);
        } else if (!admit(IPV4_KEY, hop & 0xFFFF_FFFFL, nowNs)) {
            vector.counters().increment(RouterCounter.ARP_REQUEST_RATE_LIMITED);
        } else {
            arpRequest(vector, data, i, ifMac[out], ifIpv4[out], hop);
            vector.setOutput(i, out);
            vector.counters().increment(RouterCounter.ARP_REQUEST_SENT);
        }
    }

    /** {@link #resolve4} with a neighbour solicitation. */
    void resolve6(PacketVector<RouterCounter> vector, MemorySegment data, int i, int out, long hopHi, long hopLo,
            long nowNs) {
        vector.drop(i, RouterCounter.NEIGHBOR_MISSING);
        if (!ifHasIpv6[out] || !fits(vector, i, NS_FRAME_BYTES)) {
            vector.counters().increment(RouterCounter.RESOLVE_NOT_SENT);
        } else if (!admit(hopHi, hopLo, nowNs)) {
            vector.counters().increment(RouterCounter.ND_SOLICIT_RATE_LIMITED);
        } else {
            neighborSolicitation(vector, data, i, ifMac[out], ifIpv6Hi[out], ifIpv6Lo[out], hopHi, hopLo);
            vector.setOutput(i, out);
            vector.counters().increment(RouterCounter.ND_SOLICIT_SENT);
        }
    }

    /** Whether a request for the address may leave at {@code nowNs}; if so it is recorded. */
    private boolean admit(long hi, long lo, long nowNs) {
        long h = (hi * 0x9E3779B97F4A7C15L ^ lo) * 0xC2B2AE3D27D4EB4FL;
        int set = (int) (h ^ (h >>> 31)) & (SLOTS / WAYS - 1);
        int first = set * WAYS;
        int victim = -1;
        long victimAgeNs = -1;
        for (int s = first; s < first + WAYS; s++) {
            if (!used[s]) {
                victim = victimAgeNs == Long.MAX_VALUE ? victim : s;
                victimAgeNs = Long.MAX_VALUE;
                continue;
            }
            long ageNs = nowNs - sentNs[s];
            if (keyHi[s] == hi && keyLo[s] == lo) {
                if (ageNs < RETRY_NS) {
                    return false;
                }
                sentNs[s] = nowNs;
                return true;
            }
            if (ageNs >= RETRY_NS && ageNs > victimAgeNs) {
                victim = s;
                victimAgeNs = ageNs;
            }
        }
        if (victim < 0) {
            return false; // every way holds another address's request of the last second
        }
        used[victim] = true;
        keyHi[victim] = hi;
        keyLo[victim] = lo;
        sentNs[victim] = nowNs;
        return true;
    }

    /** Whether packet {@code i}'s buffer holds a frame of {@code bytes} from where the frame starts. */
    static boolean fits(PacketVector<?> vector, int i, int bytes) {
        return bytes <= Math.max(vector.length(i), vector.frameBytes());
    }

    /** Rewrites packet {@code i} into a broadcast ARP request for {@code target} from ({@code mac}, {@code ip}). */
    private void arpRequest(PacketVector<?> vector, MemorySegment data, int i, long mac, int ip, int target) {
        long frame = vector.offset(i);
        NetBytes.put48(data, frame + EthernetHeader.DST, 0xFFFF_FFFF_FFFFL);
        NetBytes.put48(data, frame + EthernetHeader.SRC, mac);
        NetBytes.put16(data, frame + EthernetHeader.TYPE, RouterFunction.ETHERTYPE_ARP);
        arp.wrap(data, frame + EthernetHeader.LENGTH).set(ArpPacket.OP_REQUEST, mac, ip, 0, target);
        long pad = frame + EthernetHeader.LENGTH + ArpPacket.LENGTH; // 18 bytes of padding
        NetBytes.put64(data, pad, 0);
        NetBytes.put64(data, pad + 8, 0);
        NetBytes.put16(data, pad + 16, 0);
        vector.setLength(i, ARP_FRAME_BYTES);
    }

    /**
     * Rewrites packet {@code i} into a neighbour solicitation for {@code target} from
     * ({@code mac}, {@code src}), with hop limit 255 and a source link-layer address option.
     */
    private static void neighborSolicitation(PacketVector<?> vector, MemorySegment data, int i, long mac, long srcHi,
            long srcLo, long targetHi, long targetLo) {
        long frame = vector.offset(i);
        long dstLo = SOLICITED_LO | (targetLo & 0xFF_FFFF);
        NetBytes.put48(data, frame + EthernetHeader.DST, 0x3333_0000_0000L | (dstLo & 0xFFFF_FFFFL)); // RFC 2464 7
        NetBytes.put48(data, frame + EthernetHeader.SRC, mac);
        NetBytes.put16(data, frame + EthernetHeader.TYPE, RouterFunction.ETHERTYPE_IPV6);
        long ip = frame + EthernetHeader.LENGTH;
        writeIpv6(data, ip, ND_PAYLOAD, srcHi, srcLo, SOLICITED_HI, dstLo);
        long icmp = ip + Ipv6Header.LENGTH;
        NetBytes.put32(data, icmp, Icmpv6Header.NEIGHBOR_SOLICITATION << 24);
        NetBytes.put32(data, icmp + 4, 0);
        NetBytes.put64(data, icmp + 8, targetHi);
        NetBytes.put64(data, icmp + 16, targetLo);
        putLinkAddressOption(data, icmp + 24, Icmpv6Header.OPTION_SOURCE_LINK_ADDRESS, mac);
        NetBytes.put16(data, icmp + 2, Checksums.transport(data, icmp, ND_PAYLOAD, 2,
                Checksums.pseudoHeaderIpv6(srcHi, srcLo, SOLICITED_HI, dstLo, IpProtocols.ICMPV6, ND_PAYLOAD)));
        vector.setLength(i, NS_FRAME_BYTES);
    }

    /** An IPv6 header with hop limit 255 (RFC 4861: ND messages must arrive with it) carrying ICMPv6. */
    static void writeIpv6(MemorySegment data, long ip, int payloadBytes, long srcHi, long srcLo, long dstHi,
            long dstLo) {
        NetBytes.put32(data, ip, 0x6000_0000);
        NetBytes.put32(data, ip + 4, payloadBytes << 16 | IpProtocols.ICMPV6 << 8 | 255);
        NetBytes.put64(data, ip + Ipv6Header.SRC, srcHi);
        NetBytes.put64(data, ip + Ipv6Header.SRC + 8, srcLo);
        NetBytes.put64(data, ip + Ipv6Header.DST, dstHi);
        NetBytes.put64(data, ip + Ipv6Header.DST + 8, dstLo);
    }

    static void putLinkAddressOption(MemorySegment data, long at, int type, long mac) {
        NetBytes.put8(data, at, type);
        NetBytes.put8(data, at + 1, 1); // 8 bytes
        NetBytes.put48(data, at + 2, mac);
    }
}
