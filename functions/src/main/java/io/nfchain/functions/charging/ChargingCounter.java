package io.nfchain.functions.charging;

import io.nfchain.functions.sdk.FunctionCounter;

/**
 * Immutable. The charging function's counters with the text shown in metrics, {@code show
 * errors} and traces. Every dropped packet is counted by exactly one drop; forwarded packets
 * are counted in the usage store, not here (that count is the one that must survive a crash).
 */
public enum ChargingCounter implements FunctionCounter {
    CHARGING_QUOTA_EXHAUSTED("charging packets dropped: quota used up (block)", true),
    CHARGING_REDIRECTED("charging packets redirected: quota used up (redirect)", false),
    CHARGING_REDIRECT_UNSUPPORTED("charging packets dropped: quota used up, redirect needs IPv4 with a redirect address", true),
    SESSION_UNKNOWN("charging packets dropped: no session for the UE address", true),
    SESSION_NO_PDR("charging packets dropped: no PDR of the session matches", true),
    CHARGING_URR_UNMAPPED("charging packets dropped: URR not yet bound to a usage record", true),
    CHARGING_TOO_MANY_URRS("charging packets dropped: more URRs than charging.urrs-per-packet", true),
    CHARGING_MALFORMED("charging packets dropped: not a well-formed IP packet", true),
    CHARGING_GTPU_SIGNALLING("charging GTP-U signalling (echo, end marker, error indication) forwarded, charged to no URR", false);

    private final String text;
    private final boolean drop;

    ChargingCounter(String text, boolean drop) {
        this.text = text;
        this.drop = drop;
    }

    @Override
    public String text() {
        return text;
    }

    @Override
    public boolean isDrop() {
        return drop;
    }
}
