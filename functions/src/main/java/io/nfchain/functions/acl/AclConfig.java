package io.nfchain.functions.acl;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The ACL function's configuration, {@code nfchain.acl.*}, read only when the runner hosts an
 * acl ({@code nfchain.function.type=acl}). Rules do not live here: they arrive over gRPC
 * ({@code nfchain.acl.v1.AclService/ReplaceRules}). Durations take Quarkus' forms
 * ({@code 240s}, {@code 2h4m}, {@code PT5M}).
 */
@ConfigMapping(prefix = "nfchain.acl")
public interface AclConfig {
    /** Track permitted flows so their return traffic passes. Fixed for the life of the process. */
    @WithDefault("false")
    boolean stateful();

    /** The most flows tracked at once (stateful only), 1 .. 16,777,216; 64 bytes each, plus a third. */
    @WithDefault("65536")
    int maxFlows();

    /**
     * What a permitted packet gets when its new flow finds the table full of established flows
     * (none can be evicted): dropped ({@code ACL_FLOW_TABLE_FULL}), as Linux conntrack drops new
     * connections on a full table, or, when false, passed untracked (its replies face the rules).
     */
    @WithDefault("true")
    boolean dropWhenFull();

    /** What a packet no rule decides gets, {@code permit} or {@code deny}, until ReplaceRules says otherwise. */
    @WithDefault("deny")
    String defaultAction();

    /** Idle timeouts of tracked flows, by protocol and state. */
    Timeouts timeouts();

    /** Defaults from RFC 5382 (TCP), RFC 4787 (UDP) and RFC 5508 (ICMP, as other). */
    interface Timeouts {
        /** A TCP flow that saw traffic both ways and no FIN or RST. */
        @WithDefault("7440s")
        Duration tcpEstablished();

        /** A TCP flow opening (no reply yet) or closing (FIN or RST seen). */
        @WithDefault("240s")
        Duration tcpTransitory();

        @WithDefault("300s")
        Duration udp();

        /** Any other protocol (ICMP, GRE, ...). */
        @WithDefault("60s")
        Duration other();
    }
}
