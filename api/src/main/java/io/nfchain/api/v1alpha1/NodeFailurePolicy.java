package io.nfchain.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A failure policy in the agent's node-spec spelling: {@code fail-open}, {@code fail-closed}. */
public enum NodeFailurePolicy {
    @JsonProperty("fail-open")
    FAIL_OPEN,
    @JsonProperty("fail-closed")
    FAIL_CLOSED
}
