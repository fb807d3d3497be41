package io.nfchain.core.os;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Not thread-safe: one thread sends, receives and accepts. An {@code AF_UNIX}
 * {@code SOCK_SEQPACKET} socket: the memif control channel, where every message keeps its
 * boundaries and may carry file descriptors ({@code SCM_RIGHTS}).
 *
 * <p>{@link #receive(MemorySegment)} does not allocate: the message header, the control
 * buffer and the received-descriptor array are owned by this object and reused. The socket
 * descriptor is owned and close-on-exec; received descriptors belong to the caller.
 */
public final class UnixSeqpacketSocket implements AutoCloseable {
    /** Most descriptors {@link #receive} accepts in one message; more is reported as truncation. */
    public static final int MAX_FDS_RECEIVED = 16;
    /** Most descriptors {@link #send} attaches to one message: the kernel's {@code SCM_MAX_FD}. */
    public static final int MAX_FDS_SENT = 253;

    private static final MethodHandle LISTEN =
            NativeCalls.downcall("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle ACCEPT4 = NativeCalls.downcall("accept4",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle CONNECT =
            NativeCalls.downcall("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SOCKETPAIR = NativeCalls.downcall("socketpair",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle SENDMSG =
            NativeCalls.downcall("sendmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVMSG =
            NativeCalls.downcall("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));

    private static final long RECEIVE_CONTROL_BYTES =
            ControlMessageLayout.space((long) MAX_FDS_RECEIVED * Integer.BYTES);
    private static final long SEND_CONTROL_BYTES = ControlMessageLayout.space((long) MAX_FDS_SENT * Integer.BYTES);
    private static final int[] NO_FDS = {};

    private final int fd;
    /** The path this socket bound and must unlink on close; null for connected sockets. */
    private final Path boundPath;
    private final Arena arena;
    private final MemorySegment msghdr;
    private final MemorySegment iovec;
    private final MemorySegment receiveControl;
    private final MemorySegment sendControl;
    private final MemorySegment callState;
    private final int[] receivedFds = new int[MAX_FDS_RECEIVED];
    private int receivedFdCount;
    private boolean closed;

    private UnixSeqpacketSocket(int fd, Path boundPath) {
        this.fd = fd;
        this.boundPath = boundPath;
        this.arena = Arena.ofShared();
        this.msghdr = arena.allocate(MsgHdrLayout.MSGHDR);
        this.iovec = arena.allocate(MsgHdrLayout.IOVEC);
        this.receiveControl = arena.allocate(RECEIVE_CONTROL_BYTES, 8);
        this.sendControl = arena.allocate(SEND_CONTROL_BYTES, 8);
        this.callState = NativeCalls.allocateCallState(arena);
    }

    /**
     * Binds a new socket to {@code path} and listens: the memif server side. The socket file
     * must not exist (else {@code bind: EADDRINUSE}); {@link #close()} deletes it.
     *
     * @param path a filesystem path of at most 107 bytes in UTF-8
     * @param backlog connections the kernel queues before {@link #accept()}, >= 1
     */
    public static UnixSeqpacketSocket listen(Path path, int backlog) {
        int fd = Sockets.open(Sockets.AF_UNIX, Sockets.SOCK_SEQPACKET, 0);
        boolean bound = false;
        try (Arena arena = Arena.ofConfined()) {
            Sockets.bind(fd, SockAddrUnLayout.allocate(arena, path), path.toString());
            bound = true;
            MemorySegment state = NativeCalls.allocateCallState(arena);
            int rc = (int) LISTEN.invokeExact(state, fd, backlog);
            if (rc == -1) {
                throw NativeCalls.failure("listen", state, path.toString());
            }
        } catch (Throwable t) {
            RuntimeException failure = NativeCalls.unchecked(t);
            FileDescriptors.closeAfterFailure(fd, failure);
            if (bound) {
                deleteAfterFailure(path, failure); // bind created the file: do not leave it stale
            }
            throw failure;
        }
        return new UnixSeqpacketSocket(fd, path);
    }

    /**
     * Connects a new socket to the listener at {@code path}: the memif client side. Not
     * retried on {@code EINTR} (the kernel may complete the connection meanwhile).
     *
     * @throws NativeCallException {@code connect: ENOENT (<path>)} when no socket file
     *     exists, {@code connect: ECONNREFUSED (<path>)} when nobody listens on it
     */
    public static UnixSeqpacketSocket connect(Path path) {
        int fd = Sockets.open(Sockets.AF_UNIX, Sockets.SOCK_SEQPACKET, 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = SockAddrUnLayout.allocate(arena, path);
            MemorySegment state = NativeCalls.allocateCallState(arena);
            int rc = (int) CONNECT.invokeExact(state, fd, address, (int) address.byteSize());
            if (rc == -1) {
                throw NativeCalls.failure("connect", state, path.toString());
            }
        } catch (Throwable t) {
            RuntimeException failure = NativeCalls.unchecked(t);
            FileDescriptors.closeAfterFailure(fd, failure);
            throw failure;
        }
        return new UnixSeqpacketSocket(fd, null);
    }

    /** Two connected sockets, as {@code socketpair(2)} makes them: for tests and in-process links. */
    public static UnixSeqpacketSocket[] pair() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            MemorySegment state = NativeCalls.allocateCallState(arena);
            int rc = (int) SOCKETPAIR.invokeExact(state, Sockets.AF_UNIX,
                    Sockets.SOCK_SEQPACKET | Sockets.SOCK_CLOEXEC, 0, fds);
            if (rc == -1) {
                throw NativeCalls.failure("socketpair", state);
            }
            return new UnixSeqpacketSocket[] {
                new UnixSeqpacketSocket(fds.getAtIndex(JAVA_INT, 0), null),
                new UnixSeqpacketSocket(fds.getAtIndex(JAVA_INT, 1), null)
            };
        } catch (Throwable t) {
            throw NativeCalls.unchecked(t);
        }
    }

    /** The socket descriptor, owned by this object (register it with {@link Epoll}). */
    public int fd() {
        return fd;
    }

    /** Sets or clears {@code O_NONBLOCK}: then accept and receive return at once. */
    public void setNonBlocking(boolean nonBlocking) {
        FileDescriptors.setNonBlocking(fd, nonBlocking);
    }

    /**
     * Accepts one queued connection; {@code EINTR} is retried.
     *
     * @return the connected socket, or null when non-blocking and none is queued
     */
    public UnixSeqpacketSocket accept() {
        try {
            int client;
            do {
                client = (int) ACCEPT4.invokeExact(callState, fd, MemorySegment.NULL, MemorySegment.NULL,
                        Sockets.SOCK_CLOEXEC);
            } while (client == -1 && NativeCalls.errno(callState) == Errno.EINTR);
            if (client == -1) {
                if (NativeCalls.errno(callState) == Errno.EAGAIN) {
                    return null;
                }
                throw NativeCalls.failure("accept4", callState);
            }
            return new UnixSeqpacketSocket(client, null);
        } catch (Throwable t) {
            throw NativeCalls.unchecked(t);
        }
    }

    /** Sends {@code message} as one message without descriptors; see {@link #send(MemorySegment, int[], int)}. */
    public void send(MemorySegment message) {
        send(message, NO_FDS, 0);
    }

    /**
     * Sends {@code message} as one message with {@code fdCount} descriptors from {@code fds}
     * attached as {@code SCM_RIGHTS}; the peer gets duplicates, these stay open. Blocks
     * while the peer's queue is full unless non-blocking; {@code EINTR} is retried.
     *
     * @param message a native segment, sent whole (memif: 128 bytes)
     * @param fdCount 0 .. {@link #MAX_FDS_SENT}, at most {@code fds.length}
     * @throws NativeCallException such as {@code sendmsg: EPIPE} when the peer closed,
     *     {@code sendmsg: EAGAIN} when non-blocking and the peer's queue is full
     */
    public void send(MemorySegment message, int[] fds, int fdCount) {
        if (fdCount < 0 || fdCount > MAX_FDS_SENT || fdCount > fds.length) {
            throw new IllegalArgumentException(
                    "fdCount must be 0.." + Math.min(MAX_FDS_SENT, fds.length) + ": " + fdCount);
        }
        MsgHdrLayout.setIovec(iovec, requireNative(message));
        if (fdCount == 0) {
            MsgHdrLayout.set(msghdr, iovec, MemorySegment.NULL, 0);
        } else {
            MsgHdrLayout.set(msghdr, iovec, sendControl, ControlMessageLayout.writeRights(sendControl, fds, fdCount));
        }
        try {
            long sent;
            do {
                sent = (long) SENDMSG.invokeExact(callState, fd, msghdr, Sockets.MSG_NOSIGNAL);
            } while (sent == -1 && NativeCalls.errno(callState) == Errno.EINTR);
            if (sent == -1) {
                throw NativeCalls.failure("sendmsg", callState);
            }
        } catch (Throwable t) {
            throw NativeCalls.unchecked(t);
        }
    }

    /**
     * Receives one message into {@code buffer}, and any descriptors that came with it (read
     * them with {@link #receivedFd(int)}); does not allocate. {@code EINTR} is retried.
     * Received descriptors are close-on-exec and belong to the caller.
     *
     * @param buffer a native segment at least as long as the longest message expected
     * @return the message length in bytes; 0 when the peer closed the connection; -1 when
     *     non-blocking and no message is queued
     * @throws NativeCallException {@code recvmsg: EMSGSIZE (...)} when the message did not fit
     *     {@code buffer} ({@code MSG_TRUNC}) or came with more than
     *     {@link #MAX_FDS_RECEIVED} descriptors ({@code MSG_CTRUNC}); the descriptors that
     *     did arrive are closed first, so none leak
     */
    public int receive(MemorySegment buffer) {
        receivedFdCount = 0;
        MsgHdrLayout.setIovec(iovec, requireNative(buffer));
        MsgHdrLayout.set(msghdr, iovec, receiveControl, RECEIVE_CONTROL_BYTES);
        long received;
        try {
            do {
                received = (long) RECVMSG.invokeExact(callState, fd, msghdr, Sockets.MSG_CMSG_CLOEXEC);
            } while (received == -1 && NativeCalls.errno(callState) == Errno.EINTR);
        } catch (Throwable t) {
            throw NativeCalls.unchecked(t);
        }
        if (received == -1) {
            if (NativeCalls.errno(callState) == Errno.EAGAIN) {
                return -1;
            }
            throw NativeCalls.failure("recvmsg", callState);
        }
        receivedFdCount =
                ControlMessageLayout.readRights(receiveControl, MsgHdrLayout.controlLength(msghdr), receivedFds);
        int flags = MsgHdrLayout.flags(msghdr);
        if ((flags & (Sockets.MSG_TRUNC | Sockets.MSG_CTRUNC)) != 0) {
            closeReceivedFds();
            throw new NativeCallException("recvmsg", Errno.EMSGSIZE, (flags & Sockets.MSG_CTRUNC) != 0
                    ? "MSG_CTRUNC: more than " + MAX_FDS_RECEIVED + " descriptors sent; those received were closed"
                    : "MSG_TRUNC: message longer than the " + buffer.byteSize() + "-byte buffer");
        }
        return (int) received;
    }

    /** How many descriptors the last {@link #receive} brought (0 .. {@link #MAX_FDS_RECEIVED}). */
    public int receivedFdCount() {
        return receivedFdCount;
    }

    /** Received descriptor {@code index} (0 <= index < {@link #receivedFdCount()}); now the caller's. */
    public int receivedFd(int index) {
        if (index < 0 || index >= receivedFdCount) {
            throw new IndexOutOfBoundsException("received fd " + index + " of " + receivedFdCount);
        }
        return receivedFds[index];
    }

    /**
     * Closes the socket (a listener also deletes its socket file) and frees the buffers.
     * A second call does nothing.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            FileDescriptors.close(fd);
            if (boundPath != null) {
                Files.deleteIfExists(boundPath);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete socket file " + boundPath, e);
        } finally {
            arena.close();
        }
    }

    private static void deleteAfterFailure(Path path, RuntimeException failure) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    private void closeReceivedFds() {
        for (int i = 0; i < receivedFdCount; i++) {
            FileDescriptors.close(receivedFds[i]);
        }
        receivedFdCount = 0;
    }

    private static MemorySegment requireNative(MemorySegment segment) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException("the kernel needs a native segment, not a heap one");
        }
        return segment;
    }
}
