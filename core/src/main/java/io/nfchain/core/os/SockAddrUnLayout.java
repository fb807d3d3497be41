package io.nfchain.core.os;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@code struct sockaddr_un} (Linux, 110 bytes):
 *
 * <pre>
 *  0          2                                                  110
 *  +----------+--------------------------------------------------+
 *  | family   | sun_path: 108 bytes, NUL-terminated filesystem    |
 *  | (u16 = 1)| path (so at most 107 path bytes)                  |
 *  +----------+--------------------------------------------------+
 * </pre>
 */
final class SockAddrUnLayout {
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sun_family"),
            MemoryLayout.sequenceLayout(108, JAVA_BYTE).withName("sun_path"));

    static final long FAMILY_OFFSET = 0;
    static final long PATH_OFFSET = 2;
    static final int PATH_CAPACITY = 108;
    /** Longest path that fits with its terminating NUL. */
    static final int MAX_PATH_BYTES = PATH_CAPACITY - 1;

    static {
        if (LAYOUT.byteSize() != 110) {
            throw new AssertionError("sockaddr_un layout drifted: " + LAYOUT);
        }
    }

    private SockAddrUnLayout() {}

    /**
     * A zeroed {@code sockaddr_un} for {@code path} in {@code arena}.
     *
     * @throws IllegalArgumentException if the path needs more than 107 bytes in UTF-8
     */
    static MemorySegment allocate(Arena arena, Path path) {
        byte[] bytes = path.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_PATH_BYTES || bytes.length == 0) {
            throw new IllegalArgumentException(
                    "a unix socket path needs 1.." + MAX_PATH_BYTES + " bytes, " + bytes.length + " given: " + path);
        }
        MemorySegment address = arena.allocate(LAYOUT);
        address.set(JAVA_SHORT, FAMILY_OFFSET, (short) Sockets.AF_UNIX);
        MemorySegment.copy(bytes, 0, address, JAVA_BYTE, PATH_OFFSET, bytes.length);
        return address;
    }
}
