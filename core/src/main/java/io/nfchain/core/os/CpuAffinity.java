package io.nfchain.core.os;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.BitSet;

/**
 * The set of CPUs the calling thread may run on ({@code sched_setaffinity}), as a bitset:
 * bit {@code n} set = CPU {@code n} allowed. A pinned worker keeps its caches and never
 * shares its core with another poll loop. Pin platform threads only: a virtual thread moves
 * between carriers.
 */
public final class CpuAffinity {
    /** glibc's {@code CPU_SETSIZE}: the cpu_set_t used here covers CPUs 0..1023. */
    public static final int MAX_CPUS = 1024;

    private static final long SET_BYTES = MAX_CPUS / Byte.SIZE;
    private static final int SET_WORDS = MAX_CPUS / Long.SIZE;
    /** pid 0: the calling thread, not the whole process. */
    private static final int CALLING_THREAD = 0;

    private static final MethodHandle SCHED_SETAFFINITY = NativeCalls.downcall("sched_setaffinity",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
    private static final MethodHandle SCHED_GETAFFINITY = NativeCalls.downcall("sched_getaffinity",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));

    private CpuAffinity() {}

    /**
     * Restricts the calling thread to {@code cpus}.
     *
     * @param cpus non-empty, CPUs 0..1023
     * @throws NativeCallException {@code sched_setaffinity: EINVAL} when none of {@code cpus}
     *     is online and allowed (cgroup cpuset)
     */
    public static void set(BitSet cpus) {
        if (cpus.isEmpty() || cpus.length() > MAX_CPUS) {
            throw new IllegalArgumentException("cpus must be a non-empty subset of 0.." + (MAX_CPUS - 1) + ": " + cpus);
        }
        long[] words = cpus.toLongArray();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(JAVA_LONG, SET_WORDS);
            MemorySegment.copy(words, 0, mask, JAVA_LONG, 0, words.length);
            MemorySegment state = NativeCalls.allocateCallState(arena);
            int rc = (int) SCHED_SETAFFINITY.invokeExact(state, CALLING_THREAD, SET_BYTES, mask);
            if (rc == -1) {
                throw NativeCalls.failure("sched_setaffinity", state, "cpus " + cpus);
            }
        } catch (Throwable t) {
            throw NativeCalls.unchecked(t);
        }
    }

    /** Restricts the calling thread to the one CPU {@code cpu}; see {@link #set(BitSet)}. */
    public static void pin(int cpu) {
        BitSet cpus = new BitSet();
        cpus.set(cpu);
        set(cpus);
    }

    /** The CPUs the calling thread may run on. */
    public static BitSet get() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(JAVA_LONG, SET_WORDS);
            MemorySegment state = NativeCalls.allocateCallState(arena);
            int rc = (int) SCHED_GETAFFINITY.invokeExact(state, CALLING_THREAD, SET_BYTES, mask);
            if (rc == -1) {
                throw NativeCalls.failure("sched_getaffinity", state);
            }
            return BitSet.valueOf(mask.toArray(JAVA_LONG));
        } catch (Throwable t) {
            throw NativeCalls.unchecked(t);
        }
    }
}
