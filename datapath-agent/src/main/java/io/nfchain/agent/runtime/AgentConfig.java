package io.nfchain.agent.runtime;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The agent's configuration, {@code nfchain.agent.*} (environment: {@code NFCHAIN_AGENT_NODE_FILE}, ...).
 */
@ConfigMapping(prefix = "nfchain.agent")
public interface AgentConfig {
    /** {@code local}: the node spec comes from {@link #nodeFile()} or the API. */
    String LOCAL = "local";
    /** {@code kubernetes}: the node spec is the spec of the {@code DatapathNode} named {@link #nodeName()}. */
    String KUBERNETES = "kubernetes";

    /**
     * {@code local} (the node file or the API drives the node) or {@code kubernetes} (the node's
     * {@code DatapathNode} resource does, and the agent writes its status).
     */
    @WithDefault(LOCAL)
    String mode();

    /** Kubernetes mode: this node's name, which is also its {@code DatapathNode}'s (the chart passes spec.nodeName). */
    Optional<String> nodeName();

    /** Where sysfs is read for the node's inventory (CPUs, hugepages, NICs): {@code /} on a node. */
    @WithDefault("/")
    Path sysfsRoot();

    /** Kubernetes mode: how often the status is refreshed (inventory, ports, links, counters). */
    @WithDefault("5s")
    Duration statusInterval();

    /**
     * Kubernetes mode: a status in which nothing but counters changed is written at most this
     * often, so a busy node does not write its status every {@link #statusInterval()} for counters alone.
     */
    @WithDefault("30s")
    Duration statusCountersInterval();

    /**
     * Local mode: the node spec file (ports, functions, chains). Read at start; a change to it is
     * applied while running, and a bad change is refused and logged while the old spec runs on.
     * Absent: the node starts empty and is driven by the API.
     */
    Optional<Path> nodeFile();

    /** Where NF memif sockets live; relative socket paths in specs resolve against it. */
    @WithDefault("/run/nfchain")
    Path socketDirectory();

    /** How often the node file is checked for changes. */
    @WithDefault("1s")
    Duration reloadInterval();

    /** {@code busy}, {@code backoff}, {@code adaptive} or {@code interrupt}... of the datapath worker. */
    @WithDefault("adaptive")
    String idleStrategy();

    /** The CPU to pin the datapath worker to; unpinned when absent. */
    OptionalInt cpu();

    /**
     * Frames per burst, 1 .. 256. 64: in the chain bench, doubling 32 gave 9-10% more packets
     * per CPU-second (docs/bench-chain.md); a burst only fills when traffic waits, so light
     * traffic keeps its latency.
     */
    @WithDefault("64")
    int burstSize();

    /** The longest frame carried, 64 .. 9216. */
    @WithDefault("9216")
    int frameBytes();

    /** How long a link taken out of its hop by a switch must be quiet before it is released. */
    @WithDefault("100ms")
    Duration drainTime();

    /** How long a spec change may wait for the worker to take it. */
    @WithDefault("5s")
    Duration applyTimeout();
}
