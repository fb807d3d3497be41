package io.nfchain.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** What a {@link NetworkFunction} runs and how. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.type) != has(self.image)",
        message = "give exactly one of type (a built-in: router, acl, qos, charging, upf, ttl-guard,"
                + " upf+qos+charging) or image")
// startsWith costs the length of its constant prefix, so this stays within the CEL budget where a regex would not.
@ValidationRule(value = "!has(self.type) || self.type != 'upf+qos+charging' || !has(self.config)"
        + " || self.config.all(k, k.startsWith('upf.') || k.startsWith('qos.') || k.startsWith('charging.'))",
        message = "config keys of upf+qos+charging start with the function they set: upf., qos. or charging.")
public class NetworkFunctionSpec {
    /** A built-in function of the runner image; exclusive with {@link #image}. */
    public FunctionType type;
    /** A container image that speaks the nfchain function contract; exclusive with {@link #type}. */
    @Size(min = 1, max = 512)
    @Pattern("^\\S+$")
    public String image;
    /**
     * Passed to the function as {@code nfchain.<type>.<key>} (env {@code NFCHAIN_<TYPE>_<KEY>}); an
     * image's as {@code nfchain.function.<key>}. {@link FunctionType#USER_PLANE}'s keys start with
     * the stage they set, {@code upf.n3-ipv4}, and are passed as {@code nfchain.upf.n3-ipv4}.
     * Keys are {@link Patterns#CONFIG_KEY}; the API server checks only their length, because a
     * regex over map keys (whose length a schema cannot bound) exceeds the CEL cost budget.
     * Values are at most 4096 characters (set by the generator's post-processing).
     */
    @Size(max = 64)
    @ValidationRule(value = "self.all(k, k.size() <= 63)", message = "config keys are at most 63 characters")
    public Map<String, String> config;
    /** Requests and limits at once (they are equal, so the pods are Guaranteed QoS). */
    @Required
    public Resources resources;
    public Placement placement;
    public UpdateStrategy updateStrategy;
    /** What a hop served by this function does while it is down; a hop may override it. */
    @Default("FailClosed")
    public FailurePolicy failurePolicy;
    /** log2 of the memif ring size the function offers (absent: the runner's default). */
    @Min(1)
    @Max(14)
    public Integer socketLog2RingSize;

    public NetworkFunctionSpec() {}

    /** Requests == limits: whole cores, memory, hugepages. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "!has(self.hugepages2Mi) || self.hugepages2Mi.endsWith('Gi')"
            + " || int(self.hugepages2Mi.substring(0, self.hugepages2Mi.size() - 2)) % 2 == 0",
            message = "hugepages2Mi must be a whole number of 2Mi pages (an even number of Mi)")
    public static class Resources {
        /** Whole cores: a poll loop owns its core. */
        @Required
        @Min(1)
        @Max(64)
        public Integer cpu;
        /** Memory as a Kubernetes quantity, {@code 512Mi}. */
        @Required
        @Pattern(Patterns.QUANTITY)
        @Size(max = 32)
        public String memory;
        /** 2 MiB hugepages, {@code 256Mi}; absent: none. */
        @Pattern(Patterns.HUGEPAGES_2MI)
        @Size(max = 12)
        public String hugepages2Mi;
        /** 1 GiB hugepages, {@code 1Gi}; absent: none. */
        @Pattern(Patterns.HUGEPAGES_1GI)
        @Size(max = 12)
        public String hugepages1Gi;

        public Resources() {}
    }

    /** Where instances may run and how many chains' nodes a chain using this function needs. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Placement {
        /** Node labels every node running an instance must have. */
        @Size(max = 32)
        public Map<String, String> nodeSelector;
        /** Nodes a chain through this function runs on (the chain takes the largest over its hops). */
        @Default("1")
        @Min(1)
        @Max(1000)
        public Integer replicas;

        public Placement() {}
    }

    /** How a spec change reaches running instances. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class UpdateStrategy {
        @Default("MakeBeforeBreak")
        public UpdateStrategyType type;
        /** How long the old instance keeps draining after the switch (absent: the agent's drain time). */
        @Min(0)
        @Max(3600)
        public Integer drainSeconds;

        public UpdateStrategy() {}
    }

    /** The update strategies; make-before-break is the only one so far. */
    public enum UpdateStrategyType {
        /** Start the new instance, switch the hop when it is ready, then stop the old one. */
        MakeBeforeBreak
    }
}
