package io.nfchain.bench.memif;

import io.nfchain.bench.LoadSuite;
import io.nfchain.bench.memif.LinkRun.Measurement;
import io.nfchain.bench.memif.LinkRun.Pairing;
import io.nfchain.core.dpdk.TestPmd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code ./nfchain bench memif}: one memif queue between two processes, each busy-polling its own
 * core, for 64- and 1500-byte frames, in four pairings measured in the same run: nfchain to
 * nfchain, nfchain to testpmd rxonly, testpmd txonly to nfchain, and testpmd to testpmd. The
 * figure that matters is {@code ratio_64}: nfchain to nfchain over testpmd to testpmd.
 */
public final class MemifSuite implements LoadSuite {
    static final int[] FRAME_BYTES = {64, 1500};
    static final double TARGET_RATIO_64 = 1.0;
    /** Below this CPU share a side was not running alone on its core. */
    static final double UNCONTENDED_SHARE = 0.9;
    private static final long WARMUP_MS = 2_000;
    private static final long MEASURE_MS = 10_000;
    private static final long QUICK_WARMUP_MS = 1_000;
    private static final long QUICK_MEASURE_MS = 2_000;
    /** Windows a full run may measure per row when other processes shared the cores. */
    private static final int WINDOWS = 3;

    @Override
    public String name() {
        return "memif";
    }

    @Override
    public String description() {
        return "Mpps over one memif queue, 64 and 1500 B: nfchain and testpmd in four pairings (target ratio_64 >= 1.0)";
    }

    @Override
    public Report run(boolean quick) throws Exception {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            throw new IllegalStateException("needs two cores, one per side");
        }
        long warmupMs = quick ? QUICK_WARMUP_MS : WARMUP_MS;
        long measureMs = quick ? QUICK_MEASURE_MS : MEASURE_MS;
        Path dir = Files.createTempDirectory("nfchain-bench-memif");
        List<Measurement> results = new ArrayList<>();
        String loadBefore = loadAverage();
        try {
            for (int frameBytes : FRAME_BYTES) {
                Map<Pairing, Measurement> row = new LinkedHashMap<>();
                for (Pairing pairing : schedule()) {
                    boolean half = pairing == Pairing.NFCHAIN_NFCHAIN || pairing == Pairing.TESTPMD_TESTPMD;
                    long windowMs = half ? measureMs / 2 : measureMs;
                    System.err.printf("bench memif: %s, %d B: warm-up at least %.1f s, measure %.1f s%n", pairing.label(),
                            frameBytes, warmupMs / 1e3, windowMs / 1e3);
                    Measurement m = LinkRun.measure(pairing, frameBytes, warmupMs, windowMs, quick ? 1 : WINDOWS,
                            UNCONTENDED_SHARE, dir);
                    System.err.printf("bench memif:   %.2f Mpps, CPU share %.0f%%, window %s%n", m.mpps(),
                            100 * m.cpuShare(), m.window());
                    row.merge(pairing, m, Measurement::plus);
                }
                for (Pairing pairing : Pairing.values()) {
                    results.add(row.get(pairing));
                }
            }
        } finally {
            deleteTree(dir);
        }
        Map<String, Object> figures = figures(results, quick, warmupMs, measureMs);
        @SuppressWarnings("unchecked")
        Map<String, Object> load = (Map<String, Object>) figures.get("load");
        load.put("loadavg_before", loadBefore);
        load.put("loadavg_after", loadAverage());
        return new Report(table(results, measureMs) + "(load average before and after: " + loadBefore + " / "
                + load.get("loadavg_after") + "; other processes on these 2 cores lower every figure)\n", figures);
    }

    /**
     * The order of one frame size's runs: the two reference pairings in halves, A B ... B A, so
     * that a drift in the machine during the run (these VMs' two cores sometimes run on one host
     * core's hyperthreads, sometimes on two cores, and the rates differ by up to 4x) weighs on
     * both alike and cancels out of {@code ratio_64} to first order.
     */
    static List<Pairing> schedule() {
        return List.of(Pairing.NFCHAIN_NFCHAIN, Pairing.TESTPMD_TESTPMD, Pairing.NFCHAIN_TESTPMD,
                Pairing.TESTPMD_NFCHAIN, Pairing.TESTPMD_TESTPMD, Pairing.NFCHAIN_NFCHAIN);
    }

    static String table(List<Measurement> results, long measureMs) {
        StringBuilder t = new StringBuilder();
        String format = "%-22s %7s %9s %9s %11s %11s %11s %10s %8s%n";
        t.append(String.format(format, "Pairing (tx -> rx)", "Frame B", "Mpps", "Gbit/s", "tx CPU s", "rx CPU s", "tx Mpps",
                "CPU share", "windows"));
        for (Measurement m : results) {
            t.append(String.format(format, m.pairing().label(), m.frameBytes(), f2(m.mpps()), f2(m.gbps()),
                    f2(m.senderCpuSeconds()), f2(m.receiverCpuSeconds()), f2(m.senderPackets() / m.seconds() / 1e6),
                    String.format("%.0f%%", 100 * m.cpuShare()), m.window()));
        }
        t.append(String.format("(one queue, bursts of 32, 1024-slot rings, 2048-byte buffers; sender on core %d, receiver"
                + " on core %d;%n Mpps counted by the receiver over %.1f s (nfchain -> nfchain and testpmd -> testpmd in two"
                + " halves, A B ... B A); Gbit/s of frame bytes; CPU s of each whole"
                + " process in that window, from /proc/PID/stat;%n tx Mpps: what the sender put on the ring; CPU share: the smaller side's CPU s over the window, under %.0f%% the%n"
                + " cores were shared with other processes and the row says more about them than about memif; a full run then%n"
                + " measures up to %d windows and keeps the one with the highest share; windows: the one kept, per half)%n",
                LinkRun.TX_CPU, LinkRun.RX_CPU, measureMs / 1e3, 100 * UNCONTENDED_SHARE, WINDOWS));
        return t.toString();
    }

    static Map<String, Object> figures(List<Measurement> results, boolean quick, long warmupMs, long measureMs) {
        Map<String, Object> f = new LinkedHashMap<>();
        for (int frameBytes : FRAME_BYTES) {
            double java = find(results, Pairing.NFCHAIN_NFCHAIN, frameBytes).mpps();
            double testpmd = find(results, Pairing.TESTPMD_TESTPMD, frameBytes).mpps();
            f.put("java_mpps_" + frameBytes, java);
            f.put("testpmd_mpps_" + frameBytes, testpmd);
            f.put("ratio_" + frameBytes, java / testpmd);
            f.put("java_gbps_" + frameBytes, find(results, Pairing.NFCHAIN_NFCHAIN, frameBytes).gbps());
            f.put("testpmd_gbps_" + frameBytes, find(results, Pairing.TESTPMD_TESTPMD, frameBytes).gbps());
        }
        for (Measurement m : results) {
            String key = m.pairing().key() + "_" + m.frameBytes();
            f.put(key + "_mpps", m.mpps());
            f.put(key + "_gbps", m.gbps());
            f.put(key + "_tx_cpu_s", m.senderCpuSeconds());
            f.put(key + "_rx_cpu_s", m.receiverCpuSeconds());
            f.put(key + "_cpu_share", m.cpuShare());
            f.put(key + "_window", m.window());
        }
        double minShare = results.stream().mapToDouble(Measurement::cpuShare).min().orElse(0);
        f.put("min_cpu_share", minShare);
        f.put("contended", minShare < UNCONTENDED_SHARE);
        f.put("target_ratio_64", TARGET_RATIO_64);
        f.put("meets_targets", (double) f.get("ratio_64") >= TARGET_RATIO_64);
        Map<String, Object> load = new LinkedHashMap<>();
        load.put("quick", quick);
        load.put("min_warmup_s", warmupMs / 1e3); // then until two 0.5 s windows agree within 5%
        load.put("measure_s", measureMs / 1e3);
        load.put("max_windows", quick ? 1 : WINDOWS);
        load.put("burst", MemifPeer.BURST);
        load.put("ring_slots", 1024);
        load.put("buffer_bytes", 2048);
        load.put("tx_cpu", LinkRun.TX_CPU);
        load.put("rx_cpu", LinkRun.RX_CPU);
        load.put("testpmd", TestPmd.PROGRAM + " --no-huge -m 1024 --total-num-mbufs=16384");
        f.put("load", load);
        return f;
    }

    /** The 1, 5 and 15 minute load averages: more than ~2 runnable tasks means the peers shared their cores. */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static Measurement find(List<Measurement> results, Pairing pairing, int frameBytes) {
        return results.stream().filter(m -> m.pairing() == pairing && m.frameBytes() == frameBytes).findFirst()
                .orElseThrow(() -> new IllegalStateException("no result for " + pairing + " " + frameBytes));
    }

    private static String f2(double v) {
        return String.format("%.2f", v);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
