package io.nfchain.functions.acl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.core.packet.TcpHeader;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Deciding a burst at once says and counts exactly what deciding its packets one by one says:
 * flows opened and answered within one burst, expiry between bursts, count rules, marks,
 * non-IP packets and later fragments.
 */
class AclEngineBurstTest {
    @Test
    void aBurstDecidesAsItsPacketsOneByOne() {
        SplittableRandom random = new SplittableRandom(0xB0257);
        RandomAcl acl = new RandomAcl(random.split());
        AclRuleSet set = AclRuleSet.validate(acl.rules(300, 4), AclAction.DENY);
        AclClassifier classifier = AclClassifier.compile(set);
        FlowTimeouts timeouts = new FlowTimeouts(50_000, 8_000, 10_000, 5_000);
        AclEngine single = AclEngine.stateful(classifier, 4096, timeouts);
        AclEngine batched = AclEngine.stateful(classifier, 4096, timeouts);
        AclKey key = new AclKey();
        AclBurst burst = new AclBurst(64);
        int[] expected = new int[64];
        int[] verdicts = new int[64];
        long[][] flows = new long[200][];
        for (int f = 0; f < flows.length; f++) {
            acl.packet(set, key);
            flows[f] = new long[] {key.value(AclKey.DIM_SRC_LO), key.value(AclKey.DIM_DST_LO), key.protocol(), key.srcPort(),
                key.dstPort(), key.dscp()};
        }
        long now = 0;
        int passed = 0;
        for (int round = 0; round < 3000; round++) {
            now += random.nextInt(2_000);
            single.beginBurst(now);
            batched.beginBurst(now);
            burst.clear();
            int n = random.nextInt(1, 65);
            for (int i = 0; i < n; i++) {
                AclKey k = burst.add();
                fill(random, flows[random.nextInt(flows.length)], k);
                expected[i] = single.decide(key.copyFrom(k));
            }
            batched.decide(burst, verdicts);
            for (int i = 0; i < n; i++) {
                assertEquals(expected[i], verdicts[i], "packet " + i + " of round " + round + ": " + burst.key(i));
                passed += verdicts[i] == AclEngine.DROP ? 0 : 1;
            }
            assertArrayEquals(single.counters(), batched.counters(), "counters after round " + round);
            assertArrayEquals(single.ruleHits(), batched.ruleHits(), "rule hits after round " + round);
        }
        long returns = single.counters()[AclCounter.ACL_RETURN_PERMIT.ordinal()];
        assertTrue(passed > 10_000 && returns > 1_000, passed + " passed, " + returns + " replies let through");
    }

    /** A packet of the flow, forward or reply; now and then a later fragment or a non-IP frame. */
    private static void fill(SplittableRandom random, long[] flow, AclKey k) {
        if (random.nextInt(100) == 0) {
            k.set(0, 0, 0, 0, 0, 0, AclKey.NO_PORT, AclKey.NO_PORT, 0, AclKey.NO_TCP_HEADER);
            return;
        }
        int protocol = (int) flow[2];
        boolean reply = random.nextBoolean();
        boolean fragment = random.nextInt(50) == 0;
        int srcPort = (int) (reply ? flow[4] : flow[3]);
        int dstPort = (int) (reply ? flow[3] : flow[4]);
        if (fragment && srcPort != AclKey.NO_PORT) {
            srcPort = dstPort = AclKey.NO_PORT;
        }
        int flags = protocol != 6 || srcPort == AclKey.NO_PORT ? AclKey.NO_TCP_HEADER
                : new int[] {TcpHeader.SYN, TcpHeader.ACK, TcpHeader.ACK, TcpHeader.FIN}[random.nextInt(4)];
        k.set(4, 0, reply ? flow[1] : flow[0], 0, reply ? flow[0] : flow[1], protocol, srcPort, dstPort, (int) flow[5], flags);
    }
}
