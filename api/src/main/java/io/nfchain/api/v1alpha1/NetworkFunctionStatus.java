package io.nfchain.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the controller observed of a {@link NetworkFunction}; written by the controller only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NetworkFunctionStatus {
    /** The {@code metadata.generation} this status describes. */
    public Long observedGeneration;
    /** {@code Ready}, {@code Progressing}, {@code Degraded} ({@link Conditions}). */
    public List<Condition> conditions = new ArrayList<>();
    /** One per hop that uses the function, per node its chain runs on. */
    public List<Instance> instances = new ArrayList<>();
    /** Instances the chains using this function need. */
    public Integer desiredInstances;
    /** Instances whose pod is ready. */
    public Integer readyInstances;

    public NetworkFunctionStatus() {}

    /** One running instance of the function. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Instance {
        /** {@code <chain>-<hop index>-<function>-<hash>}: the pod's and the node spec's function name. */
        public String name;
        public String node;
        public String chain;
        public String pod;
        public Boolean ready;

        public Instance() {}
    }
}
