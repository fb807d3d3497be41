package io.nfchain.functions.session;

import java.util.Arrays;

/**
 * One session table for the user-plane functions a runner hosts as one pipeline (upf, qos,
 * charging in one poll loop): one {@link SessionControl} installs a session once for all of them,
 * each function hears of it through the listener it {@link #listen registers}, and each packet's
 * session and PDR is found once, by the first stage, and handed to the later ones
 * ({@link SessionAnswers}). QER and URR slots are the table's, so qos's policers and charging's
 * usage records are indexed by the same slots the answer names.
 *
 * <p>Built on the runner's thread before the poll thread starts; {@link #listen} only before the
 * first session is installed.
 */
public final class SharedSessions {
    private final Listeners listeners = new Listeners();
    private final SessionTable table;
    private final SessionControl control;
    private final SessionAnswers answers;

    /**
     * @param maxSessions 1 .. 2^24
     * @param maxQers     QER slots, 0 .. 2^26
     * @param maxUrrs     URR slots, 0 .. 2^26
     * @param burstCapacity the most packets of a burst, appended ones included (the worker's burst size)
     */
    public SharedSessions(int maxSessions, int maxQers, int maxUrrs, int burstCapacity) {
        this.table = new SessionTable(maxSessions, maxQers, maxUrrs, listeners);
        this.control = new SessionControl(table);
        this.answers = new SessionAnswers(table, burstCapacity);
    }

    public SessionTable table() {
        return table;
    }

    /** The one control every stage serves its sessions through. */
    public SessionControl control() {
        return control;
    }

    /** The first stage's per-packet answers, for the stages after it. */
    public SessionAnswers answers() {
        return answers;
    }

    /** Adds a function's listener; every listener hears every change, in the order they were added. */
    public void listen(SessionListener listener) {
        if (table.size() > 0) {
            throw new IllegalStateException("listeners are added before the first session is installed");
        }
        listeners.add(listener);
    }

    private static final class Listeners implements SessionListener {
        private SessionListener[] all = new SessionListener[0];

        void add(SessionListener listener) {
            all = Arrays.copyOf(all, all.length + 1);
            all[all.length - 1] = listener;
        }

        @Override
        public void created(SessionModel model, CompiledSession session) {
            for (SessionListener l : all) {
                l.created(model, session);
            }
        }

        @Override
        public void replaced(CompiledSession before, SessionModel model, CompiledSession after) {
            for (SessionListener l : all) {
                l.replaced(before, model, after);
            }
        }

        @Override
        public void deleted(CompiledSession before) {
            for (SessionListener l : all) {
                l.deleted(before);
            }
        }
    }
}
