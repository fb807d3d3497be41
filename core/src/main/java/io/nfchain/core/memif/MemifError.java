package io.nfchain.core.memif;

/**
 * Why a control message or a connection was refused, with the text sent in DISCONNECT and
 * shown in {@code show errors}. {@link #NONE} means the message is valid.
 */
public enum MemifError {
    NONE("ok"),
    BAD_MESSAGE_SIZE("Invalid message size"),
    UNKNOWN_MESSAGE_TYPE("Unknown message type"),
    UNEXPECTED_MESSAGE("Unexpected message"),
    VERSION_MISMATCH("Incompatible memif version"),
    NAME_NOT_TERMINATED("Name field not NUL-terminated"),
    SECRET_NOT_TERMINATED("Secret field not NUL-terminated"),
    TEXT_NOT_TERMINATED("Disconnect text not NUL-terminated"),
    UNSUPPORTED_MODE("Only ethernet mode supported"),
    UNKNOWN_INTERFACE_ID("ID not found"),
    SECRET_REQUIRED("Secret required"),
    WRONG_SECRET("Incorrect secret"),
    ALREADY_CONNECTED("Already connected"),
    REGION_INDEX_OUT_OF_RANGE("Invalid region index"),
    REGION_SIZE_OUT_OF_RANGE("Invalid region size"),
    REGION_FD_MISSING("Missing region fd"),
    REGION_NOT_MAPPABLE("Region fd cannot be mapped"),
    REGION_SMALLER_THAN_DECLARED("Region file smaller than its declared size"),
    REGION_NOT_SEALED("Region fd not sealed against shrinking (F_SEAL_SHRINK)"),
    RING_INDEX_OUT_OF_RANGE("Invalid ring index"),
    RING_FLAGS_UNKNOWN("Unknown ring flags"),
    RING_SIZE_OUT_OF_RANGE("Invalid ring size"),
    RING_PRIVATE_HEADER_UNSUPPORTED("Private header not supported"),
    RING_FD_MISSING("Missing interrupt fd"),
    RING_OUTSIDE_REGION("Ring outside its region"),
    RING_BAD_COOKIE("Wrong ring cookie"),
    RINGS_INCOMPLETE("Rings missing or not paired"),
    PEER_CLOSED("Peer closed the control socket"),
    PEER_DISCONNECTED("Peer sent DISCONNECT"),
    SOCKET_ERROR("Control socket error"),
    SERVER_UNREACHABLE("Server socket missing or refusing connections"),
    LOCAL_REGION_FAILED("Could not create the shared memory region"),
    LOCAL_CLOSE("Interface closed");

    private final String text;

    MemifError(String text) {
        this.text = text;
    }

    /** The human text, as sent in DISCONNECT (at most 95 bytes). */
    public String text() {
        return text;
    }
}
