package io.nfchain.functions.sdk;

import io.nfchain.core.memif.ClientQueuePair;

/**
 * Not thread-safe: called on the poll thread, around each transmit. Implemented by a
 * {@link NetworkFunction} that must know exactly which packets were handed to the memif ring
 * (charging counts a packet as used when, and only when, the ring's head published it): the
 * worker calls {@link #beforeTransmit} right before it offers a gathered list of packets to
 * the link's transmit ring and {@link #afterTransmit} right after. Neither may block or allocate.
 */
public interface TransmitObserver {
    /**
     * The packets {@code frames[0 .. count-1]} of the current burst are about to be offered to
     * {@code queue}; its {@link ClientQueuePair#transmitHead()} is still the head before them.
     */
    void beforeTransmit(int output, ClientQueuePair queue, int[] frames, int count);

    /**
     * The transmit returned; {@link ClientQueuePair#transmitHead()} now says how many ring
     * slots it published (a packet takes {@code ceil(length / bufferBytes)} slots).
     */
    void afterTransmit(int output, ClientQueuePair queue, int[] frames, int count);
}
