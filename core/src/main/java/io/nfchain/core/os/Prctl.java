package io.nfchain.core.os;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * {@code prctl(2)} settings of the calling thread. The timer slack is how late the kernel
 * may fire this thread's timers (nanosleep, epoll timeouts) to batch wake-ups; a poll loop
 * that micro-sleeps sets it low, because the default of 50 µs dwarfs a 10 µs park.
 */
public final class Prctl {
    private static final int PR_SET_TIMERSLACK = 29;
    private static final int PR_GET_TIMERSLACK = 30;

    // int prctl(int option, ...): the four optional arguments are unsigned long.
    private static final MethodHandle PRCTL = NativeCalls.variadicDowncall("prctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), 1);

    private Prctl() {}

    /**
     * Sets the calling thread's timer slack.
     *
     * @param slackNs > 0 in nanoseconds; 0 restores the thread's default (inherited at creation)
     */
    public static void setTimerSlackNs(long slackNs) {
        if (slackNs < 0) {
            throw new IllegalArgumentException("slackNs must be >= 0: " + slackNs);
        }
        prctl(PR_SET_TIMERSLACK, slackNs);
    }

    /** The calling thread's timer slack in nanoseconds. */
    public static long timerSlackNs() {
        return Integer.toUnsignedLong(prctl(PR_GET_TIMERSLACK, 0));
    }

    private static int prctl(int option, long argument) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = NativeCalls.allocateCallState(arena);
            int rc = (int) PRCTL.invokeExact(state, option, argument, 0L, 0L, 0L);
            if (rc == -1) {
                throw NativeCalls.failure("prctl", state, "option " + option);
            }
            return rc;
        } catch (Throwable t) {
            throw NativeCalls.unchecked(t);
        }
    }
}
