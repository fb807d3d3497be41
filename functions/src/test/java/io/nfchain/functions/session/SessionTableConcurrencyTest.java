package io.nfchain.functions.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.api.session.v1.Pdr;
import io.nfchain.api.session.v1.Session;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * One writer installs, replaces and deletes sessions while a reader thread finds and matches them;
 * every version of a session carries its version number in every rule (PDR precedence, the FAR's
 * outer TEID, the uplink TEID's low bits), so a reader that saw a mix of two versions would see
 * two numbers ({@link SessionChurn} runs the writer).
 */
class SessionTableConcurrencyTest {
    private static final int SESSIONS = 8;
    private static final int VERSIONS = 48;

    private static Session version(int k, int v) {
        Session s = SessionProtos.simple(k, teid(k, v), ue(k), 5000 + v, "192.0.2.1");
        Session.Builder b = s.toBuilder();
        for (int i = 0; i < s.getPdrsCount(); i++) {
            b.setPdrs(i, s.getPdrs(i).toBuilder().setPrecedence(v));
        }
        // A third PDR on some versions, so the number of rules changes too.
        if (v % 2 == 1) {
            b.addPdrs(Pdr.newBuilder(s.getPdrs(1)).setId(3).setPrecedence(v));
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
    void readerNeverSeesTwoVersionsOfASession() throws Exception {
        SessionModel[][] models = new SessionModel[SESSIONS + 1][VERSIONS];
        for (int k = 1; k <= SESSIONS; k++) {
            for (int v = 0; v < VERSIONS; v++) {
                models[k][v] = SessionRules.validate(version(k, v), "s");
            }
        }
        SessionTable table = SessionTable.withCapacity(SESSIONS, null);
        long[] seen = new long[2];
        Random random = new Random(1);
        int[] version = SessionChurn.run(table, models, () -> {
            int k = 1 + random.nextInt(SESSIONS);
            CompiledSession s = random.nextBoolean() ? table.findUeV4(ue(k)) : table.findUplinkTeid(teid(k, random.nextInt(3)));
            if (s != null) {
                check(s, k);
                seen[0]++;
            } else {
                seen[1]++;
            }
        });
        assertTrue(seen[0] > 1000, "found " + seen[0] + ", missed " + seen[1]);
        for (int k = 1; k <= SESSIONS; k++) {
            if (version[k] >= 0) {
                check(table.findUeV4(ue(k)), k);
                assertEquals(version[k], table.findUeV4(ue(k)).precedence(table.findUeV4(ue(k)).pdrHandle(0)));
            } else {
                assertNull(table.findUeV4(ue(k)));
            }
        }
    }

    /** Every rule of {@code s} carries the same version number. */
    private static void check(CompiledSession s, int k) {
        assertEquals(k, s.seid());
        long v = s.precedence(s.pdrHandle(0));
        assertEquals(v % 2 == 1 ? 3 : 2, s.pdrCount(), "PDR count of version " + v);
        for (int i = 0; i < s.pdrCount(); i++) {
            int h = s.pdrHandle(i);
            assertEquals(v, s.precedence(h));
            if (s.hasOuterHeader(h)) {
                assertEquals(5000 + v, s.outerTeid(h));
            } else {
                assertEquals(teid(k, (int) v), s.localTeid(h));
            }
        }
    }
}
