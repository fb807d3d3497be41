package io.nfchain.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Which packets of an ingress port a chain takes; every absent field matches anything. The same
 * shape in {@code ServiceChain} and in the node spec.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "(!has(self.sourcePorts) && !has(self.destinationPorts))"
        + " || (has(self.protocol) && self.protocol in ['tcp', 'udp', '6', '17'])",
        message = "sourcePorts and destinationPorts are matched only with protocol tcp or udp")
@ValidationRule(value = "!has(self.source) || !has(self.destination)"
        + " || self.source.contains(':') == self.destination.contains(':')",
        message = "source and destination must be of the same IP version: no packet has both")
public class Match {
    // maxLength on every string a rule reads: an API server estimates a rule's cost from it.
    /** Source prefix, {@code 10.0.0.0/8} or {@code 2001:db8::/32}; host bits must be zero. */
    @Pattern(Patterns.PREFIX)
    @Size(max = 43)
    public String source;
    /** Destination prefix. */
    @Pattern(Patterns.PREFIX)
    @Size(max = 43)
    public String destination;
    /** {@code tcp}, {@code udp}, {@code icmp}, {@code icmpv6}, {@code sctp} or a number 0..255. */
    @Pattern(Patterns.PROTOCOL)
    @Size(max = 6)
    public String protocol;
    /** A port or range {@code first-last}. */
    @Pattern(Patterns.PORT_RANGE)
    @Size(max = 11)
    @ValidationRule(value = "!self.contains('-') || int(self.split('-')[0]) <= int(self.split('-')[1])",
            message = "a port range is first-last with first <= last")
    public String sourcePorts;
    /** A port or range {@code first-last}. */
    @Pattern(Patterns.PORT_RANGE)
    @Size(max = 11)
    @ValidationRule(value = "!self.contains('-') || int(self.split('-')[0]) <= int(self.split('-')[1])",
            message = "a port range is first-last with first <= last")
    public String destinationPorts;

    public Match() {}
}
