package io.nfchain.functions.qos;

import io.nfchain.api.session.v1.ApplyAction;
import io.nfchain.api.session.v1.Far;
import io.nfchain.api.session.v1.GateStatus;
import io.nfchain.api.session.v1.Interface;
import io.nfchain.api.session.v1.OuterHeaderCreation;
import io.nfchain.api.session.v1.Pdi;
import io.nfchain.api.session.v1.Pdr;
import io.nfchain.api.session.v1.PortRange;
import io.nfchain.api.session.v1.Qer;
import io.nfchain.api.session.v1.SdfFilter;
import io.nfchain.api.session.v1.Session;
import io.nfchain.core.packet.GtpuHeader;
import io.nfchain.core.packet.IpAddresses;
import io.nfchain.core.packet.PacketBuilder;
import java.lang.foreign.MemorySegment;

/** Stateless. Sessions and frames for the qos tests: one UE, one server, one gNB. */
final class QosSessions {
    static final String UE_TEXT = "10.45.0.7";
    static final int UE = IpAddresses.parseIpv4(UE_TEXT);
    static final int SERVER = IpAddresses.parseIpv4("198.51.100.9");
    static final int GNB = IpAddresses.parseIpv4("192.0.2.10");
    static final int UPF = IpAddresses.parseIpv4("192.0.2.1");
    static final long[] UE6 = IpAddresses.parseIpv6("2001:db8:1::7");
    static final long[] SERVER6 = IpAddresses.parseIpv6("2001:db8:ff::9");
    static final int HEADERS = 28; // IPv4 + UDP: a payload of n makes an IP packet of n + 28 bytes

    private QosSessions() {}

    /** A session for the UE (IPv4 and the IPv6 /64) with FAR 1 (to CORE) and FAR 2 (GTP-U to the gNB, QFI 9). */
    static Session.Builder session(long seid) {
        return Session.newBuilder().setSeid(seid)
                .addFars(Far.newBuilder().setId(1).setAction(ApplyAction.FORWARD).setDestinationInterface(Interface.CORE))
                .addFars(Far.newBuilder().setId(2).setAction(ApplyAction.FORWARD).setDestinationInterface(Interface.ACCESS)
                        .setOuterHeaderCreation(OuterHeaderCreation.newBuilder().setTeid(0x100).setPeerAddress("192.0.2.10")));
    }

    static Pdr.Builder uplink(int id, int precedence, int... qerIds) {
        Pdr.Builder p = Pdr.newBuilder().setId(id).setPrecedence(precedence).setFarId(1)
                .setPdi(Pdi.newBuilder().setSourceInterface(Interface.ACCESS).setUeIpv4(UE_TEXT).setUeIpv6("2001:db8:1::/64"));
        for (int q : qerIds) {
            p.addQerIds(q);
        }
        return p;
    }

    static Pdr.Builder downlink(int id, int precedence, int... qerIds) {
        Pdr.Builder p = Pdr.newBuilder().setId(id).setPrecedence(precedence).setFarId(2)
                .setPdi(Pdi.newBuilder().setSourceInterface(Interface.CORE).setUeIpv4(UE_TEXT).setUeIpv6("2001:db8:1::/64"));
        for (int q : qerIds) {
            p.addQerIds(q);
        }
        return p;
    }

    /** A PDR's PDI narrowed to UDP to or from UE port {@code port}. */
    static Pdr.Builder udpPort(Pdr.Builder p, int port) {
        p.getPdiBuilder().addSdfFilters(SdfFilter.newBuilder().setProtocol(17)
                .setUePorts(PortRange.newBuilder().setFirst(port).setLast(port)));
        return p;
    }

    static Qer.Builder qer(int id) {
        return Qer.newBuilder().setId(id);
    }

    static Qer.Builder closedUplink(int id) {
        return Qer.newBuilder().setId(id).setGateUplink(GateStatus.CLOSED);
    }

    /** Plain IPv4 from the UE (uplink after the upf stripped GTP-U): an IP packet of payload + 28 bytes. */
    static MemorySegment up(int uePort, int payload) {
        return new PacketBuilder().ethernet(2, 1).ipv4(UE, SERVER).udp(uePort, 443).payload(payload).build();
    }

    /** Plain IPv4 to the UE (downlink before the upf). */
    static MemorySegment down(int uePort, int payload) {
        return new PacketBuilder().ethernet(2, 1).ipv4(SERVER, UE).udp(443, uePort).payload(payload).build();
    }

    /** GTP-U to the gNB carrying a packet to the UE, with a PDU session container of {@code qfi}. */
    static MemorySegment downGtpu(int qfi, int payload) {
        return new PacketBuilder().ethernet(2, 1).ipv4(UPF, GNB).udp(2152, 2152).gtpu(0x100)
                .pduSessionContainer(GtpuHeader.PDU_TYPE_DOWNLINK, qfi)
                .ipv4(SERVER, UE).udp(443, 40000).payload(payload).build();
    }

    static MemorySegment up6(int payload) {
        return new PacketBuilder().ethernet(2, 1).ipv6(UE6[0], UE6[1], SERVER6[0], SERVER6[1]).udp(40000, 443)
                .payload(payload).build();
    }
}
