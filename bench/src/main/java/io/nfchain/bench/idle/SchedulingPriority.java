package io.nfchain.bench.idle;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Stateless. Gives the bench's two measured threads the CPU as if each had a core of its own,
 * on a machine shared with other work, while that work still runs whenever they sleep.
 *
 * <p>Two levels, because Linux schedules in two: with autogroups on (the default,
 * {@code /proc/sys/kernel/sched_autogroup_enabled}), the CPU is first shared fairly between
 * sessions, then between the threads of a session, and a thread's nice value only counts
 * inside its session. So a peer process starts a session of its own ({@code setsid(2)}, which
 * gives it a new autogroup), sets that autogroup's nice ({@code /proc/self/autogroup}), and the
 * measured thread sets its own nice ({@code setpriority(PRIO_PROCESS, tid, nice)}, which on
 * Linux names one thread) so the JVM's other threads do not share its weight. Lowering a nice
 * value needs root or CAP_SYS_NICE.
 */
final class SchedulingPriority {
    private static final int PRIO_PROCESS = 0;
    private static final int EPERM = 1;
    private static final int EACCES = 13;
    private static final Path AUTOGROUP = Path.of("/proc/self/autogroup");
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SETPRIORITY = LINKER.downcallHandle(
            LINKER.defaultLookup().find("setpriority").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.captureCallState("errno"));
    private static final MethodHandle GETTID = LINKER.downcallHandle(
            LINKER.defaultLookup().find("gettid").orElseThrow(), FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle SETSID = LINKER.downcallHandle(
            LINKER.defaultLookup().find("setsid").orElseThrow(), FunctionDescriptor.of(JAVA_INT),
            Linker.Option.captureCallState("errno"));

    private SchedulingPriority() {}

    /**
     * Calling process: starts a new session, so a new autogroup, and gives it {@code nice}.
     *
     * @return what {@code /proc/self/autogroup} says afterwards, or {@code "none"} without autogroups
     * @throws IllegalStateException when refused, naming the errno
     */
    static String ownAutogroup(int nice) {
        requireNice(nice);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            if ((int) SETSID.invokeExact(state) < 0) {
                throw failure("setsid", (int) ERRNO.get(state, 0L));
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (!Files.exists(AUTOGROUP)) {
            return "none";
        }
        try {
            Files.writeString(AUTOGROUP, Integer.toString(nice));
            return Files.readString(AUTOGROUP).trim();
        } catch (IOException e) {
            throw new IllegalStateException("cannot set the autogroup's nice to " + nice + ": " + e.getMessage()
                    + " (raising priority needs root or CAP_SYS_NICE)");
        }
    }

    /**
     * Calling thread: sets its nice value.
     *
     * @param nice -20 (highest priority) .. 19
     * @throws IllegalStateException when refused, naming the errno
     */
    static void setThreadNice(int nice) {
        requireNice(nice);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int tid = (int) GETTID.invokeExact();
            if ((int) SETPRIORITY.invokeExact(state, PRIO_PROCESS, tid, nice) != 0) {
                throw failure("setpriority(nice " + nice + ")", (int) ERRNO.get(state, 0L));
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void requireNice(int nice) {
        if (nice < -20 || nice > 19) {
            throw new IllegalArgumentException("nice must be -20..19: " + nice);
        }
    }

    private static IllegalStateException failure(String call, int errno) {
        return new IllegalStateException(call + " failed with errno " + errno
                + (errno == EPERM || errno == EACCES ? " (raising priority needs root or CAP_SYS_NICE)" : ""));
    }
}
