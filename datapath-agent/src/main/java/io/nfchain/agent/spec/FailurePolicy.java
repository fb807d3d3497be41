package io.nfchain.agent.spec;

/** What a hop does while its network function is down (no memif peer connected). */
public enum FailurePolicy {
    /** Bypass the hop: packets go on to the next hop, as if it were not in the chain. */
    FAIL_OPEN("fail-open"),
    /** Drop the chain's packets at this hop, counted as {@code HOP_DOWN}. */
    FAIL_CLOSED("fail-closed");

    private final String text;

    FailurePolicy(String text) {
        this.text = text;
    }

    /** The spelling in specs: {@code fail-open}. */
    public String text() {
        return text;
    }

    static FailurePolicy parse(String path, String value) {
        for (FailurePolicy p : values()) {
            if (p.text.equals(value)) {
                return p;
            }
        }
        throw new SpecException(path, "'" + value + "' is not fail-open or fail-closed");
    }
}
