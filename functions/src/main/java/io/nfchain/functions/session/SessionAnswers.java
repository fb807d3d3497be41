package io.nfchain.functions.session;

/**
 * Not thread-safe: the poll thread's. The session and PDR the first stage of a pipeline matched
 * for each packet of the current burst, by burst position, for the later stages sharing its
 * {@link SharedSessions table}: they read the answer instead of looking the session up again (VPP
 * keeps such results in a buffer's opaque words). A position has an answer only if the first
 * stage {@link #answered marked it} during the current burst; packets it did not match (echo
 * replies, end markers, packets of no session) have none, and a later stage looks those up
 * itself, in the same table.
 *
 * <p>An answer is the version of the session the first stage read; a later stage acting on it a
 * few hundred nanoseconds later is the same as a chain of processes in which it looked first.
 */
public final class SessionAnswers {
    private final SessionMatch[] byPosition;
    private final long[] stamp;
    private long burst = 1; // stamps start at 0: no answers before the first burst

    SessionAnswers(SessionTable table, int capacity) {
        if (capacity < 1 || capacity > 1024) {
            throw new IllegalArgumentException("burst capacity must be 1..1024, not " + capacity);
        }
        this.byPosition = new SessionMatch[capacity];
        for (int i = 0; i < capacity; i++) {
            byPosition[i] = new SessionMatch(table);
        }
        this.stamp = new long[capacity];
    }

    /** Positions that can hold an answer: a packet beyond them has none, and later stages look it up. */
    public int capacity() {
        return stamp.length;
    }

    /** First stage, at the start of a burst: every answer of the last burst is gone. */
    public void nextBurst() {
        burst++;
    }

    /** First stage: the match to look packet {@code position} up with (its answer once {@link #answered}). */
    public SessionMatch match(int position) {
        return byPosition[position];
    }

    /** First stage: {@link #match(int) match(position)} holds a matched PDR for this burst's packet there. */
    public void answered(int position) {
        stamp[position] = burst;
    }

    /** Later stages: packet {@code position}'s answer in this burst, or null when it has none. */
    public SessionMatch answer(int position) {
        return position < stamp.length && stamp[position] == burst ? byPosition[position] : null;
    }
}
