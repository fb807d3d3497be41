package io.nfchain.core.runtime;

/**
 * Receives what an agent threw. Called on the runner thread, so it must be quick and must not
 * block; the runner has already counted the error.
 */
@FunctionalInterface
public interface ErrorHandler {
    /** Prints the failure to standard error: enough for tests and tools, not for production. */
    ErrorHandler STDERR = error -> {
        System.err.println(Thread.currentThread().getName() + ": agent error");
        error.printStackTrace();
    };

    /** {@code error} was thrown by an agent (or its start or close hook) on this runner. */
    void onError(Throwable error);
}
