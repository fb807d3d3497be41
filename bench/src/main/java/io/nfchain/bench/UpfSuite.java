package io.nfchain.bench;

import io.nfchain.bench.upf.UpfLoad;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The user plane: first the CPU cost of a packet through upf, upf -> qos and upf -> qos -> charging
 * in one thread behind real memif links ({@code UpfPathBenchmark}: ns per packet, so packets per
 * CPU-second on one core without the scheduler), then the chain as runner processes under load
 * ({@link UpfLoad}): 100k sessions installed over gRPC, 64-byte inner packets half uplink GTP-U
 * and half downlink; Mpps, packets per NF CPU-second, installs per second, bytes per session at 1M.
 */
final class UpfSuite implements JmhSuite {
    @Override
    public String name() {
        return "upf";
    }

    @Override
    public String description() {
        return "upf -> qos -> charging: ns per packet in one thread behind memif; then as runner processes behind memif,"
                + " 100k sessions over gRPC, 64 B inner packets: Mpps, packets per CPU-second (target 3M),"
                + " installs/s (target 100k), bytes per session at 1M (target 1 KiB)";
    }

    @Override
    public String benchmarkClass() {
        return "io.nfchain.bench.upf.UpfPathBenchmark";
    }

    @Override
    public Map<String, Object> figures(SuiteResults results) {
        Map<String, Object> figures = new LinkedHashMap<>();
        double alloc = 0;
        double chainNs = Double.NaN;
        for (String chain : new String[] {"upf", "upf+qos", "upf+qos+charging"}) {
            SuiteResults.Row row = results.rows().stream()
                    .filter(r -> r.benchmark().endsWith(".burst")
                            && java.util.Arrays.asList(r.params().split(",")).contains("chain=" + chain))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no burst result for chain=" + chain));
            figures.put("path_ns_per_packet_" + chain.replace('+', '_'), row.score());
            alloc = Math.max(alloc, Double.isNaN(row.allocBytesPerOp()) ? 0 : row.allocBytesPerOp());
            chainNs = row.score();
        }
        figures.put("path_pkts_per_cpu_s", 1e9 / chainNs);
        // the same three functions as one pipeline behind one link (the upf+qos+charging runner)
        results.rows().stream()
                .filter(r -> r.benchmark().endsWith(".burst")
                        && java.util.Arrays.asList(r.params().split(",")).contains("chain=pipeline"))
                .findFirst()
                .ifPresent(r -> {
                    figures.put("path_ns_per_packet_pipeline", r.score());
                    figures.put("path_pkts_per_cpu_s_pipeline", 1e9 / r.score());
                });
        figures.put("path_alloc_bytes_per_packet", alloc);
        return figures;
    }

    @Override
    public Optional<LoadSuite.Report> load(boolean quick) throws Exception {
        return Optional.of(UpfLoad.run(quick));
    }
}
