package io.nfchain.core.os;

/**
 * A libc call failed. The message names the call and the symbolic errno, such as
 * {@code "connect: ECONNREFUSED"}, optionally followed by a detail in parentheses, such as
 * {@code "connect: ENOENT (/run/nfchain/memif.sock)"}.
 *
 * <p>The one exception type of this package for failed system calls. Non-blocking calls that
 * the datapath polls report "nothing there" as a return value, never as this exception.
 */
public final class NativeCallException extends RuntimeException {
    private final String call;
    private final int errno;

    /** {@code call} is the libc function name; {@code errno} its error number. */
    public NativeCallException(String call, int errno) {
        super(call + ": " + Errno.name(errno));
        this.call = call;
        this.errno = errno;
    }

    /** As {@link #NativeCallException(String, int)}, with a detail such as a path or name. */
    public NativeCallException(String call, int errno, String detail) {
        super(call + ": " + Errno.name(errno) + " (" + detail + ")");
        this.call = call;
        this.errno = errno;
    }

    /** The libc function that failed, such as {@code "connect"}. */
    public String call() {
        return call;
    }

    /** The errno number, see {@link Errno}. */
    public int errno() {
        return errno;
    }

    /** The symbolic errno, such as {@code "ECONNREFUSED"}. */
    public String errnoName() {
        return Errno.name(errno);
    }
}
