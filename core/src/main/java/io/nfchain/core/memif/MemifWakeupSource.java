package io.nfchain.core.memif;

import io.nfchain.core.os.EventFd;
import io.nfchain.core.os.PollSet;
import io.nfchain.core.runtime.WakeupSource;

/**
 * Not thread-safe except {@link #wake()}: one poll thread watches, arms, awaits and disarms;
 * {@link #wake()} may come from any thread. The {@link WakeupSource} of an {@code interrupt}
 * idle strategy over memif: it arms the receive interrupts of every watched queue and blocks
 * in {@code poll(2)} on their eventfds, on any extra descriptor (control sockets, a
 * server's listener) and on its own wake eventfd.
 *
 * <p>Watched queues belong to one connection: when it ends their eventfds close, so the
 * owner calls {@link #clear()} on every connect and disconnect and watches again. A watched
 * control socket that hung up stays readable, so the owner must service it (its
 * {@code doWork()} ends the connection) before waiting again.
 *
 * <p>Arming, waiting and disarming do not allocate.
 */
public final class MemifWakeupSource implements WakeupSource, AutoCloseable {
    private static final long NS_PER_MS = 1_000_000;
    private static final int WAKE_INDEX = 0;

    private final InterruptibleReceiveQueue[] queues;
    private final int[] readableFds;
    private final EventFd wakeFd;
    private final PollSet pollSet;
    private int queueCount;
    private int readableCount;
    private boolean stale = true;
    private long interruptsReceived;

    /** @param capacity the most queues plus extra descriptors watched at once, >= 1 */
    public MemifWakeupSource(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        this.queues = new InterruptibleReceiveQueue[capacity];
        this.readableFds = new int[capacity];
        this.wakeFd = EventFd.create(0, EventFd.EFD_NONBLOCK);
        this.pollSet = new PollSet(capacity + 1);
    }

    /** Watches {@code queue}'s receive interrupt from the next arm on. */
    public void watch(InterruptibleReceiveQueue queue) {
        requireRoom();
        queues[queueCount++] = queue;
        stale = true;
    }

    /** Also ends a wait when {@code fd} becomes readable (or hangs up); the owner reads it. */
    public void watchReadable(int fd) {
        requireRoom();
        readableFds[readableCount++] = fd;
        stale = true;
    }

    /** Forgets every queue and descriptor: before the connection they belong to ends. */
    public void clear() {
        for (int i = 0; i < queueCount; i++) {
            queues[i] = null;
        }
        queueCount = 0;
        readableCount = 0;
        stale = true;
    }

    @Override
    public boolean arm() {
        boolean pending = false;
        for (int i = 0; i < queueCount; i++) {
            pending |= queues[i].armReceiveInterrupt();
        }
        return pending;
    }

    @Override
    public boolean await(long timeoutNs) {
        if (stale) {
            rebuild();
        }
        long timeoutMs = Math.max(1, (timeoutNs + NS_PER_MS - 1) / NS_PER_MS);
        int ready = pollSet.await((int) Math.min(timeoutMs, Integer.MAX_VALUE));
        if (ready <= 0) {
            return false;
        }
        if (pollSet.readyEvents(WAKE_INDEX) != 0) {
            wakeFd.read();
        }
        for (int i = 0; i < queueCount; i++) {
            if (pollSet.readyEvents(1 + i) != 0 && queues[i].receiveInterrupt().read() != 0) {
                interruptsReceived++;
            }
        }
        return true;
    }

    @Override
    public void disarm() {
        for (int i = 0; i < queueCount; i++) {
            queues[i].disarmReceiveInterrupt();
        }
    }

    @Override
    public void wake() {
        wakeFd.write(1);
    }

    /** Receive interrupts that ended or shortened a wait: the peer's kicks that were seen. */
    public long interruptsReceived() {
        return interruptsReceived;
    }

    @Override
    public void close() {
        try {
            pollSet.close();
        } finally {
            wakeFd.close();
        }
    }

    private void rebuild() {
        pollSet.clear();
        pollSet.add(wakeFd.fd(), PollSet.POLLIN);
        for (int i = 0; i < queueCount; i++) {
            pollSet.add(queues[i].receiveInterrupt().fd(), PollSet.POLLIN);
        }
        for (int i = 0; i < readableCount; i++) {
            pollSet.add(readableFds[i], PollSet.POLLIN);
        }
        stale = false;
    }

    private void requireRoom() {
        if (queueCount + readableCount == queues.length) {
            throw new IllegalStateException("wakeup source full: capacity " + queues.length);
        }
    }
}
