package io.nfchain.functions.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.nfchain.api.session.v1.ApplySessionsRequest;
import io.nfchain.api.session.v1.ApplySessionsResponse;
import io.nfchain.api.session.v1.ChangeResult;
import io.nfchain.api.session.v1.Session;
import io.nfchain.api.session.v1.SessionChange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several threads apply requests to one control at once, as the gRPC workers do: they validate
 * and compile in parallel and commit in turns. Whatever the order, each SEID's changes must read
 * as one order of whole requests: one create of a SEID wins and GetSession returns the winner's
 * session, the others say ALREADY_EXISTS; one delete wins, the others say NOT_FOUND; a request's
 * own changes are never interleaved with another's.
 */
class SessionControlConcurrencyTest {
    private static final int THREADS = 4;
    private static final int SESSIONS = 2_000;
    private static final int BATCH = 100;
    private static final int ALREADY_EXISTS = 6;
    private static final int NOT_FOUND = 5;
    private static final int INVALID_ARGUMENT = 3;

    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** Thread {@code t}'s version of session {@code k}: its own UE address, TEIDs and gNB TEID. */
    private static Session session(int t, int k) {
        return SessionProtos.simple(k, t << 20 | k, 0x0A000000 | t << 20 | k, 0x5000_0000 | t << 20 | k, "192.0.2.1");
    }

    private static ApplySessionsRequest request(List<SessionChange> changes) {
        return ApplySessionsRequest.newBuilder().addAllChanges(changes).build();
    }

    /** Runs {@code work(t)} on every thread at once; their answers by thread. */
    private <T> List<T> race(java.util.function.IntFunction<T> work) throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<T>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            Callable<T> call = () -> {
                start.await();
                return work.apply(thread);
            };
            futures.add(pool.submit(call));
        }
        List<T> out = new ArrayList<>();
        for (Future<T> f : futures) {
            out.add(f.get());
        }
        return out;
    }

    private static ApplySessionsResponse apply(SessionControl control, ApplySessionsRequest request) {
        try {
            return control.apply(request.toByteArray());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void oneCreateOfEachSeidWinsAndTheOthersSayWhy() throws Exception {
        SessionControl control = new SessionControl(SessionTable.withCapacity(SESSIONS, null));
        // Each thread creates every SEID, in its own order, with an invalid session in every batch.
        List<List<ApplySessionsResponse>> answers = race(t -> {
            List<ApplySessionsResponse> out = new ArrayList<>();
            for (int from = 0; from < SESSIONS; from += BATCH) {
                List<SessionChange> changes = new ArrayList<>();
                for (int i = 0; i < BATCH; i++) {
                    int k = 1 + (t % 2 == 0 ? from + i : SESSIONS - 1 - from - i);
                    changes.add(SessionChange.newBuilder().setCreate(session(t, k)).build());
                }
                changes.add(SessionChange.newBuilder().setCreate(session(t, 1).toBuilder().setSeid(0)).build());
                out.add(apply(control, request(changes)));
            }
            return out;
        });
        int[] winner = new int[SESSIONS + 1];
        java.util.Arrays.fill(winner, -1);
        for (int t = 0; t < THREADS; t++) {
            for (ApplySessionsResponse r : answers.get(t)) {
                assertEquals(BATCH + 1, r.getResultsCount());
                ChangeResult bad = r.getResults(BATCH);
                assertEquals(INVALID_ARGUMENT, bad.getCode());
                assertEquals("changes[" + BATCH + "].create.seid: must be nonzero", bad.getMessage());
                int applied = 0;
                for (int i = 0; i < BATCH; i++) {
                    ChangeResult c = r.getResults(i);
                    int k = (int) c.getSeid();
                    if (c.getCode() == 0) {
                        assertEquals(-1, winner[k], "SEID " + k + " created twice");
                        winner[k] = t;
                        applied++;
                    } else {
                        assertEquals(ALREADY_EXISTS, c.getCode(), c.getMessage());
                        assertEquals("changes[" + i + "].create.seid: session " + k + " exists", c.getMessage());
                    }
                }
                assertEquals(applied, r.getApplied());
            }
        }
        SessionTable table = control.table();
        assertEquals(SESSIONS, table.size());
        for (int k = 1; k <= SESSIONS; k++) {
            int t = winner[k];
            assertEquals(session(t, k), control.get(k), "GetSession of " + k + " returns the winner's session");
            CompiledSession s = table.findUeV4(0x0A000000 | t << 20 | k);
            assertNotNull(s);
            assertEquals(k, s.seid());
            assertEquals(s, table.findUplinkTeid(t << 20 | k));
            assertEquals(s, table.session(s.slot()));
            for (int other = 0; other < THREADS; other++) {
                if (other != t) {
                    assertNull(table.findUeV4(0x0A000000 | other << 20 | k), "a loser's UE address is not indexed");
                }
            }
        }
    }

    @Test
    void oneDeleteOfEachSeidWinsAndReplacesAfterItFindNothing() throws Exception {
        SessionControl control = new SessionControl(SessionTable.withCapacity(SESSIONS, null));
        List<SessionChange> creates = new ArrayList<>();
        for (int k = 1; k <= SESSIONS; k++) {
            creates.add(SessionChange.newBuilder().setCreate(session(0, k)).build());
        }
        assertEquals(SESSIONS, apply(control, request(creates)).getApplied());
        // Every thread replaces each session with its own version, then deletes it, in one request.
        List<ApplySessionsResponse> answers = race(t -> {
            List<SessionChange> changes = new ArrayList<>();
            for (int k = 1; k <= SESSIONS; k++) {
                changes.add(SessionChange.newBuilder().setReplace(session(t, k)).build());
                changes.add(SessionChange.newBuilder().setDeleteSeid(k).build());
            }
            return apply(control, request(changes));
        });
        int[] deletes = new int[SESSIONS + 1];
        for (ApplySessionsResponse r : answers) {
            for (int i = 0; i < r.getResultsCount(); i += 2) {
                ChangeResult replace = r.getResults(i);
                ChangeResult delete = r.getResults(i + 1);
                int k = (int) delete.getSeid();
                // A request commits whole: the replace and the delete after it either both found the session or neither.
                assertEquals(replace.getCode(), delete.getCode(), replace + " / " + delete);
                if (delete.getCode() == 0) {
                    deletes[k]++;
                } else {
                    assertEquals(NOT_FOUND, delete.getCode());
                    assertEquals("changes[" + (i + 1) + "].delete_seid: no session " + k, delete.getMessage());
                    assertEquals("changes[" + i + "].replace.seid: no session " + k, replace.getMessage());
                }
            }
        }
        for (int k = 1; k <= SESSIONS; k++) {
            assertEquals(1, deletes[k], "SEID " + k + " deleted once");
            assertNull(control.get(k));
        }
        assertEquals(0, control.table().size());
    }

    @Test
    void aRequestsChangesAreNotInterleavedWithAnothers() throws Exception {
        SessionControl control = new SessionControl(SessionTable.withCapacity(SESSIONS, null));
        for (int round = 0; round < 200; round++) {
            // Each thread creates, replaces and deletes the same SEIDs in one request; interleaved,
            // some would meet another's session and say ALREADY_EXISTS or NOT_FOUND.
            List<ApplySessionsResponse> answers = race(t -> {
                List<SessionChange> changes = new ArrayList<>();
                for (int k = 1; k <= 20; k++) {
                    changes.add(SessionChange.newBuilder().setCreate(session(t, k)).build());
                    changes.add(SessionChange.newBuilder().setReplace(session(t, k)).build());
                    changes.add(SessionChange.newBuilder().setDeleteSeid(k).build());
                }
                return apply(control, request(changes));
            });
            for (ApplySessionsResponse r : answers) {
                assertEquals(60, r.getApplied(), () -> r.getResultsList().stream().filter(c -> c.getCode() != 0).findFirst()
                        .map(Object::toString).orElse(""));
            }
            assertEquals(0, control.table().size());
        }
    }
}
