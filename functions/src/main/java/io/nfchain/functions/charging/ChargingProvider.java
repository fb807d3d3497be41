package io.nfchain.functions.charging;

import io.nfchain.functions.runner.FunctionConfig;
import io.nfchain.functions.runner.FunctionProvider;
import io.nfchain.functions.sdk.NetworkFunction;
import io.nfchain.functions.session.SharedSessions;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Lets the runner host charging: {@code nfchain.function.type=charging} with {@link ChargingConfig}.
 * Opens the state directory and finishes what a killed predecessor left (a pending burst is
 * completed from the ring head in the region file), then builds the function, its session table
 * (sessions come back when the client re-applies them; their usage records are found again by
 * SEID and URR id) and a timer thread that ticks the control every report interval.
 */
@Singleton
public class ChargingProvider implements FunctionProvider {
    private static final Logger LOG = Logger.getLogger(ChargingProvider.class);

    private final ChargingConfig config;
    private final FunctionConfig function;
    private ScheduledExecutorService timer;
    private ChargingControl control;

    ChargingProvider(ChargingConfig config, FunctionConfig function) {
        this.config = config;
        this.function = function;
    }

    @Override
    public String type() {
        return ChargingFunction.TYPE;
    }

    @Override
    public NetworkFunction<?> create() {
        return create(null);
    }

    /**
     * Charging as a stage sharing {@code shared}'s sessions (null: its own table), with its report
     * timer; {@link #stop} ends both. At most one per runner.
     */
    public synchronized ChargingFunction create(SharedSessions shared) {
        if (timer != null) {
            throw new IllegalStateException("this runner already hosts a charging function");
        }
        Path region = function.links().isEmpty() ? null : function.links().get(0).regionFile().orElse(null);
        if (region == null) {
            LOG.warnf("charging: nfchain.function.links[0].region-file is not set, so a crash in the middle of a burst"
                    + " can leave up to %d packets forwarded but not counted (never counted twice); set it (e.g. %s,"
                    + " with an agent that accepts unsealed regions) for exact usage across crashes",
                    function.burstSize(), config.stateDir().resolve("memif-region"));
        }
        ChargingFunction built = create(config, region, function.burstSize(), shared);
        control = built.control();
        long periodNs = config.reportInterval().toNanos();
        timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("charging-reports")
                .unstarted(r));
        timer.scheduleAtFixedRate(() -> {
            try {
                control.tick(System.nanoTime());
            } catch (RuntimeException e) {
                LOG.errorf(e, "charging report tick: %s", e.getMessage());
            }
        }, periodNs, periodNs, TimeUnit.NANOSECONDS);
        return built;
    }

    /**
     * Builds from {@code config}; a bad value fails with a message naming its property.
     *
     * @param regionFile link 0's memif region file, or null (then a crash mid-burst may lose that burst's usage)
     */
    static ChargingFunction create(ChargingConfig config, Path regionFile, int burstSize) {
        return create(config, regionFile, burstSize, null);
    }

    static ChargingFunction create(ChargingConfig config, Path regionFile, int burstSize, SharedSessions shared) {
        check(config);
        ChargingFunction built = ChargingFunction.assemble(config.stateDir(), regionFile, config.recordsFile(),
                config.maxUrrs(), config.maxSessions(), config.urrsPerPacket(), config.fsyncEveryRecords(),
                config.fsyncInterval().toNanos(), config.reportInterval().toNanos(), config.recordInterval().toNanos(),
                burstSize, shared);
        UsageStore store = built.store();
        LOG.infof("charging: state %s (%d URRs), records %s%s", store.path(), config.maxUrrs(), built.control().records().path(),
                built.control().records().truncatedBytes() > 0
                        ? " (cut a torn tail of " + built.control().records().truncatedBytes() + " bytes)" : "");
        if (store.recoveredWithoutRing() > 0) {
            LOG.warnf("charging: a burst of %d packets was in flight when the last process stopped and there is no"
                    + " region file to tell which were sent: none of them counted", store.recoveredWithoutRing());
        } else if (store.recoveredIntentPackets() >= 0) {
            LOG.infof("charging: recovered a burst in flight when the last process stopped: %d of its packets were"
                    + " on the ring and are counted, the rest not", store.recoveredIntentPackets());
        }
        return built;
    }

    /** Refuses a bad value of {@code config} with a message naming its property. */
    public static void check(ChargingConfig config) {
        require(config.maxUrrs() >= 1 && config.maxUrrs() <= 1 << 23, "max-urrs", "1..8388608", config.maxUrrs());
        require(config.maxSessions() >= 1 && config.maxSessions() <= 1 << 24, "max-sessions", "1..16777216",
                config.maxSessions());
        require(config.urrsPerPacket() >= 1 && config.urrsPerPacket() <= 16, "urrs-per-packet", "1..16",
                config.urrsPerPacket());
        require(config.fsyncEveryRecords() >= 1 && config.fsyncEveryRecords() <= 1_000_000, "fsync-every-records",
                "1..1000000", config.fsyncEveryRecords());
        require(config.reportInterval().toNanos() > 0, "report-interval", "> 0", config.reportInterval());
        require(!config.fsyncInterval().isNegative(), "fsync-interval", ">= 0", config.fsyncInterval());
        require(!config.recordInterval().isNegative(), "record-interval", ">= 0", config.recordInterval());
    }

    private static void require(boolean ok, String property, String range, Object value) {
        if (!ok) {
            throw new IllegalArgumentException("nfchain.charging." + property + ": must be " + range + ", not " + value);
        }
    }

    /** A last tick (offline records of the final counts) and the record file closed, after the worker stopped. */
    @PreDestroy
    synchronized void stop() {
        if (timer == null) {
            return;
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        control.finalTick(System.nanoTime());
        control.close();
    }
}
