package io.nfchain.core.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Safe for many producers, NOT safe for more than one consumer. A bounded FIFO of commands
 * for a poll loop: control threads {@link #offer} (rule updates, port changes, table swaps),
 * the owning agent {@link #drain}s a limited number per duty cycle, so a flood of commands
 * never stalls the packets.
 *
 * <p>Each slot carries a sequence number (D. Vyukov's bounded queue): producers claim a
 * position with one CAS on the tail and publish the slot with a release store of its
 * sequence; the consumer reads the sequence with acquire, takes the command and frees the
 * slot for the next lap with a release store. Producers never touch the consumer's position
 * and the consumer never writes the producers', and the two sit on separate cache lines.
 * Commands from one producer are drained in the order it offered them.
 *
 * <p>The consumer side allocates nothing (pass a handler kept in a field, not a fresh
 * lambda). A producer that has claimed a slot but not yet published it holds the consumer at
 * that slot until it does: the queue is lock-free for producers, and the consumer waits only
 * on a producer that is mid-offer.
 *
 * @param <T> the command type
 */
public final class ManyToOneCommandQueue<T> extends ManyToOneCommandQueueHead {
    private static final VarHandle SEQUENCE = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle ELEMENT = MethodHandles.arrayElementVarHandle(Object[].class);

    private final int capacity;
    private final int mask;
    private final long[] sequences;
    private final Object[] commands;

    /** @param capacity how many commands it holds, a power of two >= 2 */
    public ManyToOneCommandQueue(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two >= 2: " + capacity);
        }
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.sequences = new long[capacity];
        this.commands = new Object[capacity];
        for (int i = 0; i < capacity; i++) {
            sequences[i] = i;
        }
        VarHandle.releaseFence();
    }

    /** How many commands the queue can hold. */
    public int capacity() {
        return capacity;
    }

    /**
     * Any thread: appends {@code command} if there is room.
     *
     * @return false when the queue is full (the consumer is behind); the caller retries or reports
     */
    public boolean offer(T command) {
        Objects.requireNonNull(command, "command");
        long tail = (long) TAIL.getOpaque(this);
        while (true) {
            int index = (int) tail & mask;
            long sequence = (long) SEQUENCE.getAcquire(sequences, index);
            long lap = sequence - tail;
            if (lap == 0) {
                long witness = (long) TAIL.compareAndExchange(this, tail, tail + 1);
                if (witness == tail) {
                    ELEMENT.setOpaque(commands, index, command);
                    SEQUENCE.setRelease(sequences, index, tail + 1);
                    return true;
                }
                tail = witness;
            } else if (lap < 0) {
                return false;
            } else {
                tail = (long) TAIL.getOpaque(this);
            }
        }
    }

    /**
     * Consumer thread only: hands up to {@code limit} commands to {@code handler}, oldest first.
     * A command is removed before its handler runs, so a handler that throws loses only that
     * command (the exception propagates).
     *
     * @param limit >= 0, the most commands to take in this call
     * @return how many were handled
     */
    public int drain(Consumer<? super T> handler, int limit) {
        int handled = 0;
        while (handled < limit) {
            T command = poll();
            if (command == null) {
                break;
            }
            handled++;
            handler.accept(command);
        }
        return handled;
    }

    /** Consumer thread only: removes and returns the oldest command, or null when there is none (yet). */
    @SuppressWarnings("unchecked")
    public T poll() {
        long head = this.head;
        int index = (int) head & mask;
        long sequence = (long) SEQUENCE.getAcquire(sequences, index);
        if (sequence != head + 1) {
            return null;
        }
        T command = (T) ELEMENT.getOpaque(commands, index);
        ELEMENT.setOpaque(commands, index, null);
        SEQUENCE.setRelease(sequences, index, head + capacity);
        HEAD.setOpaque(this, head + 1);
        return command;
    }

    /** Any thread: whether a command is published and waiting; exact only on the consumer thread. */
    public boolean isEmpty() {
        long head = (long) HEAD.getOpaque(this);
        return (long) SEQUENCE.getAcquire(sequences, (int) head & mask) != head + 1;
    }

    /** Any thread: commands offered and not yet taken, approximately. */
    public int size() {
        long head = (long) HEAD.getOpaque(this);
        long tail = (long) TAIL.getOpaque(this);
        return (int) Math.max(0, Math.min(capacity, tail - head));
    }
}

/** Cache-line padding before the producers' position. */
abstract class ManyToOneCommandQueuePad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p0a, p0b, p0c, p0d, p0e, p0f;
}

/** The producers' position: the next sequence to claim. */
abstract class ManyToOneCommandQueueTail extends ManyToOneCommandQueuePad0 {
    static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(ManyToOneCommandQueueTail.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    long tail;
}

/** Cache-line padding between the producers' and the consumer's positions. */
abstract class ManyToOneCommandQueuePad1 extends ManyToOneCommandQueueTail {
    long p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p1a, p1b, p1c, p1d, p1e, p1f;
}

/** The consumer's position, written by the consumer only; then padding after it. */
abstract class ManyToOneCommandQueueHead extends ManyToOneCommandQueuePad1 {
    static final VarHandle HEAD;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(ManyToOneCommandQueueHead.class, "head", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    long head;
    long p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p2a, p2b, p2c, p2d, p2e, p2f;
}
