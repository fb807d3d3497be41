package io.nfchain.core.os;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Not thread-safe: at most one thread reads and one (other) thread writes at a time. An
 * {@code eventfd}: the interrupt line of a memif ring.
 *
 * <p>{@link #read()} and {@link #write(long)} do not allocate: each direction has its own
 * pre-allocated 8-byte buffer and errno slot, which is why one reader and one writer may run
 * concurrently. The descriptor is owned: close it once.
 */
public final class EventFd implements AutoCloseable {
    /** Each read returns 1 and decrements the counter, instead of returning and zeroing it. */
    public static final int EFD_SEMAPHORE = 0x1;
    /** Reads on a zero counter return 0 at once instead of blocking. */
    public static final int EFD_NONBLOCK = FileDescriptors.O_NONBLOCK;

    private static final int EFD_CLOEXEC = FileDescriptors.O_CLOEXEC;
    private static final long COUNTER_BYTES = Long.BYTES;

    private static final MethodHandle EVENTFD =
            NativeCalls.downcall("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle READ =
            NativeCalls.downcall("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE =
            NativeCalls.downcall("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));

    private final int fd;
    private final Arena arena;
    private final MemorySegment readCounter;
    private final MemorySegment readState;
    private final MemorySegment writeCounter;
    private final MemorySegment writeState;
    private boolean closed;

    private EventFd(int fd) {
        this.fd = fd;
        this.arena = Arena.ofShared();
        this.readCounter = arena.allocate(JAVA_LONG);
        this.readState = NativeCalls.allocateCallState(arena);
        this.writeCounter = arena.allocate(JAVA_LONG);
        this.writeState = NativeCalls.allocateCallState(arena);
    }

    /**
     * Creates an eventfd, close-on-exec.
     *
     * @param initialValue the counter's start value, >= 0
     * @param flags {@link #EFD_NONBLOCK} and/or {@link #EFD_SEMAPHORE}, or 0
     */
    public static EventFd create(int initialValue, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = NativeCalls.allocateCallState(arena);
            int fd = (int) EVENTFD.invokeExact(state, initialValue, flags | EFD_CLOEXEC);
            if (fd == -1) {
                throw NativeCalls.failure("eventfd", state);
            }
            return new EventFd(fd);
        } catch (Throwable t) {
            throw NativeCalls.unchecked(t);
        }
    }

    /** Takes ownership of an eventfd descriptor received from a peer (memif ADD_RING). */
    public static EventFd adopt(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("not a descriptor: " + fd);
        }
        return new EventFd(fd);
    }

    /** The descriptor, still owned by this object: register or send it, do not close it. */
    public int fd() {
        return fd;
    }

    /**
     * Reads and resets the counter (or takes 1 from it with {@link #EFD_SEMAPHORE}).
     * Blocks while it is zero unless non-blocking. {@code EINTR} is retried.
     *
     * @return the counter value, an unsigned 64-bit number; 0 when non-blocking and nothing
     *     was signalled (the kernel never returns a zero count)
     */
    public long read() {
        try {
            long n;
            do {
                n = (long) READ.invokeExact(readState, fd, readCounter, COUNTER_BYTES);
            } while (n == -1 && NativeCalls.errno(readState) == Errno.EINTR);
            if (n == -1) {
                if (NativeCalls.errno(readState) == Errno.EAGAIN) {
                    return 0;
                }
                throw NativeCalls.failure("read", readState);
            }
            return readCounter.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw NativeCalls.unchecked(t);
        }
    }

    /**
     * Adds {@code value} to the counter, waking readers. {@code EINTR} is retried.
     *
     * @param value 1 .. 0xffff_ffff_ffff_fffe as an unsigned number; -1 is rejected by the
     *     kernel ({@code write: EINVAL})
     * @return false when non-blocking and the counter would overflow (the reader is far
     *     behind); true once added
     */
    public boolean write(long value) {
        try {
            writeCounter.set(JAVA_LONG, 0, value);
            long n;
            do {
                n = (long) WRITE.invokeExact(writeState, fd, writeCounter, COUNTER_BYTES);
            } while (n == -1 && NativeCalls.errno(writeState) == Errno.EINTR);
            if (n == -1) {
                if (NativeCalls.errno(writeState) == Errno.EAGAIN) {
                    return false;
                }
                throw NativeCalls.failure("write", writeState);
            }
            return true;
        } catch (Throwable t) {
            throw NativeCalls.unchecked(t);
        }
    }

    /** Closes the descriptor and frees the buffers. A second call does nothing. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                FileDescriptors.close(fd);
            } finally {
                arena.close();
            }
        }
    }
}
