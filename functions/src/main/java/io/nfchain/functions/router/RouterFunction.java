package io.nfchain.functions.router;

import io.nfchain.core.memif.PacketBurst;
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
import io.nfchain.functions.sdk.NetworkFunction;
import io.nfchain.functions.sdk.PacketVector;
import io.nfchain.functions.sdk.Published;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Not thread-safe: one poll thread runs {@link #process}; the control thread changes routes,
 * groups and neighbours through {@link #control()} while it runs. {@code router}: IPv4 and IPv6
 * forwarding between the router's interfaces (output k is interface k).
 *
 * <p>Per packet: LPM on the destination gives a next-hop id, the id a {@link NextHopGroup}
 * (ECMP by the 5-tuple hash, so a flow keeps its path), the path a neighbour whose MAC comes
 * from the static table or the one learned from ARP and neighbour discovery; then
 * the MACs are rewritten, the TTL / hop limit decremented (RFC 1624 checksum update) and the
 * packet leaves by the path's output. No route, an expiring TTL, or a packet longer than the
 * output MTU that may not be fragmented turns the packet, in its own buffer, into the ICMP
 * error (RFC 792 / RFC 4443) sent back towards its source, within a token-bucket rate. A next
 * hop without a MAC turns the packet into an ARP request or neighbour solicitation for it
 * ({@link NeighborResolver}). ARP, neighbour discovery and echo requests for the router's own
 * addresses are answered ({@link RouterLocal}).
 *
 * <p>Routes live in {@link Ipv4Lpm} / {@link Ipv6Lpm}, which take one writer concurrent with
 * lookups; groups and static neighbours are an immutable {@link RouterTables} swapped through
 * {@link Published}; learned neighbours are a {@link LearnedNeighbors} the poll thread writes,
 * ages by the burst clock and sweeps a few slots per burst. Nothing here allocates or locks.
 */
public final class RouterFunction implements NetworkFunction<RouterCounter> {
    public static final String TYPE = "router";
    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_IPV6 = 0x86DD;
    static final int ETHERTYPE_ARP = 0x0806;
    /** Linux's default base_reachable_time is 30 s; 300 s is what routers (Cisco's ARP timeout is 4 h) err towards. */
    public static final long DEFAULT_NEIGHBOR_TIMEOUT_NS = 300_000_000_000L;
    /** Learned-table slots, per family, examined for expiry each burst. */
    static final int SWEEP_SLOTS = 8;
    /** ICMP errors' IP TTL / hop limit. */
    static final int ICMP_TTL = 64;
    /** RFC 4443 2.4(c): an ICMPv6 error must not exceed the minimum IPv6 MTU. */
    static final int IPV6_MIN_MTU = 1280;

    private final RouterInterface[] interfaces;
    private final List<String> outputs;
    private final int[] ifIpv4;
    private final boolean[] ifHasIpv4;
    private final long[] ifIpv6Hi;
    private final long[] ifIpv6Lo;
    private final boolean[] ifHasIpv6;
    private final long[] ifMac;
    private final int[] ifMtu;
    private final Ipv4Lpm lpm4 = new Ipv4Lpm();
    /** A burst's IPv4 destinations and their next hops, looked up together (loads in flight at once). */
    private final int[] burstDestinations = new int[PacketBurst.MAX_CAPACITY];
    private final int[] burstNextHops = new int[PacketBurst.MAX_CAPACITY];
    private final Ipv6Lpm lpm6 = new Ipv6Lpm();
    private final Published<RouterTables> tables = new Published<>(RouterTables.EMPTY);
    private final LearnedNeighbors learned;
    private final RouterLocal local;
    private final NeighborResolver resolver;
    private final IcmpRateLimiter icmpLimiter;
    private final IcmpWriter icmp = new IcmpWriter();
    private final RouterControl control;
    private RouterTables current = RouterTables.EMPTY;
    private long nowNs;

    /**
     * @param interfaces at least one; the router's outputs, in order
     * @param icmpRatePerSecond ICMP errors per second, sustained
     * @param icmpBurst ICMP errors that may be sent back to back
     * @param learnedNeighbors capacity of the learned neighbour table, per family
     * @param neighborTimeoutNs how long a learned neighbour is used after its last confirmation
     */
    public RouterFunction(List<RouterInterface> interfaces, int icmpRatePerSecond, int icmpBurst, int learnedNeighbors,
            long neighborTimeoutNs) {
        if (interfaces.isEmpty()) {
            throw new IllegalArgumentException("a router needs at least one interface");
        }
        this.interfaces = interfaces.toArray(RouterInterface[]::new);
        int n = this.interfaces.length;
        outputs = interfaces.stream().map(RouterInterface::name).toList();
        ifIpv4 = new int[n];
        ifHasIpv4 = new boolean[n];
        ifIpv6Hi = new long[n];
        ifIpv6Lo = new long[n];
        ifHasIpv6 = new boolean[n];
        ifMac = new long[n];
        ifMtu = new int[n];
        for (int k = 0; k < n; k++) {
            RouterInterface f = this.interfaces[k];
            ifIpv4[k] = f.ipv4();
            ifHasIpv4[k] = f.hasIpv4();
            ifIpv6Hi[k] = f.ipv6Hi();
            ifIpv6Lo[k] = f.ipv6Lo();
            ifHasIpv6[k] = f.hasIpv6();
            ifMac[k] = f.mac();
            ifMtu[k] = f.mtuBytes();
        }
        learned = new LearnedNeighbors(learnedNeighbors, neighborTimeoutNs);
        local = new RouterLocal(this.interfaces, learned);
        resolver = new NeighborResolver(this.interfaces);
        icmpLimiter = new IcmpRateLimiter(icmpRatePerSecond, icmpBurst);
        control = new RouterControl(this);
    }

    /** Learned neighbours expire after {@link #DEFAULT_NEIGHBOR_TIMEOUT_NS}. */
    public RouterFunction(List<RouterInterface> interfaces, int icmpRatePerSecond, int icmpBurst, int learnedNeighbors) {
        this(interfaces, icmpRatePerSecond, icmpBurst, learnedNeighbors, DEFAULT_NEIGHBOR_TIMEOUT_NS);
    }

    /** Defaults: 1000 ICMP errors/s with a burst of 50, 4096 learned neighbours per family, 300 s. */
    public RouterFunction(List<RouterInterface> interfaces) {
        this(interfaces, 1000, 50, 4096);
    }

    @Override
    public String name() {
        return TYPE;
    }

    @Override
    public Class<RouterCounter> counterType() {
        return RouterCounter.class;
    }

    @Override
    public List<String> outputs() {
        return outputs;
    }

    /** The control plane: routes and neighbours (any thread; changes are serialized). */
    public RouterControl control() {
        return control;
    }

    List<RouterInterface> interfaces() {
        return List.of(interfaces);
    }

    Ipv4Lpm lpm4() {
        return lpm4;
    }

    Ipv6Lpm lpm6() {
        return lpm6;
    }

    Published<RouterTables> tables() {
        return tables;
    }

    LearnedNeighbors learned() {
        return learned;
    }

    @Override
    public void process(PacketVector<RouterCounter> vector) {
        current = tables.get();
        nowNs = vector.nowNs();
        int expired = learned.sweep(nowNs, SWEEP_SLOTS);
        if (expired > 0) {
            vector.counters().add(RouterCounter.NEIGHBOR_EXPIRED, expired);
        }
        MemorySegment data = vector.data();
        int n = vector.count();
        int[] destinations = burstDestinations;
        for (int i = 0; i < n; i++) {
            ParsedPacket p = vector.packet(i);
            destinations[i] = p.has(Layer.IPV4) ? p.outer().key().dstIpv4() : 0;
        }
        lpm4.lookup(destinations, burstNextHops, n);
        for (int i = 0; i < n; i++) {
            ParsedPacket p = vector.packet(i);
            if (p.has(Layer.IPV4)) {
                ipv4(vector, data, i, p);
            } else if (p.has(Layer.IPV6)) {
                ipv6(vector, data, i, p);
            } else if (p.has(Layer.ARP)) {
                local.arp(vector, data, i, p);
            } else if (p.etherType() == ETHERTYPE_IPV4 || p.etherType() == ETHERTYPE_IPV6
                    || p.etherType() == ETHERTYPE_ARP) {
                vector.drop(i, RouterCounter.MALFORMED); // claims IP or ARP but did not parse as such
            } else {
                vector.drop(i, RouterCounter.NOT_IP);
            }
        }
    }

    // ---- IPv4 -----------------------------------------------------------------------------------

    private void ipv4(PacketVector<RouterCounter> vector, MemorySegment data, int i, ParsedPacket p) {
        long frame = vector.offset(i);
        long ip = frame + p.l3Offset();
        // Two loads hold every field the forwarding decision reads: each segment access pays its own
        // checks, so the header is read as words, not field by field.
        long word0 = NetBytes.u64(data, ip); // version+IHL, TOS, total length, identification, flags+fragment
        long word1 = NetBytes.u64(data, ip + Ipv4Header.TTL); // TTL, protocol, checksum, source address
        int headerBytes = (int) (word0 >>> 54) & 0x3C;
        long sum = (word0 >>> 32) + (word0 & 0xFFFF_FFFFL) + (word1 >>> 32) + (word1 & 0xFFFF_FFFFL);
        if (Checksums.fold(Checksums.sum(data, ip + Ipv4Header.DST, headerBytes - Ipv4Header.DST, sum)) != 0xFFFF) {
            vector.drop(i, RouterCounter.MALFORMED); // RFC 1812 5.2.2: verify the header checksum
            return;
        }
        FlowKey key = p.outer().key();
        int dst = key.dstIpv4();
        if ((dst >>> 28) == 0xE || dst == -1 || (dst >>> 24) == 127 || (dst >>> 24) == 0) {
            vector.drop(i, RouterCounter.NOT_UNICAST);
            return;
        }
        if (local.isOwnIpv4(dst)) {
            if (local.echo4(vector, data, i, p)) {
                reply4(vector, data, ip, i, key.srcIpv4(), dst);
            }
            return;
        }
        NextHopGroup group = group(burstNextHops[i]); // looked up with the rest of the burst
        if (group == null) {
            error4(vector, data, i, p, RouterCounter.NO_ROUTE, 3, 0, 0);
            return;
        }
        int ttlWord = (int) (word1 >>> 48) & 0xFFFF; // TTL shares a 16-bit word with the protocol
        if (ttlWord >>> 8 <= 1) {
            error4(vector, data, i, p, RouterCounter.TTL_EXPIRED, 11, 0, 0);
            return;
        }
        int slot = group.slot(flowHash(key));
        int out = group.output(slot);
        if (((int) (word0 >>> 32) & 0xFFFF) > ifMtu[out]) {
            if ((word0 & Ipv4Header.FLAG_DONT_FRAGMENT) != 0) {
                error4(vector, data, i, p, RouterCounter.MTU_EXCEEDED, 3, 4, ifMtu[out]);
            } else {
                vector.drop(i, RouterCounter.FRAGMENTATION_UNSUPPORTED);
            }
            return;
        }
        int hop = group.connected(slot) ? dst : (int) group.viaLo(slot);
        long mac = neighbor4(hop);
        if (mac == NeighborTable.MISSING) {
            resolver.resolve4(vector, data, i, out, hop, nowNs);
            return;
        }
        // TTL, protocol and checksum are one 32-bit store; the checksum update covers the TTL's word.
        int newTtlWord = ttlWord - 0x100;
        int checksum = Checksums.update16((int) (word1 >>> 32) & 0xFFFF, ttlWord, newTtlWord);
        NetBytes.put32(data, ip + Ipv4Header.TTL, newTtlWord << 16 | checksum);
        send(vector, data, i, out, mac, RouterCounter.FORWARDED);
    }


    private long neighbor4(int address) {
        long mac = current.staticNeighbors().lookup4(address);
        return mac != NeighborTable.MISSING ? mac : learned.lookup4(address, nowNs);
    }

    /** Routes an echo reply {@link RouterLocal#echo4} wrote in place to {@code dst}, its TTL as set. */
    private void reply4(PacketVector<RouterCounter> vector, MemorySegment data, long ip, int i, int dst, int src) {
        NextHopGroup group = group(lpm4.lookup(dst));
        if (group == null) {
            vector.drop(i, RouterCounter.NO_ROUTE);
            return;
        }
        int slot = group.slot(flowHash(0, src, 0, dst, IpProtocols.ICMP, 0, 0));
        int out = group.output(slot);
        if (NetBytes.u16(data, ip + 2) > ifMtu[out]) {
            vector.drop(i, RouterCounter.MTU_EXCEEDED);
            return;
        }
        int hop = group.connected(slot) ? dst : (int) group.viaLo(slot);
        long mac = neighbor4(hop);
        if (mac == NeighborTable.MISSING) {
            resolver.resolve4(vector, data, i, out, hop, nowNs);
            return;
        }
        send(vector, data, i, out, mac, RouterCounter.ECHO_REPLY_SENT);
    }

    private void send(PacketVector<RouterCounter> vector, MemorySegment data, int i, int out, long mac,
            RouterCounter counter) {
        long frame = vector.offset(i);
        long source = ifMac[out];
        // destination then source MAC, 12 bytes in two stores
        NetBytes.put64(data, frame + EthernetHeader.DST, mac << 16 | source >>> 32);
        NetBytes.put32(data, frame + EthernetHeader.SRC + 2, (int) source);
        vector.setOutput(i, out);
        vector.counters().increment(counter);
    }

    /**
     * The original packet is dropped and counted by {@code cause}; its buffer then carries the
     * ICMP error back towards its source if RFC 1812 4.3.2.7 allows one and the rate limit has a
     * token. Never about an ICMP error, a later fragment, or a source that is not one host.
     */
    private void error4(PacketVector<RouterCounter> vector, MemorySegment data, int i, ParsedPacket p,
            RouterCounter cause, int type, int code, int mtu) {
        vector.drop(i, cause);
        IpLayers o = p.outer();
        FlowKey key = o.key();
        int src = key.srcIpv4();
        if (o.fragmentOffset() != 0 || isIcmpv4Error(p, o) || src == 0 || src == -1 || (src >>> 28) >= 0xE
                || (src >>> 24) == 127) {
            vector.counters().increment(RouterCounter.ICMP_NOT_SENT);
            return;
        }
        int input = vector.input();
        if (!ifHasIpv4[input]) {
            vector.counters().increment(RouterCounter.ICMP_NO_SOURCE);
            return;
        }
        NextHopGroup back = group(lpm4.lookup(src));
        int slot = back == null ? 0 : back.slot(flowHash(0, src, 0, ifIpv4[input], IpProtocols.ICMP, 0, 0));
        long mac = back == null ? NeighborTable.MISSING : neighbor4(back.connected(slot) ? src : (int) back.viaLo(slot));
        if (mac == NeighborTable.MISSING) {
            vector.counters().increment(RouterCounter.ICMP_NO_ROUTE_BACK);
            return;
        }
        if (!icmpLimiter.tryAcquire(vector.nowNs())) {
            vector.counters().increment(RouterCounter.ICMP_RATE_LIMITED);
            return;
        }
        int out = back.output(slot);
        icmp.ipv4(vector, data, i, p, ifIpv4[input], src, type, code, mtu);
        send(vector, data, i, out, mac, RouterCounter.ICMP_SENT);
    }

    /** Whether the packet is an ICMP error (or an ICMP packet too short to tell): RFC 1812 4.3.2.7. */
    private static boolean isIcmpv4Error(ParsedPacket p, IpLayers o) {
        if (o.key().protocol() != IpProtocols.ICMP) {
            return false;
        }
        int type = p.has(Layer.ICMPV4) ? o.icmpType() : -1;
        return !(type == 0 || type == 8 || type == 13 || type == 14 || type == 15 || type == 16 || type == 17
                || type == 18);
    }

    // ---- IPv6 -----------------------------------------------------------------------------------

    private void ipv6(PacketVector<RouterCounter> vector, MemorySegment data, int i, ParsedPacket p) {
        long frame = vector.offset(i);
        long ip = frame + p.l3Offset();
        IpLayers o = p.outer();
        FlowKey key = o.key();
        if (p.has(Layer.ICMPV6) && Icmpv6Header.isNeighbourDiscovery(o.icmpType())) {
            local.neighborDiscovery(vector, data, i, p);
            return;
        }
        long dstHi = key.dstHi();
        long dstLo = key.dstLo();
        if ((dstHi >>> 56) == 0xFF || (dstHi >>> 54) == 0x3FA || (key.srcHi() >>> 54) == 0x3FA
                || (dstHi == 0 && (dstLo == 0 || dstLo == 1))) {
            vector.drop(i, RouterCounter.NOT_UNICAST); // multicast, link-local, unspecified, loopback
            return;
        }
        if (local.isOwnIpv6(dstHi, dstLo)) {
            if (local.echo6(vector, data, i, p)) {
                reply6(vector, data, ip, i, key.srcHi(), key.srcLo(), dstHi, dstLo);
            }
            return;
        }
        NextHopGroup group = group(lpm6.lookup(dstHi, dstLo));
        if (group == null) {
            error6(vector, data, i, p, RouterCounter.NO_ROUTE, 1, 0, 0);
            return;
        }
        int hops = NetBytes.u8(data, ip + Ipv6Header.HOP_LIMIT);
        if (hops <= 1) {
            error6(vector, data, i, p, RouterCounter.TTL_EXPIRED, 3, 0, 0);
            return;
        }
        int slot = group.slot(flowHash(key));
        int out = group.output(slot);
        if (Ipv6Header.LENGTH + NetBytes.u16(data, ip + Ipv6Header.PAYLOAD_LENGTH) > ifMtu[out]) {
            error6(vector, data, i, p, RouterCounter.MTU_EXCEEDED, 2, 0, ifMtu[out]);
            return;
        }
        long hopHi = group.connected(slot) ? dstHi : group.viaHi(slot);
        long hopLo = group.connected(slot) ? dstLo : group.viaLo(slot);
        long mac = neighbor6(hopHi, hopLo);
        if (mac == NeighborTable.MISSING) {
            resolver.resolve6(vector, data, i, out, hopHi, hopLo, nowNs);
            return;
        }
        NetBytes.put8(data, ip + Ipv6Header.HOP_LIMIT, hops - 1);
        send(vector, data, i, out, mac, RouterCounter.FORWARDED);
    }


    private long neighbor6(long hi, long lo) {
        long mac = current.staticNeighbors().lookup6(hi, lo);
        return mac != NeighborTable.MISSING ? mac : learned.lookup6(hi, lo, nowNs);
    }

    /** {@link #reply4} for ICMPv6 echo replies. */
    private void reply6(PacketVector<RouterCounter> vector, MemorySegment data, long ip, int i, long dstHi, long dstLo,
            long srcHi, long srcLo) {
        NextHopGroup group = group(lpm6.lookup(dstHi, dstLo));
        if (group == null) {
            vector.drop(i, RouterCounter.NO_ROUTE);
            return;
        }
        int slot = group.slot(flowHash(srcHi, srcLo, dstHi, dstLo, IpProtocols.ICMPV6, 0, 0));
        int out = group.output(slot);
        if (Ipv6Header.LENGTH + NetBytes.u16(data, ip + Ipv6Header.PAYLOAD_LENGTH) > ifMtu[out]) {
            vector.drop(i, RouterCounter.MTU_EXCEEDED);
            return;
        }
        long hopHi = group.connected(slot) ? dstHi : group.viaHi(slot);
        long hopLo = group.connected(slot) ? dstLo : group.viaLo(slot);
        long mac = neighbor6(hopHi, hopLo);
        if (mac == NeighborTable.MISSING) {
            resolver.resolve6(vector, data, i, out, hopHi, hopLo, nowNs);
            return;
        }
        send(vector, data, i, out, mac, RouterCounter.ECHO_REPLY_SENT);
    }


    /** {@link #error4} for IPv6 (RFC 4443 2.4): Packet Too Big is sent even for multicast. */
    private void error6(PacketVector<RouterCounter> vector, MemorySegment data, int i, ParsedPacket p,
            RouterCounter cause, int type, int code, int mtu) {
        vector.drop(i, cause);
        IpLayers o = p.outer();
        FlowKey key = o.key();
        long srcHi = key.srcHi();
        long srcLo = key.srcLo();
        boolean icmpError = key.protocol() == IpProtocols.ICMPV6 && (!p.has(Layer.ICMPV6) || o.icmpType() < 128);
        if (o.fragmentOffset() != 0 || icmpError || (srcHi >>> 56) == 0xFF || (srcHi == 0 && srcLo == 0)) {
            vector.counters().increment(RouterCounter.ICMP_NOT_SENT);
            return;
        }
        int input = vector.input();
        if (!ifHasIpv6[input]) {
            vector.counters().increment(RouterCounter.ICMP_NO_SOURCE);
            return;
        }
        NextHopGroup back = group(lpm6.lookup(srcHi, srcLo));
        int slot = back == null ? 0
                : back.slot(flowHash(srcHi, srcLo, ifIpv6Hi[input], ifIpv6Lo[input], IpProtocols.ICMPV6, 0, 0));
        long mac = back == null ? NeighborTable.MISSING
                : back.connected(slot) ? neighbor6(srcHi, srcLo) : neighbor6(back.viaHi(slot), back.viaLo(slot));
        if (mac == NeighborTable.MISSING) {
            vector.counters().increment(RouterCounter.ICMP_NO_ROUTE_BACK);
            return;
        }
        if (!icmpLimiter.tryAcquire(vector.nowNs())) {
            vector.counters().increment(RouterCounter.ICMP_RATE_LIMITED);
            return;
        }
        int out = back.output(slot);
        icmp.ipv6(vector, data, i, p, ifIpv6Hi[input], ifIpv6Lo[input], srcHi, srcLo, type, code, mtu);
        send(vector, data, i, out, mac, RouterCounter.ICMP_SENT);
    }

    // ---- shared ---------------------------------------------------------------------------------

    /**
     * The group of a next-hop id, or null for no route. A route added after this burst's tables
     * were read may name a group they lack: read the newest tables once more before giving up.
     */
    private NextHopGroup group(int nextHop) {
        if (nextHop < 0) {
            return null;
        }
        NextHopGroup[] groups = current.groups();
        if (nextHop >= groups.length || groups[nextHop] == null) {
            current = tables.get();
            groups = current.groups();
            if (nextHop >= groups.length) {
                return null;
            }
        }
        return groups[nextHop];
    }

    private static int flowHash(FlowKey key) {
        return flowHash(key.srcHi(), key.srcLo(), key.dstHi(), key.dstLo(), key.protocol(), key.srcPort(),
                key.dstPort());
    }

    /**
     * The ECMP hash of a 5-tuple (IPv4 addresses as hi 0, lo the address): the same mix as
     * {@link FlowKey#hash()}, callable by the control plane for Lookup without a parsed packet.
     */
    static int flowHash(long srcHi, long srcLo, long dstHi, long dstLo, int protocol, int srcPort, int dstPort) {
        long h = srcHi * 0x9E3779B97F4A7C15L;
        h = (h ^ srcLo) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ dstHi) * 0x9E3779B97F4A7C15L;
        h = (h ^ dstLo) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ ((long) protocol << 32 | (long) srcPort << 16 | dstPort)) * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    @Override
    public void trace(PacketVector<RouterCounter> vector, int index, StringBuilder out) {
        int output = vector.output(index);
        out.append(output == PacketVector.DROP ? "dropped" : "out " + outputs.get(output));
    }
}
