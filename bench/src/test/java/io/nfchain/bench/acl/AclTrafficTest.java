package io.nfchain.bench.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.bench.memif.PeerProcess;
import io.nfchain.core.memif.ClientQueuePair;
import io.nfchain.core.memif.MemifClient;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.packet.PacketParser;
import io.nfchain.core.packet.ParsedPacket;
import io.nfchain.functions.acl.AclClassifier;
import io.nfchain.functions.acl.AclCounter;
import io.nfchain.functions.acl.AclEngine;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The traffic process end to end against an acl this test plays over memif with an engine of
 * its own: the traffic's count of frames the rules let through and its checks of returned
 * frames agree with a right acl and catch one deciding by another rule set.
 */
class AclTrafficTest {
    private static final AclFrames FRAMES = AclFrames.standard();
    private static final int FRAMES_WANTED = 40_000;

    @TempDir
    Path dir;

    /** What the played acl did, and the traffic process's counts once everything came back. */
    private record Played(AclCounts counts, long permitted, long denied) {}

    /** The traffic expects rule set {@code expect}; the played acl decides by {@code decideBy}. */
    private Played play(int expect, int decideBy) throws Exception {
        Path socket = dir.resolve("acl.sock");
        AclEngine engine = AclEngine.stateless(AclClassifier.compile(FRAMES.ruleSet(decideBy)));
        ParsedPacket parsed = new ParsedPacket();
        int[] pass = new int[AclTraffic.BURST];
        long decided = 0;
        long sentBack = 0;
        long notSentBack = 0;
        try (PeerProcess traffic = PeerProcess.start(AclTraffic.class, List.of(socket.toString(), "0"));
                MemifClient client = MemifClient.create(MemifClient.Config.of(socket));
                PacketBurst burst = new PacketBurst(AclTraffic.BURST, 2048)) {
            traffic.await("LISTENING", 120_000);
            client.connect();
            while (!client.isConnected()) {
                assertTrue(client.isActive(), "handshake refused: " + client.lastError());
                client.doWork();
                Thread.sleep(1);
            }
            traffic.await("CONNECTED", 60_000);
            traffic.command("expect " + FRAMES.ruleCounts().length);
            traffic.await("ERROR expect '" + FRAMES.ruleCounts().length + "': not a rule set index 0.."
                    + (FRAMES.ruleCounts().length - 1), 10_000);
            traffic.command("expect " + expect);
            traffic.await("EXPECTING " + expect, 10_000);
            assertEquals(0, traffic.stats()[0], "nothing is sent before start");
            traffic.command("start");
            ClientQueuePair pair = client.queuePair(0);
            boolean paused = false;
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (System.nanoTime() < deadline) {
                for (int turn = 0; turn < 10_000; turn++) {
                    int n = pair.rxBurst(burst);
                    int k = 0;
                    for (int i = 0; i < n; i++) {
                        PacketParser.parse(burst.data(), burst.offset(i), burst.length(i), parsed);
                        int verdict = engine.decide(parsed);
                        if (verdict != AclEngine.DROP) {
                            if (verdict >= 0) {
                                engine.rewriteDscp(burst.data(), burst.offset(i), parsed.outer(), verdict);
                            }
                            pass[k++] = i;
                        }
                    }
                    decided += n;
                    int sent = k == 0 ? 0 : pair.txBurst(burst, pass, k);
                    sentBack += sent;
                    notSentBack += k - sent;
                }
                client.doWork();
                AclCounts now = counts(traffic.stats(), engine, notSentBack);
                if (!paused && now.sent() >= FRAMES_WANTED && now.checked() > 0) {
                    traffic.command("pause");
                    paused = true;
                } else if (paused && now.isDrained()) {
                    long[] counts = engine.counters();
                    return new Played(now, counts[AclCounter.ACL_PERMIT.ordinal()] + counts[AclCounter.ACL_SET_DSCP.ordinal()]
                            + counts[AclCounter.ACL_DEFAULT_PERMIT.ordinal()], decided - sentBack - notSentBack);
                }
            }
        }
        throw new AssertionError("the traffic did not send " + FRAMES_WANTED + " frames and drain in time");
    }

    /** The counts as AclLoad sees them, the acl's counters being this test's engine's. */
    private static AclCounts counts(long[] stats, AclEngine engine, long notSentBack) {
        Map<String, Long> counters = new HashMap<>();
        long[] counts = engine.counters();
        for (AclCounter c : AclCounter.values()) {
            counters.put("acl/" + c.name(), counts[c.ordinal()]);
        }
        counters.put("worker/TX_RING_FULL", notSentBack);
        counters.put("worker/OUTPUT_DOWN", 0L);
        return AclCounts.of(stats, counters);
    }

    @Test
    void aRightAclPassesTheChecksWithEveryFrameAccountedFor() throws Exception {
        Played p = play(3, 3);
        AclCounts c = p.counts();
        assertTrue(c.sent() >= FRAMES_WANTED, c.toString());
        assertEquals(c.expectedPass(), p.permitted(), c.toString());
        assertEquals(c.sent(), p.permitted() + p.denied(), c.toString());
        assertTrue(c.checked() > 0 && c.bad() == 0, c.toString());
        double share = c.expectedPass() / (double) c.sent();
        assertEquals(FRAMES.passShare(3), share, 0.02, "the traffic sends the ring round and round");
        c.requireAsExpected(10_000);
    }

    @Test
    void anAclDecidingByAnotherRuleSetFailsTheCheck() throws Exception {
        Played p = play(3, 0); // the traffic expects 10,000 rules; the acl decides by the 10 rules
        AclCounts c = p.counts();
        assertNotEquals(c.expectedPass(), p.permitted(), c.toString());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.requireAsExpected(10_000));
        assertTrue(e.getMessage().startsWith("acl with 10000 rules: "), e.getMessage());
    }
}
