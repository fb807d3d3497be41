package io.nfchain.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/** The results of one suite run, looked up by benchmark method name. */
public final class SuiteResults {
    /** The secondary result {@code -prof gc} reports: bytes allocated per operation. */
    static final String GC_ALLOC_NORM = "gc.alloc.rate.norm";

    /** One benchmark's line in the table. */
    public record Row(String benchmark, String params, double score, double error, String unit,
                      double allocBytesPerOp) {}

    private final List<Row> rows;

    SuiteResults(Collection<RunResult> runResults) {
        List<Row> list = new ArrayList<>();
        for (RunResult run : runResults) {
            Result<?> primary = run.getPrimaryResult();
            String fullName = run.getParams().getBenchmark();
            list.add(new Row(
                    fullName.substring(fullName.lastIndexOf('.', fullName.lastIndexOf('.') - 1) + 1),
                    params(run),
                    primary.getScore(),
                    primary.getScoreError(),
                    primary.getScoreUnit(),
                    allocBytesPerOp(run.getSecondaryResults())));
        }
        this.rows = List.copyOf(list);
    }

    public List<Row> rows() {
        return rows;
    }

    /** The primary score of benchmark method {@code method}, in the benchmark's own unit. */
    public double score(String method) {
        return row(method).score();
    }

    /**
     * Bytes allocated per operation by {@code method}, from the gc profiler; NaN when the
     * profiler reported nothing. JMH counts {@code @OperationsPerInvocation} into its operations,
     * so for a benchmark that declares its burst size this is already per packet.
     */
    public double allocBytesPerOp(String method) {
        return row(method).allocBytesPerOp();
    }

    private Row row(String method) {
        List<Row> found = rows.stream().filter(r -> r.benchmark().endsWith("." + method)).toList();
        if (found.size() != 1) {
            throw new IllegalStateException("expected one result for benchmark method " + method
                    + ", found " + found.size() + " among " + rows.stream().map(Row::benchmark).toList());
        }
        return found.getFirst();
    }

    private static String params(RunResult run) {
        var params = run.getParams();
        return params.getParamsKeys().stream()
                .map(k -> k + "=" + params.getParam(k))
                .collect(Collectors.joining(","));
    }

    private static double allocBytesPerOp(Map<String, Result> secondary) {
        for (var entry : secondary.entrySet()) {
            // Before JMH 1.34 profiler results were prefixed with a middle dot ("·gc.alloc.rate.norm").
            String key = entry.getKey().startsWith("\u00b7") ? entry.getKey().substring(1) : entry.getKey();
            if (key.equals(GC_ALLOC_NORM)) {
                return entry.getValue().getScore();
            }
        }
        return Double.NaN;
    }
}
