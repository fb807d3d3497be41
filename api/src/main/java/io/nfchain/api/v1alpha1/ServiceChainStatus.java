package io.nfchain.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * What the controller observed of a {@link ServiceChain}; written by the controller only. An
 * unschedulable chain has {@code Ready=False} with reason {@code Unschedulable} and the reason in
 * the message.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceChainStatus {
    public Long observedGeneration;
    public List<Condition> conditions = new ArrayList<>();
    /** The nodes the chain runs on (one chain instance each). */
    public List<String> nodes = new ArrayList<>();
    /** Per hop and node: the instance serving it. */
    public List<HopStatus> hops = new ArrayList<>();
    /** Hops in the spec (a printer column: kubectl cannot count a list). */
    public Integer hopCount;
    /** Nodes the chain runs on (a printer column). */
    public Integer nodeCount;

    public ServiceChainStatus() {}

    /** The instance serving one hop on one node. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class HopStatus {
        /** The hop's index in {@code spec.hops}. */
        public Integer index;
        public String function;
        public String node;
        public String instance;
        public String pod;
        public Boolean ready;

        public HopStatus() {}
    }
}
