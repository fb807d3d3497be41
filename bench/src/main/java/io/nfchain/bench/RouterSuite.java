package io.nfchain.bench;

import io.nfchain.bench.router.RouterLoad;
import io.nfchain.functions.router.Ipv4Lpm;
import io.nfchain.functions.router.Ipv6Lpm;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The router: longest-prefix match lookups per second over full-size synthetic tables (1M IPv4,
 * 250k IPv6 routes), their memory and build time; then the router as a process (the NF runner)
 * behind memif with the same 1M IPv4 routes loaded over gRPC, next to testpmd macswap measured
 * in the same run ({@link RouterLoad}: {@code router_mpps}, {@code testpmd_macswap_mpps}).
 *
 * <p>Contract with {@code LpmBenchmark}: lookup benchmarks report ns per lookup (average time,
 * {@code @OperationsPerInvocation(BURST)}); build benchmarks report ms per build (single shot).
 * Memory does not depend on timing, so it is measured here, on the same seeded tables.
 */
final class RouterSuite implements JmhSuite {
    static final double LPM4_TARGET_MLOOKUPS = 100;
    private static final double BYTES_PER_MB = 1e6;

    @Override
    public String name() {
        return "router";
    }

    @Override
    public String description() {
        return "LPM lookups/s over 1M IPv4 and 250k IPv6 routes in bursts of 32, table memory and build time (target 100 M IPv4 lookups/s, 0 B/lookup);"
                + " the router process behind memif vs testpmd macswap, 64 B (target 0.8x)";
    }

    @Override
    public String benchmarkClass() {
        return "io.nfchain.bench.LpmBenchmark";
    }

    @Override
    public Map<String, Object> figures(SuiteResults results) {
        double lpm4 = mlookups(results.score("lpm4Random"));
        double alloc = 0;
        for (String method : new String[] {"lpm4Random", "lpm4Covered", "lpm6Random", "lpm6Covered"}) {
            alloc = Math.max(alloc, results.allocBytesPerOp(method));
        }
        Ipv4Lpm table4 = Ipv4Lpm.build(LpmBenchmark.ipv4Routes());
        long memory4 = table4.memoryBytes();
        int routes4 = table4.size();
        table4 = null; // 100 MB: let it go before the IPv6 table is built
        Ipv6Lpm table6 = Ipv6Lpm.build(LpmBenchmark.ipv6Routes());

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("lpm4_mlookups", lpm4);
        figures.put("lpm4_covered_mlookups", mlookups(results.score("lpm4Covered")));
        figures.put("lpm6_mlookups", mlookups(results.score("lpm6Covered")));
        figures.put("lpm6_random_mlookups", mlookups(results.score("lpm6Random")));
        figures.put("lpm4_memory_mb", memory4 / BYTES_PER_MB);
        figures.put("lpm6_memory_mb", table6.memoryBytes() / BYTES_PER_MB);
        figures.put("lpm4_build_s", results.score("build4") / 1000);
        figures.put("lpm6_build_s", results.score("build6") / 1000);
        figures.put("lpm4_routes", routes4);
        figures.put("lpm6_routes", table6.size());
        figures.put("alloc_bytes_per_lookup", alloc);
        figures.put("lpm4_target_mlookups", LPM4_TARGET_MLOOKUPS);
        figures.put("meets_targets", lpm4 >= LPM4_TARGET_MLOOKUPS && Allocation.isZero(alloc));
        return figures;
    }

    /** The router runner behind memif with the same 1M IPv4 routes as the lookups, and testpmd macswap. */
    @Override
    public Optional<LoadSuite.Report> load(boolean quick) throws Exception {
        return Optional.of(RouterLoad.run(quick, LpmBenchmark.ipv4Routes()));
    }

    @Override
    public Map<String, Object> figures(SuiteResults results, Map<String, Object> loadFigures) {
        Map<String, Object> figures = JmhSuite.super.figures(results, loadFigures);
        Object ratio = loadFigures.get("router_vs_macswap");
        boolean routerMeets = ratio instanceof Double r && r >= RouterLoad.TARGET_RATIO;
        figures.put("meets_targets", (Boolean) figures.get("meets_targets") && routerMeets);
        return figures;
    }

    /** Millions of lookups per second from ns per lookup. */
    private static double mlookups(double nsPerLookup) {
        return 1000 / nsPerLookup;
    }
}
