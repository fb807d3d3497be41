package io.nfchain.e2e.chainbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.api.acl.v1.Action;
import io.nfchain.api.acl.v1.ReplaceRulesRequest;
import io.nfchain.api.acl.v1.Rule;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChainRulesTest {
    private static final ChainRules RULES = ChainRules.generate(1_000, 42);

    @Test
    void thousandRulesNoTwoOverlapSoOrderDoesNotMatter() {
        List<ChainRules.AclRule> r = RULES.rules();
        assertEquals(1_000, r.size());
        for (int i = 0; i < r.size(); i++) {
            for (int j = i + 1; j < r.size(); j++) {
                assertFalse(r.get(i).overlaps(r.get(j)), i + " overlaps " + j);
            }
        }
        assertTrue(r.stream().anyMatch(ChainRules.AclRule::permit));
        assertTrue(r.stream().anyMatch(x -> x.protocol() == 6) && r.stream().anyMatch(x -> x.protocol() == 17));
        assertEquals(r, ChainRules.generate(1_000, 42).rules(), "same seed, same rules");
    }

    @Test
    void decidesTheTrafficAsDesigned() {
        int src = ChainRules.ip(10, 0, 3, 4);
        assertTrue(RULES.decide(src, ChainRules.ip(198, 18, 0, 5), 17, 5000, 80));
        assertTrue(RULES.decide(src, ChainRules.ip(198, 18, 32, 5), 17, 5000, 88), "80-88 in block 2");
        assertFalse(RULES.decide(src, ChainRules.ip(198, 18, 0, 5), 17, 5000, 81), "port 81 in block 0");
        assertFalse(RULES.decide(src, ChainRules.ip(198, 18, 48, 5), 17, 5000, 80), "block 3 is not permitted");
        assertFalse(RULES.decide(src, ChainRules.ip(198, 19, 0, 5), 17, 5000, 80), "denied by rule");
        assertFalse(RULES.decide(src, ChainRules.ip(198, 18, 0, 5), 6, 5000, 80), "tcp: default deny");
        double share = new ChainTraffic(4096, ChainTraffic.SIXTY_FOUR).permittedShare(RULES);
        assertTrue(share > 0.33 && share < 0.42, "about 3/8 of the traffic passes, not " + share);
    }

    /** The oracle against an independent first-match over the rendered request, on random packets. */
    @Test
    void requestMatchesTheOracle() {
        ReplaceRulesRequest request = RULES.request();
        assertEquals(Action.DENY, request.getDefaultAction());
        assertEquals(1_000, request.getRulesCount());
        SplittableRandom random = new SplittableRandom(3);
        int permits = 0;
        for (int i = 0; i < 20_000; i++) {
            ChainRules.AclRule near = RULES.rules().get(random.nextInt(RULES.rules().size()));
            int s = random.nextBoolean() ? near.src() | random.nextInt(256) : random.nextInt();
            int d = random.nextBoolean() ? near.dst() | random.nextInt(256) : random.nextInt();
            int proto = random.nextBoolean() ? near.protocol() : random.nextInt(256);
            int sport = random.nextInt(65536);
            int dport = random.nextBoolean() ? near.dstPortFirst() : random.nextInt(65536);
            boolean expected = firstMatch(request, s, d, proto, sport, dport);
            assertEquals(expected, RULES.decide(s, d, proto, sport, dport));
            permits += expected ? 1 : 0;
        }
        assertTrue(permits > 100, "the sample reaches permits: " + permits);
    }

    private static boolean firstMatch(ReplaceRulesRequest request, int s, int d, int proto, int sport, int dport) {
        for (Rule r : request.getRulesList()) {
            if (in(s, r.getSrcPrefix()) && in(d, r.getDstPrefix()) && (!r.hasProtocol() || r.getProtocol() == proto)
                    && (!r.hasSrcPorts() || sport >= r.getSrcPorts().getFirst() && sport <= r.getSrcPorts().getLast())
                    && (!r.hasDstPorts() || dport >= r.getDstPorts().getFirst() && dport <= r.getDstPorts().getLast())) {
                return r.getAction() == Action.PERMIT;
            }
        }
        return request.getDefaultAction() == Action.PERMIT;
    }

    private static boolean in(int address, String prefix) {
        if (prefix.isEmpty()) {
            return true;
        }
        String[] p = prefix.split("/");
        String[] o = p[0].split("\\.");
        int net = Integer.parseInt(o[0]) << 24 | Integer.parseInt(o[1]) << 16 | Integer.parseInt(o[2]) << 8
                | Integer.parseInt(o[3]);
        int length = Integer.parseInt(p[1]);
        int mask = length == 0 ? 0 : -1 << (32 - length);
        return (address & mask) == net;
    }

    /** Every map element reads back as its rule: addresses, protocol, both port ranges, verdict. */
    @Test
    void nftScriptHoldsEveryRuleAsAMapElement() {
        String script = RULES.nftScript("t");
        assertTrue(script.contains("flags interval"));
        assertTrue(script.contains("policy drop"));
        assertTrue(script.contains("vmap @acl"));
        List<String> elements = script.lines().filter(l -> l.contains(" : accept") || l.contains(" : drop")).toList();
        assertEquals(RULES.rules().size(), elements.size());
        for (int i = 0; i < elements.size(); i++) {
            ChainRules.AclRule r = RULES.rules().get(i);
            String[] parts = elements.get(i).trim().replace(",", "").split(" \\. | : ");
            assertEquals(ChainRules.prefix(r.src(), r.srcLength()), parts[0]);
            assertEquals(ChainRules.prefix(r.dst(), r.dstLength()), parts[1]);
            assertEquals(Integer.toString(r.protocol()), parts[2]);
            assertEquals(range(r.srcPortFirst(), r.srcPortLast()), parts[3]);
            assertEquals(range(r.dstPortFirst(), r.dstPortLast()), parts[4]);
            assertEquals(r.permit() ? "accept" : "drop", parts[5]);
        }
    }

    private static String range(int first, int last) {
        return first == last ? Integer.toString(first) : first + "-" + last;
    }

    @Test
    void tooFewRulesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ChainRules.generate(10, 1));
    }
}
