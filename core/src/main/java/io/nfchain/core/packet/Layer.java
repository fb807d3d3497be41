package io.nfchain.core.packet;

import java.util.ArrayList;
import java.util.List;

/**
 * Bit flags for the layers a parse found, kept in one {@code int} ({@link ParsedPacket#layers()}).
 *
 * <p>The flags of a tunnel's inner packet are the outer flags shifted left by {@link #INNER_SHIFT}:
 * {@code INNER_TCP == TCP << 16}.
 */
public final class Layer {
    public static final int ETHERNET = 1;
    public static final int VLAN = 1 << 1;
    public static final int QINQ = 1 << 2;
    public static final int ARP = 1 << 3;
    public static final int IPV4 = 1 << 4;
    public static final int IPV6 = 1 << 5;
    public static final int IPV6_EXT = 1 << 6;
    public static final int FRAGMENT = 1 << 7;
    public static final int ICMPV4 = 1 << 8;
    public static final int ICMPV6 = 1 << 9;
    public static final int UDP = 1 << 10;
    public static final int TCP = 1 << 11;
    public static final int GTPU = 1 << 12;
    public static final int VXLAN = 1 << 13;

    public static final int INNER_SHIFT = 16;
    public static final int INNER_ETHERNET = ETHERNET << INNER_SHIFT;
    public static final int INNER_ARP = ARP << INNER_SHIFT;
    public static final int INNER_IPV4 = IPV4 << INNER_SHIFT;
    public static final int INNER_IPV6 = IPV6 << INNER_SHIFT;
    public static final int INNER_IPV6_EXT = IPV6_EXT << INNER_SHIFT;
    public static final int INNER_FRAGMENT = FRAGMENT << INNER_SHIFT;
    public static final int INNER_ICMPV4 = ICMPV4 << INNER_SHIFT;
    public static final int INNER_ICMPV6 = ICMPV6 << INNER_SHIFT;
    public static final int INNER_UDP = UDP << INNER_SHIFT;
    public static final int INNER_TCP = TCP << INNER_SHIFT;

    private static final String[] NAMES = {
        "eth", "vlan", "qinq", "arp", "ipv4", "ipv6", "ipv6_ext", "fragment",
        "icmp", "icmpv6", "udp", "tcp", "gtpu", "vxlan"
    };

    private Layer() {}

    /** Layer names in wire order, inner ones prefixed {@code inner_}; for tools, not the hot path. */
    public static List<String> names(int layers) {
        List<String> names = new ArrayList<>();
        for (int shift : new int[] {0, INNER_SHIFT}) {
            for (int bit = 0; bit < NAMES.length; bit++) {
                if ((layers & (1 << (bit + shift))) != 0) {
                    names.add(shift == 0 ? NAMES[bit] : "inner_" + NAMES[bit]);
                }
            }
        }
        return names;
    }
}
