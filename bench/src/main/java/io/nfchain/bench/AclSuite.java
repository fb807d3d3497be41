package io.nfchain.bench;

import io.nfchain.bench.acl.AclLoad;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * ACL classification at 10, 100, 1,000 and 10,000 rules, and flow-table lookups (JMH); then the
 * acl function as a process behind memif at the same rule counts ({@link AclLoad}: the
 * {@code acl_mpps_*} figures and the target).
 *
 * <p>Contract with {@code AclBenchmark}: average time in nanoseconds and
 * {@code @OperationsPerInvocation(BURST)}, so one operation is one packet. Each rule count is
 * measured a burst at a time ({@code classifyBurst}, the path the function's burst decision
 * takes: {@code acl_ns_*}, {@code acl_classify_mpps_*} and the ratio) and one packet at a time
 * ({@code classify}: {@code acl_one_by_one_*}). The peer is a linear scan of the same rules with
 * the same compare code ({@code linearScan}: every rule in one leaf). {@code acl_classify_mpps_*}
 * is one core's classification alone (1000 / ns), with nothing else a packet costs; issue 4's
 * {@code acl_mpps_*} are the function's, from the load half.
 */
final class AclSuite implements JmhSuite {
    static final int[] RULE_COUNTS = {10, 100, 1000, 10_000};

    @Override
    public String name() {
        return "acl";
    }

    @Override
    public String description() {
        return "ACL ns/packet at 10..10,000 rules and flow-table lookups (0 B/packet); the acl function behind memif,"
                + " Mpps at the same rule counts (target: 10k-rule Mpps at least half the 10-rule Mpps)";
    }

    @Override
    public String benchmarkClass() {
        return "io.nfchain.bench.AclBenchmark";
    }

    @Override
    public Map<String, Object> figures(SuiteResults results) {
        Map<String, Object> figures = new LinkedHashMap<>();
        double alloc = 0;
        for (String method : new String[] {"classifyBurst", "classify", "linearScan"}) {
            String prefix = method.equals("classifyBurst") ? "acl_ns_" : method.equals("classify") ? "acl_one_by_one_ns_"
                    : "linear_scan_ns_";
            for (int rules : RULE_COUNTS) {
                SuiteResults.Row row = row(results, method, rules);
                figures.put(prefix + rules, row.score());
                if (!method.equals("linearScan")) {
                    // The peer's few, long operations show JMH's own allocations, not the datapath's.
                    alloc = Math.max(alloc, row.allocBytesPerOp());
                }
            }
        }
        for (int rules : RULE_COUNTS) {
            figures.put("acl_classify_mpps_" + rules, 1000 / row(results, "classifyBurst", rules).score());
        }
        double ratio = row(results, "classifyBurst", 10_000).score() / row(results, "classifyBurst", 10).score();
        figures.put("acl_ns_ratio_10000_to_10", ratio);
        figures.put("acl_one_by_one_ns_ratio_10000_to_10",
                row(results, "classify", 10_000).score() / row(results, "classify", 10).score());
        figures.put("speedup_over_linear_scan_10000",
                row(results, "linearScan", 10_000).score() / row(results, "classifyBurst", 10_000).score());
        figures.put("flow_lookup_ns", results.score("flowLookup"));
        figures.put("flow_lookup_burst_ns", results.score("flowLookupBurst"));
        alloc = Math.max(alloc, Math.max(results.allocBytesPerOp("flowLookup"), results.allocBytesPerOp("flowLookupBurst")));
        figures.put("alloc_bytes_per_packet", alloc);
        // the target is the function's Mpps ratio, which only the load half measures
        figures.put("meets_targets", false);
        return figures;
    }

    /** The acl runner behind memif with the rule sets and traffic of {@code AclWorkload}. */
    @Override
    public Optional<LoadSuite.Report> load(boolean quick) throws Exception {
        return Optional.of(AclLoad.run(quick));
    }

    /** Issue 4's target on the function's Mpps, and zero allocation on the datapath. */
    @Override
    public Map<String, Object> figures(SuiteResults results, Map<String, Object> loadFigures) {
        return combine(figures(results), loadFigures);
    }

    static Map<String, Object> combine(Map<String, Object> jmh, Map<String, Object> load) {
        Map<String, Object> figures = new LinkedHashMap<>(jmh);
        figures.remove("meets_targets");
        figures.putAll(load);
        boolean ratioMet = load.get("acl_mpps_meets_target") instanceof Boolean b && b;
        boolean noAlloc = jmh.get("alloc_bytes_per_packet") instanceof Double a && Allocation.isZero(a);
        figures.put("meets_targets", ratioMet && noAlloc);
        return figures;
    }

    private static SuiteResults.Row row(SuiteResults results, String method, int rules) {
        return results.rows().stream()
                .filter(r -> r.benchmark().endsWith("." + method) && r.params().equals("rules=" + rules))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + method + " result for rules=" + rules));
    }
}
