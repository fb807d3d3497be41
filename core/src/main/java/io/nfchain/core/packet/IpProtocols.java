package io.nfchain.core.packet;

/** IP protocol / IPv6 next-header numbers nfchain understands (IANA registry). */
public final class IpProtocols {
    public static final int HOP_BY_HOP = 0;
    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ROUTING = 43;
    public static final int FRAGMENT = 44;
    public static final int ESP = 50;
    public static final int AH = 51;
    public static final int ICMPV6 = 58;
    public static final int NO_NEXT_HEADER = 59;
    public static final int DESTINATION_OPTIONS = 60;
    public static final int MOBILITY = 135;
    public static final int HIP = 139;
    public static final int SHIM6 = 140;

    /** UDP destination port of GTP-U (3GPP TS 29.281). */
    public static final int GTPU_PORT = 2152;
    /** UDP destination port of VXLAN (RFC 7348). */
    public static final int VXLAN_PORT = 4789;

    private IpProtocols() {}
}
