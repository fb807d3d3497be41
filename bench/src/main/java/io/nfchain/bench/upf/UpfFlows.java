package io.nfchain.bench.upf;

import io.nfchain.api.session.v1.ApplyAction;
import io.nfchain.api.session.v1.Far;
import io.nfchain.api.session.v1.Interface;
import io.nfchain.api.session.v1.OuterHeaderCreation;
import io.nfchain.api.session.v1.Pdi;
import io.nfchain.api.session.v1.Pdr;
import io.nfchain.api.session.v1.Qer;
import io.nfchain.api.session.v1.Session;
import io.nfchain.api.session.v1.Urr;
import io.nfchain.core.packet.IpAddresses;
import io.nfchain.core.packet.PacketBuilder;

/**
 * Stateless. The bench's subscribers and their packets, the same in every process: session
 * {@code i} has SEID {@code i + 1}, uplink TEID {@code i + 1}, UE {@code 10.0.0.0 + i}, and
 * downlink tunnel TEID {@code 0x8000_0000 + i} to the gNB {@link #GNB}. Uplink frames are GTP-U
 * with a PDU Session Container (QFI 9) around a 64-byte inner frame's IP packet (50 bytes, UDP);
 * downlink frames are that 64-byte frame from the data network to the UE.
 */
public final class UpfFlows {
    public static final String N3 = "192.0.2.10";
    public static final String GNB = "192.0.2.1";
    static final int UE_BASE = 0x0A00_0000;
    static final int REMOTE = 0xC633_6407; // 198.51.100.7
    static final int INNER_PAYLOAD = 64 - 14 - 20 - 8;

    private UpfFlows() {}

    public static int ue(int i) {
        return UE_BASE + i;
    }

    /** Uplink PDR (TEID, remove outer header, FAR 1 to CORE), downlink PDR (UE, FAR 2 GTP-U to the gNB), one QER and URR. */
    public static Session session(int i) {
        String ue = IpAddresses.ipv4ToString(ue(i));
        return Session.newBuilder().setSeid(i + 1L)
                .addPdrs(Pdr.newBuilder().setId(1).setPrecedence(100).setRemoveOuterHeader(true).setFarId(1)
                        .addQerIds(1).addUrrIds(1)
                        .setPdi(Pdi.newBuilder().setSourceInterface(Interface.ACCESS).setLocalTeid(i + 1).setUeIpv4(ue)))
                .addPdrs(Pdr.newBuilder().setId(2).setPrecedence(100).setFarId(2).addQerIds(1).addUrrIds(1)
                        .setPdi(Pdi.newBuilder().setSourceInterface(Interface.CORE).setUeIpv4(ue)))
                .addFars(Far.newBuilder().setId(1).setAction(ApplyAction.FORWARD).setDestinationInterface(Interface.CORE))
                .addFars(Far.newBuilder().setId(2).setAction(ApplyAction.FORWARD).setDestinationInterface(Interface.ACCESS)
                        .setOuterHeaderCreation(OuterHeaderCreation.newBuilder().setTeid(0x8000_0000 + i)
                                .setPeerAddress(GNB).setQfi(9)))
                .addQers(Qer.newBuilder().setId(1).setQfi(9))
                .addUrrs(Urr.newBuilder().setId(1).setMeasureVolume(true))
                .build();
    }

    /** Session {@code i}'s uplink frame: 108 bytes. */
    public static PacketBuilder uplink(int i, int flow) {
        return new PacketBuilder().ethernet(0x02_00_00_00_00_0AL, 0x02_00_00_00_00_01L)
                .ipv4(IpAddresses.parseIpv4(GNB), IpAddresses.parseIpv4(N3)).udp(2152, 2152).gtpu(i + 1)
                .pduSessionContainer(1, 9).ipv4(ue(i), REMOTE).udp(10000 + (flow & 0x3FFF), 53).payload(INNER_PAYLOAD);
    }

    /** Session {@code i}'s downlink frame: 64 bytes. */
    public static PacketBuilder downlink(int i, int flow) {
        return new PacketBuilder().ethernet(0x02_00_00_00_00_0AL, 0x02_00_00_00_00_02L).ipv4(REMOTE, ue(i))
                .udp(53, 10000 + (flow & 0x3FFF)).payload(INNER_PAYLOAD);
    }
}
