package io.nfchain.functions.acl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The classifier agrees with {@link LinearScanReference} on every packet, for many random rule
 * sets (overlapping prefixes and ranges, wildcards, IPv4, IPv6 and version-less rules, count and
 * flags rules) and millions of packets, under the default tuning and under tunings that force
 * deep trees, shared subtrees and the over-budget fallbacks; one packet at a time and in bursts.
 */
class AclClassifierPropertyTest {
    /** Deep trees: one rule per leaf, two-way cuts. */
    private static final AclClassifier.Tuning DEEP = new AclClassifier.Tuning(1, 2, 1, 512, 1 << 20);
    /** Budgets so small that trees are rebuilt cheaper or fall back to a linear leaf. */
    private static final AclClassifier.Tuning STARVED = new AclClassifier.Tuning(2, 8, 8, 4, 64);

    private static final int BURST = 32;
    private final AclBurst burst = new AclBurst(BURST);
    private long packets;
    private boolean separated;
    private boolean linear;
    private boolean deep;
    private long deepMatches;

    @Test
    void agreesWithALinearScanOnSmallRuleSets() {
        SplittableRandom random = new SplittableRandom(0xAC1);
        for (int set = 0; set < 400; set++) {
            int versions = new int[] {0, 0, 4, 6}[set % 4];
            AclClassifier.Tuning tuning = set % 5 == 3 ? DEEP : set % 5 == 4 ? STARVED : AclClassifier.Tuning.DEFAULT;
            check(random, 1 + random.nextInt(80), versions, tuning, 5_000, set % 3 == 0);
        }
        assertTrue(packets >= 2_000_000, "checked " + packets + " packets");
    }

    @Test
    void agreesWithALinearScanOnLargeRuleSets() {
        SplittableRandom random = new SplittableRandom(0xAC2);
        int[] sizes = {200, 500, 1000, 2000, 3000, 5000, 10_000};
        for (int i = 0; i < sizes.length * 2; i++) {
            int size = sizes[i % sizes.length];
            AclClassifier.Tuning tuning = i == 3 ? DEEP : i == 5 ? STARVED : AclClassifier.Tuning.DEFAULT;
            check(random, size, i % 3 == 0 ? 0 : i % 3 == 1 ? 4 : 6, tuning, size >= 5000 ? 20_000 : 50_000, i % 2 == 1);
        }
        assertTrue(separated && linear && deep, "the sets exercised separate trees (" + separated + "), linear fallbacks ("
                + linear + ") and deep trees (" + deep + ")");
        assertTrue(deepMatches > 10_000, deepMatches + " packets matched a rule in the second half of a large set");
    }

    @Test
    void agreesWhenEveryRuleIsAWildcardOrDiffersOnlyInFlags() {
        SplittableRandom random = new SplittableRandom(0xAC3);
        List<AclRuleSpec> specs = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int mask = random.nextInt(1, 0x200);
            specs.add(AclRuleSpec.builder(i % 2 == 0 ? AclAction.PERMIT : AclAction.DENY)
                    .protocol(6).tcpFlags(random.nextInt(0x200) & mask, mask).build());
        }
        specs.add(AclRuleSpec.builder(AclAction.COUNT).build());
        specs.add(AclRuleSpec.builder(AclAction.DENY).build());
        specs.add(AclRuleSpec.builder(AclAction.PERMIT).build()); // shadowed by the rule above
        AclRuleSet set = AclRuleSet.validate(specs, AclAction.PERMIT);
        checkSet(random, set, AclClassifier.compile(set), 100_000);
    }

    private void check(SplittableRandom random, int size, int versions, AclClassifier.Tuning tuning, int packetCount,
                       boolean narrow) {
        RandomAcl acl = new RandomAcl(random, narrow);
        AclRuleSet set = AclRuleSet.validate(acl.rules(size, versions), random.nextBoolean() ? AclAction.PERMIT : AclAction.DENY);
        AclClassifier classifier = AclClassifier.compile(set, tuning);
        AclClassifier.Stats stats = classifier.stats();
        separated |= stats.separatedGroups() > 0;
        linear |= stats.linearTrees() > 0;
        deep |= stats.maxDepth() >= 12;
        checkSet(random, set, classifier, packetCount);
    }

    private void checkSet(SplittableRandom random, AclRuleSet set, AclClassifier classifier, int packetCount) {
        RandomAcl acl = new RandomAcl(random.split(), false);
        long[] expectedHits = new long[set.size()];
        long[] hits = new long[set.size()];
        int[] expected = new int[BURST];
        for (int p = 0; p < packetCount; p += BURST) {
            burst.clear();
            for (int i = 0; i < BURST; i++) {
                AclKey key = burst.add();
                acl.packet(set, key);
                expected[i] = LinearScanReference.classify(set, key, expectedHits);
                int actual = classifier.classify(key);
                if (classifier.hasCountRules()) {
                    classifier.countMatches(key, actual, hits);
                }
                if (actual != expected[i]) {
                    fail("packet " + key + ": classifier says rule " + actual + " (" + text(set, actual) + "), a linear scan says "
                            + expected[i] + " (" + text(set, expected[i]) + "); " + set.size() + " rules, " + classifier.stats());
                }
            }
            classifier.classify(burst);
            for (int i = 0; i < BURST; i++) {
                deepMatches += expected[i] >= set.size() / 2 && set.size() >= 200 ? 1 : 0;
            }
            for (int i = 0; i < BURST; i++) {
                assertEquals(expected[i], burst.result(i), () -> "burst classification of " + burst.key(0) + "...");
            }
            packets += BURST;
        }
        assertArrayEquals(expectedHits, hits, "count-rule hits");
        assertEquals(set.size(), classifier.ruleCount());
    }

    private static String text(AclRuleSet set, int rule) {
        return rule < 0 ? "default" : set.rule(rule).text();
    }
}
