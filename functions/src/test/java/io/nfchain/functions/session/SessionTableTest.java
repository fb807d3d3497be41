package io.nfchain.functions.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.api.session.v1.ApplySessionsRequest;
import io.nfchain.api.session.v1.ApplySessionsResponse;
import io.nfchain.api.session.v1.ListSessionsRequest;
import io.nfchain.api.session.v1.ListSessionsResponse;
import io.nfchain.api.session.v1.Qer;
import io.nfchain.api.session.v1.Session;
import io.nfchain.api.session.v1.SessionChange;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionTableTest {
    private final List<String> events = new ArrayList<>();
    private final SessionListener listener = new SessionListener() {
        @Override
        public void created(SessionModel model, CompiledSession session) {
            events.add("created " + session.seid() + " qer " + session.qerSlotAt(0));
        }

        @Override
        public void replaced(CompiledSession before, SessionModel model, CompiledSession after) {
            events.add("replaced " + after.seid());
        }

        @Override
        public void deleted(CompiledSession before) {
            events.add("deleted " + before.seid());
        }
    };
    private final SessionTable table = new SessionTable(3, 4, 4, listener);
    private final SessionControl control = new SessionControl(table);

    private static Session simple(long seid) {
        return SessionProtos.simple(seid, 0x100 + (int) seid, 0x0A000000 + (int) seid, 0x900, "192.0.2.1");
    }

    private ApplySessionsResponse apply(SessionChange... changes) {
        return control.apply(ApplySessionsRequest.newBuilder().addAllChanges(List.of(changes)).build());
    }

    private static SessionChange create(Session s) {
        return SessionChange.newBuilder().setCreate(s).build();
    }

    private static SessionChange replace(Session s) {
        return SessionChange.newBuilder().setReplace(s).build();
    }

    private static SessionChange delete(long seid) {
        return SessionChange.newBuilder().setDeleteSeid(seid).build();
    }

    @Test
    void createdSessionsAreFoundByTeidAndUeAddress() {
        ApplySessionsResponse r = apply(create(simple(1)), create(simple(2)));
        assertEquals(2, r.getApplied());
        CompiledSession s = table.findUplinkTeid(0x102);
        assertEquals(2, s.seid());
        assertSame(s, table.findUeV4(0x0A000002));
        assertEquals(s.slot(), table.lookupUeV4(0x0A000002));
        assertNull(table.findUplinkTeid(0x103));
        assertNull(table.findUeV4(0x0A000003));
        assertEquals(simple(2), control.get(2));
        assertEquals(List.of("created 1 qer 0", "created 2 qer 1"), events);
    }

    @Test
    void eachChangeIsAnsweredAndBadOnesChangeNothing() {
        ApplySessionsResponse r = apply(create(simple(1)), create(simple(1)), replace(simple(5)), delete(6),
                create(simple(2).toBuilder().setPdrs(0, simple(2).getPdrs(0).toBuilder().setFarId(9)).build()),
                create(simple(3).toBuilder().setPdrs(0, simple(3).getPdrs(0).toBuilder().setPdi(
                        simple(3).getPdrs(0).getPdi().toBuilder().setLocalTeid(0x101))).build()));
        assertEquals(1, r.getApplied());
        assertEquals(List.of(0, 6, 5, 5, 3, 6), r.getResultsList().stream().map(c -> c.getCode()).toList());
        assertEquals("changes[1].create.seid: session 1 exists", r.getResults(1).getMessage());
        assertEquals("changes[4].create.pdrs[0].far_id: no FAR 9 in the session", r.getResults(4).getMessage());
        assertEquals("changes[5].create.pdrs[0].pdi.local_teid: TEID 257 belongs to session 1", r.getResults(5).getMessage());
        assertEquals("changes[2].replace.seid: no session 5", r.getResults(2).getMessage());
        assertEquals("changes[3].delete_seid: no session 6", r.getResults(3).getMessage());
        assertEquals("changes[0]: one of create, replace or delete_seid", apply(SessionChange.getDefaultInstance()).getResults(0).getMessage());
        assertEquals(1, table.size());
        assertNull(table.findUeV4(0x0A000003));
    }

    @Test
    void fullTableSaysResourceExhausted() {
        apply(create(simple(1)), create(simple(2)), create(simple(3)));
        ApplySessionsResponse r = apply(create(simple(4)));
        assertEquals(8, r.getResults(0).getCode());
        apply(delete(2));
        assertEquals(0, apply(create(simple(4))).getResults(0).getCode());
        assertEquals(0x104, table.get(4).localTeid(table.get(4).pdrHandle(0)));
    }

    @Test
    void replaceKeepsSlotsOfRulesWhoseIdStays() {
        apply(create(simple(1)));
        CompiledSession before = table.get(1);
        Session more = simple(1).toBuilder().addQers(Qer.newBuilder().setId(2)).setPdrs(1,
                simple(1).getPdrs(1).toBuilder().addQerIds(2)).setPdrs(0, simple(1).getPdrs(0).toBuilder()
                        .setPdi(simple(1).getPdrs(0).getPdi().toBuilder().setLocalTeid(0x777))).build();
        assertEquals(1, apply(replace(more)).getApplied());
        CompiledSession after = table.get(1);
        assertEquals(before.slot(), after.slot());
        assertEquals(before.qerSlotAt(0), after.qerSlotAt(0));
        assertEquals(before.urrSlotAt(0), after.urrSlotAt(0));
        assertNotEquals(after.qerSlotAt(0), after.qerSlotAt(1));
        assertNull(table.findUplinkTeid(0x101), "the old TEID is gone");
        assertSame(after, table.findUplinkTeid(0x777));
        // Dropping QER 1 frees its slot; QER 2 keeps its own.
        Session fewer = more.toBuilder().removeQers(0).setPdrs(0, more.getPdrs(0).toBuilder().clearQerIds())
                .setPdrs(1, more.getPdrs(1).toBuilder().clearQerIds().addQerIds(2)).build();
        assertEquals(1, apply(replace(fewer)).getApplied());
        assertEquals(after.qerSlotAt(1), table.get(1).qerSlotAt(0));
        assertEquals(List.of("created 1 qer 0", "replaced 1", "replaced 1"), events);
    }

    @Test
    void deleteUnindexesAndFreesSlots() {
        apply(create(simple(1)));
        apply(delete(1));
        assertNull(table.findUplinkTeid(0x101));
        assertNull(table.findUeV4(0x0A000001));
        assertNull(control.get(1));
        assertEquals(0, table.size());
        assertEquals("deleted 1", events.get(1));
    }

    @Test
    void listingPagesInSeidOrder() {
        SessionTable big = SessionTable.withCapacity(300, null);
        SessionControl c = new SessionControl(big);
        List<SessionChange> changes = new ArrayList<>();
        for (int i = 250; i >= 1; i--) {
            changes.add(create(SessionProtos.simple(i * 3L, i, 0x0A000000 + i, 9, "192.0.2.1")));
        }
        assertEquals(250, c.apply(ApplySessionsRequest.newBuilder().addAllChanges(changes).build()).getApplied());
        List<Long> seen = new ArrayList<>();
        long after = 0;
        do {
            ListSessionsResponse page = c.list(ListSessionsRequest.newBuilder().setAfterSeid(after).setPageSize(100).build());
            page.getSessionsList().forEach(s -> seen.add(s.getSeid()));
            after = page.getNextAfterSeid();
        } while (after != 0);
        assertEquals(250, seen.size());
        for (int i = 0; i < 250; i++) {
            assertEquals(3L * (i + 1), seen.get(i));
        }
    }

    @Test
    void ipv6SessionsAreFoundByTheirSlash64() {
        Session s = simple(1).toBuilder().setPdrs(1, simple(1).getPdrs(1).toBuilder().setPdi(
                simple(1).getPdrs(1).getPdi().toBuilder().clearUeIpv4().setUeIpv6("2001:db8:1:2::/64"))).build();
        assertEquals(1, apply(create(s)).getApplied());
        assertEquals(1, table.findUeV6(0x20010DB800010002L, 77).seid());
        assertNull(table.findUeV6(0x20010DB800010003L, 77));
        assertTrue(table.sizeBytes() > 0);
    }

    @Test
    void aTableWithoutUrrSlotsTakesUrrsAndGivesThemNone() {
        SessionTable qosLike = new SessionTable(4, 8, 0, null);
        SessionControl c = new SessionControl(qosLike);
        assertEquals(2, c.apply(ApplySessionsRequest.newBuilder().addChanges(create(simple(1)))
                .addChanges(create(simple(2))).build()).getApplied());
        CompiledSession s = qosLike.get(1);
        assertEquals(-1, s.urrSlotAt(0));
        assertEquals(-1, s.urrSlot(s.pdrHandle(0), 0));
        assertTrue(s.qerSlotAt(0) >= 0);
        assertEquals(2, c.apply(ApplySessionsRequest.newBuilder().addChanges(replace(simple(1))).addChanges(delete(2))
                .build()).getApplied());
    }
}
