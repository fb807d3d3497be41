package io.nfchain.core.runtime;

/**
 * Not thread-safe except {@link #wake()}: owned by one runner thread. What a poll loop does
 * after each duty cycle: nothing when there was work, spin, yield, sleep or block when there
 * was none. Chosen by name in configuration, see {@link IdleStrategies}.
 */
public interface IdleStrategy {
    /**
     * Called after every duty cycle.
     *
     * @param workCount what the agent's {@code doWork()} returned, >= 0; 0 lets the strategy
     *     idle, anything else makes it return at once and resets its back-off
     */
    void idle(int workCount);

    /** Forgets the idle history, as after work: the next empty cycle starts from the first step. */
    void reset();

    /** The configuration name: {@code busy}, {@code backoff}, {@code adaptive}, {@code interrupt}. */
    String name();

    /** How many times the strategy slept or blocked so far. Owner thread only. */
    default long sleeps() {
        return 0;
    }

    /** The time spent in those sleeps, measured with the strategy's clock. Owner thread only. */
    default long sleptNs() {
        return 0;
    }

    /**
     * Any thread: cuts a blocking wait short (a command was queued, the runner is closing). A
     * park is cut short by the runner unparking its thread; this is for waits the JVM cannot
     * interrupt, such as {@code poll(2)} on an eventfd.
     */
    default void wake() {}
}
