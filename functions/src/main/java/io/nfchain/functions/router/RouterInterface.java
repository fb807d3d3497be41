package io.nfchain.functions.router;

import io.nfchain.core.packet.IpAddresses;
import io.nfchain.core.packet.NetBytes;

/**
 * Immutable. One interface of the router (output {@code k} is link {@code k}): its MAC, its
 * optional IPv4 and IPv6 addresses (the source of ICMP errors sent from it) and its IP MTU.
 *
 * @param mac low 48 bits
 * @param mtuBytes the largest IP packet (header included) that may leave by this interface
 */
public record RouterInterface(String name, long mac, boolean hasIpv4, int ipv4, boolean hasIpv6, long ipv6Hi,
        long ipv6Lo, int mtuBytes) {
    public static final int DEFAULT_MTU = 1500;

    public RouterInterface {
        if (mtuBytes < 68 || mtuBytes > 65535) {
            throw new IllegalArgumentException(name + ": MTU must be 68..65535, was " + mtuBytes);
        }
        if ((mac >>> 48) != 0) {
            throw new IllegalArgumentException(name + ": MAC has more than 48 bits");
        }
    }

    /** An interface from text: {@code mac "02:00:00:00:00:01"}, addresses empty or literal. */
    public static RouterInterface of(String name, String mac, String ipv4, String ipv6, int mtuBytes) {
        boolean v4 = ipv4 != null && !ipv4.isEmpty();
        boolean v6 = ipv6 != null && !ipv6.isEmpty();
        long[] six = v6 ? IpAddresses.parseIpv6(ipv6) : new long[2];
        return new RouterInterface(name, NetBytes.parseMac(mac), v4, v4 ? IpAddresses.parseIpv4(ipv4) : 0, v6,
                six[0], six[1], mtuBytes);
    }
}
