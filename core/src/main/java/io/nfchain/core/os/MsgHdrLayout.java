package io.nfchain.core.os;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * {@code struct msghdr} and {@code struct iovec} on Linux x86_64, for {@code sendmsg} and
 * {@code recvmsg}:
 *
 * <pre>
 * msghdr (56 bytes)
 *  0                 8          12         16                24
 *  +-----------------+----------+----------+-----------------+
 *  | msg_name (ptr)  | namelen  | (pad)    | msg_iov (ptr)   |
 *  |                 | (u32)    |          |                 |
 *  +-----------------+----------+----------+-----------------+
 *  24                32                 40                 48         52        56
 *  +-----------------+------------------+------------------+----------+---------+
 *  | msg_iovlen      | msg_control (ptr)| msg_controllen   | msg_flags| (pad)   |
 *  | (size_t)        |                  | (size_t)         | (s32)    |         |
 *  +-----------------+------------------+------------------+----------+---------+
 *
 * iovec (16 bytes)
 *  0                 8                 16
 *  +-----------------+-----------------+
 *  | iov_base (ptr)  | iov_len (size_t)|
 *  +-----------------+-----------------+
 * </pre>
 *
 * The kernel writes back {@code msg_controllen} (bytes of control data received) and
 * {@code msg_flags} ({@code MSG_TRUNC}, {@code MSG_CTRUNC}).
 */
final class MsgHdrLayout {
    static final StructLayout MSGHDR = MemoryLayout.structLayout(
            ADDRESS.withName("msg_name"),
            JAVA_INT.withName("msg_namelen"),
            MemoryLayout.paddingLayout(4),
            ADDRESS.withName("msg_iov"),
            JAVA_LONG.withName("msg_iovlen"),
            ADDRESS.withName("msg_control"),
            JAVA_LONG.withName("msg_controllen"),
            JAVA_INT.withName("msg_flags"),
            MemoryLayout.paddingLayout(4));

    static final StructLayout IOVEC = MemoryLayout.structLayout(
            ADDRESS.withName("iov_base"),
            JAVA_LONG.withName("iov_len"));

    static final long NAME_OFFSET = 0;
    static final long NAMELEN_OFFSET = 8;
    static final long IOV_OFFSET = 16;
    static final long IOVLEN_OFFSET = 24;
    static final long CONTROL_OFFSET = 32;
    static final long CONTROLLEN_OFFSET = 40;
    static final long FLAGS_OFFSET = 48;

    static final long IOV_BASE_OFFSET = 0;
    static final long IOV_LEN_OFFSET = 8;

    static {
        if (MSGHDR.byteSize() != 56 || IOVEC.byteSize() != 16
                || MSGHDR.byteOffset(MemoryLayout.PathElement.groupElement("msg_flags")) != FLAGS_OFFSET) {
            throw new AssertionError("msghdr/iovec layout drifted: " + MSGHDR + " " + IOVEC);
        }
    }

    private MsgHdrLayout() {}

    /** Points {@code iovec} at {@code buffer} (a native segment, all of it). */
    static void setIovec(MemorySegment iovec, MemorySegment buffer) {
        iovec.set(ADDRESS, IOV_BASE_OFFSET, buffer);
        iovec.set(JAVA_LONG, IOV_LEN_OFFSET, buffer.byteSize());
    }

    /**
     * Fills {@code msghdr} for one unnamed buffer; {@code control} may be
     * {@link MemorySegment#NULL} with {@code controlBytes} 0.
     */
    static void set(MemorySegment msghdr, MemorySegment iovec, MemorySegment control, long controlBytes) {
        msghdr.set(ADDRESS, NAME_OFFSET, MemorySegment.NULL);
        msghdr.set(JAVA_INT, NAMELEN_OFFSET, 0);
        msghdr.set(ADDRESS, IOV_OFFSET, iovec);
        msghdr.set(JAVA_LONG, IOVLEN_OFFSET, 1L);
        msghdr.set(ADDRESS, CONTROL_OFFSET, control);
        msghdr.set(JAVA_LONG, CONTROLLEN_OFFSET, controlBytes);
        msghdr.set(JAVA_INT, FLAGS_OFFSET, 0);
    }

    static long controlLength(MemorySegment msghdr) {
        return msghdr.get(JAVA_LONG, CONTROLLEN_OFFSET);
    }

    static int flags(MemorySegment msghdr) {
        return msghdr.get(JAVA_INT, FLAGS_OFFSET);
    }
}
