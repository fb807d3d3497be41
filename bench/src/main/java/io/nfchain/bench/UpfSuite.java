package io.nfchain.bench;

import io.nfchain.bench.upf.UpfLoad;

/**
 * The upf chain under load: runner processes upf -> qos -> charging (those the build has) behind
 * memif with 100k sessions installed over gRPC, 64-byte inner packets half uplink GTP-U and half
 * downlink; Mpps, packets per NF CPU-second, session installs per second, bytes per session at 1M.
 */
final class UpfSuite implements LoadSuite {
    @Override
    public String name() {
        return "upf";
    }

    @Override
    public String description() {
        return "upf -> qos -> charging runners behind memif, 100k sessions over gRPC, 64 B inner packets: Mpps,"
                + " packets per CPU-second (target 3M), installs/s (target 100k), bytes per session at 1M (target 1 KiB)";
    }

    @Override
    public Report run(boolean quick) throws Exception {
        return UpfLoad.run(quick);
    }
}
