package io.nfchain.core.packet;

/** Addresses and ready-made frames shared by the packet tests. */
final class Packets {
    static final long MAC_A = 0x02_00_00_00_00_01L;
    static final long MAC_B = 0x02_00_00_00_00_02L;
    static final int IP_A = IpAddresses.parseIpv4("10.0.0.1");
    static final int IP_B = IpAddresses.parseIpv4("10.0.0.2");
    static final long[] IP6_A = IpAddresses.parseIpv6("2001:db8::1");
    static final long[] IP6_B = IpAddresses.parseIpv6("2001:db8::2");

    private Packets() {}

    static PacketBuilder eth() {
        return new PacketBuilder().ethernet(MAC_B, MAC_A);
    }

    static PacketBuilder ipv6(PacketBuilder b) {
        return b.ipv6(IP6_A[0], IP6_A[1], IP6_B[0], IP6_B[1]);
    }

    static byte[] ipv4Udp() {
        return eth().ipv4(IP_A, IP_B).udp(1234, 5678).payload(18).toBytes();
    }

    static byte[] ipv6Tcp() {
        return ipv6(eth()).tcp(40000, 443).payload(0).toBytes();
    }

    static byte[] gtpu() {
        return eth().ipv4(IP_A, IP_B).udp(2152, 2152)
                .gtpu(0x12345678).pduSessionContainer(GtpuHeader.PDU_TYPE_UPLINK, 9)
                .ipv4(IpAddresses.parseIpv4("100.64.0.7"), IpAddresses.parseIpv4("8.8.8.8"))
                .tcp(40000, 443).payload(16).toBytes();
    }
}
