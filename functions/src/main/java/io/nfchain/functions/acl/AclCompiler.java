package io.nfchain.functions.acl;

import io.nfchain.functions.acl.AclRuleSpec.PortRange;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a validated rule set into the two {@link AclForest}s of an {@link AclClassifier}: one box
 * per rule, then per IP version a decision tree for the terminal rules and one for the count
 * rules. A rule set whose tree would outgrow its budget is split into separable groups
 * (EffiCuts): rules with short source prefixes, short destination prefixes, both, or neither,
 * each with a tree of its own, so long-prefix cuts stop copying wildcard rules. Stateless;
 * called off the hot path.
 */
final class AclCompiler {
    /** A prefix shorter than this is "large": it spans a cut made for longer prefixes. */
    static final int LARGE_PREFIX_LENGTH = 8;
    /** Tree builds per group before the linear fallback, each with 4x bigger leaves. */
    static final int ATTEMPTS = 3;
    /**
     * What the budget charges for one copy of a rule in a leaf, in ints: what a copied leaf entry
     * cost before leaves held rule indexes. A copy is now one int, but charging it so keeps the trees
     * (and compile time) as they were: charged at one int, the first attempt at one tree for all of
     * a version's rules runs on ~13x longer before it gives up, and compiling 10,000 rules took 3x
     * as long (1.3 s against 0.4 s) for no measured gain in lookups.
     */
    static final int COPY_WEIGHT_V4 = 12;
    static final int COPY_WEIGHT_V6 = 24;
    /** The smallest leaf of a count-rule tree. */
    static final int COUNT_LEAF_RULES = 32;
    private static final int PORT_BITS = 17;
    private static final long ANY_PORT_HI = (1L << PORT_BITS) - 1;

    private AclCompiler() {}

    /** Counts what compiling did, for {@link AclClassifier.Stats}. */
    static final class Tally {
        int trees;
        int separatedGroups;
        int linearTrees;
        int maxDepth;
        int maxLeaf;
    }

    static AclForest compile(AclRuleSet set, int version, long[] lo, long[] hi, int[] flagsMask, int[] flagsValue,
                             boolean[] endsList, AclClassifier.Tuning tuning, Tally tally) {
        CutTreeBuilder builder = new CutTreeBuilder(lo, hi, endsList, version == 4 ? COPY_WEIGHT_V4 : COPY_WEIGHT_V6);
        Forest forest = new Forest(builder, tuning, version, tally);
        Trees terminal = forest.build(set, true);
        Trees count = forest.build(set, false);
        tally.maxDepth = Math.max(tally.maxDepth, builder.maxDepth);
        tally.maxLeaf = Math.max(tally.maxLeaf, builder.maxLeaf);
        return version == 4
                ? new AclForest.V4(builder, lo, hi, flagsMask, flagsValue, terminal.roots, terminal.best, count.roots, count.best)
                : new AclForest.V6(builder, lo, hi, flagsMask, flagsValue, terminal.roots, terminal.best, count.roots, count.best);
    }

    /** The rule's box: unsigned inclusive bounds per dimension, both IP versions in one shape. */
    static void box(AclRule rule, int at, long[] lo, long[] hi) {
        addresses(rule.version(), rule.src(), at + AclKey.DIM_SRC_HI, lo, hi);
        addresses(rule.version(), rule.dst(), at + AclKey.DIM_DST_HI, lo, hi);
        boolean anyProtocol = rule.protocol() == AclRuleSpec.ANY;
        lo[at + AclKey.DIM_PROTOCOL] = anyProtocol ? 0 : rule.protocol();
        hi[at + AclKey.DIM_PROTOCOL] = anyProtocol ? 255 : rule.protocol();
        ports(rule.srcPorts(), at + AclKey.DIM_SRC_PORT, lo, hi);
        ports(rule.dstPorts(), at + AclKey.DIM_DST_PORT, lo, hi);
        boolean anyDscp = rule.dscp() == AclRuleSpec.ANY;
        lo[at + AclKey.DIM_DSCP] = anyDscp ? 0 : rule.dscp();
        hi[at + AclKey.DIM_DSCP] = anyDscp ? 63 : rule.dscp();
    }

    /** Fills the hi and lo word dimensions starting at {@code at} for one address field. */
    private static void addresses(int version, IpPrefix prefix, int at, long[] lo, long[] hi) {
        if (version == 4) {
            // IPv4 lives in the low word; the high word of every IPv4 packet is 0.
            int length = prefix == null ? 0 : prefix.length();
            long network = prefix == null ? 0 : prefix.lo();
            lo[at] = 0;
            hi[at] = 0;
            lo[at + 1] = network;
            hi[at + 1] = network | CutTreeBuilder.lowMask(32 - length);
        } else if (version == 6 && prefix != null) {
            int length = prefix.length();
            lo[at] = prefix.hi();
            hi[at] = prefix.hi() | CutTreeBuilder.lowMask(Math.max(0, 64 - length));
            lo[at + 1] = prefix.lo();
            hi[at + 1] = prefix.lo() | CutTreeBuilder.lowMask(Math.min(64, 128 - length));
        } else {
            // Version-less rules: any address of either version. IPv4 leaves read the low 32 bits.
            lo[at] = 0;
            hi[at] = -1L;
            lo[at + 1] = 0;
            hi[at + 1] = -1L;
        }
    }

    /** Any port spans NO_PORT too; a given range never does. */
    private static void ports(PortRange range, int at, long[] lo, long[] hi) {
        lo[at] = range == null ? 0 : range.first();
        hi[at] = range == null ? ANY_PORT_HI : range.last();
    }

    /** The root region of IP version {@code version}: every dimension's free bits. */
    static int[] rootBits(int version) {
        int address = version == 4 ? 32 : 64;
        int[] bits = new int[AclKey.DIMENSIONS];
        bits[AclKey.DIM_SRC_HI] = version == 4 ? 0 : 64;
        bits[AclKey.DIM_SRC_LO] = address;
        bits[AclKey.DIM_DST_HI] = version == 4 ? 0 : 64;
        bits[AclKey.DIM_DST_LO] = address;
        bits[AclKey.DIM_PROTOCOL] = 8;
        bits[AclKey.DIM_SRC_PORT] = PORT_BITS;
        bits[AclKey.DIM_DST_PORT] = PORT_BITS;
        bits[AclKey.DIM_DSCP] = 6;
        return bits;
    }

    /** Roots and the best rule of each, sorted by that rule. */
    private record Trees(int[] roots, int[] best) {}

    /** Builds the trees of one IP version into one builder. */
    private static final class Forest {
        private final CutTreeBuilder builder;
        private final AclClassifier.Tuning tuning;
        private final int version;
        private final Tally tally;

        Forest(CutTreeBuilder builder, AclClassifier.Tuning tuning, int version, Tally tally) {
            this.builder = builder;
            this.tuning = tuning;
            this.version = version;
            this.tally = tally;
        }

        /**
         * The trees for the terminal (or the count) rules: one if it fits; else the rules with a
         * short destination prefix apart from the others; else each of those split again by the
         * source prefix (EffiCuts' separable trees, taken only as far as the budget needs).
         */
        Trees build(AclRuleSet set, boolean terminal) {
            List<Integer> all = new ArrayList<>();
            for (int r = 0; r < set.size(); r++) {
                AclRule rule = set.rule(r);
                if ((rule.version() == 0 || rule.version() == version) && rule.action().terminal() == terminal) {
                    all.add(r);
                }
            }
            if (all.isEmpty()) {
                return new Trees(new int[0], new int[0]);
            }
            int binth = terminal ? tuning.leafRules() : Math.max(tuning.leafRules(), COUNT_LEAF_RULES);
            List<int[]> built = new ArrayList<>();
            int root = tryTree(toArray(all), binth, tuning.spaceFactor());
            if (root != Integer.MIN_VALUE) {
                tally.trees++;
                built.add(new int[] {root, all.getFirst()});
            } else {
                for (List<Integer> byDst : split(set, all, false)) {
                    int[] members = toArray(byDst);
                    int tree = tryTree(members, binth, tuning.spaceFactor());
                    if (tree != Integer.MIN_VALUE) {
                        tally.trees++;
                        tally.separatedGroups++;
                        built.add(new int[] {tree, members[0]});
                        continue;
                    }
                    for (List<Integer> bySrc : split(set, byDst, true)) {
                        int[] group = toArray(bySrc);
                        tally.separatedGroups++;
                        built.add(new int[] {separateTree(group, binth), group[0]});
                    }
                }
            }
            built.sort((a, b) -> Integer.compare(a[1], b[1]));
            return new Trees(built.stream().mapToInt(t -> t[0]).toArray(), built.stream().mapToInt(t -> t[1]).toArray());
        }

        /** The rules with a short prefix (source or destination) and the others; empty groups left out. */
        private static List<List<Integer>> split(AclRuleSet set, List<Integer> rules, boolean bySource) {
            List<Integer> large = new ArrayList<>();
            List<Integer> small = new ArrayList<>();
            for (int r : rules) {
                AclRule rule = set.rule(r);
                (large(bySource ? rule.src() : rule.dst()) ? large : small).add(r);
            }
            return java.util.stream.Stream.of(small, large).filter(g -> !g.isEmpty()).toList();
        }

        /**
         * One group's tree; over budget, rebuilt with 4x bigger leaves and fewer copies, and as
         * the last resort a single leaf scanned linearly.
         */
        private int separateTree(int[] rules, int binth) {
            tally.trees++;
            int spaceFactor = tuning.spaceFactor();
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                int root = tryTree(rules, binth, spaceFactor);
                if (root != Integer.MIN_VALUE) {
                    return root;
                }
                binth *= 4;
                spaceFactor = Math.max(1, spaceFactor / 2);
            }
            tally.linearTrees++;
            return builder.buildLinear(rules);
        }

        /** A tree within budget, or Integer.MIN_VALUE. */
        private int tryTree(int[] rules, int binth, int spaceFactor) {
            long budget = Math.max(tuning.minBudgetWords(), tuning.budgetWordsPerRule() * rules.length);
            try {
                return builder.buildRoot(rules, new long[AclKey.DIMENSIONS], rootBits(version), binth, spaceFactor,
                        tuning.maxCutBits(), budget);
            } catch (CutTreeBuilder.BudgetExceeded e) {
                return Integer.MIN_VALUE;
            }
        }

        private static int[] toArray(List<Integer> list) {
            return list.stream().mapToInt(Integer::intValue).toArray();
        }

        private static boolean large(IpPrefix prefix) {
            return prefix == null || prefix.length() < LARGE_PREFIX_LENGTH;
        }
    }
}
