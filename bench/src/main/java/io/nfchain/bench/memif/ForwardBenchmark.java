package io.nfchain.bench.memif;

import io.nfchain.bench.TempDirs;
import io.nfchain.core.memif.ClientQueuePair;
import io.nfchain.core.memif.MemifClient;
import io.nfchain.core.memif.MemifServer;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.memif.ServerQueuePair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The agent's hand-off from one function's link to the next, in one thread: a client (the first
 * function) transmits a burst of 32, the server side passes it to the second link, whose client
 * (the next function) receives it. {@code staged} is the receive into the worker's burst and the
 * transmit out of it (two copies); {@code direct} is {@link ServerQueuePair#forwardTo} (one).
 * Both clients' work is in every operation, so the difference between the modes is the agent's.
 * {@code imix} cycles 7x64, 4x576, 1x1500 bytes as the gen port's mix does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(ForwardBenchmark.BURST)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class ForwardBenchmark {
    static final int BURST = 32;
    private static final int[] IMIX = {64, 64, 64, 64, 64, 64, 64, 576, 576, 576, 576, 1500};

    @Param({"staged", "direct"})
    public String mode;

    @Param({"64", "imix"})
    public String mix;

    private Path dir;
    private MemifServer fromServer;
    private MemifServer toServer;
    private MemifClient from;
    private MemifClient to;
    private ClientQueuePair producer;
    private ClientQueuePair consumer;
    private ServerQueuePair in;
    private ServerQueuePair out;
    private PacketBurst offered;
    private PacketBurst staging;
    private PacketBurst received;
    private boolean direct;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("nfchain-forward");
        fromServer = MemifServer.listen(MemifServer.Config.of(dir.resolve("from.sock")));
        toServer = MemifServer.listen(MemifServer.Config.of(dir.resolve("to.sock")));
        from = MemifClient.create(MemifClient.Config.of(dir.resolve("from.sock")));
        to = MemifClient.create(MemifClient.Config.of(dir.resolve("to.sock")));
        from.connect();
        to.connect();
        for (int i = 0; i < 10_000 && !(fromServer.isConnected() && toServer.isConnected()
                && from.isConnected() && to.isConnected()); i++) {
            fromServer.doWork();
            toServer.doWork();
            from.doWork();
            to.doWork();
        }
        if (!from.isConnected() || !to.isConnected()) {
            throw new IllegalStateException("the links did not connect");
        }
        producer = from.queuePair(0);
        consumer = to.queuePair(0);
        in = fromServer.queuePair(0);
        out = toServer.queuePair(0);
        offered = new PacketBurst(BURST, 2048);
        staging = new PacketBurst(BURST, 2048);
        received = new PacketBurst(BURST, 2048);
        for (int i = 0; i < BURST; i++) {
            int length = mix.equals("imix") ? IMIX[i % IMIX.length] : Integer.parseInt(mix);
            offered.setLength(i, length);
        }
        offered.setCount(BURST);
        direct = mode.equals("direct");
    }

    @Benchmark
    public int handOff() {
        producer.txBurst(offered);
        if (direct) {
            in.forwardTo(out, BURST, 2048);
        } else {
            in.rxBurst(staging);
            out.txBurst(staging);
        }
        int n = consumer.rxBurst(received);
        if (n != BURST) {
            throw new IllegalStateException("a burst of " + BURST + " came through as " + n);
        }
        return n;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        from.close();
        to.close();
        fromServer.close();
        toServer.close();
        offered.close();
        staging.close();
        received.close();
        TempDirs.deleteTree(dir);
    }
}
