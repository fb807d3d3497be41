package io.nfchain.functions.upf;

import io.nfchain.functions.sdk.FunctionCounter;

/**
 * Immutable. The upf's counters with the text people read in metrics, {@code show errors} and
 * traces. Every packet received is counted once: forwarded uplink or downlink, answered (echo),
 * consumed (echo response, end marker, error indication), buffered, or dropped with one of the
 * reasons ({@link #isDrop()}). Packets the upf makes (end markers, released buffered packets) are
 * counted by {@link #UPF_END_MARKER_SENT} and {@link #UPF_BUFFER_RELEASED}.
 */
public enum UpfCounter implements FunctionCounter {
    UPF_UPLINK_FORWARDED("uplink packets forwarded (GTP-U decapsulated)", false),
    UPF_DOWNLINK_FORWARDED("downlink packets forwarded (GTP-U encapsulated)", false),
    UPF_ECHO_REPLIED("GTP-U echo requests answered", false),
    UPF_ECHO_RESPONSE_RECEIVED("GTP-U echo responses received (consumed)", false),
    UPF_END_MARKER_RECEIVED("GTP-U end markers received (consumed)", false),
    UPF_ERROR_INDICATION_RECEIVED("GTP-U error indications received (consumed)", false),
    UPF_END_MARKER_SENT("GTP-U end markers sent to a former peer after a handover", false),
    UPF_END_MARKER_NOT_SENT("GTP-U end markers not sent: queue to the worker full", false),
    UPF_BUFFERED("packets buffered (FAR BUFFER, or older packets of the session still buffered)", false),
    UPF_BUFFER_RELEASED("buffered packets sent after their FAR became FORWARD", false),
    UPF_MALFORMED("packets dropped: malformed (parse failed)", true),
    UPF_NOT_IP("packets dropped: not IP", true),
    UPF_GTPU_UNSUPPORTED("packets dropped: GTP-U message type not handled", true),
    UPF_GTPU_NO_INNER("packets dropped: G-PDU without an IP packet", true),
    SESSION_UNKNOWN("packets dropped: no session for the TEID or UE address", true),
    SESSION_NO_PDR("packets dropped: no PDR of the session matches", true),
    UPF_FAR_DROP("packets dropped: FAR action DROP", true),
    UPF_BUFFER_FULL("packets dropped: session buffer or buffer pool full", true),
    UPF_BUFFER_DISCARDED("buffered packets dropped: session deleted or FAR became DROP", true),
    UPF_NO_HEADROOM("packets dropped: no headroom for the GTP-U header", true),
    UPF_NO_LOCAL_ADDRESS("packets dropped: no local N3 address of the peer's IP version", true),
    UPF_NOT_FORWARDABLE("packets dropped: FAR forwards to ACCESS without outer header creation", true);

    private final String text;
    private final boolean drop;

    UpfCounter(String text, boolean drop) {
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
