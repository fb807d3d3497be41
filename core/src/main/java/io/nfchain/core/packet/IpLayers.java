package io.nfchain.core.packet;

/**
 * What one parse found at L3 and L4 of one IP packet: offsets, the 5-tuple and the fields
 * classifiers use. A {@link ParsedPacket} has one for the packet and one for a tunnel's inner
 * packet.
 *
 * <p>Offsets are from the start of the frame, as the kernel's sk_buff keeps its network and
 * transport header offsets; -1 means the layer was not reached. Mutable and reused; not thread-safe.
 */
public final class IpLayers {
    final FlowKey key = new FlowKey();
    int l3Offset;
    int l3End;
    int l4Offset;
    int payloadOffset;
    int hopLimit;
    int trafficClass;
    int fragmentOffset;
    int fragmentFlags;
    int icmpType;
    int icmpCode;
    int tcpFlags;

    /** Set in {@link #fragmentFlags()} when the packet is a fragment (first or not). */
    public static final int FRAG_IS_FRAGMENT = 1;
    /** Set in {@link #fragmentFlags()} when more fragments follow. */
    public static final int FRAG_MORE = 2;
    /** Set in {@link #fragmentFlags()} for IPv4's don't-fragment bit. */
    public static final int FRAG_DONT_FRAGMENT = 4;

    /**
     * Forgets the last packet with as few stores as the parser can afford: hop limit, traffic
     * class and fragment fields are written by every IP header the parser accepts, and their
     * accessors read 0 while there is none ({@code key().ipVersion() == 0}).
     */
    void clear() {
        key.clear();
        l3Offset = l3End = l4Offset = payloadOffset = -1;
        icmpType = icmpCode = -1;
        tcpFlags = 0;
    }

    private boolean hasIp() {
        return key.ipVersion() != 0;
    }

    /** The 5-tuple. Valid when {@link #l3Offset()} is not -1. */
    public FlowKey key() {
        return key;
    }

    /** Offset of the IP header (network header), or -1. */
    public int l3Offset() {
        return l3Offset;
    }

    /** Offset just past the IP packet as its length fields say: link-layer padding starts here. */
    public int l3End() {
        return l3End;
    }

    /** Offset of the upper-layer header after any IPv6 extension headers (transport header), or -1. */
    public int l4Offset() {
        return l4Offset;
    }

    /** Offset of the upper-layer payload (past UDP/TCP/ICMP headers), or -1. */
    public int payloadOffset() {
        return payloadOffset;
    }

    /** IPv4 TTL or IPv6 hop limit. */
    public int hopLimit() {
        return hasIp() ? hopLimit : 0;
    }

    /** IPv4 TOS byte or IPv6 traffic class: DSCP in the upper 6 bits, ECN in the lower 2. */
    public int trafficClass() {
        return hasIp() ? trafficClass : 0;
    }

    public int dscp() {
        return trafficClass() >>> 2;
    }

    /** Fragment offset in bytes (0 for the first fragment and for unfragmented packets). */
    public int fragmentOffset() {
        return hasIp() ? fragmentOffset : 0;
    }

    /** {@link #FRAG_IS_FRAGMENT}, {@link #FRAG_MORE}, {@link #FRAG_DONT_FRAGMENT} bits. */
    public int fragmentFlags() {
        return hasIp() ? fragmentFlags : 0;
    }

    /** True for a fragment other than the first: it has no L4 header, so no ports. */
    public boolean isLaterFragment() {
        return fragmentOffset() != 0;
    }

    /** ICMP or ICMPv6 type, or -1. */
    public int icmpType() {
        return icmpType;
    }

    /** ICMP or ICMPv6 code, or -1. */
    public int icmpCode() {
        return icmpCode;
    }

    /** TCP flags (9 bits: NS CWR ECE URG ACK PSH RST SYN FIN), 0 when not TCP. */
    public int tcpFlags() {
        return tcpFlags;
    }
}
