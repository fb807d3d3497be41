package io.nfchain.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The built-in network functions the function runner image carries. */
public enum FunctionType {
    @JsonProperty("router")
    ROUTER,
    @JsonProperty("acl")
    ACL,
    @JsonProperty("qos")
    QOS,
    @JsonProperty("charging")
    CHARGING,
    @JsonProperty("upf")
    UPF,
    @JsonProperty("ttlguard")
    TTLGUARD;

    /** The spelling in specs and in configuration keys: {@code router}. */
    public String text() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The built-in spelled {@code text}. */
    public static FunctionType of(String text) {
        for (FunctionType t : values()) {
            if (t.text().equals(text)) {
                return t;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a built-in function (router, acl, qos, charging,"
                + " upf, ttlguard)");
    }
}
