package io.nfchain.core.packet;

/**
 * A 5-tuple: IP version, source and destination address, IP protocol and L4 ports.
 *
 * <p>Mutable and reused: the parser fills one per packet without allocating. Not thread-safe.
 * IPv4 addresses sit in the low 32 bits of {@link #srcLo()}/{@link #dstLo()} with the high
 * words zero; IPv6 addresses use both words. Ports are 0 where the protocol has none (ICMP)
 * or the packet is a non-first fragment.
 */
public final class FlowKey {
    private int ipVersion;
    private long srcHi;
    private long srcLo;
    private long dstHi;
    private long dstLo;
    private int protocol;
    private int srcPort;
    private int dstPort;

    /** No tuple: version, protocol and ports 0. */
    public void clear() {
        ipVersion = 0;
        protocol = srcPort = dstPort = 0;
    }

    /** Sets an IPv4 tuple's addresses and protocol; ports start at 0. */
    void setIpv4(int src, int dst, int protocol) {
        ipVersion = 4;
        srcHi = 0;
        dstHi = 0;
        srcLo = src & 0xFFFF_FFFFL;
        dstLo = dst & 0xFFFF_FFFFL;
        this.protocol = protocol;
        srcPort = dstPort = 0;
    }

    /** Sets an IPv6 tuple's addresses; protocol and ports start at 0. */
    void setIpv6(long srcHi, long srcLo, long dstHi, long dstLo) {
        ipVersion = 6;
        this.srcHi = srcHi;
        this.srcLo = srcLo;
        this.dstHi = dstHi;
        this.dstLo = dstLo;
        protocol = srcPort = dstPort = 0;
    }

    void setProtocol(int protocol) {
        this.protocol = protocol;
    }

    void setPorts(int srcPort, int dstPort) {
        this.srcPort = srcPort;
        this.dstPort = dstPort;
    }

    /** 4, 6, or 0 when the packet carried no IP header. */
    public int ipVersion() {
        return ipVersion;
    }

    public int srcIpv4() {
        return (int) srcLo;
    }

    public int dstIpv4() {
        return (int) dstLo;
    }

    public long srcHi() {
        return srcHi;
    }

    public long srcLo() {
        return srcLo;
    }

    public long dstHi() {
        return dstHi;
    }

    public long dstLo() {
        return dstLo;
    }

    /** The upper-layer protocol number after any IPv6 extension headers (6 TCP, 17 UDP, ...). */
    public int protocol() {
        return protocol;
    }

    public int srcPort() {
        return srcPort;
    }

    public int dstPort() {
        return dstPort;
    }

    public String srcAddressString() {
        return ipVersion == 6 ? IpAddresses.ipv6ToString(srcHi, srcLo) : ipVersion == 4 ? IpAddresses.ipv4ToString(srcIpv4()) : "";
    }

    public String dstAddressString() {
        return ipVersion == 6 ? IpAddresses.ipv6ToString(dstHi, dstLo) : ipVersion == 4 ? IpAddresses.ipv4ToString(dstIpv4()) : "";
    }

    /**
     * A well-mixed 32-bit hash of the 5-tuple, symmetric in neither direction, for flow tables
     * and ECMP. Allocation-free.
     */
    public int hash() {
        long h = srcHi * 0x9E3779B97F4A7C15L;
        h = (h ^ srcLo) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ dstHi) * 0x9E3779B97F4A7C15L;
        h = (h ^ dstLo) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ ((long) protocol << 32 | (long) srcPort << 16 | dstPort)) * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    @Override
    public String toString() {
        return srcAddressString() + ":" + srcPort + " -> " + dstAddressString() + ":" + dstPort + " proto " + protocol;
    }
}
