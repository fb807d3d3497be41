package io.nfchain.functions.charging;

import io.nfchain.api.session.v1.ApplySessionsRequest;
import io.nfchain.api.session.v1.ApplySessionsResponse;
import io.nfchain.api.session.v1.Session;
import io.nfchain.api.session.v1.SessionChange;
import io.nfchain.api.session.v1.Urr;
import io.nfchain.core.memif.MemifClient;
import io.nfchain.core.runtime.AgentRunner;
import io.nfchain.core.runtime.IdleConfig;
import io.nfchain.core.runtime.IdleStrategies;
import io.nfchain.core.runtime.NanoClock;
import io.nfchain.core.runtime.RunnerSettings;
import io.nfchain.core.memif.ClientQueuePair;
import io.nfchain.functions.sdk.FunctionWorker;
import io.nfchain.functions.sdk.NetworkFunction;
import io.nfchain.functions.sdk.PacketVector;
import io.nfchain.functions.sdk.TransmitObserver;
import io.nfchain.functions.session.SessionControl;
import io.nfchain.functions.session.SessionProtos;
import io.nfchain.functions.session.SessionTable;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The charging function as its own process, for {@link ChargingCrashTest}: the real usage store,
 * intent protocol, session table and control (sessions applied as the SessionService applies
 * them), charging control (ticks writing offline records), function and worker behind a real
 * memif client whose region is a file, as the runner builds them, without Quarkus around them.
 * The one thing added: {@link WideWindows} holds each crash window open for {@value #WINDOW_NS}
 * ns, so kills land in them often (the runner-based e2e test has no such help).
 *
 * <p>args: socket stateDir regionFile recordsFile. Prints "READY" once connected; a SIGTERM
 * stops it cleanly (a last tick writes every URR's record); a SIGKILL is what the test does.
 */
public final class ChargingCrashChild {
    static final int UES = 4;
    static final int UE_NET = 0x0A2D0000; // 10.45.0.0/16

    /** How long each crash window is held open, so that a SIGKILL at a random moment often lands in one. */
    static final long WINDOW_NS = 300_000;

    private ChargingCrashChild() {}

    /**
     * Charging with its two crash windows held open: after the intent is written and before the
     * ring head moves, and after the head moved and before the intent is completed. Everything
     * else is the function itself.
     */
    static final class WideWindows implements NetworkFunction<ChargingCounter>, TransmitObserver {
        private final ChargingFunction function;
        private final long windowNs;

        WideWindows(ChargingFunction function, long windowNs) {
            this.function = function;
            this.windowNs = windowNs;
        }

        @Override
        public String name() {
            return function.name();
        }

        @Override
        public Class<ChargingCounter> counterType() {
            return function.counterType();
        }

        @Override
        public void process(PacketVector<ChargingCounter> vector) {
            function.process(vector);
        }

        @Override
        public void beforeTransmit(int output, ClientQueuePair queue, int[] frames, int count) {
            function.beforeTransmit(output, queue, frames, count);
            hold();
        }

        @Override
        public void afterTransmit(int output, ClientQueuePair queue, int[] frames, int count) {
            hold();
            function.afterTransmit(output, queue, frames, count);
        }

        private void hold() {
            long until = System.nanoTime() + windowNs;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        }
    }

    static UsageLayout layout() {
        return new UsageLayout(256, 32, 4);
    }

    /**
     * The test's sessions, through the same control the SessionService gRPC calls: session N for
     * UE 10.45.0.N, an uplink and a downlink PDR, each counting against URRs 1 and 2.
     */
    static ApplySessionsRequest sessions() {
        ApplySessionsRequest.Builder request = ApplySessionsRequest.newBuilder();
        for (int ue = 1; ue <= UES; ue++) {
            Session s = SessionProtos.simple(ue, 1000 + ue, UE_NET | ue, 2000 + ue, "192.0.2.9");
            Session.Builder b = s.toBuilder().addUrrs(Urr.newBuilder().setId(2).setMeasureVolume(true));
            b.getPdrsBuilder(0).addUrrIds(2);
            b.getPdrsBuilder(1).addUrrIds(2);
            request.addChanges(SessionChange.newBuilder().setCreate(b));
        }
        return request.build();
    }

    /** The function as ChargingProvider builds it, over {@code stateDir}. */
    static ChargingFunction function(Path stateDir, Path regionFile, UsageRecordFile records) {
        UsageStore store = ChargingState.openAndRecover(stateDir, layout(), regionFile);
        ChargingControl control = new ChargingControl(store, records, 1024, System::nanoTime, 1_000_000_000L);
        SessionTable table = new SessionTable(64, 64, 1024, new ChargingSessions(control));
        SessionControl sessions = new SessionControl(table);
        ApplySessionsResponse applied = sessions.apply(sessions());
        if (applied.getApplied() != UES) {
            throw new IllegalStateException("sessions refused: " + applied);
        }
        return new ChargingFunction(store, new SessionUrrResolver(table, control), sessions, control);
    }

    public static void main(String[] args) throws Exception {
        Path socket = Path.of(args[0]);
        Path stateDir = Path.of(args[1]);
        Path regionFile = Path.of(args[2]);
        Path recordsFile = Path.of(args[3]);
        UsageRecordFile records = new UsageRecordFile(recordsFile, 64, 200_000_000L);
        ChargingFunction function = function(stateDir, regionFile, records);
        ChargingControl control = function.control();
        UsageStore store = function.store();
        System.out.println("RECOVERED " + store.recoveredIntentPackets()); // -1: no burst was in flight
        MemifClient link = MemifClient.create(MemifClient.Config.of(socket).withRings(1, 8).withRegionFile(regionFile)
                .withInPlace(128, 32)); // as the runner links it
        FunctionWorker<ChargingCounter> worker = new FunctionWorker<>(new WideWindows(function, WINDOW_NS), List.of(link),
                NanoClock.SYSTEM, 32, 128);
        serve(worker, link, control, store, "charging-poll");
    }

    /**
     * Runs {@code worker} on its own poll thread and the report tick beside it until the process is
     * told to stop (SIGTERM: the worker finishes its burst, a last tick writes the final records,
     * then {@code STOPPED}) or killed. Prints {@code READY} once the link is up.
     */
    static void serve(FunctionWorker<?> worker, MemifClient link, ChargingControl control, UsageStore store,
            String pollThread) throws InterruptedException {
        AgentRunner runner = new AgentRunner(worker, IdleStrategies.create("backoff", IdleConfig.defaults()),
                io.nfchain.core.runtime.ErrorHandler.STDERR, NanoClock.SYSTEM, RunnerSettings.named(pollThread));
        CountDownLatch stopped = new CountDownLatch(1);
        Thread ticker = Thread.ofPlatform().daemon().start(() -> {
            while (stopped.getCount() > 0) {
                control.tick(System.nanoTime());
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runner.close(); // the worker finishes its burst, then disconnects
            stopped.countDown();
            control.finalTick(System.nanoTime());
            control.close();
            store.close();
            System.out.println("STOPPED");
        }));
        runner.start();
        while (!link.isConnected()) {
            Thread.sleep(5);
        }
        System.out.println("READY");
        ticker.join();
    }
}
