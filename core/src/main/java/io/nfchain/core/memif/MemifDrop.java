package io.nfchain.core.memif;

/**
 * Why a packet or descriptor was dropped on a memif datapath, with its human text, counted
 * per queue (see {@link MemifCounters}).
 */
public enum MemifDrop {
    DESCRIPTOR_REGION_UNKNOWN("descriptor names a region the peer never registered"),
    DESCRIPTOR_OUTSIDE_REGION("descriptor offset or length outside its region"),
    FRAME_TOO_LONG("frame longer than the receive buffer"),
    FRAME_EMPTY("zero-length frame"),
    RING_CURSOR_INVALID("peer moved a ring cursor beyond the ring size"),
    RING_FULL("no free slot in the ring"),
    BUFFER_TOO_SMALL("peer posted a buffer too small for the frame"),
    CONNECTION_LOST("frame still in a ring when the connection ended");

    private final String text;

    MemifDrop(String text) {
        this.text = text;
    }

    /** The human text shown in metrics, {@code show errors} and traces. */
    public String text() {
        return text;
    }
}
