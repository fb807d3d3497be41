package io.nfchain.e2e.chainbench;

import io.nfchain.agent.spec.PortRange;
import io.nfchain.agent.spec.PortSpec;
import io.nfchain.agent.spec.Prefix;
import java.util.List;

/**
 * Immutable. The bench's traffic, the same for nfchain and the kernel: IPv4/UDP from 10.0.0.0/16
 * to 198.18.0.0/15 port 80, {@code flows} flows, frame sizes cycled from a mix. nfchain makes it
 * with the agent's gen port; the kernel's sender makes it with the same {@code GenPort} class
 * and puts it on a veth, so both get the same frames byte for byte.
 */
public record ChainTraffic(int flows, List<Integer> frameBytes) {
    public static final List<Integer> SIXTY_FOUR = List.of(64);
    /** The gen port's IMIX: 7 x 64, 4 x 576, 1 x 1500. */
    public static final List<Integer> IMIX = List.of(64, 64, 64, 64, 64, 64, 64, 576, 576, 576, 576, 1500);
    static final String SOURCE = "10.0.0.0/16";
    static final String DESTINATION = "198.18.0.0/15";
    static final int DESTINATION_PORT = 80;
    static final int FIRST_SOURCE_PORT = 1024;

    public ChainTraffic {
        frameBytes = List.copyOf(frameBytes);
    }

    /** A name for tables: 64B or IMIX. */
    public String mixName() {
        return frameBytes.equals(SIXTY_FOUR) ? "64B" : frameBytes.equals(IMIX) ? "IMIX" : frameBytes.toString();
    }

    /** The gen port spec: {@code ratePps} 0 is as fast as the worker polls (open loop). */
    public PortSpec.Gen genSpec(String name, long ratePps, long limitPackets) {
        return new PortSpec.Gen(name, ratePps, frameBytes, flows, Prefix.parse("source", SOURCE),
                Prefix.parse("destination", DESTINATION), 17, new PortRange(FIRST_SOURCE_PORT, 65535),
                DESTINATION_PORT, limitPackets);
    }

    /** The node file's gen port line for the same traffic. */
    public String genYaml(String name, long ratePps, long limitPackets) {
        StringBuilder sizes = new StringBuilder();
        for (int b : frameBytes) {
            sizes.append(sizes.isEmpty() ? "" : ", ").append(b);
        }
        return "{name: %s, type: gen, ratePps: %d, flows: %d, frameBytes: [%s], source: %s, destination: %s, protocol: udp, destinationPort: %d, sourcePorts: %d-65535, limitPackets: %d}"
                .formatted(name, ratePps, flows, sizes, SOURCE, DESTINATION, DESTINATION_PORT, FIRST_SOURCE_PORT,
                        limitPackets);
    }

    /** Flow {@code f}'s source address, as the gen port places it (1 + f mod hosts of the /16). */
    public int sourceOf(int f) {
        return ChainRules.ip(10, 0, 0, 0) + 1 + f % ((1 << 16) - 2);
    }

    /** Flow {@code f}'s destination: the gen port's golden-ratio spread over the /15. */
    public int destinationOf(int f) {
        long span = 1L << 17;
        long host = 1 + (f * 0x9E3779B1L & 0xFFFFFFFFL) % (span - 2);
        return (int) (ChainRules.ip(198, 18, 0, 0) + host);
    }

    public int sourcePortOf(int f) {
        return FIRST_SOURCE_PORT + f % (65536 - FIRST_SOURCE_PORT);
    }

    /** Flows of the traffic the rules permit, out of {@link #flows()}. */
    public int permittedFlows(ChainRules rules) {
        int n = 0;
        for (int f = 0; f < flows; f++) {
            if (rules.decide(sourceOf(f), destinationOf(f), 17, sourcePortOf(f), DESTINATION_PORT)) {
                n++;
            }
        }
        return n;
    }

    /**
     * The share of packets the rules permit. Sizes and flows cycle independently, so when the
     * mix's length divides the flow count every flow carries every size equally often.
     */
    public double permittedShare(ChainRules rules) {
        return (double) permittedFlows(rules) / flows;
    }
}
