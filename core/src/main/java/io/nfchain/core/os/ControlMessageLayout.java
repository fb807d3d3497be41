package io.nfchain.core.os;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * {@code struct cmsghdr} ancillary data on Linux x86_64, and the {@code SCM_RIGHTS} message
 * that carries file descriptors:
 *
 * <pre>
 *  0                  8           12          16                     16+4n     16+align8(4n)
 *  +------------------+-----------+-----------+----------------------+---------+
 *  | cmsg_len         | cmsg_level| cmsg_type | data: n x s32 fd     | pad to 8|
 *  | (size_t) = 16+4n | (s32) = 1 | (s32) = 1 | (SCM_RIGHTS)         |         |
 *  +------------------+-----------+-----------+----------------------+---------+
 *  |<------------------------ CMSG_LEN(4n) ------------------------->|
 *  |<---------------------------- CMSG_SPACE(4n) ----------------------------->|
 * </pre>
 *
 * Several messages follow each other at {@code CMSG_SPACE} steps.
 */
final class ControlMessageLayout {
    static final StructLayout CMSGHDR = MemoryLayout.structLayout(
            JAVA_LONG.withName("cmsg_len"),
            JAVA_INT.withName("cmsg_level"),
            JAVA_INT.withName("cmsg_type"));

    static final long LEN_OFFSET = 0;
    static final long LEVEL_OFFSET = 8;
    static final long TYPE_OFFSET = 12;
    static final long HEADER_BYTES = 16;

    /** {@code SOL_SOCKET} level, {@code SCM_RIGHTS} type. */
    static final int SOL_SOCKET = 1;
    static final int SCM_RIGHTS = 1;

    static {
        if (CMSGHDR.byteSize() != HEADER_BYTES) {
            throw new AssertionError("cmsghdr layout drifted: " + CMSGHDR);
        }
    }

    private ControlMessageLayout() {}

    /** {@code CMSG_LEN}: header plus {@code dataBytes}, unpadded. */
    static long length(long dataBytes) {
        return HEADER_BYTES + dataBytes;
    }

    /** {@code CMSG_SPACE}: header plus {@code dataBytes} padded to 8. */
    static long space(long dataBytes) {
        return HEADER_BYTES + align(dataBytes);
    }

    static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }

    /**
     * Writes one {@code SCM_RIGHTS} message with {@code count} descriptors from {@code fds}
     * at the start of {@code control}.
     *
     * @return its {@code CMSG_SPACE}, the {@code msg_controllen} to send
     */
    static long writeRights(MemorySegment control, int[] fds, int count) {
        long dataBytes = (long) count * Integer.BYTES;
        long space = space(dataBytes);
        control.asSlice(0, space).fill((byte) 0);
        control.set(JAVA_LONG, LEN_OFFSET, length(dataBytes));
        control.set(JAVA_INT, LEVEL_OFFSET, SOL_SOCKET);
        control.set(JAVA_INT, TYPE_OFFSET, SCM_RIGHTS);
        for (int i = 0; i < count; i++) {
            control.set(JAVA_INT, HEADER_BYTES + (long) i * Integer.BYTES, fds[i]);
        }
        return space;
    }

    /**
     * Copies the descriptors of every {@code SCM_RIGHTS} message in the first
     * {@code controlBytes} of {@code control} into {@code fds}, stopping at a malformed
     * header. Descriptors beyond {@code fds.length} are closed, never leaked.
     *
     * @return how many descriptors were copied
     */
    static int readRights(MemorySegment control, long controlBytes, int[] fds) {
        int count = 0;
        long offset = 0;
        while (offset + HEADER_BYTES <= controlBytes) {
            long length = control.get(JAVA_LONG, offset + LEN_OFFSET);
            if (length < HEADER_BYTES || offset + length > controlBytes) {
                break;
            }
            if (control.get(JAVA_INT, offset + LEVEL_OFFSET) == SOL_SOCKET
                    && control.get(JAVA_INT, offset + TYPE_OFFSET) == SCM_RIGHTS) {
                long n = (length - HEADER_BYTES) / Integer.BYTES;
                for (long i = 0; i < n; i++) {
                    int fd = control.get(JAVA_INT, offset + HEADER_BYTES + i * Integer.BYTES);
                    if (count < fds.length) {
                        fds[count++] = fd;
                    } else {
                        FileDescriptors.close(fd);
                    }
                }
            }
            offset += align(length);
        }
        return count;
    }
}
