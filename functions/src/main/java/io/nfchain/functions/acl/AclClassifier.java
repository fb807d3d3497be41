package io.nfchain.functions.acl;

/**
 * A compiled, immutable ACL: finds the first terminal rule a packet matches in time that hardly
 * grows with the number of rules, and counts the count rules it passes on the way. Safe to share:
 * it never changes after {@link #compile}, so a worker may read it while a control thread
 * compiles the next one and publishes it with one volatile store.
 *
 * <h2>Why decision trees</h2>
 * Each rule is a box in eight dimensions (source and destination address as two 64-bit words
 * each, protocol, both ports, DSCP; see {@link AclKey}), and the rules are compiled into
 * HiCuts-style decision trees ({@link CutTreeBuilder}): a packet walks from the root to a leaf
 * with one shift, mask and array load per level, then checks the few rules in that leaf in
 * priority order. Against the alternatives for 10 to 10,000 rules with prefixes, port ranges and
 * wildcards:
 * <ul>
 *   <li>Tuple space search (OVS, VPP's hash ACL) costs one hash probe per distinct mask
 *       combination; random prefix lengths times port ranges (which must be split into prefixes)
 *       give hundreds of tuples, so it is only flat for rule sets with few masks.</li>
 *   <li>Bit vectors (Lucent BV) AND one N-bit vector per field: 10,000 rules are 157 words per
 *       field per packet, linear again, only with a small constant.</li>
 *   <li>RFC is a constant number of lookups but its cross-product tables can grow as N^fields.</li>
 * </ul>
 * Trees keep lookups to a depth that grows with the logarithm of the rule count and the leaf
 * size bound ({@link Tuning#leafRules}). Their weakness is memory: a rule that spans a cut is
 * copied into every child. Four things bound it: the first covering terminal rule ends a list
 * (rules behind it are dead there); each IP version gets one tree for its terminal rules if
 * that tree fits a budget ({@link Tuning#budgetWordsPerRule}), and otherwise its rules are split
 * by whether their source and destination prefixes are short (EffiCuts' "separable trees", so
 * wildcards are not copied across cuts made for long prefixes); a group still over budget is
 * rebuilt with bigger leaves and fewer copies; and as the last resort a group becomes a single
 * leaf scanned linearly. {@link #stats()} reports which happened, so the worst case is visible:
 * memory stays within the budget, and lookup cost degrades towards a linear scan of one group
 * instead of memory growing without bound.
 *
 * <h2>Cost</h2>
 * A lookup visits the trees of the packet's IP version in order of their best rule and stops as
 * soon as the next tree cannot hold a better match. Per tree: depth x (one masked compare, one
 * shift, two loads), then at most {@link Tuning#leafRules} rule checks, each one branch (more
 * rules only in a leaf of rules that differ in TCP flags alone, which no cut separates, or in a
 * linear fallback). With 10,000 realistic rules that is three trees for IPv4 at depth 2 to 6;
 * with 10 rules, one leaf. {@code docs/acl.md} has the measured figures. Nothing is allocated.
 */
public final class AclClassifier {
    /** {@link #classify} found no terminal rule: the default action applies. */
    public static final int NO_MATCH = -1;

    /**
     * How trees are built; {@link #DEFAULT} unless a test wants deep trees or tiny budgets.
     *
     * @param leafRules          a node with at most this many rules is a leaf (HiCuts' binth)
     * @param spaceFactor        copies plus children per node at most this many times its rules (spfac)
     * @param maxCutBits         at most 2^maxCutBits children per node (at most 16)
     * @param budgetWordsPerRule ints of tree a rule may cost before its tree is split or rebuilt
     * @param minBudgetWords     the budget of a tree with few rules
     */
    public record Tuning(int leafRules, int spaceFactor, int maxCutBits, long budgetWordsPerRule, long minBudgetWords) {
        public static final Tuning DEFAULT = new Tuning(8, 4, 12, 256, 1 << 18);
    }

    private final AclRuleSet ruleSet;
    private final AclAction[] actions;
    private final int[] setDscp;
    private final AclForest.V4 v4;
    private final AclForest.V6 v6;
    private final Stats stats;

    private AclClassifier(AclRuleSet ruleSet, AclForest.V4 v4, AclForest.V6 v6, Stats stats) {
        this.ruleSet = ruleSet;
        int n = ruleSet.size();
        this.actions = new AclAction[n];
        this.setDscp = new int[n];
        for (int i = 0; i < n; i++) {
            actions[i] = ruleSet.rule(i).action();
            setDscp[i] = ruleSet.rule(i).setDscp();
        }
        this.v4 = v4;
        this.v6 = v6;
        this.stats = stats;
    }

    /** Compiles {@code ruleSet} with the default tuning. Takes milliseconds to a few seconds; never on the hot path. */
    public static AclClassifier compile(AclRuleSet ruleSet) {
        return compile(ruleSet, Tuning.DEFAULT);
    }

    public static AclClassifier compile(AclRuleSet ruleSet, Tuning tuning) {
        long startNs = System.nanoTime();
        int n = ruleSet.size();
        long[] lo = new long[n * AclKey.DIMENSIONS];
        long[] hi = new long[n * AclKey.DIMENSIONS];
        int[] flagsMask = new int[n];
        int[] flagsValue = new int[n];
        boolean[] endsList = new boolean[n];
        for (int r = 0; r < n; r++) {
            AclRule rule = ruleSet.rule(r);
            AclCompiler.box(rule, r * AclKey.DIMENSIONS, lo, hi);
            // A flags rule must not match a packet without a TCP header, whose flags read NO_TCP_HEADER.
            flagsMask[r] = rule.tcpFlagsMask() == 0 ? 0 : rule.tcpFlagsMask() | AclKey.NO_TCP_HEADER;
            flagsValue[r] = rule.tcpFlagsValue();
            endsList[r] = rule.action().terminal() && rule.tcpFlagsMask() == 0;
        }
        AclCompiler.Tally tally = new AclCompiler.Tally();
        AclForest.V4 v4 = (AclForest.V4) AclCompiler.compile(ruleSet, 4, lo, hi, flagsMask, flagsValue, endsList, tuning, tally);
        AclForest.V6 v6 = (AclForest.V6) AclCompiler.compile(ruleSet, 6, lo, hi, flagsMask, flagsValue, endsList, tuning, tally);
        Stats stats = new Stats(tally.trees, tally.separatedGroups, tally.linearTrees,
                v4.nodeCount + v6.nodeCount,
                v4.entryCount() + v6.entryCount(), tally.maxDepth, tally.maxLeaf, v4.memoryBytes() + v6.memoryBytes(),
                System.nanoTime() - startNs);
        return new AclClassifier(ruleSet, v4, v6, stats);
    }

    /**
     * The index of the first terminal rule (permit, deny, set-dscp) that {@code key} matches, or
     * {@link #NO_MATCH}. Count rules are skipped here; see {@link #countMatches}. Allocates nothing.
     */
    public int classify(AclKey key) {
        int version = key.version;
        int found = version == 4 ? v4.first(key) : version == 6 ? v6.first(key) : AclForest.NONE;
        return found == AclForest.NONE ? NO_MATCH : found;
    }

    /**
     * Classifies every packet of {@code burst}: {@link AclBurst#result(int)} is then what
     * {@link #classify(AclKey)} returns for that packet. Faster per packet than one at a time once
     * the trees outgrow the caches. Allocates nothing.
     */
    public void classify(AclBurst burst) {
        int n = burst.size();
        int[] results = burst.results;
        java.util.Arrays.fill(results, 0, n, AclForest.NONE);
        v4.first(burst, 4);
        v6.first(burst, 6);
        for (int i = 0; i < n; i++) {
            if (results[i] == AclForest.NONE) {
                results[i] = NO_MATCH;
            }
        }
    }

    /** True when the rule set has count rules, so {@link #countMatches} has work to do. */
    public boolean hasCountRules() {
        return v4.countRoots.length + v6.countRoots.length > 0;
    }

    /**
     * Adds one to {@code ruleHits[r]} for every count rule r the packet matches before rule
     * {@code limit} (the result of {@link #classify}, or {@link #NO_MATCH} for all of them).
     * Each matching count rule is counted once. Allocates nothing.
     */
    public void countMatches(AclKey key, int limit, long[] ruleHits) {
        int end = limit == NO_MATCH ? AclForest.NONE : limit;
        if (key.version == 4) {
            v4.count(key, end, ruleHits);
        } else if (key.version == 6) {
            v6.count(key, end, ruleHits);
        }
    }

    /** The action of rule {@code index}. */
    public AclAction action(int index) {
        return actions[index];
    }

    /** The DSCP a set-dscp rule writes, or {@link AclRuleSpec#NONE}. */
    public int setDscp(int index) {
        return setDscp[index];
    }

    public AclAction defaultAction() {
        return ruleSet.defaultAction();
    }

    public int ruleCount() {
        return actions.length;
    }

    public AclRuleSet ruleSet() {
        return ruleSet;
    }

    public Stats stats() {
        return stats;
    }

    /**
     * What compiling built, for benchmarks, {@code show acl} and docs.
     *
     * @param trees           decision trees over both IP versions, terminal and count rules
     * @param separatedGroups trees that hold one separable group because one tree for all was over budget
     * @param linearTrees     trees that fell back to one linearly scanned leaf (over budget even so)
     * @param nodes           inner tree nodes
     * @param leafEntries     rules in leaves, copies included
     * @param maxDepth        the deepest leaf, in nodes from the root
     * @param maxLeafRules    the most rules in one leaf
     * @param memoryBytes     bytes of the compiled arrays
     * @param buildNs         wall time the compile took
     */
    public record Stats(int trees, int separatedGroups, int linearTrees, int nodes, long leafEntries, int maxDepth,
                        int maxLeafRules, long memoryBytes, long buildNs) {}
}
