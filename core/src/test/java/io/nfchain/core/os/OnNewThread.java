package io.nfchain.core.os;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a test body on a fresh platform thread and hands back its result or failure, so that
 * per-thread kernel state a test changes (affinity, timer slack) dies with that thread and
 * never leaks into the JUnit worker.
 */
final class OnNewThread {
    private OnNewThread() {}

    static <T> T call(String name, Callable<T> body) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().name(name).unstarted(() -> {
            try {
                result.set(body.call());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        thread.start();
        thread.join();
        Throwable t = failure.get();
        if (t instanceof Error e) {
            throw e;
        }
        if (t instanceof Exception e) {
            throw e;
        }
        return result.get();
    }
}
