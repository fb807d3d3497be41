package io.nfchain.core.packet;

import java.util.SplittableRandom;

/**
 * Valid frames of every protocol nfchain parses, with random field values: the seed corpus for
 * fuzzing and for the cross-check against tshark.
 */
final class RandomFrames {
    private final SplittableRandom random;

    RandomFrames(long seed) {
        this.random = new SplittableRandom(seed);
    }

    private long mac() {
        return random.nextLong() & 0xFEFF_FFFF_FFFFL; // unicast
    }

    private int port() {
        int p = random.nextInt(1, 65536);
        return p == IpProtocols.GTPU_PORT || p == IpProtocols.VXLAN_PORT ? p + 1 : p;
    }

    PacketBuilder l2(PacketBuilder b) {
        b.ethernet(mac(), mac());
        switch (random.nextInt(4)) {
            case 0 -> b.vlan(EtherTypes.VLAN, random.nextInt(8), random.nextBoolean(), random.nextInt(1, 4095));
            case 1 -> b.vlan(EtherTypes.QINQ, random.nextInt(8), false, random.nextInt(1, 4095))
                    .vlan(EtherTypes.VLAN, random.nextInt(8), false, random.nextInt(1, 4095));
            default -> { }
        }
        return b;
    }

    /** An IPv4 or IPv6 header with random addresses and fields, maybe with options/extensions. */
    PacketBuilder ip(PacketBuilder b, boolean v6) {
        if (!v6) {
            byte[] options = new byte[0];
            if (random.nextInt(4) == 0) {
                options = new byte[] {1, 1, 1, 0}; // NOP NOP NOP EOL
            }
            b.ipv4(random.nextInt(), random.nextInt())
                    .ipv4Fields(random.nextInt(256), random.nextInt(1, 256), random.nextInt(65536),
                            random.nextBoolean() ? Ipv4Header.FLAG_DONT_FRAGMENT : 0, options);
            return b;
        }
        b.ipv6(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong())
                .ipv6Fields(random.nextInt(256), random.nextInt(1 << 20), random.nextInt(1, 256));
        int segments = random.nextInt(1, 4);
        switch (random.nextInt(6)) {
            case 0 -> b.ipv6Options(IpProtocols.HOP_BY_HOP, 8 * random.nextInt(1, 4));
            case 1 -> b.ipv6Options(IpProtocols.HOP_BY_HOP, 8).ipv6Routing(8 + 16 * segments, 4, random.nextInt(segments))
                    .ipv6Options(IpProtocols.DESTINATION_OPTIONS, 8);
            case 2 -> b.ipv6Fragment(0, true, random.nextInt());
            default -> { }
        }
        return b;
    }

    PacketBuilder l4(PacketBuilder b, boolean v6) {
        int payload = random.nextInt(64);
        switch (random.nextInt(4)) {
            case 0 -> b.udp(port(), port());
            case 1 -> b.tcp(port(), port(), random.nextInt(), random.nextInt(), random.nextInt(1, 256),
                    random.nextInt(65536), random.nextBoolean());
            case 2 -> {
                if (v6) {
                    b.icmpv6(random.nextBoolean() ? Icmpv6Header.ECHO_REQUEST : Icmpv6Header.ECHO_REPLY, 0, random.nextInt());
                } else {
                    b.icmp(random.nextBoolean() ? IcmpHeader.ECHO_REQUEST : IcmpHeader.ECHO_REPLY, 0, random.nextInt());
                }
            }
            default -> {
                if (v6) {
                    b.neighbourDiscovery(random.nextBoolean() ? 135 : 136, random.nextBoolean() ? 0x60 : 0,
                            random.nextLong(), random.nextLong(), mac());
                    payload = 0; // ND options run to the end of the message
                } else {
                    b.udp(port(), port());
                }
            }
        }
        return b.payload(payload);
    }

    /** One random valid frame. */
    byte[] next() {
        PacketBuilder b = l2(new PacketBuilder());
        switch (random.nextInt(8)) {
            case 0 -> {
                return b.arp(random.nextInt(1, 3), mac(), random.nextInt(), random.nextBoolean() ? 0 : mac(), random.nextInt())
                        .padTo(60).toBytes();
            }
            case 1, 2 -> { // GTP-U
                boolean v6 = random.nextInt(4) == 0;
                ip(b, v6).udp(port(), IpProtocols.GTPU_PORT).gtpu(random.nextInt());
                if (random.nextBoolean()) {
                    b.gtpuSequence(random.nextInt(65536));
                }
                if (random.nextInt(4) != 0) {
                    b.pduSessionContainer(random.nextInt(2), random.nextInt(64));
                }
                boolean innerV6 = random.nextBoolean();
                return l4(ip(b, innerV6), innerV6).toBytes();
            }
            case 3 -> { // VXLAN
                ip(b, false).udp(port(), IpProtocols.VXLAN_PORT).vxlan(random.nextInt(1 << 24)).ethernet(mac(), mac());
                boolean innerV6 = random.nextBoolean();
                return l4(ip(b, innerV6), innerV6).toBytes();
            }
            default -> {
                boolean v6 = random.nextBoolean();
                return l4(ip(b, v6), v6).padTo(random.nextBoolean() ? 60 : 0).toBytes();
            }
        }
    }
}
