package io.nfchain.core.dpdk;

/**
 * Driving {@code dpdk-testpmd} failed: it exited early, did not answer in time, or printed
 * something the parser could not read. The message says which, and ends with testpmd's last
 * output lines when there are any.
 */
public final class TestPmdException extends RuntimeException {
    public TestPmdException(String message) {
        super(message);
    }

    public TestPmdException(String message, Throwable cause) {
        super(message, cause);
    }
}
