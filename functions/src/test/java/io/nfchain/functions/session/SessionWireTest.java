package io.nfchain.functions.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.nfchain.api.session.v1.ApplyAction;
import io.nfchain.api.session.v1.Far;
import io.nfchain.api.session.v1.GateStatus;
import io.nfchain.api.session.v1.Pdr;
import io.nfchain.api.session.v1.Qer;
import io.nfchain.api.session.v1.ReportingTrigger;
import io.nfchain.api.session.v1.Session;
import io.nfchain.api.session.v1.Urr;
import io.nfchain.functions.rules.InvalidRuleException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast path against the general one (protobuf-java's parse, then {@link SessionRules}): on
 * every input it either declines, or protobuf-java parses the same bytes and the validator makes
 * an equal model. Random sessions, sessions with every field it takes varied and some out of
 * range, merged and corrupted bytes, and encodings protobuf-java does not write itself.
 */
class SessionWireTest {
    /** True when the fast path took {@code bytes}; fails when it took what the general path would not make the same. */
    private static boolean agrees(byte[] bytes) {
        SessionModel fast = SessionWire.decode(bytes);
        if (fast == null) {
            return false;
        }
        Session parsed;
        try {
            parsed = Session.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            fail("SessionWire decoded bytes protobuf-java refuses: " + e.getMessage());
            return false;
        }
        try {
            assertEquals(SessionRules.validate(parsed), fast);
        } catch (InvalidRuleException e) {
            fail("SessionWire took a session the validator refuses: " + e.getMessage());
        }
        return true;
    }

    /** A session in the shape the fast path takes (no SDF filters, UE IPv6, triggers, redirect), some values out of range. */
    private static Session fastShaped(Random random, long seid, double badness) {
        Session base = SessionProtos.simple(seid, 1 + random.nextInt(1000), 0x0A000000 + random.nextInt(1000),
                1 + random.nextInt(1000), random.nextBoolean() ? "192.0.2.1" : "2001:db8::1");
        Session.Builder b = base.toBuilder();
        if (random.nextDouble() < badness) {
            b.setSeid(random.nextInt(2)); // 0 is refused
        }
        for (int i = 0; i < b.getPdrsCount(); i++) {
            Pdr.Builder p = b.getPdrs(i).toBuilder().setPrecedence(random.nextInt());
            if (random.nextDouble() < badness) {
                p.setFarId(random.nextInt(4));
            }
            if (random.nextDouble() < badness) {
                p.setId(random.nextBoolean() ? 0 : 70_000);
            }
            if (random.nextBoolean()) {
                p.getPdiBuilder().setQfi(random.nextDouble() < badness ? 64 + random.nextInt(100) : random.nextInt(64));
            }
            if (random.nextDouble() < badness) {
                p.addQerIds(random.nextInt(3));
            }
            if (random.nextDouble() < badness) {
                p.getPdiBuilder().setUeIpv4(random.nextBoolean() ? "10.0.0.300" : "10.9.9.9");
            }
            if (random.nextDouble() < badness) {
                p.getPdiBuilder().setLocalTeid(random.nextInt(3)); // on the CORE PDR it is refused
            }
            b.setPdrs(i, p);
        }
        Far.Builder far = b.getFars(1).toBuilder();
        if (random.nextBoolean()) {
            far.setTransportDscp(random.nextDouble() < badness ? 64 : random.nextInt(64));
        }
        if (random.nextDouble() < badness) {
            far.getOuterHeaderCreationBuilder().setPort(random.nextBoolean() ? 70_000 : random.nextInt(3000));
        }
        if (random.nextDouble() < badness) {
            far.getOuterHeaderCreationBuilder().setPeerAddress(random.nextBoolean() ? "192.0.2.0/24" : "not an address");
        }
        if (random.nextDouble() < badness) {
            far.setAction(ApplyAction.forNumber(random.nextInt(4)));
        }
        b.setFars(1, far);
        if (random.nextBoolean()) {
            b.addFars(Far.newBuilder().setId(random.nextDouble() < badness ? 1 : 3).setAction(ApplyAction.DROP));
        }
        Qer.Builder qer = b.getQers(0).toBuilder().setGbrUplinkBps(random.nextInt(100_000_001))
                .setGateDownlink(random.nextBoolean() ? GateStatus.OPEN : GateStatus.CLOSED);
        if (random.nextDouble() < badness) {
            qer.setMbrDownlinkBps(-1 - random.nextInt(10));
        }
        if (random.nextDouble() < badness) {
            qer.setGbrDownlinkBps(200_000_001); // above the MBR
        }
        if (random.nextDouble() < badness) {
            qer.setGateUplinkValue(2 + random.nextInt(3));
        }
        b.setQers(0, qer);
        Urr.Builder urr = b.getUrrs(0).toBuilder().setMeasureDuration(random.nextBoolean())
                .setVolumeQuotaBytes(random.nextInt(1 << 20)).setTimeQuotaS(random.nextInt());
        if (random.nextDouble() < badness) {
            urr.setVolumeThresholdBytes(-1);
        }
        b.setUrrs(0, urr);
        if (random.nextDouble() < badness) {
            b.addUrrs(Urr.newBuilder().setId(random.nextInt(3)));
        }
        return b.build();
    }

    @Test
    void takesTheSessionsAnSmfUsuallySendsAndMakesTheSameModel() {
        Random random = new Random(3);
        for (int i = 0; i < 5_000; i++) {
            Session s = fastShaped(random, 1 + i, 0);
            assertTrue(agrees(s.toByteArray()), () -> "declined " + s);
        }
    }

    @Test
    void declinesWhatTheValidatorRefuses() {
        Random random = new Random(5);
        int taken = 0;
        int refused = 0;
        for (int i = 0; i < 20_000; i++) {
            Session s = fastShaped(random, 1 + i, 0.05);
            boolean valid;
            try {
                SessionRules.validate(s);
                valid = true;
            } catch (InvalidRuleException e) {
                valid = false;
            }
            taken += agrees(s.toByteArray()) ? 1 : 0;
            refused += valid ? 0 : 1;
            if (valid) {
                assertNotNull(SessionWire.decode(s.toByteArray()), () -> "declined a valid " + s);
            }
        }
        assertTrue(taken > 5_000 && refused > 5_000, taken + " taken, " + refused + " refused");
    }

    @Test
    void randomSessionsWithAndWithoutWhatOnlyTheGeneralPathTakes() {
        Random random = new Random(9);
        RandomSessions sessions = new RandomSessions(random, 0.05);
        int taken = 0;
        for (int i = 0; i < 20_000; i++) {
            Session s = sessions.session(1 + i, 1000, 0x0A000001, 0x20010DB800010000L);
            agrees(s.toByteArray());
            Session.Builder plain = s.toBuilder();
            for (int k = 0; k < s.getPdrsCount(); k++) {
                plain.getPdrsBuilder(k).getPdiBuilder().clearSdfFilters().clearUeIpv6();
            }
            taken += agrees(plain.build().toByteArray()) ? 1 : 0;
        }
        assertTrue(taken > 2_000, "taken " + taken);
        Session s = fastShaped(random, 1, 0);
        Session.Builder triggers = s.toBuilder();
        triggers.getUrrsBuilder(0).addTriggers(ReportingTrigger.START_OF_TRAFFIC);
        assertNull(SessionWire.decode(triggers.build().toByteArray()));
    }

    /** Concatenated sessions are one merged session to protobuf-java: repeated fields append, scalars take the last. */
    @Test
    void mergedBytesAgree() {
        Random random = new Random(13);
        int taken = 0;
        for (int i = 0; i < 5_000; i++) {
            byte[] a = fastShaped(random, 1 + i, 0.02).toByteArray();
            Session second = random.nextBoolean() ? fastShaped(random, 1 + i, 0.02)
                    : Session.newBuilder().setSeid(random.nextInt(3)).build();
            taken += agrees(concat(a, second.toByteArray())) ? 1 : 0;
        }
        assertTrue(taken > 500, "taken " + taken);
    }

    @Test
    void corruptedBytesAgree() {
        Random random = new Random(17);
        int taken = 0;
        for (int i = 0; i < 50_000; i++) {
            byte[] bytes = fastShaped(random, 1 + i, 0).toByteArray();
            for (int k = 0; k < 1 + random.nextInt(3); k++) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt();
            }
            if (random.nextInt(4) == 0) {
                bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            }
            taken += agrees(bytes) ? 1 : 0;
        }
        assertTrue(taken > 1_000 && taken < 45_000, "taken " + taken);
    }

    /** Unpacked ids, unknown fields, a known field with another wire type, a PDI sent twice: encodings protobuf-java reads but does not write. */
    @Test
    void encodingsProtobufReadsButDoesNotWrite() throws IOException {
        Session s = fastShaped(new Random(19), 7, 0);
        Pdr pdr = s.getPdrs(0);
        byte[] unpackedIds = bytes(out -> {
            out.writeUInt32(6, 1); // qer_ids one by one
            out.writeUInt32(7, 1);
        });
        Pdr withoutIds = pdr.toBuilder().clearQerIds().clearUrrIds().build();
        byte[] unpacked = withPdr0(s, concat(withoutIds.toByteArray(), unpackedIds));
        assertTrue(agrees(unpacked));
        assertEquals(SessionWire.decode(s.toByteArray()), SessionWire.decode(unpacked));

        byte[] unknown = concat(s.toByteArray(), bytes(out -> {
            out.writeUInt64(99, 5);
            out.writeString(100, "x");
            out.writeFixed32(101, 1);
            out.writeFixed64(102, 1);
        }));
        assertTrue(agrees(unknown));

        byte[] wrongType = concat(s.toByteArray(), bytes(out -> out.writeFixed32(1, 9))); // seid as fixed32: unknown to protobuf
        assertNull(SessionWire.decode(wrongType));
        assertEquals(7, Session.parseFrom(wrongType).getSeid());

        byte[] pdiTwice = withPdr0(s, concat(pdr.toByteArray(), bytes(out -> out.writeMessage(3, pdr.getPdi()))));
        assertNull(SessionWire.decode(pdiTwice)); // merged by protobuf; left to it
        agrees(pdiTwice);

        byte[] group = concat(s.toByteArray(), bytes(out -> {
            out.writeTag(120, 3);
            out.writeTag(120, 4);
        }));
        assertNull(SessionWire.decode(group));
    }

    private interface Writer {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] bytes(Writer w) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(sink);
        w.write(out);
        out.flush();
        return sink.toByteArray();
    }

    /** {@code s} with its first PDR's bytes replaced by {@code pdr0}, the rest as protobuf writes it. */
    private static byte[] withPdr0(Session s, byte[] pdr0) throws IOException {
        return bytes(out -> {
            out.writeUInt64(1, s.getSeid());
            out.writeByteArray(2, pdr0);
            for (int i = 1; i < s.getPdrsCount(); i++) {
                out.writeMessage(2, s.getPdrs(i));
            }
            for (Far f : s.getFarsList()) {
                out.writeMessage(3, f);
            }
            for (Qer q : s.getQersList()) {
                out.writeMessage(4, q);
            }
            for (Urr u : s.getUrrsList()) {
                out.writeMessage(5, u);
            }
        });
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
