package io.nfchain.functions.runner;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The NF runner's configuration, {@code nfchain.function.*}: which function, its memif links
 * (one per output, link k carrying output k) and how its poll thread runs.
 */
@ConfigMapping(prefix = "nfchain.function")
public interface FunctionConfig {
    /** The function type, as its provider names it: {@code router}, {@code acl}, ... */
    String type();

    /** This instance's name (the pod name in Kubernetes): tags metrics, shown by the API. */
    @WithDefault("${HOSTNAME:nf}")
    String instance();

    /** One memif link per output of the function, in output order. */
    List<Link> links();

    /** {@code busy}, {@code backoff}, {@code adaptive} or {@code interrupt}. */
    @WithDefault("adaptive")
    String idleStrategy();

    /** The CPU to pin the poll thread to; unpinned when absent. */
    OptionalInt cpu();

    /**
     * Packets per receive burst, 1 .. 256; the agent's default is the same (64), so one agent
     * burst fills one function burst.
     */
    @WithDefault("64")
    int burstSize();

    /** Room kept in front of every packet for headers the function prepends (tunnels). */
    @WithDefault("128")
    int headroomBytes();

    /**
     * Process received packets where the agent wrote them, in the links' shared memory, and send
     * the ones going back on the same link without copying them (DPDK's memif zero-copy trade:
     * the agent is trusted not to write a buffer it handed over). {@code false} copies each packet
     * into the runner's own memory first.
     */
    @WithDefault("true")
    boolean receiveInPlace();

    /** One memif client link to the node agent. */
    interface Link {
        /** The agent's memif socket for this function. */
        Path socket();

        /** The memif interface id on that socket. */
        @WithDefault("0")
        int interfaceId();

        /** The memif secret, at most 23 bytes; none when absent. */
        Optional<String> secret();

        /** Ring size as log2 of the slots, 1 .. 14. */
        @WithDefault("10")
        int log2RingSize();

        /** Bytes per memif buffer, 64 .. 65535, a multiple of 64. */
        @WithDefault("2048")
        int bufferBytes();

        /** Back the region with 2 MiB huge pages (needs them reserved on the node). */
        @WithDefault("false")
        boolean hugepages();

        /**
         * Make the memif region this file (on a tmpfs) instead of an anonymous memfd, so that it
         * outlives a crash of the function: charging reads its last ring head there after a
         * restart. The agent must accept unsealed regions from this function.
         */
        Optional<Path> regionFile();
    }
}
