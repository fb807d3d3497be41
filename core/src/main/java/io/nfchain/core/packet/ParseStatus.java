package io.nfchain.core.packet;

/**
 * Why the parser stopped: {@link #OK} or the first thing about the packet that was malformed.
 *
 * <p>The text is what users see in drop counters, {@code show errors}, traces and
 * {@code nfchain decode}; it is written once, here.
 */
public enum ParseStatus {
    OK("well-formed"),
    ETHERNET_TRUNCATED("Ethernet header truncated (under 14 bytes)"),
    VLAN_TRUNCATED("VLAN tag truncated"),
    VLAN_TOO_MANY_TAGS("more than two VLAN tags"),
    ARP_TRUNCATED("ARP packet truncated"),
    IPV4_TRUNCATED("IPv4 header truncated (under 20 bytes)"),
    IPV4_BAD_VERSION("IPv4 version field is not 4"),
    IPV4_BAD_IHL("IPv4 IHL under 5"),
    IPV4_OPTIONS_TRUNCATED("IPv4 header length beyond the packet"),
    IPV4_BAD_OPTION("IPv4 option length runs past the header"),
    IPV4_TOTAL_LENGTH_TOO_SMALL("IPv4 total length smaller than its header"),
    IPV4_TOTAL_LENGTH_BEYOND_PACKET("IPv4 total length beyond the packet"),
    IPV6_TRUNCATED("IPv6 header truncated (under 40 bytes)"),
    IPV6_BAD_VERSION("IPv6 version field is not 6"),
    IPV6_PAYLOAD_LENGTH_BEYOND_PACKET("IPv6 payload length beyond the packet"),
    IPV6_EXT_TRUNCATED("IPv6 extension header runs past the payload"),
    IPV6_HOP_BY_HOP_NOT_FIRST("IPv6 hop-by-hop options header not first"),
    IPV6_EXT_CHAIN_TOO_LONG("IPv6 extension header chain too long (over 8 headers)"),
    ICMP_TRUNCATED("ICMPv4 header truncated (under 8 bytes)"),
    ICMPV6_TRUNCATED("ICMPv6 message truncated"),
    ND_BAD_OPTION("neighbour discovery option has length 0 or runs past the message"),
    UDP_TRUNCATED("UDP header truncated (under 8 bytes)"),
    UDP_BAD_LENGTH("UDP length field under 8 or beyond the IP payload"),
    TCP_TRUNCATED("TCP header truncated (under 20 bytes)"),
    TCP_BAD_DATA_OFFSET("TCP data offset under 5"),
    TCP_OPTIONS_TRUNCATED("TCP header length beyond the IP payload"),
    GTPU_TRUNCATED("GTP-U header truncated"),
    GTPU_BAD_VERSION("GTP-U version is not 1 or protocol type is not GTP"),
    GTPU_BAD_LENGTH("GTP-U length field beyond the UDP payload or shorter than its optional fields"),
    GTPU_EXT_LENGTH_ZERO("GTP-U extension header length 0"),
    GTPU_EXT_TRUNCATED("GTP-U extension header runs past the message"),
    GTPU_EXT_CHAIN_TOO_LONG("GTP-U extension header chain too long (over 8 headers)"),
    GTPU_BAD_INNER("GTP-U G-PDU payload is not IPv4 or IPv6"),
    VXLAN_TRUNCATED("VXLAN header truncated (under 8 bytes)"),
    VXLAN_BAD_FLAGS("VXLAN I flag not set"),
    INNER_ETHERNET_TRUNCATED("VXLAN inner Ethernet header truncated");

    private final String text;

    ParseStatus(String text) {
        this.text = text;
    }

    /** Human text for counters, traces and the CLI. */
    public String text() {
        return text;
    }
}
