package io.nfchain.bench;

import io.nfchain.functions.router.Ipv4Lpm;
import io.nfchain.functions.router.Ipv4Routes;
import io.nfchain.functions.router.Ipv6Lpm;
import io.nfchain.functions.router.Ipv6Routes;
import io.nfchain.functions.router.SyntheticTables;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Longest-prefix match over full-size synthetic tables (1M IPv4, 250k IPv6 routes), in bursts of
 * 32 as a router worker looks them up, and the time to build each table.
 *
 * <p>Addresses come from a pool of 2^20 (4 MiB IPv4, 16 MiB IPv6) walked a burst at a time, so
 * the table, not a hot handful of entries, decides the cache behaviour. "Random" IPv4 addresses
 * are uniform over all 2^32; "random" IPv6 ones uniform over 2000::/3 (uniform over 2^128 would
 * end at the first level for 7 in 8). "Covered" addresses lie inside a random route of the
 * table. One operation is one lookup: ns/op is ns per lookup, bytes/op per lookup.
 *
 * <p>The forks run with transparent huge pages for the heap, as an NF pod should: the 64 MiB
 * first IPv4 level then costs 32 TLB entries instead of 16,384 (docs/router-lpm.md compares).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(LpmBenchmark.BURST)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-XX:+UseTransparentHugePages"})
public class LpmBenchmark {
    /** Lookups per invocation: nfchain's default burst. */
    public static final int BURST = 32;
    static final long SEED = 20_241_023;
    static final int POOL = 1 << 20;

    /** The IPv4 table the suite measures: always the same routes. */
    static Ipv4Routes ipv4Routes() {
        return SyntheticTables.ipv4(SEED);
    }

    /** The IPv6 table the suite measures: always the same routes. */
    static Ipv6Routes ipv6Routes() {
        return SyntheticTables.ipv6(SEED);
    }

    /** A built IPv4 table and address pools. */
    @State(Scope.Benchmark)
    public static class Tables4 {
        Ipv4Lpm lpm;
        int[] random;
        int[] covered;

        @Setup(Level.Trial)
        public void setUp() {
            Ipv4Routes routes = ipv4Routes();
            lpm = Ipv4Lpm.build(routes);
            SplittableRandom rnd = new SplittableRandom(SEED + 1);
            random = new int[POOL];
            for (int i = 0; i < POOL; i++) {
                random[i] = rnd.nextInt();
            }
            covered = SyntheticTables.coveredIpv4(routes, POOL, SEED + 2);
        }
    }

    /** A built IPv6 table and address pools (hi, lo pairs). */
    @State(Scope.Benchmark)
    public static class Tables6 {
        Ipv6Lpm lpm;
        long[] random;
        long[] covered;

        @Setup(Level.Trial)
        public void setUp() {
            Ipv6Routes routes = ipv6Routes();
            lpm = Ipv6Lpm.build(routes);
            SplittableRandom rnd = new SplittableRandom(SEED + 3);
            random = new long[2 * POOL];
            for (int i = 0; i < POOL; i++) {
                random[2 * i] = 0x2000_0000_0000_0000L | (rnd.nextLong() >>> 3);
                random[2 * i + 1] = rnd.nextLong();
            }
            covered = SyntheticTables.coveredIpv6(routes, POOL, SEED + 4);
        }
    }

    /** Route lists for the build benchmarks. */
    @State(Scope.Benchmark)
    public static class Routes {
        Ipv4Routes ipv4;
        Ipv6Routes ipv6;

        @Setup(Level.Trial)
        public void setUp() {
            ipv4 = ipv4Routes();
            ipv6 = ipv6Routes();
        }
    }

    private final int[] burst4 = new int[BURST];
    private final long[] burst6 = new long[2 * BURST];
    private final int[] nextHops = new int[BURST];
    private int cursor;

    @Benchmark
    public int lpm4Random(Tables4 t) {
        return burst4(t.lpm, t.random);
    }

    @Benchmark
    public int lpm4Covered(Tables4 t) {
        return burst4(t.lpm, t.covered);
    }

    @Benchmark
    public int lpm6Random(Tables6 t) {
        return burst6(t.lpm, t.random);
    }

    @Benchmark
    public int lpm6Covered(Tables6 t) {
        return burst6(t.lpm, t.covered);
    }

    /** Copies the next burst of addresses, as a worker gathers them from packets, and looks it up. */
    private int burst4(Ipv4Lpm lpm, int[] pool) {
        int at = cursor;
        cursor = (at + BURST) & (POOL - 1);
        System.arraycopy(pool, at, burst4, 0, BURST);
        lpm.lookup(burst4, nextHops, BURST);
        return nextHops[BURST - 1];
    }

    private int burst6(Ipv6Lpm lpm, long[] pool) {
        int at = cursor;
        cursor = (at + BURST) & (POOL - 1);
        System.arraycopy(pool, 2 * at, burst6, 0, 2 * BURST);
        lpm.lookup(burst6, nextHops, BURST);
        return nextHops[BURST - 1];
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @OperationsPerInvocation(1)
    public Ipv4Lpm build4(Routes r) {
        return Ipv4Lpm.build(r.ipv4);
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @OperationsPerInvocation(1)
    public Ipv6Lpm build6(Routes r) {
        return Ipv6Lpm.build(r.ipv6);
    }
}
