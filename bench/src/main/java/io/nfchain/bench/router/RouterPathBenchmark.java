package io.nfchain.bench.router;

import io.nfchain.api.router.v1.Neighbor;
import io.nfchain.core.memif.MemifClient;
import io.nfchain.core.memif.MemifServer;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.memif.ServerQueuePair;
import io.nfchain.core.packet.NetBytes;
import io.nfchain.core.runtime.NanoClock;
import io.nfchain.functions.router.Ipv4Lpm;
import io.nfchain.functions.router.Ipv4Routes;
import io.nfchain.functions.router.RouterFunction;
import io.nfchain.functions.router.RouterInterface;
import io.nfchain.functions.router.SyntheticTables;
import io.nfchain.functions.sdk.FunctionCounter;
import io.nfchain.functions.sdk.FunctionWorker;
import io.nfchain.functions.sdk.NetworkFunction;
import io.nfchain.functions.sdk.PacketVector;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU cost of a packet through the router behind a real memif link, without the scheduler:
 * the {@code bench router} frames (64-byte IPv4/UDP, {@value RouterLoad#FLOWS} flows over the
 * 1M-route synthetic table) offered a burst of 32 at a time by an in-process {@link MemifServer}
 * playing the traffic process, the router's poll loop run once, the burst taken back. The
 * {@code macswap} function does what testpmd's macswap does to a frame, through the same worker
 * and link: the difference between the two is the router's own work, the macswap figure is the
 * SDK's and the link's floor. ns/op is ns per packet, including the server side's transmit and
 * receive.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(RouterPathBenchmark.BURST)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms2g", "-Xmx2g",
        "-XX:+UseTransparentHugePages"})
public class RouterPathBenchmark {
    static final int BURST = 32;

    @Param({"router", "macswap"})
    public String function;

    /** The runner's default (frames lent where the server wrote them), or copied in and out. */
    @Param({"true", "false"})
    public boolean inPlace;

    private Path dir;
    private MemifServer server;
    private FunctionWorker<?> worker;
    private ServerQueuePair pair;
    private PacketBurst[] out;
    private final PacketBurst in = new PacketBurst(BURST, 2048);
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Ipv4Routes routes = SyntheticTables.ipv4(1_000_000, RouterLoad.NEXT_HOPS, 20_241_023);
        FlowSet flows = FlowSet.covering(routes, Ipv4Lpm.build(routes), RouterLoad.FLOWS, RouterLoad.FLOW_SEED);
        NetworkFunction<?> nf = function.equals("router") ? router(routes) : new MacSwap();
        dir = Files.createTempDirectory("nfchain-router-path");
        Path socket = dir.resolve("router.sock");
        server = MemifServer.listen(MemifServer.Config.of(socket).withRequireSealedRegions(false));
        MemifClient.Config link = MemifClient.Config.of(socket);
        worker = worker(nf, MemifClient.create(inPlace ? link.withInPlace(128, BURST) : link));
        for (int round = 0; round < 100_000 && !(server.isConnected() && worker.link(0).isConnected()); round++) {
            server.doWork();
            worker.doWork();
        }
        if (!server.isConnected()) {
            throw new IllegalStateException("the link did not connect");
        }
        pair = server.queuePair(0);
        out = new PacketBurst[flows.size() / BURST];
        for (int b = 0; b < out.length; b++) {
            out[b] = new PacketBurst(BURST, 256);
            for (int i = 0; i < BURST; i++) {
                out[b].setLength(i, flows.frame(b * BURST + i).writeTo(out[b].data(), out[b].offset(i)));
            }
            out[b].setCount(BURST);
        }
        for (int i = 0; i < 2 * out.length; i++) {
            if (burst() != BURST) {
                throw new IllegalStateException(function + " did not pass a whole burst: " + worker.counters());
            }
        }
    }

    private static RouterFunction router(Ipv4Routes routes) {
        RouterFunction router = new RouterFunction(List.of(RouterInterface.of("if0", "02:00:00:00:01:00",
                "192.0.2.1", "", 1500)));
        List<Neighbor> gateways = new ArrayList<>();
        for (int n = 0; n < RouterLoad.NEXT_HOPS; n++) {
            gateways.add(Neighbor.newBuilder().setAddress(RouteLoader.dotted(FlowSet.gateway(n)))
                    .setMac(NetBytes.macToString(FlowSet.gatewayMac(n))).setOutput(0).build());
        }
        router.control().setNeighbors(gateways);
        for (int from = 0; from < routes.size(); from += RouteLoader.BATCH_ROUTES) {
            router.control().addRoutes(RouteLoader.batch(routes, from,
                    Math.min(routes.size(), from + RouteLoader.BATCH_ROUTES)).getRoutesList());
        }
        return router;
    }

    private static <C extends Enum<C> & FunctionCounter> FunctionWorker<C> worker(NetworkFunction<C> nf,
            MemifClient link) {
        FunctionWorker<C> w = new FunctionWorker<>(nf, List.of(link), NanoClock.SYSTEM, BURST, 128);
        w.onStart();
        return w;
    }

    /** One burst offered, the poll loop run once, what came back received. */
    @Benchmark
    public int burst() {
        pair.txBurst(out[next]);
        next = next + 1 == out.length ? 0 : next + 1;
        worker.doWork();
        return pair.rxBurst(in);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        worker.close();
        server.close();
        Files.deleteIfExists(dir.resolve("router.sock"));
        Files.deleteIfExists(dir);
    }

    /**
     * The same loop timed by this thread's CPU clock instead of JMH's wall clock, for A/B runs on a
     * shared machine where being descheduled would count: {@code java -cp BENCH_JAR
     * io.nfchain.bench.router.RouterPathBenchmark [router|macswap] [rounds] [copy]}; prints ns of CPU
     * per packet for each round of 100,000 bursts, then the minimum and the median.
     */
    public static void main(String[] args) throws IOException {
        RouterPathBenchmark b = new RouterPathBenchmark();
        b.function = args.length > 0 ? args[0] : "router";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        b.inPlace = !(args.length > 2 && args[2].equals("copy"));
        b.setUp();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] ns = new double[rounds];
        long sink = 0;
        for (int r = 0; r < rounds; r++) {
            long cpu0 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < 100_000; i++) {
                sink += b.burst();
            }
            ns[r] = (threads.getCurrentThreadCpuTime() - cpu0) / (100_000.0 * BURST);
            System.out.printf("%s round %d: %.1f ns CPU per packet%n", b.function, r, ns[r]);
        }
        b.tearDown();
        double[] tail = Arrays.copyOfRange(ns, rounds / 3, rounds); // the first third warms up
        Arrays.sort(tail);
        System.out.printf("%s%s: min %.1f median %.1f ns CPU per packet (%d)%n", b.function,
                b.inPlace ? " in place" : " copied", tail[0],
                tail[tail.length / 2], sink);
    }

    /** testpmd's macswap as a function: swaps each frame's MAC addresses, nothing else. */
    static final class MacSwap implements NetworkFunction<MacSwap.Counter> {
        enum Counter implements FunctionCounter {
            NONE("never counted");

            private final String text;

            Counter(String text) {
                this.text = text;
            }

            @Override
            public String text() {
                return text;
            }

            @Override
            public boolean isDrop() {
                return false;
            }
        }

        @Override
        public String name() {
            return "macswap";
        }

        @Override
        public Class<Counter> counterType() {
            return Counter.class;
        }

        @Override
        public void process(PacketVector<Counter> vector) {
            MemorySegment data = vector.data();
            for (int i = 0, n = vector.count(); i < n; i++) {
                long frame = vector.offset(i);
                long dst = NetBytes.u48(data, frame);
                NetBytes.put48(data, frame, NetBytes.u48(data, frame + 6));
                NetBytes.put48(data, frame + 6, dst);
            }
        }
    }
}
