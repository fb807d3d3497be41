package io.nfchain.functions.charging;

import io.nfchain.api.session.v1.Urr;
import io.nfchain.core.memif.MemifClient;
import io.nfchain.core.packet.FlowKey;
import io.nfchain.core.packet.IpLayers;
import io.nfchain.core.packet.ParsedPacket;
import io.nfchain.core.runtime.AgentRunner;
import io.nfchain.core.runtime.IdleConfig;
import io.nfchain.core.runtime.IdleStrategies;
import io.nfchain.core.runtime.NanoClock;
import io.nfchain.core.runtime.RunnerSettings;
import io.nfchain.functions.sdk.FunctionWorker;
import io.nfchain.functions.sdk.PacketVector;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The charging function as its own process, for {@link ChargingCrashTest}: the real usage store,
 * intent protocol, control (ticks writing offline records), function and worker behind a real
 * memif client whose region is a file, as the runner builds them; only the session lookup is the
 * test's own (UE 10.45.0.N is session N, with URR 1 on slot N and URR 2 on slot 100 + N), since
 * what is under test is the crash protocol, not PDR matching.
 *
 * <p>args: socket stateDir regionFile recordsFile. Prints "READY" once connected; a SIGTERM
 * stops it cleanly (a last tick writes every URR's record); a SIGKILL is what the test does.
 */
public final class ChargingCrashChild {
    static final int UES = 4;
    static final int UE_NET = 0x0A2D0000; // 10.45.0.0/16

    private ChargingCrashChild() {}

    static UsageLayout layout() {
        return new UsageLayout(256, 32, 4);
    }

    /** Binds the test's sessions: what a client re-applying its sessions after a restart does. */
    static void bindSessions(ChargingControl control) {
        for (int ue = 1; ue <= UES; ue++) {
            control.bind(ue, Urr.newBuilder().setId(1).setMeasureVolume(true).build(), ue);
            control.bind(ue, Urr.newBuilder().setId(2).setMeasureVolume(true).build(), 100 + ue);
        }
    }

    /** UE 10.45.0.N as source: uplink, as destination: downlink; URRs 1 and 2 of session N. */
    static UrrResolver resolver(ChargingControl control) {
        return (PacketVector<ChargingCounter> v, int i, int[] out) -> {
            ParsedPacket p = v.packet(i);
            IpLayers ip = p.tunnelType() == ParsedPacket.TUNNEL_NONE ? p.outer() : p.inner();
            FlowKey key = ip.key();
            if (key.ipVersion() != 4) {
                return UrrResolver.drop(ChargingCounter.SESSION_UNKNOWN);
            }
            int direction;
            int ue;
            if ((key.srcIpv4() & 0xffff0000) == UE_NET) {
                direction = UrrResolver.UPLINK;
                ue = key.srcIpv4() & 0xffff;
            } else if ((key.dstIpv4() & 0xffff0000) == UE_NET) {
                direction = UrrResolver.DOWNLINK;
                ue = key.dstIpv4() & 0xffff;
            } else {
                return UrrResolver.drop(ChargingCounter.SESSION_UNKNOWN);
            }
            if (ue < 1 || ue > UES) {
                return UrrResolver.drop(ChargingCounter.SESSION_UNKNOWN);
            }
            int r1 = control.recordOfSlot(ue);
            int r2 = control.recordOfSlot(100 + ue);
            if (r1 < 0 || r2 < 0) {
                return UrrResolver.drop(ChargingCounter.CHARGING_URR_UNMAPPED);
            }
            out[0] = r1;
            out[1] = r2;
            return UrrResolver.records(2, direction);
        };
    }

    public static void main(String[] args) throws Exception {
        Path socket = Path.of(args[0]);
        Path stateDir = Path.of(args[1]);
        Path regionFile = Path.of(args[2]);
        Path recordsFile = Path.of(args[3]);
        UsageStore store = ChargingState.openAndRecover(stateDir, layout(), regionFile);
        UsageRecordFile records = new UsageRecordFile(recordsFile, 64, 200_000_000L);
        ChargingControl control = new ChargingControl(store, records, 1024, System::nanoTime, 1_000_000_000L);
        bindSessions(control);
        ChargingFunction function = new ChargingFunction(store, resolver(control));
        MemifClient link = MemifClient.create(MemifClient.Config.of(socket).withRings(1, 8).withRegionFile(regionFile));
        FunctionWorker<ChargingCounter> worker = new FunctionWorker<>(function, List.of(link), NanoClock.SYSTEM, 32, 128);
        AgentRunner runner = new AgentRunner(worker, IdleStrategies.create("backoff", IdleConfig.defaults()),
                io.nfchain.core.runtime.ErrorHandler.STDERR, NanoClock.SYSTEM, RunnerSettings.named("charging-poll"));
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
            control.tick(System.nanoTime());
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
