package io.nfchain.functions.session;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The harness of the session concurrency tests: one writer creates, replaces and deletes
 * sessions while a reader thread repeats its step until the writer is done. Checked payloads, not
 * timing: a fixed number of writer steps.
 */
final class SessionChurn {
    static final int WRITER_STEPS = 300_000;

    private SessionChurn() {}

    /**
     * Runs {@code readerStep} over and over in a thread of its own while this thread takes
     * {@value #WRITER_STEPS} random steps on {@code table}: a session that is absent is created
     * (version {@code v} of {@code models[k]}), one in ten that exist is deleted, the rest are
     * replaced. Rethrows, as an {@link AssertionError}, what the reader threw.
     *
     * @param models {@code models[k][v]}: version {@code v} of session {@code k}, k from 1
     * @return the version each session holds at the end, -1 when it is absent
     */
    static int[] run(SessionTable table, SessionModel[][] models, Runnable readerStep) throws InterruptedException {
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                while (!done.get()) {
                    readerStep.run();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "session-reader");
        reader.start();
        int sessions = models.length - 1;
        int[] version = new int[sessions + 1];
        Arrays.fill(version, -1);
        Random random = new Random(2);
        for (int step = 0; step < WRITER_STEPS && failure.get() == null; step++) {
            int k = 1 + random.nextInt(sessions);
            int v = random.nextInt(models[k].length);
            if (version[k] < 0) {
                table.create(models[k][v], null);
                version[k] = v;
            } else if (random.nextInt(10) == 0) {
                table.delete(k);
                version[k] = -1;
            } else {
                table.replace(models[k][v], null);
                version[k] = v;
            }
        }
        done.set(true);
        reader.join();
        if (failure.get() != null) {
            throw new AssertionError("reader failed", failure.get());
        }
        return version;
    }
}
