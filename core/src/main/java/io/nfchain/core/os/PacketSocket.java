package io.nfchain.core.os;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;

/**
 * Not thread-safe: one thread sends and receives. An {@code AF_PACKET} {@code SOCK_RAW}
 * socket: whole Ethernet frames to and from one kernel interface, for the {@code af_packet}
 * port where no NIC can be bypassed. Needs {@code CAP_NET_RAW}.
 *
 * <p>{@link #send} and {@link #receive} do not allocate. For rings ({@code PACKET_RX_RING},
 * TPACKET_V3) set options on {@link #fd()} with {@link SocketOptions} and map it with
 * {@link MappedRegion}. The descriptor is owned and close-on-exec.
 */
public final class PacketSocket implements AutoCloseable {
    /** Every EtherType, outgoing frames included. */
    public static final int ETH_P_ALL = 0x0003;

    private static final MethodHandle SEND = NativeCalls.downcall("send",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle RECV = NativeCalls.downcall("recv",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle IF_NAMETOINDEX =
            NativeCalls.downcall("if_nametoindex", FunctionDescriptor.of(JAVA_INT, ADDRESS));

    private final int fd;
    private final int etherType;
    private final Arena arena;
    private final MemorySegment callState;
    private boolean closed;

    private PacketSocket(int fd, int etherType) {
        this.fd = fd;
        this.etherType = etherType;
        this.arena = Arena.ofShared();
        this.callState = NativeCalls.allocateCallState(arena);
    }

    /**
     * Opens a raw packet socket for frames of {@code etherType}; it sees every interface's
     * frames until {@link #bind(int)}.
     *
     * @param etherType in host order, such as {@link #ETH_P_ALL} or 0x88b5
     * @throws NativeCallException {@code socket: EPERM} without {@code CAP_NET_RAW}
     */
    public static PacketSocket open(int etherType) {
        int fd = Sockets.open(Sockets.AF_PACKET, Sockets.SOCK_RAW, networkOrder16(etherType));
        return new PacketSocket(fd, etherType);
    }

    /**
     * The index of the interface named {@code name}, such as {@code "lo"} or {@code "eth0"}.
     *
     * @throws NativeCallException {@code if_nametoindex: ENODEV (<name>)} when there is none
     */
    public static int interfaceIndex(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = NativeCalls.allocateCallState(arena);
            int index = (int) IF_NAMETOINDEX.invokeExact(state, arena.allocateFrom(name));
            if (index == 0) {
                throw NativeCalls.failure("if_nametoindex", state, name);
            }
            return index;
        } catch (Throwable t) {
            throw NativeCalls.unchecked(t);
        }
    }

    /** The descriptor, owned by this object: for options, {@code mmap} and {@link Epoll}. */
    public int fd() {
        return fd;
    }

    /** Receives and sends only on interface {@code ifindex} (see {@link #interfaceIndex}). */
    public void bind(int ifindex) {
        try (Arena callArena = Arena.ofConfined()) {
            Sockets.bind(fd, SockAddrLlLayout.allocateForBind(callArena, ifindex, etherType), "ifindex " + ifindex);
        }
    }

    /** Sets or clears {@code O_NONBLOCK}: then send and receive return -1 instead of waiting. */
    public void setNonBlocking(boolean nonBlocking) {
        FileDescriptors.setNonBlocking(fd, nonBlocking);
    }

    /**
     * Transmits one frame on the bound interface; does not allocate. {@code EINTR} is retried.
     *
     * @param frame a native segment holding a whole Ethernet frame (destination MAC first),
     *     at most the interface MTU plus 14 bytes
     * @return bytes sent (the whole frame), or -1 when non-blocking and the send buffer is full
     * @throws NativeCallException such as {@code send: EMSGSIZE} for a frame over the MTU
     */
    public int send(MemorySegment frame) {
        try {
            long sent;
            do {
                sent = (long) SEND.invokeExact(callState, fd, frame, frame.byteSize(), 0);
            } while (sent == -1 && NativeCalls.errno(callState) == Errno.EINTR);
            if (sent == -1) {
                if (NativeCalls.errno(callState) == Errno.EAGAIN) {
                    return -1;
                }
                throw NativeCalls.failure("send", callState);
            }
            return (int) sent;
        } catch (Throwable t) {
            throw NativeCalls.unchecked(t);
        }
    }

    /**
     * Receives one frame into {@code buffer}; does not allocate. {@code EINTR} is retried.
     *
     * @param buffer a native segment; a longer frame is cut to its size
     * @return the frame's real length in bytes, which exceeds {@code buffer.byteSize()} when it
     *     was cut; -1 when non-blocking and no frame is queued
     */
    public int receive(MemorySegment buffer) {
        try {
            long length;
            do {
                length = (long) RECV.invokeExact(callState, fd, buffer, buffer.byteSize(), Sockets.MSG_TRUNC);
            } while (length == -1 && NativeCalls.errno(callState) == Errno.EINTR);
            if (length == -1) {
                if (NativeCalls.errno(callState) == Errno.EAGAIN) {
                    return -1;
                }
                throw NativeCalls.failure("recv", callState);
            }
            return (int) length;
        } catch (Throwable t) {
            throw NativeCalls.unchecked(t);
        }
    }

    /** Closes the socket and frees its errno slot. A second call does nothing. */
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

    /** {@code htons}: the socket() and sockaddr_ll protocol fields are big-endian. */
    private static int networkOrder16(int value) {
        short host = (short) value;
        return Short.toUnsignedInt(ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? host : Short.reverseBytes(host));
    }
}
