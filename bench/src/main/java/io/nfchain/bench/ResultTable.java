package io.nfchain.bench;

import java.io.PrintStream;

/** The human half of a suite's output: one row per benchmark. */
final class ResultTable {
    private ResultTable() {}

    static void print(PrintStream out, Suite suite, SuiteResults results) {
        int width = Math.max("Benchmark".length(),
                results.rows().stream().mapToInt(r -> label(r).length()).max().orElse(0));
        String format = "%-" + width + "s  %12s  %10s  %-8s  %12s%n";
        out.println();
        out.println("Suite " + suite.name() + ": " + suite.description());
        out.printf(format, "Benchmark", "Score", "Error", "Unit", "Alloc B/op");
        for (SuiteResults.Row row : results.rows()) {
            out.printf(format, label(row), number(row.score()), "\u00b1 " + number(row.error()),
                    row.unit(), number(row.allocBytesPerOp()));
        }
        out.println("(error: 99.9% confidence half-width; an operation is what the benchmark declares,"
                + " one packet for packet suites)");
    }

    private static String label(SuiteResults.Row row) {
        return row.params().isEmpty() ? row.benchmark() : row.benchmark() + " [" + row.params() + "]";
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "n/a" : String.format("%.3f", value);
    }
}
