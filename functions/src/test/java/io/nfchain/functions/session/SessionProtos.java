package io.nfchain.functions.session;

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

/** Stateless. Sessions as an SMF would send them, for tests and benchmarks of this package and its users. */
public final class SessionProtos {
    private SessionProtos() {}

    /**
     * The usual session: an uplink PDR on {@code teid} (remove outer header, FAR 1 to CORE) and a
     * downlink PDR on the UE address (FAR 2: GTP-U to {@code gnb} with {@code gnbTeid}, QFI 9),
     * one QER (id 1) and one URR (id 1) on both.
     */
    public static Session simple(long seid, int teid, int ueIpv4, int gnbTeid, String gnb) {
        String ue = IpAddresses.ipv4ToString(ueIpv4);
        return Session.newBuilder().setSeid(seid)
                .addPdrs(Pdr.newBuilder().setId(1).setPrecedence(100).setRemoveOuterHeader(true).setFarId(1)
                        .addQerIds(1).addUrrIds(1)
                        .setPdi(Pdi.newBuilder().setSourceInterface(Interface.ACCESS).setLocalTeid(teid).setUeIpv4(ue)))
                .addPdrs(Pdr.newBuilder().setId(2).setPrecedence(100).setFarId(2).addQerIds(1).addUrrIds(1)
                        .setPdi(Pdi.newBuilder().setSourceInterface(Interface.CORE).setUeIpv4(ue)))
                .addFars(Far.newBuilder().setId(1).setAction(ApplyAction.FORWARD).setDestinationInterface(Interface.CORE))
                .addFars(Far.newBuilder().setId(2).setAction(ApplyAction.FORWARD).setDestinationInterface(Interface.ACCESS)
                        .setOuterHeaderCreation(OuterHeaderCreation.newBuilder().setTeid(gnbTeid).setPeerAddress(gnb).setQfi(9)))
                .addQers(Qer.newBuilder().setId(1).setMbrUplinkBps(100_000_000).setMbrDownlinkBps(200_000_000).setQfi(9))
                .addUrrs(Urr.newBuilder().setId(1).setMeasureVolume(true))
                .build();
    }
}
