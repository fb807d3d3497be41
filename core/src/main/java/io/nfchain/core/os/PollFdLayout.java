package io.nfchain.core.os;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * {@code struct pollfd} (all Linux ABIs):
 *
 * <pre>
 *  0               4        6        8
 *  +---------------+--------+--------+
 *  | fd      (s32) | events | revents|
 *  |               |  (s16) |  (s16) |
 *  +---------------+--------+--------+
 * </pre>
 */
final class PollFdLayout {
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("fd"),
            JAVA_SHORT.withName("events"),
            JAVA_SHORT.withName("revents"));

    static final long FD_OFFSET = 0;
    static final long EVENTS_OFFSET = 4;
    static final long REVENTS_OFFSET = 6;
    static final long SIZE = 8;

    static {
        if (LAYOUT.byteSize() != SIZE) {
            throw new AssertionError("pollfd layout drifted: " + LAYOUT);
        }
    }

    private PollFdLayout() {}

    static void set(MemorySegment array, int index, int fd, int events) {
        long base = index * SIZE;
        array.set(JAVA_INT, base + FD_OFFSET, fd);
        array.set(JAVA_SHORT, base + EVENTS_OFFSET, (short) events);
        array.set(JAVA_SHORT, base + REVENTS_OFFSET, (short) 0);
    }

    static int fd(MemorySegment array, int index) {
        return array.get(JAVA_INT, index * SIZE + FD_OFFSET);
    }

    /** The returned events, as an unsigned 16-bit mask. */
    static int revents(MemorySegment array, int index) {
        return Short.toUnsignedInt(array.get(JAVA_SHORT, index * SIZE + REVENTS_OFFSET));
    }
}
