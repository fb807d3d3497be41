package io.nfchain.functions.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.api.session.v1.ApplySessionsRequest;
import io.nfchain.api.session.v1.SessionChange;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The warmer finds the sessions the lookups will find (or nothing), and changes no lookup. */
class SessionWarmerTest {
    private static final int SESSIONS = 2000;

    @Test
    void warmsTheSessionsTheLookupsFindAndChangesNone() {
        SessionTable table = new SessionTable(4096, 8192, 8192, SessionListener.NONE);
        SessionControl control = new SessionControl(table);
        ApplySessionsRequest.Builder request = ApplySessionsRequest.newBuilder();
        for (int i = 0; i < SESSIONS; i++) {
            request.addChanges(SessionChange.newBuilder()
                    .setCreate(SessionProtos.simple(i + 1, 0x100 + i, 0x0A00_0000 + i, 0x900, "192.0.2.1")));
        }
        assertEquals(SESSIONS, control.apply(request.build()).getApplied());
        SessionWarmer warmer = new SessionWarmer(table, 64);
        Random random = new Random(7);
        int warmed = 0;
        int present = 0;
        for (int burst = 0; burst < 500; burst++) {
            warmer.clear();
            int[] teids = new int[32];
            int[] ues = new int[32];
            for (int i = 0; i < 32; i++) {
                // mostly installed keys, some not
                teids[i] = 0x100 + random.nextInt(SESSIONS + SESSIONS / 4);
                ues[i] = 0x0A00_0000 + random.nextInt(SESSIONS + SESSIONS / 4);
                warmer.teid(teids[i]);
                warmer.ueV4(ues[i]);
            }
            CompiledSession[] before = new CompiledSession[64];
            for (int i = 0; i < 32; i++) {
                before[2 * i] = table.findUplinkTeid(teids[i]);
                before[2 * i + 1] = table.findUeV4(ues[i]);
            }
            assertEquals(64, warmer.count());
            warmer.run();
            for (int k = 0; k < 64; k++) {
                CompiledSession found = k % 2 == 0 ? table.findUplinkTeid(teids[k / 2]) : table.findUeV4(ues[k / 2]);
                assertSame(before[k], found, "warming changed lookup " + k);
                int w = warmer.slot(k);
                if (found == null) {
                    assertEquals(-1, w, "warmed a session for a key no session has");
                    assertEquals(-1, warmer.qerSlot(k, 0));
                } else {
                    present++;
                    if (w >= 0) {
                        assertEquals(found.slot(), w, "warmed another session than the lookup finds");
                        int h = found.pdrHandle(0);
                        assertEquals(found.qerSlot(h, 0), warmer.qerSlot(k, 0), "the hot record's QER slot");
                        assertEquals(found.urrSlot(found.pdrHandle(1), 0), warmer.urrSlot(k, 1), "the hot record's URR slot");
                        warmed++;
                    }
                }
            }
        }
        // a half-full index: most keys sit in their first cell, and those are the ones warmed
        assertTrue(warmed > present * 8 / 10, warmed + " of " + present + " present keys warmed");
    }

    @Test
    void keysBeyondCapacityAreLeftColdAndClearForgets() {
        SessionTable table = new SessionTable(4, 8, 8, SessionListener.NONE);
        SessionWarmer warmer = new SessionWarmer(table, 2);
        warmer.ueV4(1);
        warmer.ueV4(2);
        warmer.ueV6(3);
        assertEquals(2, warmer.count());
        warmer.run();
        assertEquals(-1, warmer.slot(0));
        warmer.clear();
        assertEquals(0, warmer.count());
    }
}
