package io.nfchain.agent.spec;

/**
 * Immutable. The 5-tuple part of a chain's classifier; a null prefix or {@link #ANY_PROTOCOL}
 * matches anything. Ports are only compared for TCP and UDP; a match with ports
 * never matches a packet without them.
 */
public record MatchSpec(Prefix source, Prefix destination, int protocol, PortRange sourcePorts,
        PortRange destinationPorts) {
    public static final int ANY_PROTOCOL = -1;
    public static final MatchSpec ANY = new MatchSpec(null, null, ANY_PROTOCOL, PortRange.ANY, PortRange.ANY);

    public boolean usesPorts() {
        return !sourcePorts.isAny() || !destinationPorts.isAny();
    }
}
