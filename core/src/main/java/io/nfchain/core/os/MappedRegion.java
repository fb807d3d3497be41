package io.nfchain.core.os;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * An {@code mmap}ped range, seen as a {@link MemorySegment} of exactly the mapped length;
 * {@link #close()} unmaps it. Not thread-safe to close: close it once, after every thread
 * using the segment has stopped.
 *
 * <p>The segment belongs to a shared arena that {@link #close()} closes before
 * {@code munmap}: a late access then throws {@link IllegalStateException} instead of
 * touching unmapped memory. Any thread may read and write the segment.
 */
public final class MappedRegion implements AutoCloseable {
    /** {@code prot} bits, Linux x86_64. */
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;

    /** {@code flags} bits, Linux x86_64. */
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_ANONYMOUS = 0x20;
    /** Lock the pages in memory (counts against {@code RLIMIT_MEMLOCK}). */
    public static final int MAP_LOCKED = 0x2000;
    /** Fault every page in now, so the datapath never takes a first-touch fault. */
    public static final int MAP_POPULATE = 0x8000;
    public static final int MAP_HUGETLB = 0x40000;

    private static final long MAP_FAILED = -1L;

    private static final MethodHandle MMAP = NativeCalls.downcall("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP =
            NativeCalls.downcall("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));

    private final Arena arena;
    private final MemorySegment segment;
    private final long address;
    private final long lengthBytes;
    private boolean closed;

    private MappedRegion(Arena arena, MemorySegment segment, long address, long lengthBytes) {
        this.arena = arena;
        this.segment = segment;
        this.address = address;
        this.lengthBytes = lengthBytes;
    }

    /**
     * Maps {@code lengthBytes} of {@code fd} starting at {@code offsetBytes}.
     *
     * @param fd the file to map, or -1 with {@link #MAP_ANONYMOUS}
     * @param lengthBytes > 0; a hugetlb mapping needs a multiple of the huge page size
     * @param prot {@link #PROT_READ} and/or {@link #PROT_WRITE}
     * @param flags {@link #MAP_SHARED} or {@link #MAP_PRIVATE}, plus other {@code MAP_*} bits
     * @param offsetBytes a multiple of the page size (of the huge page size for hugetlb)
     * @throws NativeCallException such as {@code mmap: ENOMEM} when no huge pages are free
     */
    @SuppressWarnings("restricted") // giving the mapped address its length is the point
    public static MappedRegion map(int fd, long lengthBytes, int prot, int flags, long offsetBytes) {
        if (lengthBytes <= 0) {
            throw new IllegalArgumentException("lengthBytes must be > 0: " + lengthBytes);
        }
        long address;
        try (Arena callArena = Arena.ofConfined()) {
            MemorySegment state = NativeCalls.allocateCallState(callArena);
            MemorySegment mapped = (MemorySegment)
                    MMAP.invokeExact(state, MemorySegment.NULL, lengthBytes, prot, flags, fd, offsetBytes);
            address = mapped.address();
            if (address == MAP_FAILED) {
                throw NativeCalls.failure("mmap", state, "fd " + fd + ", " + lengthBytes + " bytes");
            }
        } catch (Throwable t) {
            throw NativeCalls.unchecked(t);
        }
        Arena arena = Arena.ofShared();
        MemorySegment segment = MemorySegment.ofAddress(address).reinterpret(lengthBytes, arena, null);
        return new MappedRegion(arena, segment, address, lengthBytes);
    }

    /** The mapped bytes; invalid (accesses throw) once this region is closed. */
    public MemorySegment segment() {
        return segment;
    }

    /** The mapped length in bytes, as passed to {@link #map}. */
    public long lengthBytes() {
        return lengthBytes;
    }

    /** Invalidates the segment, then unmaps it. A second call does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        arena.close();
        try (Arena callArena = Arena.ofConfined()) {
            MemorySegment state = NativeCalls.allocateCallState(callArena);
            int rc = (int) MUNMAP.invokeExact(state, MemorySegment.ofAddress(address), lengthBytes);
            if (rc == -1) {
                throw NativeCalls.failure("munmap", state);
            }
        } catch (Throwable t) {
            throw NativeCalls.unchecked(t);
        }
    }
}
