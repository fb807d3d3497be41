package io.nfchain.functions.router;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The router's configuration, {@code nfchain.router.*}, read only when the runner hosts a
 * router: interface {@code k} is output {@code k} and link {@code k}
 * ({@code nfchain.router.interfaces[0].mac=02:00:00:00:00:01}, {@code ...ipv4=192.0.2.1},
 * {@code ...ipv6=2001:db8::1}, {@code ...mtu=1500}). Nothing here is required by other types.
 */
@ConfigMapping(prefix = "nfchain.router")
public interface RouterConfig {
    /** One per output, in output order. */
    Optional<List<Interface>> interfaces();

    /** ICMP errors sent per second, sustained (token-bucket rate). */
    @WithDefault("1000")
    int icmpRatePerSecond();

    /** ICMP errors that may be sent back to back (bucket size). */
    @WithDefault("50")
    int icmpBurst();

    /** Neighbours learned from ARP and ND replies that are kept, per family. */
    @WithDefault("4096")
    int learnedNeighbors();

    /**
     * How long a learned neighbour is used after the ARP or ND message that last confirmed it;
     * then the next packet to it re-resolves it. Static neighbours never expire.
     */
    @WithDefault("300s")
    Duration neighborTimeout();

    /** One router interface. */
    interface Interface {
        /** The output's name; {@code if<k>} when absent. */
        Optional<String> name();

        /** The interface's MAC, the source of every frame it sends. */
        String mac();

        /** Its IPv4 address: the source of ICMP errors about packets that came in here. */
        Optional<String> ipv4();

        /** Its IPv6 address, likewise. */
        Optional<String> ipv6();

        /** The largest IP packet it sends, in bytes. */
        @WithDefault("1500")
        int mtu();
    }
}
