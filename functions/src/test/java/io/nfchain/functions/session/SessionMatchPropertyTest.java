package io.nfchain.functions.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.api.session.v1.Session;
import io.nfchain.functions.rules.InvalidRuleException;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The compiled matcher against {@link NaivePdrMatcher} on random sessions and random packets. */
class SessionMatchPropertyTest {
    private static final long UE6_HI = 0x20010DB800010000L;
    private static final int UE4 = 0x0A000001;
    private static final int[] V4_REMOTES = {0xC6336407, 0xC6336480, 0xCB007105, 0xCB0071F0, 0x08080808};
    private static final long[][] V6_REMOTES = {{0x20010DB800050000L, 9}, {0x20010DB800050000L, 10},
        {0x20010DB800070000L, 1}, {0x20020000_00000000L, 1}};

    @Test
    void compiledMatchEqualsTheNaiveOne() {
        Random random = new Random(42);
        RandomSessions sessions = new RandomSessions(random, 0.0);
        int matched = 0;
        int missed = 0;
        for (int n = 0; n < 3000; n++) {
            Session proto = sessions.session(1 + n, 1000, UE4, UE6_HI);
            SessionModel m;
            try {
                m = SessionRules.validate(proto, "s");
            } catch (InvalidRuleException e) {
                continue; // e.g. a BUFFER FAR with no outer header is fine, two UE addresses are not
            }
            CompiledSession c = SessionTable.withCapacity(2, null).create(m, null);
            for (int k = 0; k < 200; k++) {
                int iface = 1 + random.nextInt(2);
                long teid = random.nextInt(4) == 0 ? CompiledSession.NO_TEID : 999 + random.nextInt(3);
                int qfi = random.nextInt(4) == 0 ? CompiledSession.NO_QFI : random.nextInt(3);
                int[] protocols = {6, 17, 1, 132};
                int protocol = protocols[random.nextInt(4)];
                int remotePort = protocol == 1 ? 0 : random.nextInt(12);
                int uePort = protocol == 1 ? 0 : random.nextInt(12);
                int expected;
                int h;
                if (random.nextBoolean()) {
                    int remote = V4_REMOTES[random.nextInt(V4_REMOTES.length)];
                    int ue = random.nextInt(5) == 0 ? UE4 + 1 : UE4;
                    expected = NaivePdrMatcher.match(m, iface, teid, qfi, 4, unsigned(remote), unsigned(ue), protocol,
                            remotePort, uePort);
                    h = c.matchPdr(iface, teid, qfi, 4, 0, remote & 0xFFFF_FFFFL, 0, ue & 0xFFFF_FFFFL, protocol,
                            remotePort, uePort);
                } else {
                    long[] remote = V6_REMOTES[random.nextInt(V6_REMOTES.length)];
                    long ueHi = random.nextInt(5) == 0 ? UE6_HI + 1 : UE6_HI;
                    long ueLo = random.nextLong();
                    expected = NaivePdrMatcher.match(m, iface, teid, qfi, 6, v6(remote[0], remote[1]), v6(ueHi, ueLo),
                            protocol, remotePort, uePort);
                    h = c.matchPdr(iface, teid, qfi, 6, remote[0], remote[1], ueHi, ueLo, protocol, remotePort, uePort);
                }
                assertEquals(expected, h < 0 ? -1 : c.pdrId(h), () -> "session " + proto);
                if (h >= 0) {
                    matched++;
                    checkRefs(m, c, h);
                } else {
                    missed++;
                }
            }
        }
        assertTrue(matched > 10_000 && missed > 10_000, matched + " matched, " + missed + " missed");
    }

    /** The handle's FAR, QERs and URRs are the ones the model's PDR names. */
    private static void checkRefs(SessionModel m, CompiledSession c, int h) {
        SessionModel.PdrRule p = m.pdrs().stream().filter(r -> r.id() == c.pdrId(h)).findFirst().orElseThrow();
        SessionModel.FarRule far = m.fars().get(p.farIndex());
        assertEquals(far.id(), c.farId(h));
        assertEquals(far.action(), c.farAction(h));
        assertEquals(far.outerHeader() != null, c.hasOuterHeader(h));
        if (far.outerHeader() != null) {
            assertEquals(far.outerHeader().teid(), c.outerTeid(h));
            assertEquals(far.outerHeader().port(), c.outerPort(h));
            assertEquals(far.outerHeader().peer().version() == 6, c.outerPeerIsIpv6(h));
        }
        assertEquals(p.removeOuterHeader(), c.removeOuterHeader(h));
        assertEquals(p.qerIndexes().size(), c.qerSlotCount(h));
        assertEquals(p.urrIndexes().size(), c.urrSlotCount(h));
        for (int i = 0; i < p.qerIndexes().size(); i++) {
            assertEquals(c.qerSlotAt(p.qerIndexes().get(i)), c.qerSlot(h, i));
        }
        for (int i = 0; i < p.urrIndexes().size(); i++) {
            assertEquals(c.urrSlotAt(p.urrIndexes().get(i)), c.urrSlot(h, i));
        }
    }

    private static BigInteger unsigned(int v) {
        return BigInteger.valueOf(Integer.toUnsignedLong(v));
    }

    private static BigInteger v6(long hi, long lo) {
        return new BigInteger(Long.toUnsignedString(hi)).shiftLeft(64).or(new BigInteger(Long.toUnsignedString(lo)));
    }
}
