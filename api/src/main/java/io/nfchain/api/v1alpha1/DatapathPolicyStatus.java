package io.nfchain.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Which nodes the policy applies to and whether they took it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatapathPolicyStatus {
    public Long observedGeneration;
    public List<Condition> conditions = new ArrayList<>();
    /** How many nodes the selector matches (a printer column). */
    public Integer matchedNodes;
    /** Their names. */
    public List<String> nodes = new ArrayList<>();

    public DatapathPolicyStatus() {}
}
