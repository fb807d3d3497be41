package io.nfchain.functions.session;

import com.google.protobuf.InvalidProtocolBufferException;
import io.nfchain.api.session.v1.ApplyAction;
import io.nfchain.api.session.v1.ApplySessionsRequest;
import io.nfchain.api.session.v1.ApplySessionsResponse;
import io.nfchain.api.session.v1.Far;
import io.nfchain.api.session.v1.Interface;
import io.nfchain.api.session.v1.OuterHeaderCreation;
import io.nfchain.api.session.v1.Pdi;
import io.nfchain.api.session.v1.Pdr;
import io.nfchain.api.session.v1.PortRange;
import io.nfchain.api.session.v1.Qer;
import io.nfchain.api.session.v1.ReportingTrigger;
import io.nfchain.api.session.v1.SdfFilter;
import io.nfchain.api.session.v1.Session;
import io.nfchain.api.session.v1.SessionChange;
import io.nfchain.api.session.v1.Urr;
import io.nfchain.core.packet.IpAddresses;

/**
 * Not thread-safe; touches no table but its own. Runs the install path the gRPC service runs
 * (parse an ApplySessions request, validate, compile, index, answer, serialize the answer; then
 * delete) over synthetic sessions in a scratch table, so the JIT has compiled that path before a
 * runner takes its first real sessions. Without it a fresh runner spends most of its first 100,000
 * installs in the interpreter and C1 code (JFR of bench upf: parse and apply 5-10 times their
 * warm cost per session for the first few hundred thousand).
 *
 * <p>The sessions have the usual shape (an uplink PDR on a TEID, a downlink PDR on the UE
 * address, two FARs, one GTP-U toward the gNB, a QER, a URR); every fourth one has a UE IPv6
 * /64, an SDF filter and URR triggers, so those branches are not compiled as never taken.
 */
public final class SessionWarmup {
    static final int BATCH = 1000;

    private SessionWarmup() {}

    /**
     * Installs and deletes {@code sessions} sessions (rounded up to batches of {@value #BATCH}),
     * stopping early once {@code budgetNs} has passed. Returns the number installed; throws
     * {@link IllegalStateException} when one was refused (the path it warms is broken).
     */
    public static int run(int sessions, long budgetNs) {
        SessionControl control = new SessionControl(SessionTable.withCapacity(BATCH, null));
        byte[][] requests = new byte[Math.min(4, (sessions + BATCH - 1) / BATCH)][];
        for (int r = 0; r < requests.length; r++) {
            requests[r] = request(r * BATCH).toByteArray();
        }
        long deadline = System.nanoTime() + budgetNs;
        int installed = 0;
        for (int b = 0; installed < sessions && System.nanoTime() - deadline < 0; b++) {
            ApplySessionsRequest request = parse(requests[b % requests.length]);
            ApplySessionsResponse created = control.apply(request);
            if (created.getApplied() != request.getChangesCount()) {
                throw new IllegalStateException("session warm-up: a synthetic session was refused: "
                        + created.getResultsList().stream().filter(c -> c.getCode() != 0).findFirst().orElseThrow());
            }
            created.toByteArray();
            ApplySessionsRequest.Builder delete = ApplySessionsRequest.newBuilder();
            for (int i = 0; i < request.getChangesCount(); i++) {
                delete.addChanges(SessionChange.newBuilder().setDeleteSeid(request.getChanges(i).getCreate().getSeid()));
            }
            control.apply(delete.build()).toByteArray();
            installed += created.getApplied();
        }
        return installed;
    }

    private static ApplySessionsRequest parse(byte[] bytes) {
        try {
            return ApplySessionsRequest.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("session warm-up: its own request does not parse", e);
        }
    }

    private static ApplySessionsRequest request(int from) {
        ApplySessionsRequest.Builder request = ApplySessionsRequest.newBuilder();
        for (int i = from; i < from + BATCH; i++) {
            request.addChanges(SessionChange.newBuilder().setCreate(session(i)));
        }
        return request.build();
    }

    /** Synthetic session {@code i}: SEID i+1, TEID i+1, UE 100.64.0.0 + i, gNB TEID 0x40000000 + i. */
    static Session session(int i) {
        String ue = IpAddresses.ipv4ToString(0x6440_0000 + i);
        boolean rich = (i & 3) == 3;
        Pdi.Builder uplink = Pdi.newBuilder().setSourceInterface(Interface.ACCESS).setLocalTeid(i + 1).setUeIpv4(ue).setQfi(9);
        Pdi.Builder downlink = Pdi.newBuilder().setSourceInterface(Interface.CORE).setUeIpv4(ue);
        Urr.Builder urr = Urr.newBuilder().setId(1).setMeasureVolume(true);
        if (rich) {
            String v6 = IpAddresses.ipv6ToString(0x2001_0db8_0000_0000L + i, 0) + "/64";
            uplink.setUeIpv6(v6);
            downlink.setUeIpv6(v6).addSdfFilters(SdfFilter.newBuilder().setRemotePrefix("198.51.100.0/24").setProtocol(17)
                    .setRemotePorts(PortRange.newBuilder().setFirst(53).setLast(53)));
            urr.setMeasureDuration(true).addTriggers(ReportingTrigger.VOLUME_THRESHOLD).addTriggers(ReportingTrigger.PERIODIC)
                    .setVolumeThresholdBytes(1 << 30).setMeasurementPeriodS(60);
        }
        return Session.newBuilder().setSeid(i + 1L)
                .addPdrs(Pdr.newBuilder().setId(1).setPrecedence(100).setRemoveOuterHeader(true).setFarId(1).addQerIds(1)
                        .addUrrIds(1).setPdi(uplink))
                .addPdrs(Pdr.newBuilder().setId(2).setPrecedence(200).setFarId(2).addQerIds(1).addUrrIds(1).setPdi(downlink))
                .addFars(Far.newBuilder().setId(1).setAction(ApplyAction.FORWARD).setDestinationInterface(Interface.CORE))
                .addFars(Far.newBuilder().setId(2).setAction(ApplyAction.FORWARD).setDestinationInterface(Interface.ACCESS)
                        .setOuterHeaderCreation(OuterHeaderCreation.newBuilder().setTeid(0x4000_0000 + i)
                                .setPeerAddress("192.0.2." + (1 + (i & 127))).setQfi(9)))
                .addQers(Qer.newBuilder().setId(1).setMbrUplinkBps(50_000_000).setMbrDownlinkBps(100_000_000).setQfi(9))
                .addUrrs(urr)
                .build();
    }
}
