package io.nfchain.functions.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.api.session.v1.Pdr;
import io.nfchain.api.session.v1.Session;
import io.nfchain.core.packet.FlowKey;
import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.core.packet.PacketParser;
import io.nfchain.core.packet.ParsedPacket;
import io.nfchain.functions.rules.InvalidRuleException;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@link SessionMatch}'s answers, from hot records where a session has a usable one, against the
 * full path ({@code find*} and {@link CompiledSession#matchPdr}) on random sessions, some cut down
 * to the simple shape, and random packets of both directions, before and after replaces and
 * deletes. Every field a function reads must be the same.
 */
class SessionMatchHotPathTest {
    private static final int SESSIONS = 600;
    private static final int[] V4_REMOTES = {0xC6336407, 0xC6336480, 0xCB007105, 0x08080808};
    private static final long V6_REMOTE_HI = 0x20010DB800050000L;

    private final Random random = new Random(11);
    private final RandomSessions sessions = new RandomSessions(random, 0.0);
    private final SessionTable table = SessionTable.withCapacity(SESSIONS + 16, null);
    private final SessionMatch match = new SessionMatch(table);
    private int fromHot;
    private int fromFull;
    private int matched;

    private static int ue4(int j) {
        return 0x0A000000 + j;
    }

    private static long ue6(int j) {
        return 0x20010DB800010000L + ((long) j << 16);
    }

    private static int teidBase(int j) {
        return 1000 + 4 * j;
    }

    /** A random session for {@code j}, cut down to at most two PDRs without SDF filters two times in three. */
    private SessionModel model(int j) {
        for (int attempt = 0; attempt < 50; attempt++) {
            Session proto = sessions.session(j + 1, teidBase(j), ue4(j), ue6(j));
            if (random.nextInt(3) > 0) {
                Session.Builder b = proto.toBuilder().clearPdrs();
                int keep = Math.min(proto.getPdrsCount(), 1 + random.nextInt(2));
                for (int k = 0; k < keep; k++) {
                    Pdr p = proto.getPdrs(k);
                    b.addPdrs(p.toBuilder().setPdi(p.getPdi().toBuilder().clearSdfFilters()));
                }
                proto = b.build();
            }
            try {
                return SessionRules.validate(proto, "s");
            } catch (InvalidRuleException e) {
                // e.g. two PDRs naming different UE addresses: draw again
            }
        }
        throw new AssertionError("no valid session drawn for " + j);
    }

    @Test
    void hotAnswersEqualTheFullPathsOnRandomSessions() {
        boolean[] live = new boolean[SESSIONS];
        for (int j = 0; j < SESSIONS; j++) {
            table.create(model(j), null);
            live[j] = true;
        }
        checkPackets(20_000);
        for (int j = 0; j < SESSIONS; j++) {
            int what = random.nextInt(4);
            if (what == 0 && live[j]) {
                table.delete(j + 1);
                live[j] = false;
            } else if (what == 1 && live[j]) {
                table.replace(model(j), null);
            }
        }
        checkPackets(20_000);
        assertTrue(fromHot > 10_000 && fromFull > 10_000, fromHot + " answers from hot records, " + fromFull + " from sessions");
        assertTrue(matched > 10_000, matched + " matched");
    }

    /** A TEID with the top bit set is a TEID, not "no TEID": the PDR of the other TEID must not match. */
    @Test
    void aTeidAboveTwoToTheThirtyOneIsMatchedAsATeid() {
        Session base = SessionProtos.simple(1, 0xFFFF_FFFE, ue4(1), 9, "192.0.2.1");
        Pdr first = base.getPdrs(0).toBuilder().setPrecedence(1).build();
        Pdr second = first.toBuilder().setId(3).setPrecedence(2)
                .setPdi(first.getPdi().toBuilder().setLocalTeid(0xFFFF_FFFF)).build();
        Session proto = base.toBuilder().setPdrs(0, first).setPdrs(1, second).build();
        CompiledSession s = table.create(SessionRules.validate(proto, "s"), null);
        ParsedPacket parsed = new ParsedPacket();
        assertTrue(PacketParser.parse(new PacketBuilder().ethernet(2, 4).ipv4(ue4(1), V4_REMOTES[0]).udp(5, 6).payload(8)
                .build(), parsed));
        FlowKey up = parsed.outer().key();
        assertEquals(SessionMatch.MATCHED, match.uplinkTeid(0xFFFF_FFFF, CompiledSession.NO_QFI, up));
        assertTrue(match.fromHotRecord(), "a simple session");
        assertEquals(1, match.pdrRank(), "the PDR of TEID 0xFFFFFFFF");
        check("uplink TEID", match.uplinkTeid(0xFFFF_FFFF, CompiledSession.NO_QFI, up), s,
                c -> c.matchPdr(SessionModel.ACCESS, 0xFFFF_FFFFL, CompiledSession.NO_QFI, up), up::toString);
    }

    private void checkPackets(int count) {
        for (int n = 0; n < count; n++) {
            int j = random.nextInt(SESSIONS + 20);
            boolean v4 = random.nextInt(5) > 0;
            int qfi = random.nextInt(4) == 0 ? CompiledSession.NO_QFI : random.nextInt(3);
            int teid = random.nextInt(8) == 0 ? 0 : teidBase(j) + random.nextInt(3);
            FlowKey up = key(v4, true, j);
            check("uplink TEID", match.uplinkTeid(teid, qfi, up), table.findUplinkTeid(teid),
                    s -> s.matchPdr(SessionModel.ACCESS, teid & 0xFFFF_FFFFL, qfi, up), () -> up + " teid " + teid);
            FlowKey down = key(v4, false, j);
            check("downlink", match.downlink(down), v4 ? table.findUeV4(down.dstIpv4()) : table.findUeV6(down.dstHi(), down.dstLo()),
                    s -> s.matchPdr(SessionModel.CORE, CompiledSession.NO_TEID, CompiledSession.NO_QFI, down), down::toString);
            FlowKey either = random.nextBoolean() ? up : down;
            long uplinkTeid = random.nextBoolean() ? teid & 0xFFFF_FFFFL : CompiledSession.NO_TEID;
            int result = match.ue(either, uplinkTeid, qfi);
            CompiledSession s = v4 ? table.findUeV4(either.srcIpv4()) : table.findUeV6(either.srcHi(), either.srcLo());
            boolean uplink = s != null;
            if (s == null) {
                s = v4 ? table.findUeV4(either.dstIpv4()) : table.findUeV6(either.dstHi(), either.dstLo());
            }
            boolean asUplink = uplink;
            check("either direction", result, s, c -> asUplink ? c.matchPdr(SessionModel.ACCESS, uplinkTeid, qfi, either)
                    : c.matchPdr(SessionModel.CORE, CompiledSession.NO_TEID, CompiledSession.NO_QFI, either), either::toString);
            if (result != SessionMatch.NO_SESSION) {
                assertEquals(uplink, match.uplink(), () -> "direction of " + either);
            }
        }
    }

    /** A parsed 5-tuple of session {@code j}'s UE (sometimes a neighbour's address) and a remote. */
    private FlowKey key(boolean v4, boolean uplink, int j) {
        int[] protocols = {6, 17, 1};
        int protocol = protocols[random.nextInt(3)];
        int remotePort = random.nextInt(12);
        int uePort = random.nextInt(12);
        PacketBuilder b = new PacketBuilder().ethernet(2, 4);
        if (v4) {
            int ue = random.nextInt(6) == 0 ? ue4(j) + 1 : ue4(j);
            int remote = V4_REMOTES[random.nextInt(V4_REMOTES.length)];
            b.ipv4(uplink ? ue : remote, uplink ? remote : ue);
        } else {
            long ueHi = random.nextInt(6) == 0 ? ue6(j + 1) : ue6(j);
            long ueLo = random.nextLong();
            long remoteLo = 1 + random.nextInt(10);
            b.ipv6(uplink ? ueHi : V6_REMOTE_HI, uplink ? ueLo : remoteLo, uplink ? V6_REMOTE_HI : ueHi, uplink ? remoteLo : ueLo);
        }
        switch (protocol) {
            case 6 -> b.tcp(uplink ? uePort : remotePort, uplink ? remotePort : uePort);
            case 17 -> b.udp(uplink ? uePort : remotePort, uplink ? remotePort : uePort);
            default -> {
                if (v4) {
                    b.icmp(8, 0, 0);
                } else {
                    b.icmpv6(128, 0, 0);
                }
            }
        }
        ParsedPacket parsed = new ParsedPacket(); // each key its own: the parser reuses its key
        assertTrue(PacketParser.parse(b.payload(8).build(), parsed));
        return parsed.outer().key();
    }

    private interface Matcher {
        int match(CompiledSession s);
    }

    private void check(String what, int result, CompiledSession s, Matcher full, Supplier<String> packet) {
        if (s == null) {
            assertEquals(SessionMatch.NO_SESSION, result, () -> what + ": no session has " + packet.get());
            return;
        }
        int h = full.match(s);
        Supplier<String> where = () -> what + " of " + packet.get() + " in session " + s.seid();
        assertEquals(h < 0 ? SessionMatch.NO_PDR : SessionMatch.MATCHED, result, where);
        assertEquals(s.slot(), match.slot(), where);
        if (match.fromHotRecord()) {
            fromHot++;
        } else {
            fromFull++;
        }
        if (h < 0) {
            return;
        }
        matched++;
        assertEquals((h - CompiledSession.HEADER) / CompiledSession.PDR, match.pdrRank(), where);
        assertEquals(s.farAction(h), match.farAction(), where);
        assertEquals(s.farDestination(h), match.farDestination(), where);
        assertEquals(s.removeOuterHeader(h), match.removeOuterHeader(), where);
        assertEquals(s.hasOuterHeader(h), match.hasOuterHeader(), where);
        assertEquals(s.transportDscp(h), match.transportDscp(), where);
        assertEquals(s.downlinkQfi(h), match.downlinkQfi(), where);
        if (s.hasOuterHeader(h)) {
            assertEquals(s.outerPeerIsIpv6(h), match.outerPeerIsIpv6(), where);
            assertEquals(s.outerTeid(h), match.outerTeid(), where);
            assertEquals(s.outerPort(h), match.outerPort(), where);
            if (s.outerPeerIsIpv6(h)) {
                assertEquals(s.outerPeerIpv6Hi(h), match.outerPeerIpv6Hi(), where);
                assertEquals(s.outerPeerIpv6Lo(h), match.outerPeerIpv6Lo(), where);
            } else {
                assertEquals(s.outerPeerIpv4(h), match.outerPeerIpv4(), where);
            }
        }
        assertEquals(s.qerSlotCount(h), match.qerSlotCount(), where);
        for (int i = 0; i < s.qerSlotCount(h); i++) {
            assertEquals(s.qerSlot(h, i), match.qerSlot(i), where);
        }
        assertEquals(s.urrSlotCount(h), match.urrSlotCount(), where);
        for (int i = 0; i < s.urrSlotCount(h); i++) {
            assertEquals(s.urrSlot(h, i), match.urrSlot(i), where);
        }
    }
}
