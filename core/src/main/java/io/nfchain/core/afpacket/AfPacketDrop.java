package io.nfchain.core.afpacket;

/**
 * Why the af_packet port dropped a frame, with its human text, counted per port (see
 * {@link AfPacketCounters}). Drops inside the kernel (ring full) are counted apart, from
 * PACKET_STATISTICS.
 */
public enum AfPacketDrop {
    RX_TRUNCATED("received frame longer than the ring's frame slot, cut by the kernel"),
    RX_TOO_LONG("received frame longer than the burst's buffers"),
    RX_RING_CORRUPT("receive block or packet header points outside its block"),
    TX_TOO_SHORT("frame shorter than an Ethernet header"),
    TX_TOO_LONG("frame longer than the interface MTU or the transmit slot"),
    TX_REJECTED("kernel refused a transmit frame");

    private final String text;

    AfPacketDrop(String text) {
        this.text = text;
    }

    /** The human text shown in metrics, {@code show errors} and traces. */
    public String text() {
        return text;
    }
}
