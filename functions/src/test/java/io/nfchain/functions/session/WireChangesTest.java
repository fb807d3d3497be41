package io.nfchain.functions.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.InvalidProtocolBufferException;
import io.nfchain.api.session.v1.ApplySessionsRequest;
import io.nfchain.api.session.v1.ApplySessionsResponse;
import io.nfchain.api.session.v1.Session;
import io.nfchain.api.session.v1.SessionChange;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The request read from its bytes, slices kept, agrees with protobuf-java's parse of the same bytes. */
class WireChangesTest {
    @Test
    void sessionsKeepTheirOwnBytes() throws Exception {
        Session a = SessionProtos.simple(1, 0x101, 0x0A000001, 0x900, "192.0.2.1");
        ApplySessionsRequest request = ApplySessionsRequest.newBuilder()
                .addChanges(SessionChange.newBuilder().setCreate(a))
                .addChanges(SessionChange.newBuilder().setDeleteSeid(7))
                .addChanges(SessionChange.newBuilder().setReplace(a))
                .addChanges(SessionChange.getDefaultInstance()).build();
        List<WireChanges.Change> changes = WireChanges.read(request.toByteArray());
        assertEquals(4, changes.size());
        assertArrayEquals(a.toByteArray(), changes.get(0).source());
        assertEquals(a, changes.get(0).session());
        assertEquals(SessionChange.ChangeCase.DELETE_SEID, changes.get(1).kind());
        assertEquals(7, changes.get(1).deleteSeid());
        assertEquals(SessionChange.ChangeCase.REPLACE, changes.get(2).kind());
        assertEquals(SessionChange.ChangeCase.CHANGE_NOT_SET, changes.get(3).kind());
        assertNull(changes.get(3).source());
    }

    /** Field repeats: the last oneof field wins, a message seen twice is merged, requests concatenate. */
    @Test
    void repeatsFollowProtobufRules() throws Exception {
        Session a = SessionProtos.simple(1, 0x101, 0x0A000001, 0x900, "192.0.2.1");
        Session b = Session.newBuilder().setSeid(2).build();
        byte[] twice = concat(SessionChange.newBuilder().setCreate(a).build().toByteArray(),
                SessionChange.newBuilder().setCreate(b).build().toByteArray(),
                SessionChange.newBuilder().setDeleteSeid(9).build().toByteArray(),
                SessionChange.newBuilder().setReplace(b).build().toByteArray(),
                SessionChange.newBuilder().setReplace(a).build().toByteArray());
        ApplySessionsRequest.Builder odd = ApplySessionsRequest.newBuilder();
        odd.addChanges(SessionChange.parseFrom(twice));
        byte[] request = concat(odd.build().toByteArray(), odd.build().toByteArray());
        same(request);
        WireChanges.Change c = WireChanges.read(request).get(1);
        assertEquals(SessionChange.ChangeCase.REPLACE, c.kind());
        assertEquals(b.toBuilder().mergeFrom(a).build(), c.session());
    }

    /** Random and corrupted requests: both refuse, or both read the same changes. */
    @Test
    void corruptedRequestsAgreeWithProtobuf() {
        Random random = new Random(31);
        RandomSessions sessions = new RandomSessions(random, 0.05);
        int parsed = 0;
        for (int i = 0; i < 20_000; i++) {
            ApplySessionsRequest.Builder r = ApplySessionsRequest.newBuilder();
            for (int k = 0; k < 1 + random.nextInt(3); k++) {
                Session s = sessions.session(1 + i, 1000, 0x0A000001, 0x20010DB800010000L);
                r.addChanges(switch (random.nextInt(3)) {
                    case 0 -> SessionChange.newBuilder().setCreate(s);
                    case 1 -> SessionChange.newBuilder().setReplace(s);
                    default -> SessionChange.newBuilder().setDeleteSeid(random.nextLong());
                });
            }
            byte[] bytes = r.build().toByteArray();
            for (int k = 0; k < random.nextInt(4); k++) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt();
            }
            if (random.nextInt(4) == 0) {
                bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            }
            parsed += same(bytes) ? 1 : 0;
        }
        assertTrue(parsed > 5000 && parsed < 19_000, "parsed " + parsed);
    }

    /** What GetSession returns after an install from bytes is what was sent. */
    @Test
    void controlAppliesFromBytesAndGetReturnsTheSession() throws Exception {
        SessionControl control = new SessionControl(SessionTable.withCapacity(4, null));
        Session a = SessionProtos.simple(3, 0x103, 0x0A000003, 0x900, "192.0.2.1");
        ApplySessionsResponse r = control.apply(ApplySessionsRequest.newBuilder()
                .addChanges(SessionChange.newBuilder().setCreate(a))
                .addChanges(SessionChange.newBuilder().setCreate(a.toBuilder().setSeid(4).setPdrs(0, a.getPdrs(0).toBuilder().setFarId(9))))
                .build().toByteArray());
        assertEquals(1, r.getApplied());
        assertEquals("changes[1].create.pdrs[0].far_id: no FAR 9 in the session", r.getResults(1).getMessage());
        assertEquals(a, control.get(3));
        assertNull(control.get(4));
    }

    /** True when both parsed (and agreed), false when both refused. */
    private static boolean same(byte[] bytes) {
        ApplySessionsRequest expected;
        try {
            expected = ApplySessionsRequest.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            try {
                WireChanges.read(bytes);
                fail("protobuf refuses what WireChanges reads: " + e.getMessage());
            } catch (InvalidProtocolBufferException expectedToo) {
                return false;
            }
            return false;
        }
        List<WireChanges.Change> changes;
        try {
            changes = WireChanges.read(bytes);
        } catch (InvalidProtocolBufferException e) {
            fail("WireChanges refuses what protobuf reads: " + e.getMessage());
            return false;
        }
        assertEquals(expected.getChangesCount(), changes.size());
        for (int i = 0; i < changes.size(); i++) {
            SessionChange want = expected.getChanges(i);
            WireChanges.Change got = changes.get(i);
            assertEquals(want.getChangeCase(), got.kind());
            Session session = want.hasCreate() ? want.getCreate() : want.hasReplace() ? want.getReplace() : null;
            assertEquals(session, got.session());
            assertEquals(want.getDeleteSeid(), got.kind() == SessionChange.ChangeCase.DELETE_SEID ? got.deleteSeid() : 0);
        }
        return true;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
