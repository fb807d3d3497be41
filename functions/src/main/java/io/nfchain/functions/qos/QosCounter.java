package io.nfchain.functions.qos;

import io.nfchain.functions.sdk.FunctionCounter;

/**
 * The qos function's counters, each with the text people see in metrics, {@code show errors}
 * and traces. Immutable. Every packet is counted by exactly one of the drops ({@link #isDrop()})
 * or by one of {@link #QOS_PASS}, {@link #QOS_GBR_PROTECTED}, {@link #QOS_NO_SESSION_PASS}, {@link #QOS_GTPU_SIGNALLING_PASS};
 * {@link #QOS_DSCP_MARKED} counts again the forwarded packets whose DSCP was set.
 */
public enum QosCounter implements FunctionCounter {
    QOS_PASS("QoS packets forwarded within every MBR of their PDR", false),
    QOS_GBR_PROTECTED("QoS packets over an MBR forwarded as within a GBR of their PDR", false),
    QOS_GATE_CLOSED("QoS packets dropped: a QER gate is closed", true),
    QOS_MBR_EXCEEDED("QoS packets dropped: over a QER's MBR", true),
    QOS_DSCP_MARKED("QoS packets marked with their QoS flow's DSCP", false),
    QOS_NO_SESSION_PASS("QoS packets of no session, passed", false),
    SESSION_UNKNOWN("QoS packets dropped: no session", true),
    SESSION_NO_PDR("QoS packets dropped: no PDR of the session matches", true),
    QOS_MALFORMED("QoS malformed packets dropped", true),
    QOS_GTPU_SIGNALLING_PASS("QoS GTP-U signalling (echo, end marker, error indication) passed: no subscriber's traffic", false);

    private final String text;
    private final boolean drop;

    QosCounter(String text, boolean drop) {
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
