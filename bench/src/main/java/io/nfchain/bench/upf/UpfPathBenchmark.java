package io.nfchain.bench.upf;

import io.nfchain.api.session.v1.ApplySessionsRequest;
import io.nfchain.api.session.v1.SessionChange;
import io.nfchain.bench.TempDirs;
import io.nfchain.core.memif.MemifClient;
import io.nfchain.core.memif.MemifServer;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.memif.ServerQueuePair;
import io.nfchain.core.runtime.NanoClock;
import io.nfchain.functions.charging.ChargingFunction;
import io.nfchain.functions.qos.QfiDscpMap;
import io.nfchain.functions.qos.QosBursts;
import io.nfchain.functions.qos.QosFunction;
import io.nfchain.functions.sdk.FunctionWorker;
import io.nfchain.functions.sdk.NetworkFunction;
import io.nfchain.functions.session.SessionHost;
import io.nfchain.functions.session.SharedSessions;
import io.nfchain.functions.upf.UpfFunction;
import io.nfchain.functions.upf.UpfSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * The CPU cost of a packet through the user-plane functions, without the scheduler: the upf, qos
 * and charging functions as the runner builds them, each behind its own real memif link (an
 * in-process {@link MemifServer} playing the agent), all driven from the benchmark thread. One
 * operation offers a burst of 32 of the {@code bench upf} frames (half uplink GTP-U, half
 * downlink, spread over {@value UpfLoad#SESSIONS} sessions) to the first function, runs its poll
 * loop once, moves what it sent to the next function's link, and so on, then takes the burst back
 * from the last one. So the figure is ns per packet for: the agent's transmit and receive on each
 * link, each function's receive, parse, session lookup, rules, counters and transmit. Chains are
 * cumulative ({@code upf}, {@code upf+qos}, {@code upf+qos+charging}): a function's own cost is the
 * difference. Packets per CPU-second on one core is {@code 1e9 / score}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(UpfTraffic.BURST)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms2g", "-Xmx2g"})
public class UpfPathBenchmark {
    private static final int FLOWS = 8192;

    /** Cumulative chains of functions each behind its own link, or {@value #PIPELINE}: the three as one pipeline behind one link. */
    @Param({"upf", "upf+qos", "upf+qos+charging", PIPELINE})
    public String chain;

    static final String PIPELINE = "pipeline";

    /** Sessions installed and spread over: the default is the bench's; fewer show what cache misses cost. */
    @Param({"" + UpfLoad.SESSIONS})
    public int sessions;

    /** The runner's default: packets processed where the server wrote them; false copies them in and out. */
    @Param({"true"})
    public boolean inPlace;

    private Path dir;
    private final List<MemifServer> servers = new ArrayList<>();
    private final List<FunctionWorker<?>> workers = new ArrayList<>();
    private ServerQueuePair[] pairs;
    private FunctionWorker<?>[] polls;
    private PacketBurst[] out;
    private final PacketBurst in = new PacketBurst(UpfTraffic.BURST, 2048);
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("nfchain-upf-path");
        if (chain.equals(PIPELINE)) {
            setUpPipeline();
            return;
        }
        String[] types = chain.split("\\+");
        for (int k = 0; k < types.length; k++) {
            NetworkFunction<?> function = function(types[k]);
            install(((SessionHost) function), sessions);
            Path socket = dir.resolve("hop-" + k + ".sock");
            MemifServer server = MemifServer.listen(MemifServer.Config.of(socket).withRequireSealedRegions(false));
            MemifClient.Config link = MemifClient.Config.of(socket);
            if (inPlace) {
                link = link.withInPlace(128, UpfTraffic.BURST);
            }
            if (function instanceof ChargingFunction) {
                link = link.withRegionFile(dir.resolve("charging-region"));
            }
            servers.add(server);
            workers.add(worker(function, MemifClient.create(link)));
        }
        finishSetUp();
    }

    /** upf, qos and charging as the runner's upf+qos+charging builds them: one worker, one table, one link. */
    private void setUpPipeline() throws IOException {
        int max = 2 * UpfLoad.SESSIONS;
        SharedSessions shared = new SharedSessions(max, 2 * max, 2 * max, 32);
        UpfFunction upf = new UpfFunction(UpfSettings.of(UpfFlows.N3, null, max), shared);
        QosFunction qos = new QosFunction(max, QosBursts.DEFAULT, QfiDscpMap.EMPTY, false, false, shared);
        ChargingFunction charging = ChargingFunction.assemble(dir.resolve("charging-state"), dir.resolve("charging-region"),
                dir.resolve("usage.records"), 2 * max, max, 4, 64, 1_000_000_000L, 100_000_000L, 10_000_000_000L, 32,
                shared);
        install(upf, sessions);
        Path socket = dir.resolve("hop-0.sock");
        MemifServer server = MemifServer.listen(MemifServer.Config.of(socket).withRequireSealedRegions(false));
        MemifClient.Config link = MemifClient.Config.of(socket).withRegionFile(dir.resolve("charging-region"));
        if (inPlace) {
            link = link.withInPlace(128, UpfTraffic.BURST);
        }
        servers.add(server);
        FunctionWorker<?> worker = new FunctionWorker<>(upf, List.of(qos, charging), List.of(MemifClient.create(link)),
                NanoClock.SYSTEM, 32, 128);
        worker.onStart();
        workers.add(worker);
        finishSetUp();
    }

    private void finishSetUp() {
        connect();
        pairs = servers.stream().map(s -> s.queuePair(0)).toArray(ServerQueuePair[]::new);
        polls = workers.toArray(FunctionWorker<?>[]::new);
        out = frames(sessions);
        // Every packet must come back out of the chain, or the figure would time drops.
        for (int i = 0; i < 2 * out.length; i++) {
            if (burst() != UpfTraffic.BURST) {
                throw new IllegalStateException(chain + " did not pass a whole burst: " + workers);
            }
        }
    }

    private static <C extends Enum<C> & io.nfchain.functions.sdk.FunctionCounter> FunctionWorker<C> worker(
            NetworkFunction<C> function, MemifClient link) {
        // the runner's defaults: bursts of 32, 128 bytes of headroom
        FunctionWorker<C> worker = new FunctionWorker<>(function, List.of(link), NanoClock.SYSTEM, 32, 128);
        worker.onStart();
        return worker;
    }

    private NetworkFunction<?> function(String type) {
        int max = 2 * UpfLoad.SESSIONS;
        return switch (type) {
            case "upf" -> new UpfFunction(UpfSettings.of(UpfFlows.N3, null, max));
            case "qos" -> new QosFunction(max, QosBursts.DEFAULT, QfiDscpMap.EMPTY, false, false);
            case "charging" -> ChargingFunction.assemble(dir.resolve("charging-state"), dir.resolve("charging-region"),
                    dir.resolve("usage.records"), 2 * max, max, 4, 64, 1_000_000_000L, 100_000_000L, 10_000_000_000L, 32);
            default -> throw new IllegalArgumentException("no function " + type);
        };
    }

    private static void install(SessionHost host, int sessions) {
        for (int from = 0; from < sessions; from += SessionLoader.BATCH) {
            ApplySessionsRequest.Builder request = ApplySessionsRequest.newBuilder();
            for (int i = from; i < Math.min(sessions, from + SessionLoader.BATCH); i++) {
                request.addChanges(SessionChange.newBuilder().setCreate(UpfFlows.session(i)));
            }
            ApplySessionsRequest built = request.build();
            int applied = host.sessions().apply(built).getApplied();
            if (applied != built.getChangesCount()) {
                throw new IllegalStateException("applied " + applied + " of " + built.getChangesCount());
            }
        }
    }

    private void connect() {
        for (int round = 0; round < 100_000; round++) {
            boolean all = true;
            for (int k = 0; k < servers.size(); k++) {
                servers.get(k).doWork();
                workers.get(k).doWork();
                all &= servers.get(k).isConnected() && workers.get(k).link(0).isConnected();
            }
            if (all) {
                return;
            }
        }
        throw new IllegalStateException("the links did not connect");
    }

    /** The bench upf frames: {@value #FLOWS} flows over the sessions, in bursts of 32. */
    private static PacketBurst[] frames(int sessions) {
        PacketBurst[] bursts = new PacketBurst[FLOWS / UpfTraffic.BURST];
        for (int b = 0; b < bursts.length; b++) {
            bursts[b] = new PacketBurst(UpfTraffic.BURST, 256);
            for (int i = 0; i < UpfTraffic.BURST; i++) {
                int flow = b * UpfTraffic.BURST + i;
                int session = (int) ((long) flow * 7919 % sessions);
                var frame = (flow & 1) == 0 ? UpfFlows.uplink(session, flow) : UpfFlows.downlink(session, flow);
                bursts[b].setLength(i, frame.writeTo(bursts[b].data(), bursts[b].offset(i)));
            }
            bursts[b].setCount(UpfTraffic.BURST);
        }
        return bursts;
    }

    /** One burst through the chain; returns the packets that came out of its end. */
    @Benchmark
    public int burst() {
        ServerQueuePair[] p = pairs;
        FunctionWorker<?>[] w = polls;
        p[0].txBurst(out[next]);
        next = next + 1 == out.length ? 0 : next + 1;
        w[0].doWork();
        for (int k = 1; k < p.length; k++) {
            p[k - 1].rxBurst(in);
            p[k].txBurst(in);
            w[k].doWork();
        }
        return p[p.length - 1].rxBurst(in);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        for (FunctionWorker<?> w : workers) {
            w.close();
        }
        for (MemifServer s : servers) {
            s.close();
        }
        for (FunctionWorker<?> w : workers) {
            for (NetworkFunction<?> f : w.stages()) {
                if (f instanceof AutoCloseable c) {
                    try {
                        c.close();
                    } catch (Exception e) {
                        throw new IOException(e);
                    }
                }
            }
        }
        TempDirs.deleteTree(dir);
    }
}
