package io.nfchain.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

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
    TTLGUARD("ttl-guard"),
    /** upf, qos and charging as the stages of one poll loop in one pod, over one session table. */
    @JsonProperty("upf+qos+charging")
    USER_PLANE("upf+qos+charging");

    private final String text;

    FunctionType(String text) {
        this.text = text;
    }

    /** The spelling in specs and the runner's {@code nfchain.function.type}: {@code router}, {@code ttl-guard}. */
    public String text() {
        return text;
    }

    /**
     * The built-ins this one runs, in packet order: {@code upf, qos, charging} for
     * {@link #USER_PLANE}, itself for the others.
     */
    public List<FunctionType> stages() {
        return this == USER_PLANE ? List.of(UPF, QOS, CHARGING) : List.of(this);
    }

    /** The built-in spelled {@code text}. */
    public static FunctionType of(String text) {
        for (FunctionType t : values()) {
            if (t.text().equals(text)) {
                return t;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a built-in function (router, acl, qos, charging,"
                + " upf, ttl-guard, upf+qos+charging)");
    }
}
