package io.nfchain.core.memif;

import io.nfchain.core.os.EventFd;

/**
 * Not thread-safe: called by the queue's receiving thread only. The receive side of a memif
 * queue pair as an interrupt-driven idle loop sees it: the ring's "interrupts masked" flag,
 * which tells the peer whether to kick, and the eventfd it kicks.
 *
 * <p>A receiver polls with interrupts masked (the peer then never pays a {@code write(2)}).
 * Before blocking it arms: unmasks, fences, and re-checks the ring, because a burst published
 * just before the unmask would otherwise never be signalled.
 */
public interface InterruptibleReceiveQueue {
    /**
     * Asks the peer to kick {@link #receiveInterrupt()} after each burst it produces.
     *
     * @return true if frames are already waiting: poll them instead of blocking
     */
    boolean armReceiveInterrupt();

    /** Masks interrupts again: the receiver is polling. */
    void disarmReceiveInterrupt();

    /** The eventfd the peer kicks while armed; readable when kicked. */
    EventFd receiveInterrupt();
}
