package io.nfchain.functions.upf;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * The upf's configuration, {@code nfchain.upf.*}, read only when the runner hosts a upf
 * ({@code nfchain.function.type=upf}). Sessions do not live here: they arrive over gRPC
 * ({@code nfchain.session.v1.SessionService/ApplySessions}).
 */
@ConfigMapping(prefix = "nfchain.upf")
public interface UpfConfig {
    /**
     * The upf's N3 IPv4 address: the source of the GTP-U packets it sends to IPv4 peers, and (with
     * {@link #n3Ipv6()}) the addresses whose GTP-U it takes as uplink. With neither set, every
     * GTP-U packet is uplink and nothing can be encapsulated.
     */
    Optional<String> n3Ipv4();

    Optional<String> n3Ipv6();

    /** Sessions held at once, 1 .. 16,777,216. */
    @WithDefault("1048576")
    int maxSessions();

    /** Packets the upf can hold for sessions whose FAR says BUFFER, all sessions together; 2 KiB each. */
    @WithDefault("4096")
    int bufferPackets();

    /** Packets one session may have buffered; more are dropped ({@code UPF_BUFFER_FULL}). */
    @WithDefault("64")
    int bufferPacketsPerSession();

    /** The Recovery IE's restart counter in echo responses (TS 29.281 8.2): 0..255. */
    @WithDefault("0")
    int restartCounter();
}
