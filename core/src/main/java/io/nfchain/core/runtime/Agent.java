package io.nfchain.core.runtime;

/**
 * A poll loop's body: one {@link #doWork()} call is one duty cycle, run again and again by
 * an {@link AgentRunner} on its own thread. The agent owns its ports, rings and tables (one
 * writer per structure); other threads reach it only through a command queue that
 * {@code doWork()} drains with a limit ({@link ManyToOneCommandQueue}).
 *
 * <p>{@code doWork()} must not block and should not allocate: when there is nothing to do it
 * returns 0 and lets the runner's idle strategy decide whether to spin, sleep or block.
 */
public interface Agent {
    /**
     * Does one bounded round of work: receive a burst, process it, send it, drain some
     * commands.
     *
     * @return the work done, >= 0: packets (or commands) handled; 0 means "found nothing",
     *     which is what idle strategies and the empty-poll counter key on
     * @throws Exception counted and passed to the runner's error handler; the runner goes on
     */
    int doWork() throws Exception;

    /** A short name for the thread and the statistics, such as {@code "worker-0"}. */
    String roleName();

    /** Called once on the runner thread before the first {@link #doWork()}. */
    default void onStart() throws Exception {}

    /**
     * Called once on the runner thread after the last {@link #doWork()}, or on the closing
     * thread if the runner never started.
     */
    default void onClose() throws Exception {}
}
