package io.nfchain.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The built-in network functions the function runner image carries. */
public enum FunctionType {
    @JsonProperty("router")
    ROUTER("router"),
    @JsonProperty("acl")
    ACL("acl"),
    @JsonProperty("qos")
    QOS("qos"),
    @JsonProperty("charging")
    CHARGING("charging"),
    @JsonProperty("upf")
    UPF("upf"),
    @JsonProperty("ttl-guard")
    TTLGUARD("ttl-guard");

    private final String text;

    FunctionType(String text) {
        this.text = text;
    }

    /** The spelling in specs and the runner's {@code nfchain.function.type}: {@code router}, {@code ttl-guard}. */
    public String text() {
        return text;
    }

    /** The built-in spelled {@code text}. */
    public static FunctionType of(String text) {
        for (FunctionType t : values()) {
            if (t.text().equals(text)) {
                return t;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a built-in function (router, acl, qos, charging,"
                + " upf, ttl-guard)");
    }
}
