package io.nfchain.bench;

import io.nfchain.core.packet.FlowKey;
import io.nfchain.core.packet.GtpuHeader;
import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.core.packet.PacketParser;
import io.nfchain.core.packet.ParsedPacket;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parse one burst and extract the 5-tuple of every packet, as a worker does after an rx burst.
 *
 * <p>Frames sit in native memory at a 2 KiB stride, like packet buffers in a memif region, each
 * with different addresses and ports. One operation is one packet: ns/op is ns/packet, and the
 * GC profiler's bytes/op divided by nothing is bytes per packet.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(CodecBenchmark.BURST)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class CodecBenchmark {
    /** Packets per benchmark invocation: nfchain's default burst. */
    public static final int BURST = 32;
    private static final int STRIDE = 2048;

    private final ParsedPacket parsed = new ParsedPacket();
    private Arena arena;
    private MemorySegment ipv4Udp;
    private MemorySegment ipv6Tcp;
    private MemorySegment gtpu;
    private final int[] ipv4UdpLengths = new int[BURST];
    private final int[] ipv6TcpLengths = new int[BURST];
    private final int[] gtpuLengths = new int[BURST];

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        SplittableRandom random = new SplittableRandom(1);
        ipv4Udp = fill(ipv4UdpLengths, i -> eth(random).ipv4(random.nextInt(), random.nextInt())
                .udp(random.nextInt(1024, 65536), random.nextInt(1, 1024)).payload(18));
        ipv6Tcp = fill(ipv6TcpLengths, i -> eth(random).ipv6(0x2001_0db8_0000_0000L, random.nextLong(), 0x2001_0db8_0001_0000L, random.nextLong())
                .tcp(random.nextInt(1024, 65536), 443, random.nextInt(), random.nextInt(), 0x18, 501, false).payload(32));
        gtpu = fill(gtpuLengths, i -> eth(random).ipv4(random.nextInt(), random.nextInt()).udp(2152, 2152)
                .gtpu(random.nextInt()).pduSessionContainer(GtpuHeader.PDU_TYPE_UPLINK, random.nextInt(64))
                .ipv4(random.nextInt(), random.nextInt()).tcp(random.nextInt(1024, 65536), 443, 1, 2, 0x10, 501, false).payload(40));
    }

    private static PacketBuilder eth(SplittableRandom random) {
        return new PacketBuilder().ethernet(random.nextLong() & 0xFEFF_FFFF_FFFFL, random.nextLong() & 0xFEFF_FFFF_FFFFL);
    }

    private MemorySegment fill(int[] lengths, IntFunction<PacketBuilder> frame) {
        MemorySegment region = arena.allocate((long) STRIDE * BURST, 64);
        for (int i = 0; i < BURST; i++) {
            lengths[i] = frame.apply(i).writeTo(region, (long) i * STRIDE);
            if (!PacketParser.parse(region, (long) i * STRIDE, lengths[i], parsed)) {
                throw new IllegalStateException("benchmark frame " + i + " is malformed: " + parsed.status().text());
            }
        }
        return region;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public long ipv4Udp() {
        return burst(ipv4Udp, ipv4UdpLengths, false);
    }

    @Benchmark
    public long ipv6Tcp() {
        return burst(ipv6Tcp, ipv6TcpLengths, false);
    }

    @Benchmark
    public long gtpu() {
        return burst(gtpu, gtpuLengths, true);
    }

    private long burst(MemorySegment region, int[] lengths, boolean inner) {
        ParsedPacket p = parsed;
        long acc = 0;
        for (int i = 0; i < BURST; i++) {
            if (!PacketParser.parse(region, (long) i * STRIDE, lengths[i], p)) {
                return -1; // setUp checks every frame parses; never taken
            }
            FlowKey k = inner ? p.inner().key() : p.outer().key();
            acc += k.srcLo() ^ k.dstLo() ^ k.srcHi() ^ ((long) k.srcPort() << 16 | k.dstPort()) ^ k.protocol();
            if (inner) {
                acc += p.teid() ^ p.qfi();
            }
        }
        return acc;
    }
}
