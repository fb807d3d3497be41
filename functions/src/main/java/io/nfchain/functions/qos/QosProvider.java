package io.nfchain.functions.qos;

import io.nfchain.functions.runner.FunctionProvider;
import io.nfchain.functions.sdk.NetworkFunction;
import io.nfchain.functions.session.SharedSessions;
import jakarta.inject.Singleton;

/**
 * Lets the runner host qos: {@code nfchain.function.type=qos} with {@link QosConfig}. The
 * runner's {@link io.nfchain.functions.session.SessionGrpcService} serves its sessions.
 */
@Singleton
public class QosProvider implements FunctionProvider {
    private final QosConfig config;

    QosProvider(QosConfig config) {
        this.config = config;
    }

    @Override
    public String type() {
        return QosFunction.TYPE;
    }

    /** A qos with no sessions yet. */
    @Override
    public NetworkFunction<?> create() {
        return create(config);
    }

    /** Builds from {@code config}; a bad value fails with a message naming its property. */
    static QosFunction create(QosConfig config) {
        return create(config, null);
    }

    /**
     * Builds from {@code config} as a stage sharing {@code shared}'s sessions (null: its own table,
     * of {@code nfchain.qos.max-sessions}).
     */
    public static QosFunction create(QosConfig config, SharedSessions shared) {
        boolean drop = switch (config.noSession()) {
            case "pass" -> false;
            case "drop" -> true;
            default -> throw new IllegalArgumentException("nfchain.qos.no-session: must be pass or drop, not '"
                    + config.noSession() + "'");
        };
        if (config.maxSessions() < 1 || config.maxSessions() > 1 << 24) {
            throw new IllegalArgumentException("nfchain.qos.max-sessions: must be 1..16777216, not " + config.maxSessions());
        }
        QosBursts bursts;
        try {
            bursts = new QosBursts(config.burst().toNanos(), config.minBurstBytes());
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException("nfchain.qos.burst / min-burst-bytes: " + e.getMessage(), e);
        }
        QfiDscpMap map = QfiDscpMap.parse("nfchain.qos.qfi-dscp", config.qfiDscp().orElse(""));
        return new QosFunction(config.maxSessions(), bursts, map, config.markOuter(), drop, shared);
    }
}
