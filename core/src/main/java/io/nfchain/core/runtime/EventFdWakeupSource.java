package io.nfchain.core.runtime;

import io.nfchain.core.os.EventFd;
import io.nfchain.core.os.PollSet;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.BooleanSupplier;

/**
 * Not safe for several consumers: one thread arms and waits, any number of producers signal.
 * A {@link WakeupSource} over a non-blocking eventfd the consumer owns, waited with
 * {@code poll(2)}: for in-process producers (a command queue, an in-JVM ring). memif brings
 * its own source (the ring's interrupt eventfd and mask flag).
 */
public final class EventFdWakeupSource implements WakeupSource, AutoCloseable {
    private static final long NS_PER_MS = 1_000_000;
    private static final VarHandle ARMED;

    static {
        try {
            ARMED = MethodHandles.lookup().findVarHandle(EventFdWakeupSource.class, "armed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final EventFd eventFd;
    private final PollSet pollSet;
    private final BooleanSupplier workPending;
    @SuppressWarnings("unused") // accessed through ARMED
    private boolean armed;

    /**
     * @param workPending consumer thread, after arming: whether work is already waiting (a
     *     ring or queue not empty); must not allocate
     */
    public EventFdWakeupSource(BooleanSupplier workPending) {
        this.workPending = workPending;
        this.eventFd = EventFd.create(0, EventFd.EFD_NONBLOCK);
        this.pollSet = new PollSet(1);
        pollSet.add(eventFd.fd(), PollSet.POLLIN);
    }

    @Override
    public boolean arm() {
        ARMED.setVolatile(this, true);
        return workPending.getAsBoolean();
    }

    @Override
    public boolean await(long timeoutNs) {
        long timeoutMs = Math.max(1, (timeoutNs + NS_PER_MS - 1) / NS_PER_MS);
        int ready = pollSet.await((int) Math.min(timeoutMs, Integer.MAX_VALUE));
        if (ready > 0) {
            eventFd.read();
            return true;
        }
        return false;
    }

    @Override
    public void disarm() {
        ARMED.setRelease(this, false);
    }

    /**
     * Producer thread, after publishing work: signals the consumer if it is armed. Costs a
     * full fence, and a {@code write(2)} only when the consumer is blocked or about to block.
     */
    public void signalIfArmed() {
        VarHandle.fullFence();
        if ((boolean) ARMED.getVolatile(this)) {
            eventFd.write(1);
        }
    }

    /** Whether the consumer asked to be signalled. */
    public boolean isArmed() {
        return (boolean) ARMED.getVolatile(this);
    }

    @Override
    public void wake() {
        eventFd.write(1);
    }

    /** Closes the eventfd; the consumer must have stopped waiting. */
    @Override
    public void close() {
        try {
            pollSet.close();
        } finally {
            eventFd.close();
        }
    }
}
