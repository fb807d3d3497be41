package io.nfchain.core.runtime;

/**
 * What an {@code interrupt} idle strategy blocks on: a line producers signal once the consumer
 * has armed it. memif's ring eventfd with its "interrupts masked" flag is one; an in-process
 * {@link EventFdWakeupSource} is another.
 *
 * <p>The race to close: work published between the consumer's last empty poll and its arming
 * would never be signalled. So {@link #arm()} first lets producers see the line armed, then
 * checks for pending work; producers publish work, then check whether the line is armed (with
 * a full fence in between on both sides).
 */
public interface WakeupSource {
    /**
     * Consumer thread: asks producers to signal from now on.
     *
     * @return true if work is already pending, so the caller polls instead of blocking
     */
    boolean arm();

    /**
     * Consumer thread: blocks until signalled, woken or {@code timeoutNs} passes, and
     * consumes the signal.
     *
     * @param timeoutNs > 0; the wait may be rounded up to the source's granularity (1 ms for poll(2))
     * @return true if a signal (or {@link #wake()}) ended the wait, false on timeout
     */
    boolean await(long timeoutNs);

    /** Consumer thread: producers stop signalling; the consumer is polling again. */
    void disarm();

    /** Any thread: ends a current or the next {@link #await} at once, armed or not. */
    void wake();
}
