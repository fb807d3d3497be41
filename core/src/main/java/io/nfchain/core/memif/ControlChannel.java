package io.nfchain.core.memif;

import io.nfchain.core.os.Errno;
import io.nfchain.core.os.FileDescriptors;
import io.nfchain.core.os.NativeCallException;
import io.nfchain.core.os.UnixSeqpacketSocket;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Not thread-safe: driven by one thread's {@code doWork()}. One memif control connection,
 * non-blocking: reusable receive and send buffers, and the descriptors the last message
 * brought, which are closed unless taken.
 */
final class ControlChannel implements AutoCloseable {
    /** Result of {@link #receive()}: no message queued. */
    static final int NOTHING = -1;
    /** Result of {@link #receive()}: the peer closed the connection. */
    static final int CLOSED = 0;
    /** Result of {@link #receive()}: a message longer than any memif message arrived. */
    static final int OVERSIZED = Integer.MAX_VALUE;

    private static final int MAX_DRAINED_ON_CLOSE = 64;
    private static final int RECEIVE_BYTES = 2 * MemifMessageLayout.MESSAGE_BYTES;

    private final UnixSeqpacketSocket socket;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment received = arena.allocate(RECEIVE_BYTES, 8);
    private final MemorySegment sending = arena.allocate(MemifMessageLayout.MESSAGE_BYTES, 8);
    private final int[] fdToSend = new int[1];
    private final int[] fds = new int[UnixSeqpacketSocket.MAX_FDS_RECEIVED];
    private int fdCount;
    private boolean closed;

    ControlChannel(UnixSeqpacketSocket socket) {
        this.socket = socket;
        socket.setNonBlocking(true);
    }

    /** The socket descriptor, to wait on with poll or epoll. */
    int fd() {
        return socket.fd();
    }

    /** The message last received. */
    MemorySegment received() {
        return received;
    }

    /** The buffer to encode the next message into before {@link #send()}. */
    MemorySegment sending() {
        return sending;
    }

    /**
     * Receives one message, closing any descriptors the previous one brought and nobody took.
     *
     * @return its length; {@link #NOTHING}, {@link #CLOSED} or {@link #OVERSIZED}
     * @throws NativeCallException for socket errors such as {@code ECONNRESET}
     */
    int receive() {
        closeUntakenFds();
        int length;
        try {
            length = socket.receive(received);
        } catch (NativeCallException e) {
            if (e.errno() == Errno.EMSGSIZE) {
                return OVERSIZED; // the socket closed what came with it
            }
            throw e;
        }
        if (length > 0) {
            fdCount = socket.receivedFdCount();
            for (int i = 0; i < fdCount; i++) {
                fds[i] = socket.receivedFd(i);
            }
        }
        return length == -1 ? NOTHING : length;
    }

    /** Takes the first descriptor of the last message (the caller owns it), or -1 if none came. */
    int takeFd() {
        if (fdCount == 0) {
            return -1;
        }
        int fd = fds[0];
        fds[0] = -1;
        return fd;
    }

    void send() {
        socket.send(sending);
    }

    void sendWithFd(int fd) {
        fdToSend[0] = fd;
        socket.send(sending, fdToSend, 1);
    }

    /** Sends DISCONNECT with {@code reason} if the socket still works; never throws for a dead peer. */
    /** What one end of a control connection does with the messages {@link #service} reads. */
    interface Endpoint {
        /** Acts on a message the codec accepted; returns why it is refused, or {@link MemifError#NONE}. */
        MemifError handle(MemorySegment message);

        /** Ends the connection for {@code reason}, closing this channel. */
        void end(MemifError reason);
    }

    /**
     * Reads up to {@code limit} queued messages: each is validated, then handled; a refused one
     * is answered with DISCONNECT and ends the connection, as do the peer hanging up and socket
     * errors. Stops early once the connection has ended.
     *
     * @return messages read (0 when none was queued)
     */
    int service(MemifMessageCodec codec, Endpoint endpoint, int limit) {
        int work = 0;
        while (!closed && work < limit) {
            try {
                int length = receive();
                if (length == NOTHING) {
                    break;
                }
                work++;
                if (length == CLOSED) {
                    endpoint.end(MemifError.PEER_CLOSED);
                    break;
                }
                MemifError error = codec.validate(received, length);
                if (error == MemifError.NONE) {
                    error = endpoint.handle(received);
                }
                if (error != MemifError.NONE && !closed) {
                    sendDisconnect(error);
                    endpoint.end(error);
                }
            } catch (NativeCallException e) {
                endpoint.end(reasonFor(e));
            }
        }
        return work;
    }

    void sendDisconnect(MemifError reason) {
        MemifMessageCodec.encodeDisconnect(sending, reason.ordinal(), reason.text());
        try {
            send();
        } catch (NativeCallException e) {
            // the peer is gone or not reading: the close that follows tells it as well
        }
    }

    private void closeUntakenFds() {
        for (int i = 0; i < fdCount; i++) {
            if (fds[i] >= 0) {
                FileDescriptors.close(fds[i]);
            }
        }
        fdCount = 0;
    }

    /**
     * Why a socket call failed: a peer that hung up ({@code EPIPE}, {@code ECONNRESET}) is
     * {@link MemifError#PEER_CLOSED}, anything else {@link MemifError#SOCKET_ERROR}.
     */
    static MemifError reasonFor(NativeCallException e) {
        return e.errno() == Errno.EPIPE || e.errno() == Errno.ECONNRESET
                ? MemifError.PEER_CLOSED : MemifError.SOCKET_ERROR;
    }

    /**
     * Closes the socket, first discarding (a bounded number of) messages still queued: a
     * socket closed with unread data makes the peer's next receive fail with
     * {@code ECONNRESET} before it can read the DISCONNECT that explains why.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                for (int i = 0; i < MAX_DRAINED_ON_CLOSE; i++) {
                    closeUntakenFds();
                    try {
                        if (receive() <= 0) {
                            break;
                        }
                    } catch (NativeCallException e) {
                        break;
                    }
                }
                closeUntakenFds();
                socket.close();
            } finally {
                arena.close();
            }
        }
    }
}
