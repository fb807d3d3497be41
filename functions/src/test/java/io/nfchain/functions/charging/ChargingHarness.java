package io.nfchain.functions.charging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.api.session.v1.ApplySessionsRequest;
import io.nfchain.api.session.v1.ApplySessionsResponse;
import io.nfchain.api.session.v1.Session;
import io.nfchain.api.session.v1.SessionChange;
import io.nfchain.core.memif.MemifClient;
import io.nfchain.core.memif.MemifServer;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.memif.ServerQueuePair;
import io.nfchain.core.runtime.NanoClock;
import io.nfchain.functions.sdk.FunctionWorker;
import io.nfchain.functions.session.SessionControl;
import io.nfchain.functions.session.SessionTable;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Not thread-safe. Charging as the runner builds it (state file, session table and control,
 * charging control with offline records, function, worker) behind a real in-process memif link,
 * the test playing the agent, on a clock the test moves.
 */
final class ChargingHarness implements AutoCloseable {
    long nowNs = 1_000_000_000L;
    final Path dir;
    final UsageStore store;
    final UsageRecordFile records;
    final ChargingControl control;
    final SessionControl sessions;
    final ChargingFunction function;
    final MemifServer agent;
    final FunctionWorker<ChargingCounter> worker;
    final PacketBurst out = new PacketBurst(32, 9216);
    final PacketBurst in = new PacketBurst(256, 9216);

    ChargingHarness(Path dir) {
        this(dir, 0);
    }

    /** @param recordIntervalNs the control's least time between two periodic records of a URR */
    ChargingHarness(Path dir, long recordIntervalNs) {
        this.dir = dir;
        NanoClock clock = () -> nowNs;
        store = ChargingState.openAndRecover(dir.resolve("state"), new UsageLayout(64, 32, 4), dir.resolve("region"));
        records = new UsageRecordFile(dir.resolve("usage.records"), 16, 1_000_000_000L);
        control = new ChargingControl(store, records, 256, clock::nanoTime, 1_000_000_000L, recordIntervalNs);
        SessionTable table = new SessionTable(64, 256, 256, new ChargingSessions(control));
        sessions = new SessionControl(table);
        function = new ChargingFunction(store, new SessionUrrResolver(table, control), sessions, control);
        Path socket = dir.resolve("agent.sock");
        agent = MemifServer.listen(MemifServer.Config.of(socket));
        MemifClient link = MemifClient.create(MemifClient.Config.of(socket).withRings(1, 8));
        worker = new FunctionWorker<>(function, List.of(link), clock, 32, 128);
        worker.onStart();
        for (int i = 0; i < 1_000 && !(agent.isConnected() && link.isConnected()); i++) {
            agent.doWork();
            worker.doWork();
        }
        assertTrue(link.isConnected(), "the worker's link joined the agent");
    }

    ApplySessionsResponse apply(Session... created) {
        ApplySessionsRequest.Builder request = ApplySessionsRequest.newBuilder();
        for (Session s : created) {
            request.addChanges(SessionChange.newBuilder().setCreate(s));
        }
        return sessions.apply(request.build());
    }

    /** Sends {@code frames} as one burst, runs the worker, returns what came back. */
    List<byte[]> exchange(List<MemorySegment> frames) {
        for (int i = 0; i < frames.size(); i++) {
            MemorySegment f = frames.get(i);
            MemorySegment.copy(f, 0, out.data(), out.resetForReceive(i), f.byteSize());
            out.put(i, (int) f.byteSize(), 0);
        }
        out.setCount(frames.size());
        ServerQueuePair queue = agent.queuePair(0);
        assertEquals(frames.size(), queue.txBurst(out));
        List<byte[]> back = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            worker.doWork();
            while (queue.rxBurst(in) > 0) {
                for (int i = 0; i < in.count(); i++) {
                    back.add(in.data().asSlice(in.offset(i), in.length(i)).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
                }
            }
        }
        return back;
    }

    long counter(ChargingCounter c) {
        return worker.counters().get(c);
    }

    @Override
    public void close() {
        worker.close();
        agent.close();
        control.close();
        out.close();
        in.close();
        store.close();
    }
}
