package io.nfchain.core.os;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * {@code setsockopt} / {@code getsockopt} with int or byte-buffer values, and the option
 * names (Linux x86_64) the datapath uses. Cold path: each call allocates its errno slot.
 */
public final class SocketOptions {
    /** Generic socket level and its options. */
    public static final int SOL_SOCKET = 1;
    public static final int SO_TYPE = 3;
    public static final int SO_ERROR = 4;
    public static final int SO_SNDBUF = 7;
    /** Receive buffer in bytes; Linux doubles what is set and caps it at {@code rmem_max}. */
    public static final int SO_RCVBUF = 8;
    /** {@code struct linger { int l_onoff; int l_linger; }}, 8 bytes. */
    public static final int SO_LINGER = 13;
    public static final int SO_SNDBUFFORCE = 32;
    /** As {@link #SO_RCVBUF} but past {@code rmem_max}; needs {@code CAP_NET_ADMIN}. */
    public static final int SO_RCVBUFFORCE = 33;
    public static final int SO_BUSY_POLL = 46;

    /** {@code AF_PACKET} level and its options. */
    public static final int SOL_PACKET = 263;
    public static final int PACKET_ADD_MEMBERSHIP = 1;
    public static final int PACKET_RX_RING = 5;
    /** {@code struct tpacket_stats} (v1/v2, 8 bytes) or {@code tpacket_stats_v3} (12 bytes); read resets it. */
    public static final int PACKET_STATISTICS = 6;
    /** One of {@link #TPACKET_V1}, {@link #TPACKET_V2}, {@link #TPACKET_V3}; set before the rings. */
    public static final int PACKET_VERSION = 10;
    public static final int PACKET_RESERVE = 12;
    public static final int PACKET_TX_RING = 13;
    public static final int PACKET_LOSS = 14;
    public static final int PACKET_FANOUT = 18;
    /** Skip the qdisc layer on transmit (int 0/1). */
    public static final int PACKET_QDISC_BYPASS = 20;
    /** Do not loop our own transmitted frames back to this socket (int 0/1). */
    public static final int PACKET_IGNORE_OUTGOING = 23;
    public static final int TPACKET_V1 = 0;
    public static final int TPACKET_V2 = 1;
    public static final int TPACKET_V3 = 2;

    private static final MethodHandle SETSOCKOPT = NativeCalls.downcall("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = NativeCalls.downcall("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));

    private SocketOptions() {}

    /** Sets an int-valued option, such as {@code SO_RCVBUF} or {@code PACKET_VERSION}. */
    public static void setInt(int fd, int level, int option, int value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(JAVA_INT);
            buffer.set(JAVA_INT, 0, value);
            set(fd, level, option, buffer);
        }
    }

    /**
     * Reads an int-valued option. Linux silently cuts a longer {@code SOL_SOCKET} option (such
     * as {@link #SO_LINGER}) to its first 4 bytes: read those with {@link #get}.
     *
     * @throws IllegalStateException if the kernel wrote fewer than 4 bytes
     */
    public static int getInt(int fd, int level, int option) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(JAVA_INT);
            int length = get(fd, level, option, buffer);
            if (length != Integer.BYTES) {
                throw new IllegalStateException(
                        "option " + describe(level, option) + " is " + length + " bytes, not an int");
            }
            return buffer.get(JAVA_INT, 0);
        }
    }

    /**
     * Sets an option from all of {@code value}, such as a {@code struct tpacket_req3} for
     * {@code PACKET_RX_RING}.
     *
     * @param value a native segment, exactly the option's struct size
     * @throws NativeCallException such as {@code setsockopt: EINVAL (level 263, option 5)}
     */
    public static void set(int fd, int level, int option, MemorySegment value) {
        requireNative(value);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = NativeCalls.allocateCallState(arena);
            int rc = (int) SETSOCKOPT.invokeExact(state, fd, level, option, value, (int) value.byteSize());
            if (rc == -1) {
                throw NativeCalls.failure("setsockopt", state, describe(level, option));
            }
        } catch (Throwable t) {
            throw NativeCalls.unchecked(t);
        }
    }

    /**
     * Reads an option into {@code value}.
     *
     * @param value a native segment, at least the option's size
     * @return how many bytes the kernel wrote, <= {@code value.byteSize()}
     */
    public static int get(int fd, int level, int option, MemorySegment value) {
        requireNative(value);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment length = arena.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, (int) value.byteSize());
            MemorySegment state = NativeCalls.allocateCallState(arena);
            int rc = (int) GETSOCKOPT.invokeExact(state, fd, level, option, value, length);
            if (rc == -1) {
                throw NativeCalls.failure("getsockopt", state, describe(level, option));
            }
            return length.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw NativeCalls.unchecked(t);
        }
    }

    private static String describe(int level, int option) {
        return "level " + level + ", option " + option;
    }

    private static void requireNative(MemorySegment value) {
        if (!value.isNative() || value.byteSize() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("an option value must be a native segment under 2 GiB");
        }
    }
}
