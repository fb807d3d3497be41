package io.nfchain.core.os;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Not thread-safe: one thread registers and waits. An epoll instance with a reusable
 * ready-events buffer: {@link #await(int)} fills it without allocating, then
 * {@link #readyEvents(int)} and {@link #readyData(int)} read entry {@code i}.
 *
 * <p>Used by a poll-mode worker to sleep until a memif interrupt or a socket wakes it. The
 * epoll descriptor is owned and close-on-exec; the registered descriptors are not owned.
 */
public final class Epoll implements AutoCloseable {
    /** Event bits, Linux. */
    public static final int EPOLLIN = 0x001;
    public static final int EPOLLPRI = 0x002;
    public static final int EPOLLOUT = 0x004;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;
    public static final int EPOLLRDHUP = 0x2000;
    public static final int EPOLLEXCLUSIVE = 1 << 28;
    public static final int EPOLLONESHOT = 1 << 30;
    public static final int EPOLLET = 1 << 31;

    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_DEL = 2;
    private static final int EPOLL_CTL_MOD = 3;

    private static final MethodHandle EPOLL_CREATE1 =
            NativeCalls.downcall("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CTL = NativeCalls.downcall("epoll_ctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle EPOLL_WAIT = NativeCalls.downcall("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));

    private final int epfd;
    private final int maxEvents;
    private final Arena arena;
    private final MemorySegment readyBuffer;
    private final MemorySegment controlEvent;
    private final MemorySegment callState;
    private int readyCount;
    private boolean closed;

    private Epoll(int epfd, int maxEvents) {
        this.epfd = epfd;
        this.maxEvents = maxEvents;
        this.arena = Arena.ofShared();
        this.readyBuffer = arena.allocate(EpollEventLayout.SIZE * maxEvents, 8);
        this.controlEvent = arena.allocate(EpollEventLayout.LAYOUT);
        this.callState = NativeCalls.allocateCallState(arena);
    }

    /**
     * Creates an epoll instance.
     *
     * @param maxEvents how many ready descriptors one {@link #await} reports at most, >= 1
     */
    public static Epoll create(int maxEvents) {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be >= 1: " + maxEvents);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = NativeCalls.allocateCallState(arena);
            int epfd = (int) EPOLL_CREATE1.invokeExact(state, FileDescriptors.O_CLOEXEC);
            if (epfd == -1) {
                throw NativeCalls.failure("epoll_create1", state);
            }
            return new Epoll(epfd, maxEvents);
        } catch (Throwable t) {
            throw NativeCalls.unchecked(t);
        }
    }

    /** The epoll descriptor (it can itself be polled). */
    public int fd() {
        return epfd;
    }

    /**
     * Watches {@code fd} for {@code events}.
     *
     * @param events {@code EPOLL*} bits ({@link #EPOLLERR} and {@link #EPOLLHUP} are implied)
     * @param data returned with each readiness of {@code fd}: the fd itself, an index, ...
     * @throws NativeCallException {@code epoll_ctl: EEXIST} if already watched
     */
    public void add(int fd, int events, long data) {
        control(EPOLL_CTL_ADD, fd, events, data);
    }

    /** Changes what {@code fd} is watched for; {@code epoll_ctl: ENOENT} if not watched. */
    public void modify(int fd, int events, long data) {
        control(EPOLL_CTL_MOD, fd, events, data);
    }

    /**
     * Stops watching {@code fd}. Closing a descriptor does not always remove it (not while a
     * duplicate, such as one sent over {@code SCM_RIGHTS}, is open): delete first.
     */
    public void delete(int fd) {
        control(EPOLL_CTL_DEL, fd, 0, 0);
    }

    /**
     * Waits until a watched descriptor is ready or {@code timeoutMs} passes; does not
     * allocate.
     *
     * @param timeoutMs -1 waits forever, 0 returns at once, else the longest wait in ms
     * @return how many entries ({@code <= maxEvents}) are ready; 0 on timeout, and 0 when a
     *     signal interrupted the wait (the caller's loop simply waits again)
     */
    public int await(int timeoutMs) {
        try {
            int n = (int) EPOLL_WAIT.invokeExact(callState, epfd, readyBuffer, maxEvents, timeoutMs);
            if (n == -1) {
                if (NativeCalls.errno(callState) != Errno.EINTR) {
                    throw NativeCalls.failure("epoll_wait", callState);
                }
                n = 0;
            }
            readyCount = n;
            return n;
        } catch (Throwable t) {
            throw NativeCalls.unchecked(t);
        }
    }

    /** The {@code EPOLL*} bits of ready entry {@code index}, 0 <= index < last await result. */
    public int readyEvents(int index) {
        return EpollEventLayout.events(readyBuffer, checkReady(index));
    }

    /** The {@code data} registered for ready entry {@code index}, 0 <= index < last await result. */
    public long readyData(int index) {
        return EpollEventLayout.data(readyBuffer, checkReady(index));
    }

    /** Closes the epoll descriptor (not the watched ones). A second call does nothing. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                FileDescriptors.close(epfd);
            } finally {
                arena.close();
            }
        }
    }

    private int checkReady(int index) {
        if (index < 0 || index >= readyCount) {
            throw new IndexOutOfBoundsException("ready entry " + index + " of " + readyCount);
        }
        return index;
    }

    private void control(int op, int fd, int events, long data) {
        EpollEventLayout.set(controlEvent, 0, events, data);
        try {
            int rc = (int) EPOLL_CTL.invokeExact(callState, epfd, op, fd, controlEvent);
            if (rc == -1) {
                throw NativeCalls.failure("epoll_ctl", callState, "fd " + fd);
            }
        } catch (Throwable t) {
            throw NativeCalls.unchecked(t);
        }
    }
}
