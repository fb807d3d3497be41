package io.nfchain.core.os;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * {@code struct epoll_event} on Linux x86_64, where the kernel declares it packed (12 bytes,
 * {@code data} not 8-byte aligned; other architectures pad it to 16):
 *
 * <pre>
 *  0               4                               12
 *  +---------------+-------------------------------+
 *  | events  (u32) | data (u64: fd, u32 or ptr)    |
 *  +---------------+-------------------------------+
 * </pre>
 *
 * An array of them is read at {@code i * SIZE}; {@code data} needs unaligned access.
 */
final class EpollEventLayout {
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("events"),
            JAVA_LONG_UNALIGNED.withName("data"));

    static final long EVENTS_OFFSET = 0;
    static final long DATA_OFFSET = 4;
    static final long SIZE = 12;

    static {
        if (LAYOUT.byteSize() != SIZE
                || LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("data")) != DATA_OFFSET) {
            throw new AssertionError("epoll_event layout drifted: " + LAYOUT);
        }
    }

    private EpollEventLayout() {}

    static int events(MemorySegment array, int index) {
        return array.get(JAVA_INT, index * SIZE + EVENTS_OFFSET);
    }

    static long data(MemorySegment array, int index) {
        return array.get(JAVA_LONG_UNALIGNED, index * SIZE + DATA_OFFSET);
    }

    static void set(MemorySegment array, int index, int events, long data) {
        array.set(JAVA_INT, index * SIZE + EVENTS_OFFSET, events);
        array.set(JAVA_LONG_UNALIGNED, index * SIZE + DATA_OFFSET, data);
    }
}
