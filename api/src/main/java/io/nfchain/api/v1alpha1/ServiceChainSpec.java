package io.nfchain.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** The chain: classifier, ordered hops, egress port, priority among chains of one ingress port. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceChainSpec {
    @Required
    public Classifier classifier;
    /** The network functions in order; at least one. */
    @Required
    @Size(min = 1, max = 16)
    public List<Hop> hops = new ArrayList<>();
    /** The node port packets leave by. */
    @Required
    @Pattern(Patterns.SPEC_NAME)
    public String egressPort;
    /** The highest matching priority on an ingress port wins. */
    @Default("0")
    @Min(-1000000)
    @Max(1000000)
    public Integer priority;

    public ServiceChainSpec() {}

    /** One step of the chain. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Hop {
        /** The name of a {@link NetworkFunction} in the chain's namespace. */
        @Required
        @Pattern(Patterns.DNS_LABEL)
        public String function;
        /** Overrides the function's failure policy for this hop. */
        public FailurePolicy failurePolicy;

        public Hop() {}

        public Hop(String function, FailurePolicy failurePolicy) {
            this.function = function;
            this.failurePolicy = failurePolicy;
        }
    }
}
