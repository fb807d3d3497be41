package io.nfchain.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * A datapath port of a node spec: one class with a {@code type} discriminator and the fields of
 * every type; the CEL rules say which fields go with which type, as the agent's reader does.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.type != 'af_packet' || has(self.interface)",
        message = "an af_packet port needs interface (the kernel interface name)")
@ValidationRule(value = "self.type == 'af_packet' || !has(self.interface)",
        message = "interface is only for af_packet ports")
@ValidationRule(value = "self.type == 'memif' || !(has(self.socket) || has(self.interfaceId) || has(self.secret))",
        message = "socket, interfaceId and secret are only for memif ports")
@ValidationRule(value = "self.type == 'gen' || !(has(self.mix) || has(self.frameBytes) || has(self.flows)"
        + " || has(self.source) || has(self.destination) || has(self.protocol) || has(self.sourcePorts)"
        + " || has(self.destinationPort) || has(self.limitPackets))",
        message = "mix, frameBytes, flows, source, destination, protocol, sourcePorts, destinationPort and"
                + " limitPackets are only for gen ports")
@ValidationRule(value = "self.type in ['gen', 'pcap'] || !has(self.ratePps)",
        message = "ratePps is only for gen and pcap ports")
@ValidationRule(value = "self.type == 'pcap' || !(has(self.read) || has(self.write) || has(self.loops))",
        message = "read, write and loops are only for pcap ports")
@ValidationRule(value = "self.type != 'pcap' || has(self.read) || has(self.write)",
        message = "a pcap port reads a file, writes one, or both: give read or write")
@ValidationRule(value = "!(has(self.mix) && has(self.frameBytes))",
        message = "give mix or frameBytes, not both")
@ValidationRule(value = "self.type != 'gen' || (has(self.source) ? self.source : '10.0.0.0/16').contains(':')"
        + " == (has(self.destination) ? self.destination : '10.1.0.0/16').contains(':')",
        message = "a gen port's source and destination must be of one IP version"
                + " (defaults: 10.0.0.0/16 and 10.1.0.0/16)")
public class NodePort {
    @Required
    @Pattern(Patterns.SPEC_NAME)
    public String name;
    @Required
    public PortType type;

    // memif
    /** Relative to the agent's socket directory, or absolute; absent: {@code <name>/memif.sock}. */
    @Size(min = 1, max = 107)
    public String socket;
    @Min(0)
    @Max(4294967295L)
    public Long interfaceId;
    @Size(max = 24)
    public String secret;

    // af_packet
    /** The kernel interface name. */
    @JsonProperty("interface")
    @Pattern(Patterns.INTERFACE)
    @Size(max = 15)
    public String interfaceName;

    // gen and pcap
    /** Packets per second; 0 = as fast as the port can. */
    @Min(0)
    @Max(1000000000L)
    public Long ratePps;

    // gen
    /** A named size mix: {@code imix} (7x64, 4x576, 1x1500). */
    @Pattern("^imix$")
    public String mix;
    /** Frame sizes cycled through; absent: 64. */
    @Size(min = 1, max = 64)
    @ValidationRule(value = "self.all(b, b >= 64 && b <= 9216)", message = "frame sizes are 64..9216 bytes")
    public List<Integer> frameBytes;
    @Min(1)
    @Max(1048576)
    public Integer flows;
    @Pattern(Patterns.PREFIX)
    @Size(max = 43)
    public String source;
    @Pattern(Patterns.PREFIX)
    @Size(max = 43)
    public String destination;
    /** {@code udp} (default) or {@code tcp}. */
    @Pattern("^(tcp|udp|6|17)$")
    public String protocol;
    @Pattern(Patterns.PORT_RANGE)
    @Size(max = 11)
    @ValidationRule(value = "!self.contains('-') || int(self.split('-')[0]) <= int(self.split('-')[1])",
            message = "a port range is first-last with first <= last")
    public String sourcePorts;
    @Min(0)
    @Max(65535)
    public Integer destinationPort;
    /** Stop after this many packets; 0 = never. */
    @Min(0)
    public Long limitPackets;

    // pcap
    /** A capture to replay. */
    @Size(min = 1, max = 4096)
    public String read;
    /** Times to replay it; 0 = forever. */
    @Min(0)
    @Max(2147483647)
    public Integer loops;
    /** A capture to write what the port transmits. */
    @Size(min = 1, max = 4096)
    public String write;

    public NodePort() {}
}
