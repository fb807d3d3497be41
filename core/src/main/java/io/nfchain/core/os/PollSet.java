package io.nfchain.core.os;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Not thread-safe: one thread fills and waits. A reusable {@code pollfd} array for
 * {@code poll(2)}: for a few descriptors where an epoll instance is not worth it (a control
 * socket and an eventfd). {@link #await(int)} does not allocate. Descriptors are not owned.
 */
public final class PollSet implements AutoCloseable {
    /** Event bits, Linux. */
    public static final int POLLIN = 0x001;
    public static final int POLLPRI = 0x002;
    public static final int POLLOUT = 0x004;
    /** Reported only, never requested: error, hang-up, descriptor not open. */
    public static final int POLLERR = 0x008;
    public static final int POLLHUP = 0x010;
    public static final int POLLNVAL = 0x020;
    public static final int POLLRDHUP = 0x2000;

    private static final MethodHandle POLL = NativeCalls.downcall("poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));

    private final int capacity;
    private final Arena arena;
    private final MemorySegment pollFds;
    private final MemorySegment callState;
    private int size;
    private boolean closed;

    /** An empty set that can hold {@code capacity} (>= 1) descriptors. */
    public PollSet(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        this.capacity = capacity;
        this.arena = Arena.ofShared();
        this.pollFds = arena.allocate(PollFdLayout.LAYOUT, capacity);
        this.callState = NativeCalls.allocateCallState(arena);
    }

    /**
     * Adds {@code fd} to watch for {@code events} ({@code POLL*} bits).
     *
     * @return its index, for {@link #readyEvents(int)}
     * @throws IllegalStateException when the set already holds {@code capacity} descriptors
     */
    public int add(int fd, int events) {
        if (size == capacity) {
            throw new IllegalStateException("poll set full: capacity " + capacity);
        }
        PollFdLayout.set(pollFds, size, fd, events);
        return size++;
    }

    /** Removes every descriptor. */
    public void clear() {
        size = 0;
    }

    /** How many descriptors the set holds. */
    public int size() {
        return size;
    }

    /**
     * Waits until a descriptor is ready or {@code timeoutMs} passes.
     *
     * @param timeoutMs -1 waits forever, 0 returns at once, else the longest wait in ms
     * @return how many descriptors have events (including {@link #POLLNVAL}); 0 on timeout
     *     and when a signal interrupted the wait
     */
    public int await(int timeoutMs) {
        // poll(2) rewrites revents of every entry, so stale results never survive a call.
        try {
            int n = (int) POLL.invokeExact(callState, pollFds, (long) size, timeoutMs);
            if (n == -1) {
                if (NativeCalls.errno(callState) != Errno.EINTR) {
                    throw NativeCalls.failure("poll", callState);
                }
                return 0;
            }
            return n;
        } catch (Throwable t) {
            throw NativeCalls.unchecked(t);
        }
    }

    /** The events the last {@link #await} reported for entry {@code index} ({@code POLL*} bits). */
    public int readyEvents(int index) {
        return PollFdLayout.revents(pollFds, checkIndex(index));
    }

    /** The descriptor at {@code index}. */
    public int fd(int index) {
        return PollFdLayout.fd(pollFds, checkIndex(index));
    }

    /** Frees the array; the descriptors stay open. A second call does nothing. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }

    private int checkIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("poll entry " + index + " of " + size);
        }
        return index;
    }
}
