package io.nfchain.functions.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.api.session.v1.ApplyAction;
import io.nfchain.api.session.v1.Far;
import io.nfchain.api.session.v1.Interface;
import io.nfchain.api.session.v1.PortRange;
import io.nfchain.api.session.v1.Qer;
import io.nfchain.api.session.v1.ReportingTrigger;
import io.nfchain.api.session.v1.SdfFilter;
import io.nfchain.api.session.v1.Session;
import io.nfchain.api.session.v1.Urr;
import io.nfchain.functions.rules.InvalidRuleException;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class SessionRulesTest {
    private static final Session GOOD = SessionProtos.simple(7, 0x1000, 0x0A2D0007, 0x2000, "192.0.2.1");

    private static String error(UnaryOperator<Session.Builder> change) {
        Session bad = change.apply(GOOD.toBuilder()).build();
        return assertThrows(InvalidRuleException.class, () -> SessionRules.validate(bad, "changes[2].create")).getMessage();
    }

    @Test
    void aGoodSessionBecomesAModel() {
        SessionModel m = SessionRules.validate(GOOD, "s");
        assertEquals(7, m.seid());
        assertEquals(0x0A2D0007, m.ueIpv4());
        assertEquals(2, m.pdrs().size());
        assertEquals(1, m.pdrs().get(1).farIndex());
        assertEquals(2152, m.fars().get(1).outerHeader().port());
        assertEquals(9, m.fars().get(1).outerHeader().qfi());
    }

    @Test
    void errorsNameTheField() {
        assertEquals("changes[2].create.pdrs[0].far_id: no FAR 7 in the session",
                error(b -> b.setPdrs(0, b.getPdrs(0).toBuilder().setFarId(7))));
        assertEquals("changes[2].create.seid: must be nonzero", error(b -> b.setSeid(0)));
        assertEquals("changes[2].create.pdrs[1].id: PDR 1 is also pdrs[0]",
                error(b -> b.setPdrs(1, b.getPdrs(1).toBuilder().setId(1))));
        assertEquals("changes[2].create.pdrs[1].qer_ids[0]: no QER 5 in the session",
                error(b -> b.setPdrs(1, b.getPdrs(1).toBuilder().setQerIds(0, 5))));
        assertEquals("changes[2].create.pdrs[0].pdi.source_interface: must be ACCESS or CORE",
                error(b -> b.setPdrs(0, b.getPdrs(0).toBuilder().setPdi(b.getPdrs(0).getPdi().toBuilder()
                        .setSourceInterface(Interface.INTERFACE_UNSPECIFIED)))));
        assertEquals("changes[2].create.pdrs[1].pdi.local_teid: only ACCESS PDRs match on a TEID",
                error(b -> b.setPdrs(1, b.getPdrs(1).toBuilder().setPdi(b.getPdrs(1).getPdi().toBuilder().setLocalTeid(3)))));
        assertEquals("changes[2].create.pdrs[1].pdi.ue_ipv4: a session has one UE IPv4 address; an earlier PDR named 10.45.0.7",
                error(b -> b.setPdrs(1, b.getPdrs(1).toBuilder().setPdi(b.getPdrs(1).getPdi().toBuilder().setUeIpv4("10.45.0.8")))));
        assertEquals("changes[2].create.fars[1].outer_header_creation: required when forwarding to ACCESS",
                error(b -> b.setFars(1, b.getFars(1).toBuilder().clearOuterHeaderCreation())));
        assertEquals("changes[2].create.fars[1].outer_header_creation.peer_address: an address, not a prefix: '192.0.2.0/24'",
                error(b -> b.setFars(1, b.getFars(1).toBuilder().setOuterHeaderCreation(
                        b.getFars(1).getOuterHeaderCreation().toBuilder().setPeerAddress("192.0.2.0/24")))));
        assertEquals("changes[2].create.fars[0].action: must be FORWARD, DROP or BUFFER",
                error(b -> b.setFars(0, Far.newBuilder().setId(1))));
        assertEquals("changes[2].create.qers[0].gbr_uplink_bps: GBR 5 exceeds MBR 4",
                error(b -> b.setQers(0, Qer.newBuilder().setId(1).setMbrUplinkBps(4).setGbrUplinkBps(5))));
        assertEquals("changes[2].create.qers[0].qfi: must be 0..63, not 64",
                error(b -> b.setQers(0, Qer.newBuilder().setId(1).setQfi(64))));
        assertEquals("changes[2].create.urrs[0].volume_quota_bytes: must be nonzero with trigger VOLUME_QUOTA",
                error(b -> b.setUrrs(0, Urr.newBuilder().setId(1).addTriggers(ReportingTrigger.VOLUME_QUOTA))));
        assertEquals("changes[2].create.pdrs[1].pdi.sdf_filters[0].remote_ports: ports need protocol 6 (TCP), 17 (UDP) or 132 (SCTP)",
                error(b -> b.setPdrs(1, b.getPdrs(1).toBuilder().setPdi(b.getPdrs(1).getPdi().toBuilder().addSdfFilters(
                        SdfFilter.newBuilder().setRemotePorts(PortRange.newBuilder().setFirst(1).setLast(2)))))));
        assertEquals("changes[2].create.pdrs[1].pdi.sdf_filters[0].ue_ports: first 9 is after last 2",
                error(b -> b.setPdrs(1, b.getPdrs(1).toBuilder().setPdi(b.getPdrs(1).getPdi().toBuilder().addSdfFilters(
                        SdfFilter.newBuilder().setProtocol(6).setUePorts(PortRange.newBuilder().setFirst(9).setLast(2)))))));
        assertEquals("changes[2].create.pdrs: a session needs 1..32 PDRs, not 0", error(b -> b.clearPdrs()));
        assertEquals("changes[2].create.fars[0].destination_interface: a forwarding FAR needs ACCESS or CORE",
                error(b -> b.setFars(0, Far.newBuilder().setId(1).setAction(ApplyAction.FORWARD))));
    }

    @Test
    void badAddressesAreRefusedWithTheirField() {
        String e = error(b -> b.setPdrs(0, b.getPdrs(0).toBuilder().setPdi(b.getPdrs(0).getPdi().toBuilder().setUeIpv4("10.1.2"))));
        assertTrue(e.startsWith("changes[2].create.pdrs[0].pdi.ue_ipv4: "), e);
        String v6 = error(b -> b.setPdrs(0, b.getPdrs(0).toBuilder().setPdi(b.getPdrs(0).getPdi().toBuilder().setUeIpv6("2001:db8::/48"))));
        assertEquals("changes[2].create.pdrs[0].pdi.ue_ipv6: '2001:db8::/48' is not an IPv6 address or /64 prefix", v6);
    }
}
