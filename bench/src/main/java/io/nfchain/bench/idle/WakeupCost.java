package io.nfchain.bench.idle;

import io.nfchain.core.os.CpuAffinity;
import io.nfchain.core.os.Prctl;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * What one sleep costs a poll thread on this host, the figure every idle strategy's choice
 * rests on: for parks of 1 µs to 2 ms, on a thread placed as the bench's poll thread is (own
 * session at nice -20, pinned, timer slack 1 µs), how many parks a second, how late they end
 * (median, p99, max) and how much CPU each costs. Not a unit test; usage:
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/nfchain-bench-*.jar \
 *     io.nfchain.bench.idle.WakeupCost [CPU=last allowed] [SECONDS_PER_POINT=1] [NICE=-20]
 * </pre>
 */
public final class WakeupCost {
    private static final long[] PARKS_NS = {1_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 2_000_000};

    private WakeupCost() {}

    public static void main(String[] args) throws InterruptedException {
        BitSet allowed = CpuAffinity.get();
        int cpu = args.length > 0 ? Integer.parseInt(args[0]) : allowed.length() - 1;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 1;
        int nice = args.length > 2 ? Integer.parseInt(args[2]) : -20;
        String group = nice == 0 ? "inherited" : SchedulingPriority.ownAutogroup(nice);
        System.out.printf(Locale.ROOT, "cpu %d, nice %d, autogroup %s%n", cpu, nice, group);
        System.out.printf(Locale.ROOT, "%9s %9s %11s %10s %10s %7s %12s%n", "park_us", "parks/s", "late_p50_us",
                "late_p99_us", "late_max_us", "cpu%", "cpu/park_us");
        Thread thread = Thread.ofPlatform().name("wakeup-cost").start(() -> {
            BitSet one = new BitSet();
            one.set(cpu);
            CpuAffinity.set(one);
            Prctl.setTimerSlackNs(1_000);
            if (nice != 0) {
                SchedulingPriority.setThreadNice(nice);
            }
            for (long parkNs : PARKS_NS) {
                measure(parkNs, (long) (seconds * 1e9));
            }
        });
        thread.join();
    }

    private static void measure(long parkNs, long durationNs) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] late = new long[(int) Math.min(5_000_000, durationNs / parkNs + 1)];
        int n = 0;
        long cpuBefore = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long end = start + durationNs;
        for (long now = start; now < end && n < late.length; ) {
            LockSupport.parkNanos(parkNs);
            long after = System.nanoTime();
            late[n++] = after - now - parkNs;
            now = after;
        }
        long wallNs = System.nanoTime() - start;
        long cpuNs = threads.getCurrentThreadCpuTime() - cpuBefore;
        long[] sorted = Arrays.copyOf(late, n);
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%9.0f %9.0f %11.1f %10.1f %10.1f %7.1f %12.2f%n", parkNs / 1e3, n * 1e9 / wallNs,
                sorted[n / 2] / 1e3, sorted[(int) (n * 0.99)] / 1e3, sorted[n - 1] / 1e3, 100.0 * cpuNs / wallNs,
                cpuNs / 1e3 / n);
    }
}
