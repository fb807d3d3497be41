package io.nfchain.functions.qos;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The qos function's configuration, {@code nfchain.qos.*}, read only when the runner hosts qos
 * ({@code nfchain.function.type=qos}). Sessions do not live here: they arrive over gRPC
 * ({@code nfchain.session.v1.SessionService/ApplySessions}).
 */
@ConfigMapping(prefix = "nfchain.qos")
public interface QosConfig {
    /**
     * Sessions held at most, 1 .. 16,777,216, with twice as many QERs. Fixed for the life of the
     * process; each QER slot costs about 180 bytes of policer and rule state (see docs/qos.md).
     */
    @WithDefault("1048576")
    int maxSessions();

    /** What packets of no session get: {@code pass} (counted QOS_NO_SESSION_PASS) or {@code drop} (SESSION_UNKNOWN). */
    @WithDefault("pass")
    String noSession();

    /** DSCP by QoS flow, {@code QFI=DSCP} pairs: {@code 5=46,9=0}. None by default: DSCPs stay as they are. */
    Optional<String> qfiDscp();

    /** Mark the outer header of GTP-U packets too, not only the inner packet. */
    @WithDefault("false")
    boolean markOuter();

    /** How much of its rate a QER's policer may pass at once: bucket size = rate x this. */
    @WithDefault("10ms")
    Duration burst();

    /** The smallest bucket, bytes: a full-size packet always fits an idle policer. */
    @WithDefault("3000")
    long minBurstBytes();
}
