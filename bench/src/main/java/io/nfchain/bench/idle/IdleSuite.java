package io.nfchain.bench.idle;

import io.nfchain.bench.LoadSuite;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code ./nfchain bench idle}: each idle strategy's poll-thread CPU and one-way latency on one
 * memif link between two processes, at 0, 1, 10, 50 and 100% of the link's maximum
 * ({@link IdleLoadRun}; method and figures in docs/idle.md).
 */
public final class IdleSuite implements LoadSuite {
    @Override
    public String name() {
        return "idle";
    }

    @Override
    public String description() {
        return "poll-thread CPU % and p50/p99/p99.9 one-way latency per idle strategy at 0-100% load"
                + " (targets: adaptive <= 2% idle, <= 20% at 10%, p99 <= busy + 20 us)";
    }

    @Override
    public Report run(boolean quick) {
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        var figures = IdleLoadRun.run(quick, new PrintStream(table, true, StandardCharsets.UTF_8));
        return new Report(table.toString(StandardCharsets.UTF_8), figures);
    }
}
