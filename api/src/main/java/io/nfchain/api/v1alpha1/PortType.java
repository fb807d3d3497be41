package io.nfchain.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A datapath port's kind, spelled as the agent's node spec spells it. */
public enum PortType {
    /** A memif server for an external DPDK/VPP peer: {@code socket}, {@code interfaceId}, {@code secret}. */
    @JsonProperty("memif")
    MEMIF,
    /** A kernel interface: {@code interface}. */
    @JsonProperty("af_packet")
    AF_PACKET,
    /** Synthetic traffic: {@code ratePps}, {@code mix} or {@code frameBytes}, flows, addresses, ports. */
    @JsonProperty("gen")
    GEN,
    /** Replay and/or write a capture: {@code read}, {@code loops}, {@code ratePps}, {@code write}. */
    @JsonProperty("pcap")
    PCAP,
    /** Counts and frees; no other field. */
    @JsonProperty("sink")
    SINK;

    /** The node spec's spelling: {@code af_packet}. */
    public String text() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The type spelled {@code text} (as the agent's {@code PortSpec.type()} spells it). */
    public static PortType of(String text) {
        for (PortType t : values()) {
            if (t.text().equals(text)) {
                return t;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a port type (memif, af_packet, gen, pcap, sink)");
    }
}
