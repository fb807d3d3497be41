package io.nfchain.functions.acl;

import io.nfchain.core.packet.FlowKey;
import io.nfchain.core.packet.IpLayers;
import io.nfchain.core.packet.IpProtocols;

/**
 * The fields of one packet that ACL rules look at, filled once per packet and read by the
 * classifier and the flow table. Mutable and reused: one per worker thread, never shared.
 *
 * <p>The classifier sees a packet as a point in eight dimensions ({@code DIM_*}); an address is
 * two 64-bit dimensions so IPv6 fits, and an IPv4 address sits in the low word as in
 * {@link FlowKey}. A packet without ports (not TCP or UDP, or a fragment other than the first)
 * has port value {@link #NO_PORT}, which no port range given in a rule contains, so a rule
 * with ports never matches it, as iptables and VPP treat later fragments. In the same way a
 * packet without a TCP header carries {@link #NO_TCP_HEADER} in its flags, so no TCP-flags rule
 * matches it.
 */
public final class AclKey {
    public static final int DIM_SRC_HI = 0;
    public static final int DIM_SRC_LO = 1;
    public static final int DIM_DST_HI = 2;
    public static final int DIM_DST_LO = 3;
    public static final int DIM_PROTOCOL = 4;
    public static final int DIM_SRC_PORT = 5;
    public static final int DIM_DST_PORT = 6;
    public static final int DIM_DSCP = 7;
    public static final int DIMENSIONS = 8;

    /** The port of a packet that has none: above every real port. */
    public static final int NO_PORT = 0x1_0000;
    /** A flag bit above the nine real TCP flags, set when the packet has no TCP header. */
    public static final int NO_TCP_HEADER = 0x200;

    // misc4, what IPv4 rules compare with one mask: protocol in bits 0-7, DSCP in 8-13, "no source
    // port" in 14, "no destination port" in 15, the TCP flags (NO_TCP_HEADER included) from bit 16 on.
    static final int MISC_DSCP_SHIFT = 8;
    static final int MISC_NO_SRC_PORT = 1 << 14;
    static final int MISC_NO_DST_PORT = 1 << 15;
    static final int MISC_FLAGS_SHIFT = 16;

    /** Raw values per dimension: what the decision trees cut on. */
    final long[] values = new long[DIMENSIONS];
    /** The same values with the sign bit flipped, so IPv6 leaves compare unsigned values with signed compares. */
    final long[] flipped = new long[DIMENSIONS];
    int version;
    int tcpFlags;
    // What IPv4 leaves compare: the addresses as sign-flipped ints, the small fields as ints.
    int src4;
    int dst4;
    int protocol;
    int srcPort;
    int dstPort;
    int dscp;
    // The ports as 16 bits (NO_PORT reads 0: misc4 tells it apart), and the misc word; see MISC_*.
    int srcPort16;
    int dstPort16;
    int misc4;

    /**
     * Takes the fields of an IP layer the parser filled (the outer packet, or a tunnel's inner
     * one). A layer with no IP header gives version 0: no rule matches, the default applies.
     */
    public AclKey set(IpLayers ip) {
        FlowKey k = ip.key();
        int protocol = k.protocol();
        boolean later = ip.isLaterFragment();
        boolean ports = !later && (protocol == IpProtocols.TCP || protocol == IpProtocols.UDP);
        return set(k.ipVersion(), k.srcHi(), k.srcLo(), k.dstHi(), k.dstLo(), protocol,
                ports ? k.srcPort() : NO_PORT, ports ? k.dstPort() : NO_PORT, ip.dscp(),
                !later && protocol == IpProtocols.TCP ? ip.tcpFlags() : NO_TCP_HEADER);
    }

    /**
     * Takes the fields one by one. IPv4 addresses go in the low 32 bits of {@code srcLo} and
     * {@code dstLo} with the high words 0; protocol is 0..255 and dscp 0..63 (IPv4 rules read
     * them packed into one word); ports are 0..65535 or {@link #NO_PORT}; tcpFlags is
     * the 9-bit field or {@link #NO_TCP_HEADER}.
     */
    public AclKey set(int version, long srcHi, long srcLo, long dstHi, long dstLo, int protocol,
                      int srcPort, int dstPort, int dscp, int tcpFlags) {
        this.version = version;
        this.tcpFlags = tcpFlags;
        this.src4 = (int) srcLo ^ Integer.MIN_VALUE;
        this.dst4 = (int) dstLo ^ Integer.MIN_VALUE;
        this.protocol = protocol;
        this.srcPort = srcPort;
        this.dstPort = dstPort;
        this.dscp = dscp;
        this.srcPort16 = srcPort & 0xFFFF;
        this.dstPort16 = dstPort & 0xFFFF;
        this.misc4 = protocol | dscp << MISC_DSCP_SHIFT | (srcPort == NO_PORT ? MISC_NO_SRC_PORT : 0)
                | (dstPort == NO_PORT ? MISC_NO_DST_PORT : 0) | tcpFlags << MISC_FLAGS_SHIFT;
        put(DIM_SRC_HI, srcHi);
        put(DIM_SRC_LO, srcLo);
        put(DIM_DST_HI, dstHi);
        put(DIM_DST_LO, dstLo);
        put(DIM_PROTOCOL, protocol);
        put(DIM_SRC_PORT, srcPort);
        put(DIM_DST_PORT, dstPort);
        put(DIM_DSCP, dscp);
        return this;
    }

    /** Makes this key a copy of {@code other}. */
    public AclKey copyFrom(AclKey other) {
        System.arraycopy(other.values, 0, values, 0, DIMENSIONS);
        System.arraycopy(other.flipped, 0, flipped, 0, DIMENSIONS);
        version = other.version;
        tcpFlags = other.tcpFlags;
        src4 = other.src4;
        dst4 = other.dst4;
        protocol = other.protocol;
        srcPort = other.srcPort;
        dstPort = other.dstPort;
        dscp = other.dscp;
        srcPort16 = other.srcPort16;
        dstPort16 = other.dstPort16;
        misc4 = other.misc4;
        return this;
    }

    private void put(int dim, long value) {
        values[dim] = value;
        flipped[dim] = value ^ Long.MIN_VALUE;
    }

    /** 4, 6, or 0 for a packet that is not IP. */
    public int version() {
        return version;
    }

    public long value(int dim) {
        return values[dim];
    }

    public int protocol() {
        return protocol;
    }

    public int srcPort() {
        return srcPort;
    }

    public int dstPort() {
        return dstPort;
    }

    public int dscp() {
        return dscp;
    }

    public int tcpFlags() {
        return tcpFlags;
    }

    @Override
    public String toString() {
        return "v" + version + " " + Long.toHexString(values[0]) + ":" + Long.toHexString(values[1]) + " -> "
                + Long.toHexString(values[2]) + ":" + Long.toHexString(values[3]) + " proto " + values[4]
                + " ports " + values[5] + "->" + values[6] + " dscp " + values[7] + " flags 0x" + Integer.toHexString(tcpFlags);
    }
}
