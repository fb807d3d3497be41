package io.nfchain.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Which packets enter a chain: an ingress port, an optional VLAN, an optional match. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Classifier {
    /** The node port packets arrive on (a port name of the node spec). */
    @Required
    @Pattern(Patterns.SPEC_NAME)
    public String ingressPort;
    /** Outer 802.1Q id; 0 = untagged only; absent = any. */
    @Min(0)
    @Max(4094)
    public Integer vlan;
    /** Absent = every packet of the port (and VLAN). */
    public Match match;

    public Classifier() {}
}
