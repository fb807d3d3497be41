package io.nfchain.bench;

import io.nfchain.functions.acl.AclBurst;
import io.nfchain.functions.acl.AclClassifier;
import io.nfchain.functions.acl.AclCounter;
import io.nfchain.functions.acl.AclKey;
import io.nfchain.functions.acl.AclRuleSet;
import io.nfchain.functions.acl.FlowTable;
import io.nfchain.functions.acl.FlowTimeouts;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ACL classification and flow-table lookups, one burst of packets per invocation.
 *
 * <p>One operation is one packet: ns/op is ns/packet, and the GC profiler's bytes/op is bytes per
 * packet. Packets cycle through a ring of {@link #RING} so caches and branch predictors see
 * traffic, not one burst again and again.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(AclBenchmark.BURST)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class AclBenchmark {
    public static final int BURST = 32;
    static final int RING = 1 << 14;
    /** Leaves big enough for every rule: no tree, a linear scan with the classifier's own entries and compares. */
    static final AclClassifier.Tuning LINEAR = new AclClassifier.Tuning(Integer.MAX_VALUE, 1, 1, 256, 1 << 18);

    /** A compiled rule set of {@code rules} rules and traffic for it. */
    @State(Scope.Thread)
    public static class Rules {
        @Param({"10", "100", "1000", "10000"})
        public int rules;

        AclClassifier classifier;
        /** The peer: the same rules in one leaf per IP version, so the same compare code scans them all. */
        AclClassifier linear;
        AclWorkload.Packets packets;
        final AclKey key = new AclKey();
        final AclBurst burst = new AclBurst(BURST);
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            AclWorkload workload = new AclWorkload(42, rules);
            AclRuleSet set = workload.rules(rules);
            classifier = AclClassifier.compile(set);
            linear = AclClassifier.compile(set, LINEAR);
            packets = workload.traffic(set, RING);
            System.out.println("\nacl " + rules + " rules: " + classifier.stats());
        }
    }

    /** A flow table holding {@link #FLOWS} flows, and packets of those flows in both directions. */
    @State(Scope.Thread)
    public static class Flows {
        static final int FLOWS = 1 << 20;
        FlowTable table;
        AclWorkload.Packets packets;
        final AclKey key = new AclKey();
        final AclBurst burst = new AclBurst(BURST);
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            table = new FlowTable(FLOWS, FlowTimeouts.DEFAULT, AclCounter.newCounts());
            SplittableRandom random = new SplittableRandom(7);
            AclWorkload.Packets opening = new AclWorkload.Packets(FLOWS);
            for (int i = 0; i < FLOWS; i++) {
                boolean v6 = random.nextInt(10) == 0;
                opening.version[i] = v6 ? 6 : 4;
                opening.srcHi[i] = v6 ? 0x2001_0db8_0000_0000L | random.nextInt(1 << 16) : 0;
                opening.srcLo[i] = v6 ? random.nextLong() : random.nextInt() & 0xFFFF_FFFFL;
                opening.dstHi[i] = v6 ? 0x2001_0db8_0001_0000L : 0;
                opening.dstLo[i] = v6 ? random.nextInt(1, 4096) : 0x0A00_0000L | random.nextInt(4096);
                opening.protocol[i] = random.nextInt(10) < 8 ? 6 : 17;
                opening.srcPort[i] = random.nextInt(1024, 65_536);
                opening.dstPort[i] = 443;
                opening.tcpFlags[i] = opening.protocol[i] == 6 ? 0x02 : AclKey.NO_TCP_HEADER;
                if (!table.insert(opening.load(i, key), 0, 0)) {
                    throw new IllegalStateException("flow " + i + " not tracked");
                }
            }
            packets = new AclWorkload.Packets(RING);
            for (int i = 0; i < RING; i++) {
                int f = random.nextInt(FLOWS);
                boolean reply = random.nextBoolean();
                packets.version[i] = opening.version[f];
                packets.srcHi[i] = reply ? opening.dstHi[f] : opening.srcHi[f];
                packets.srcLo[i] = reply ? opening.dstLo[f] : opening.srcLo[f];
                packets.dstHi[i] = reply ? opening.srcHi[f] : opening.dstHi[f];
                packets.dstLo[i] = reply ? opening.srcLo[f] : opening.dstLo[f];
                packets.protocol[i] = opening.protocol[f];
                packets.srcPort[i] = reply ? opening.dstPort[f] : opening.srcPort[f];
                packets.dstPort[i] = reply ? opening.srcPort[f] : opening.dstPort[f];
                packets.tcpFlags[i] = opening.protocol[f] == 6 ? 0x10 : AclKey.NO_TCP_HEADER;
            }
        }
    }

    @Benchmark
    public long classify(Rules s) {
        AclClassifier classifier = s.classifier;
        AclWorkload.Packets packets = s.packets;
        AclKey key = s.key;
        int at = s.next;
        long acc = 0;
        for (int i = 0; i < BURST; i++) {
            acc += classifier.classify(packets.load(at + i, key));
        }
        s.next = (at + BURST) & (RING - 1);
        return acc;
    }

    /** The peer, one packet at a time: a linear scan in priority order that stops at the first match. */
    @Benchmark
    public long linearScan(Rules s) {
        AclClassifier classifier = s.linear;
        AclWorkload.Packets packets = s.packets;
        AclKey key = s.key;
        int at = s.next;
        long acc = 0;
        for (int i = 0; i < BURST; i++) {
            acc += classifier.classify(packets.load(at + i, key));
        }
        s.next = (at + BURST) & (RING - 1);
        return acc;
    }

    /** The same packets, classified a burst at a time (level-by-level walks; see AclBurst). */
    @Benchmark
    public long classifyBurst(Rules s) {
        AclBurst burst = s.burst;
        AclWorkload.Packets packets = s.packets;
        int at = s.next;
        burst.clear();
        for (int i = 0; i < BURST; i++) {
            packets.load(at + i, burst.add());
        }
        s.classifier.classify(burst);
        long acc = 0;
        for (int i = 0; i < BURST; i++) {
            acc += burst.result(i);
        }
        s.next = (at + BURST) & (RING - 1);
        return acc;
    }

    /** The same lookups with the burst's home slots read first, so their cache misses overlap. */
    @Benchmark
    public long flowLookupBurst(Flows s) {
        FlowTable table = s.table;
        AclBurst burst = s.burst;
        AclWorkload.Packets packets = s.packets;
        int at = s.next;
        burst.clear();
        for (int i = 0; i < BURST; i++) {
            packets.load(at + i, burst.add());
        }
        table.prefetch(burst);
        long acc = 0;
        for (int i = 0; i < BURST; i++) {
            acc += table.lookup(burst.key(i), 1_000_000_000L);
        }
        s.next = (at + BURST) & (RING - 1);
        return acc;
    }

    @Benchmark
    public long flowLookup(Flows s) {
        FlowTable table = s.table;
        AclWorkload.Packets packets = s.packets;
        AclKey key = s.key;
        int at = s.next;
        long acc = 0;
        for (int i = 0; i < BURST; i++) {
            acc += table.lookup(packets.load(at + i, key), 1_000_000_000L);
        }
        s.next = (at + BURST) & (RING - 1);
        return acc;
    }
}
