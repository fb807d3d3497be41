package io.nfchain.functions.charging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The charging function's configuration, {@code nfchain.charging.*}, read only when the runner
 * hosts charging ({@code nfchain.function.type=charging}). Charging also needs its link's memif
 * region in a file ({@code nfchain.function.links[0].region-file}, on a tmpfs, best in the state
 * directory): after a crash it reads the last ring head there (docs/charging.md).
 */
@ConfigMapping(prefix = "nfchain.charging")
public interface ChargingConfig {
    /**
     * Where the usage counters live ({@code usage.state}, mapped): a tmpfs that outlives the
     * process (a pod's memory-backed emptyDir, {@code /dev/shm}). Counters survive a crash of
     * the function, not a reboot of the node.
     */
    @WithDefault("/dev/shm/nfchain-charging")
    Path stateDir();

    /** The offline usage record file (append-only): on a disk, since it must survive a power loss. */
    @WithDefault("charging/usage.records")
    Path recordsFile();

    /** fsync the record file after this many records, 1 .. 1,000,000. */
    @WithDefault("64")
    int fsyncEveryRecords();

    /** ... and when its oldest unsynced record is this old: what a power loss can lose at most. */
    @WithDefault("1s")
    Duration fsyncInterval();

    /** How often the control thread looks for reports due and writes offline records. */
    @WithDefault("100ms")
    Duration reportInterval();

    /**
     * The least time between two periodic offline records of one URR (a FINAL record, and the last
     * one at shutdown, are written at once). Usage is exact across crashes through the usage state,
     * not the records; this bounds how far the records trail it and how much they cost.
     */
    @WithDefault("10s")
    Duration recordInterval();

    /**
     * URRs across all sessions, 1 .. 8,388,608: the session table's URR slots; the state file
     * holds a quarter more records (128 bytes each; freed ones wait before reuse).
     */
    @WithDefault("262144")
    int maxUrrs();

    /** URRs one PDR may name, 1 .. 16; a packet whose PDR names more is dropped (CHARGING_TOO_MANY_URRS). */
    @WithDefault("4")
    int urrsPerPacket();

    /** Sessions the function holds, 1 .. 16,777,216: the session table's capacity. */
    @WithDefault("131072")
    int maxSessions();
}
