package io.nfchain.functions.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.api.session.v1.Far;
import io.nfchain.api.session.v1.Pdr;
import io.nfchain.api.session.v1.Session;
import io.nfchain.core.packet.FlowKey;
import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.core.packet.PacketParser;
import io.nfchain.core.packet.ParsedPacket;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * One writer creates, replaces and deletes sessions while a reader matches packets through
 * {@link SessionMatch}. Version {@code v} of a session puts {@code v} in its downlink FAR's outer
 * TEID ({@code 5000 + v}), UDP port ({@code 1000 + v}) and DSCP ({@code v}), and its uplink TEID's
 * low bits; even versions have two PDRs (a usable hot record), odd ones three (the full path). A
 * reader that took a hot record half-written, or mixed a record with a session, would see two
 * numbers ({@link SessionChurn} runs the writer).
 */
class SessionMatchConcurrencyTest {
    private static final int SESSIONS = 8;
    private static final int VERSIONS = 48;

    private static Session version(int k, int v) {
        Session s = SessionProtos.simple(k, teid(k, v), ue(k), 5000 + v, "192.0.2.1");
        Session.Builder b = s.toBuilder();
        Far down = s.getFars(1);
        b.setFars(1, down.toBuilder().setTransportDscp(v)
                .setOuterHeaderCreation(down.getOuterHeaderCreation().toBuilder().setPort(1000 + v)));
        if (v % 2 == 1) {
            b.addPdrs(Pdr.newBuilder(s.getPdrs(1)).setId(3).setPrecedence(200));
        }
        return b.build();
    }

    private static int teid(int k, int v) {
        return k << 16 | v % 3;
    }

    private static int ue(int k) {
        return 0x0A000000 | k;
    }

    @Test
    void readerNeverSeesTwoVersionsOfARecord() throws Exception {
        SessionModel[][] models = new SessionModel[SESSIONS + 1][VERSIONS];
        FlowKey[] downlink = new FlowKey[SESSIONS + 1];
        FlowKey[] uplink = new FlowKey[SESSIONS + 1];
        for (int k = 1; k <= SESSIONS; k++) {
            for (int v = 0; v < VERSIONS; v++) {
                models[k][v] = SessionRules.validate(version(k, v), "s");
            }
            downlink[k] = key(0xC6336407, ue(k));
            uplink[k] = key(ue(k), 0xC6336407);
        }
        SessionTable table = SessionTable.withCapacity(SESSIONS, null);
        long[] seen = new long[3];
        SessionMatch m = new SessionMatch(table); // the reader thread's alone once it starts
        Random random = new Random(1);
        SessionChurn.run(table, models, () -> {
            int k = 1 + random.nextInt(SESSIONS);
            if (m.downlink(downlink[k]) == SessionMatch.MATCHED) {
                int v = m.outerTeid() - 5000;
                assertEquals(1000 + v, m.outerPort(), "port beside outer TEID " + m.outerTeid());
                assertEquals(v, m.transportDscp(), "DSCP beside outer TEID " + m.outerTeid());
                seen[m.fromHotRecord() ? 0 : 1]++;
            }
            int t = random.nextInt(3);
            if (m.uplinkTeid(teid(k, t), CompiledSession.NO_QFI, uplink[k]) == SessionMatch.MATCHED) {
                assertEquals(0, m.pdrRank());
                assertTrue(m.removeOuterHeader() && !m.hasOuterHeader(), "the uplink PDR");
            } else {
                seen[2]++;
            }
        });
        assertTrue(seen[0] > 1000 && seen[1] > 1000, seen[0] + " hot answers, " + seen[1] + " full, " + seen[2] + " misses");
    }

    private static FlowKey key(int src, int dst) {
        ParsedPacket p = new ParsedPacket();
        assertTrue(PacketParser.parse(new PacketBuilder().ethernet(2, 4).ipv4(src, dst).udp(53, 4000).payload(8).build(), p));
        return p.outer().key();
    }
}
