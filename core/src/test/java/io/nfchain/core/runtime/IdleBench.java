package io.nfchain.core.runtime;

import io.nfchain.core.os.CpuAffinity;
import io.nfchain.core.os.Prctl;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Groundwork for {@code ./nfchain bench idle}: one in-JVM link (a {@link SpscTimestampRing}
 * standing in for memif), a paced producer and a polling consumer run by an
 * {@link AgentRunner}; for each idle strategy and offered load, the consumer thread's CPU %
 * (ThreadMXBean CPU time over wall time) and the one-way latency percentiles (send timestamp
 * to the poll that saw it, same clock).
 *
 * <p>Offered load is a share of a reference link rate ({@code maxMpps}, default 10 Mpps,
 * about one memif queue on these machines), sent in bursts of 32 as memif peers do. The
 * producer (the main thread) and the consumer can be pinned to different CPUs ({@code pin}:
 * on a shared, oversubscribed host that makes things worse, as neither can move away from a
 * busy CPU). Not a unit test; run with:
 *
 * <pre>
 * ./mvnw -q -pl core test-compile
 * java --enable-native-access=ALL-UNNAMED -cp core/target/classes:core/target/test-classes \
 *     io.nfchain.core.runtime.IdleBench [secondsPerPoint=2] [maxMpps=10] [strategies=adaptive,busy,backoff,interrupt] [pin]
 * </pre>
 */
public final class IdleBench {
    private static final int BURST = 32;
    private static final int[] LOADS_PCT = {0, 1, 10, 50, 100};
    /** With {@code pin}: producer and consumer on different CPUs, as two memif peers would be. */
    private static final BitSet PRODUCER_CPU;
    private static final BitSet CONSUMER_CPU;

    static {
        BitSet allowed = CpuAffinity.get();
        int first = allowed.nextSetBit(0);
        int second = allowed.nextSetBit(first + 1);
        PRODUCER_CPU = new BitSet();
        PRODUCER_CPU.set(first);
        CONSUMER_CPU = new BitSet();
        CONSUMER_CPU.set(second < 0 ? first : second);
    }

    private static boolean pinned;

    record Point(String strategy, int loadPct, double cpuPct, long p50Ns, long p99Ns, long p999Ns, long maxNs,
            long packets, double offeredMpps, RunnerStats.Snapshot stats) {}

    /** Polls the ring; counts what it received into a histogram owned by its thread. */
    static final class ConsumerAgent implements Agent {
        final SpscTimestampRing ring;
        final LatencyHistogram histogram = new LatencyHistogram();
        /** Control commands, such as clearing the histogram after the warm-up: the histogram has one writer. */
        final ManyToOneCommandQueue<Runnable> commands = new ManyToOneCommandQueue<>(8);
        private final java.util.function.Consumer<Runnable> run = Runnable::run;
        volatile long threadId;

        ConsumerAgent(SpscTimestampRing ring) {
            this.ring = ring;
        }

        @Override
        public void onStart() {
            threadId = Thread.currentThread().threadId();
        }

        @Override
        public int doWork() {
            int work = ring.pollBurst(histogram, System.nanoTime(), BURST);
            return commands.isEmpty() ? work : work + commands.drain(run, 1);
        }

        @Override
        public String roleName() {
            return "idle-bench-consumer";
        }
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2;
        double maxMpps = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        List<String> strategies = args.length > 2 ? List.of(args[2].split(",")) : IdleStrategies.NAMES;
        List<Point> points = new ArrayList<>();
        pinned = args.length > 3 && args[3].equals("pin");
        if (pinned) {
            CpuAffinity.set(PRODUCER_CPU);
        }
        Prctl.setTimerSlackNs(1_000);
        System.out.println((pinned ? "producer cpus " + PRODUCER_CPU + ", consumer cpus " + CONSUMER_CPU : "unpinned")
                + ", load average " + Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.printf(Locale.ROOT, "%-10s %5s %8s %9s %9s %9s %9s %10s %9s %8s%n", "strategy", "load%", "cpu%",
                "p50_us", "p99_us", "p99.9_us", "max_us", "packets", "sleeps/s", "burst");
        for (String strategy : strategies) {
            for (int load : LOADS_PCT) {
                Point p = measure(strategy, load, maxMpps, (long) (seconds * 1e9));
                points.add(p);
                double wallS = p.stats().wallNs() / 1e9;
                System.out.printf(Locale.ROOT, "%-10s %5d %8.2f %9.2f %9.2f %9.2f %9.2f %10d %9.0f %8.1f%n",
                        strategy, load, p.cpuPct(), p.p50Ns() / 1e3, p.p99Ns() / 1e3, p.p999Ns() / 1e3,
                        p.maxNs() / 1e3, p.packets(), p.stats().sleeps() / wallS, p.stats().meanBurstSize());
            }
        }
        System.out.println(json(points, maxMpps));
    }

    static Point measure(String strategy, int loadPct, double maxMpps, long durationNs) throws Exception {
        SpscTimestampRing ring = new SpscTimestampRing(4096);
        ConsumerAgent consumer = new ConsumerAgent(ring);
        try (EventFdWakeupSource wakeup = new EventFdWakeupSource(() -> !ring.isEmpty())) {
            IdleStrategy idle = IdleStrategies.create(strategy, IdleConfig.defaults().withWakeupSource(wakeup));
            AgentRunner runner = new AgentRunner(consumer, idle, ErrorHandler.STDERR, NanoClock.SYSTEM,
                    RunnerSettings.named("idle-bench-" + strategy).withCpus(pinned ? CONSUMER_CPU : null));
            runner.start();
            while (consumer.threadId == 0) {
                Thread.onSpinWait();
            }
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            double mpps = maxMpps * loadPct / 100.0;
            // Warm up (JIT, adaptive's averages) for a fifth of the run, then measure.
            produce(ring, wakeup, mpps, durationNs / 5);
            consumer.commands.offer(consumer.histogram::clear);
            wakeup.wake();
            RunnerStats.Snapshot before = runner.stats().snapshot();
            long cpuBefore = threads.getThreadCpuTime(consumer.threadId);
            long wallBefore = System.nanoTime();
            long sent = produce(ring, wakeup, mpps, durationNs);
            long cpuAfter = threads.getThreadCpuTime(consumer.threadId);
            long wallAfter = System.nanoTime();
            RunnerStats.Snapshot after = runner.stats().snapshot();
            runner.close();
            // Read after close: joining the runner thread makes its histogram visible here.
            LatencyHistogram h = consumer.histogram;
            double cpuPct = 100.0 * (cpuAfter - cpuBefore) / (wallAfter - wallBefore);
            return new Point(strategy, loadPct, cpuPct, h.percentileNs(0.5), h.percentileNs(0.99),
                    h.percentileNs(0.999), h.maxNs(), sent, mpps, after.minus(before));
        }
    }

    /**
     * Sends bursts of 32 timestamps at {@code mpps} for {@code durationNs}: parks until a burst
     * is due when it is more than 5 µs away (a late burst is sent at once, so the offered load
     * holds on average), spins otherwise. Returns the packets sent.
     */
    static long produce(SpscTimestampRing ring, EventFdWakeupSource wakeup, double mpps, long durationNs) {
        long start = System.nanoTime();
        long end = start + durationNs;
        if (mpps <= 0) {
            while (System.nanoTime() < end) {
                LockSupport.parkNanos(Math.min(10_000_000, end - System.nanoTime()));
            }
            return 0;
        }
        double periodNs = BURST * 1_000.0 / mpps;
        long sent = 0;
        for (long burst = 0; ; burst++) {
            long due = start + (long) (burst * periodNs);
            if (due >= end) {
                return sent;
            }
            long now = System.nanoTime();
            if (due - now > 5_000) {
                LockSupport.parkNanos(due - now);
            }
            while ((now = System.nanoTime()) < due) {
                Thread.onSpinWait();
            }
            int left = BURST;
            while (left > 0) { // a full ring means the consumer is behind: wait, as a NIC would not
                left -= ring.offerBurst(now, left);
            }
            sent += BURST;
            wakeup.signalIfArmed();
        }
    }

    static String json(List<Point> points, double maxMpps) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("max_mpps", maxMpps);
        for (Point p : points) {
            String prefix = p.strategy().equals("adaptive") ? "" : p.strategy() + "_";
            figures.put(prefix + "cpu_pct_at_" + p.loadPct(), round(p.cpuPct()));
            figures.put(prefix + "p50_us_at_" + p.loadPct(), round(p.p50Ns() / 1e3));
            figures.put(prefix + "p99_us_at_" + p.loadPct(), round(p.p99Ns() / 1e3));
            figures.put(prefix + "p999_us_at_" + p.loadPct(), round(p.p999Ns() / 1e3));
        }
        StringBuilder out = new StringBuilder("{");
        figures.forEach((name, value) ->
                out.append(out.length() > 1 ? "," : "").append('"').append(name).append("\":").append(value));
        return out.append('}').toString();
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
