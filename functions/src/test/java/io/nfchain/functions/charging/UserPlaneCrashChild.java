package io.nfchain.functions.charging;

import io.nfchain.api.session.v1.ApplySessionsRequest;
import io.nfchain.api.session.v1.ApplySessionsResponse;
import io.nfchain.api.session.v1.SessionChange;
import io.nfchain.core.memif.MemifClient;
import io.nfchain.core.runtime.NanoClock;
import io.nfchain.functions.qos.QfiDscpMap;
import io.nfchain.functions.qos.QosBursts;
import io.nfchain.functions.qos.QosFunction;
import io.nfchain.functions.sdk.FunctionWorker;
import io.nfchain.functions.session.SharedSessions;
import io.nfchain.functions.upf.UpfFunction;
import io.nfchain.functions.upf.UpfSettings;
import java.nio.file.Path;
import java.util.List;

/**
 * The one-process user plane ({@code upf+qos+charging}) as its own process, for
 * {@link ChargingCrashTest}: upf, qos and charging over one {@link SharedSessions} table, as
 * {@link io.nfchain.functions.upf.UserPlaneProvider} builds them, as the stages of one worker
 * behind a real memif client whose region is a file (charging's usage store completes a burst in
 * flight from that region's ring head). As in {@link ChargingCrashChild}, charging's two crash
 * windows are held open ({@link ChargingCrashChild.WideWindows}) so that kills land in them often.
 *
 * <p>The sessions are {@link ChargingCrashChild#sessions()} without a maximum bit rate, so that qos
 * drops nothing: what comes back to the test is what charging let through. Uplink arrives as
 * GTP-U to {@link #N3} on TEID 1000 + N and leaves decapsulated; downlink to UE N leaves as GTP-U
 * to the gNB {@link #GNB} on TEID 2000 + N. Charging counts the frames as they leave.
 *
 * <p>args: socket stateDir regionFile recordsFile. Prints "RECOVERED n" and "READY" once
 * connected; a SIGTERM stops it cleanly (a last tick writes every URR's record).
 */
public final class UserPlaneCrashChild {
    static final String N3 = "192.0.2.10";
    static final String GNB = "192.0.2.9";
    private static final int MAX_SESSIONS = 64;
    private static final int MAX_URRS = 1024;
    private static final int BURST = 32;
    private static final int HEADROOM = 128;

    private UserPlaneCrashChild() {}

    /** The three stages over one table, the sessions applied once for all three. */
    record Stages(UpfFunction upf, QosFunction qos, ChargingFunction charging) {}

    /** {@link ChargingCrashChild#sessions()} with no MBR on their QER: qos polices nothing. */
    static ApplySessionsRequest sessions() {
        ApplySessionsRequest.Builder request = ChargingCrashChild.sessions().toBuilder();
        for (SessionChange.Builder change : request.getChangesBuilderList()) {
            change.getCreateBuilder().getQersBuilderList().forEach(q -> q.setMbrUplinkBps(0).setMbrDownlinkBps(0));
        }
        return request.build();
    }

    /** The pipeline's stages as UserPlaneProvider builds them, charging's state in {@code stateDir}. */
    static Stages stages(Path stateDir, Path regionFile, Path recordsFile) {
        SharedSessions shared = new SharedSessions(MAX_SESSIONS, 2 * MAX_SESSIONS, MAX_URRS, BURST);
        UpfFunction upf = new UpfFunction(UpfSettings.of(N3, null, MAX_SESSIONS), shared);
        QosFunction qos = new QosFunction(MAX_SESSIONS, QosBursts.DEFAULT, QfiDscpMap.EMPTY, false, false, shared);
        ChargingFunction charging = ChargingFunction.assemble(stateDir, regionFile, recordsFile, MAX_URRS,
                MAX_SESSIONS, 4, 64, 200_000_000L, 100_000_000L, 0, BURST, shared);
        ApplySessionsResponse applied = shared.control().apply(sessions());
        if (applied.getApplied() != ChargingCrashChild.UES) {
            throw new IllegalStateException("sessions refused: " + applied);
        }
        return new Stages(upf, qos, charging);
    }

    public static void main(String[] args) throws Exception {
        Path socket = Path.of(args[0]);
        Path regionFile = Path.of(args[2]);
        Stages stages = stages(Path.of(args[1]), regionFile, Path.of(args[3]));
        ChargingControl control = stages.charging().control();
        UsageStore store = stages.charging().store();
        System.out.println("RECOVERED " + store.recoveredIntentPackets()); // -1: no burst was in flight
        MemifClient link = MemifClient.create(MemifClient.Config.of(socket).withRings(1, 8).withRegionFile(regionFile)
                .withInPlace(HEADROOM, BURST)); // as the runner links it
        FunctionWorker<?> worker = new FunctionWorker<>(stages.upf(),
                List.of(stages.qos(), new ChargingCrashChild.WideWindows(stages.charging(), ChargingCrashChild.WINDOW_NS)),
                List.of(link), NanoClock.SYSTEM, BURST, HEADROOM);
        ChargingCrashChild.serve(worker, link, control, store, "user-plane-poll");
    }
}
