package io.nfchain.functions.session;

/**
 * Immutable. A session change the table refuses though its rules are valid: the SEID exists or
 * not, a TEID or UE address belongs to another session, or the table is full. {@link #code()} is
 * the google.rpc.Code the proto's ChangeResult carries.
 */
public final class SessionException extends RuntimeException {
    public static final int NOT_FOUND = 5;
    public static final int ALREADY_EXISTS = 6;
    public static final int RESOURCE_EXHAUSTED = 8;

    private final int code;

    public SessionException(int code, String message) {
        super(message);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
