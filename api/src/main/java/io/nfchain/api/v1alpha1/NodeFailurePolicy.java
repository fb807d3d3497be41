package io.nfchain.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A failure policy in the agent's node-spec spelling: {@code fail-open}, {@code fail-closed}. */
public enum NodeFailurePolicy {
    @JsonProperty("fail-open")
    FAIL_OPEN,
    @JsonProperty("fail-closed")
    FAIL_CLOSED;

    /** The node spec's spelling: {@code fail-open}. */
    public String text() {
        return this == FAIL_OPEN ? "fail-open" : "fail-closed";
    }

    /** The policy spelled {@code text}. */
    public static NodeFailurePolicy of(String text) {
        for (NodeFailurePolicy p : values()) {
            if (p.text().equals(text)) {
                return p;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not fail-open or fail-closed");
    }
}
