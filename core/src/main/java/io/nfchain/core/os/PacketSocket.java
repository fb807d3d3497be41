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
    // ioctl is variadic; the interface requests take a struct ifreq pointer.
    private static final MethodHandle IOCTL = NativeCalls.variadicDowncall(
            "ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), 2);
    private static final long SIOCGIFMTU = 0x8921;
    /** struct ifreq: a 16-byte name, then a 24-byte union (ifr_mtu is its first int). */
    private static final int IFREQ_BYTES = 40;
    private static final int IFNAMSIZ = 16;
    private static final int MSG_DONTWAIT = 0x40;
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

    /**
     * Receives and sends only on interface {@code ifindex}, frames of {@code etherType} (host
     * order, such as {@link #ETH_P_ALL}). A socket opened with EtherType 0 receives nothing
     * until this bind: rings can be set up first without catching other interfaces' frames.
     */
    public void bind(int ifindex, int etherType) {
        try (Arena callArena = Arena.ofConfined()) {
            Sockets.bind(fd, SockAddrLlLayout.allocateForBind(callArena, ifindex, etherType), "ifindex " + ifindex);
        }
    }

    /**
     * The MTU of interface {@code name} in this socket's network namespace
     * ({@code SIOCGIFMTU}); the longest frame it sends is that plus the 14-byte Ethernet header.
     *
     * @throws NativeCallException {@code ioctl: ENODEV (<name>)} when there is none
     */
    public int interfaceMtu(String name) {
        if (name.isEmpty() || name.length() >= IFNAMSIZ) {
            throw new IllegalArgumentException("an interface name is 1.." + (IFNAMSIZ - 1) + " characters: " + name);
        }
        try (Arena callArena = Arena.ofConfined()) {
            MemorySegment state = NativeCalls.allocateCallState(callArena);
            MemorySegment request = callArena.allocate(IFREQ_BYTES, 8);
            request.setString(0, name);
            int rc = (int) IOCTL.invokeExact(state, fd, SIOCGIFMTU, request);
            if (rc == -1) {
                throw NativeCalls.failure("ioctl", state, name);
            }
            return request.get(JAVA_INT, IFNAMSIZ);
        } catch (Throwable t) {
            throw NativeCalls.unchecked(t);
        }
    }

    /**
     * Asks the kernel to send every frame marked ready in this socket's {@code PACKET_TX_RING}
     * ({@code send(fd, NULL, 0, MSG_DONTWAIT)}), without waiting for the device; does not
     * allocate and never throws for a failed send: a poll loop counts the error and kicks again.
     * {@code EINTR} is retried.
     *
     * @return bytes the kernel took from the ring (0 when nothing was ready), or minus the
     *     errno, such as {@code -Errno.ENOBUFS} or {@code -Errno.ENETDOWN}
     */
    public long kickTransmitRing() {
        try {
            long sent;
            do {
                sent = (long) SEND.invokeExact(callState, fd, MemorySegment.NULL, 0L, MSG_DONTWAIT);
            } while (sent == -1 && NativeCalls.errno(callState) == Errno.EINTR);
            return sent == -1 ? -NativeCalls.errno(callState) : sent;
        } catch (Throwable t) {
            throw NativeCalls.unchecked(t);
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
