package io.nfchain.core.os;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * An anonymous shared-memory file from {@code memfd_create}: what a memif client creates for
 * each region and sends to its peer (or, from {@link #createFile}, a named file used the same
 * way). Owns the descriptor; close it once.
 *
 * <p>The descriptor is always close-on-exec, so spawned processes never inherit it; passing
 * it over {@code SCM_RIGHTS} is unaffected.
 */
public final class MemFd implements AutoCloseable {
    /** Close-on-exec; always added by {@link #create}. */
    public static final int MFD_CLOEXEC = 0x1;
    /** Allow {@link #addSeals}; without it the file starts sealed with {@link #F_SEAL_SEAL}. */
    public static final int MFD_ALLOW_SEALING = 0x2;
    /** Back the file with huge pages of the default size (see {@code /proc/meminfo}). */
    public static final int MFD_HUGETLB = 0x4;
    /** With {@link #MFD_HUGETLB}: 2 MiB pages (log2 of the size, shifted by 26). */
    public static final int MFD_HUGE_2MB = 21 << 26;
    /** With {@link #MFD_HUGETLB}: 1 GiB pages. */
    public static final int MFD_HUGE_1GB = 30 << 26;

    /** Seals, Linux: no more seals; no shrinking; no growing; no writing. */
    public static final int F_SEAL_SEAL = 0x1;
    public static final int F_SEAL_SHRINK = 0x2;
    public static final int F_SEAL_GROW = 0x4;
    public static final int F_SEAL_WRITE = 0x8;

    private static final int F_ADD_SEALS = 1024 + 9;
    private static final int F_GET_SEALS = 1024 + 10;
    /** The kernel's limit on the name, excluding its terminating NUL ("memfd:" prefix aside). */
    private static final int MAX_NAME_BYTES = 249;

    private static final MethodHandle MEMFD_CREATE =
            NativeCalls.downcall("memfd_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    // open is variadic: the mode is its third, promoted argument.
    private static final MethodHandle OPEN = NativeCalls.variadicDowncall(
            "open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), 2);
    private static final int O_RDWR = 0x2;
    private static final int O_CREAT = 0x40;
    private static final int O_EXCL = 0x80;

    private final int fd;
    private final long sizeBytes;
    private boolean closed;

    private MemFd(int fd, long sizeBytes) {
        this.fd = fd;
        this.sizeBytes = sizeBytes;
    }

    /**
     * Creates a memfd of {@code sizeBytes}, zero-filled.
     *
     * @param name shown in {@code /proc/<pid>/fd} as {@code memfd:<name>}; at most 249 bytes
     * @param sizeBytes > 0; with {@link #MFD_HUGETLB} a multiple of the huge page size
     * @param flags {@code MFD_*} bits; {@link #MFD_CLOEXEC} is always added
     * @throws NativeCallException such as {@code memfd_create: EINVAL} for unknown flags
     */
    public static MemFd create(String name, long sizeBytes, int flags) {
        if (sizeBytes <= 0) {
            throw new IllegalArgumentException("sizeBytes must be > 0: " + sizeBytes);
        }
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cName = arena.allocateFrom(name);
            if (cName.byteSize() - 1 > MAX_NAME_BYTES) {
                throw new IllegalArgumentException("memfd name longer than " + MAX_NAME_BYTES + " bytes: " + name);
            }
            MemorySegment state = NativeCalls.allocateCallState(arena);
            fd = (int) MEMFD_CREATE.invokeExact(state, cName, flags | MFD_CLOEXEC);
            if (fd == -1) {
                throw NativeCalls.failure("memfd_create", state, name);
            }
        } catch (Throwable t) {
            throw NativeCalls.unchecked(t);
        }
        try {
            FileDescriptors.truncate(fd, sizeBytes);
        } catch (RuntimeException e) {
            FileDescriptors.closeAfterFailure(fd, e);
            throw e;
        }
        return new MemFd(fd, sizeBytes);
    }

    /**
     * Creates a regular file of {@code sizeBytes} at {@code path}, mode 0600, to be used where a
     * memfd would be: unlike a memfd it outlives this process, so a restarted process can read
     * what was last written to it (a memif client's ring heads). A file already there is unlinked
     * first, never truncated: a peer still mapping it keeps its pages. It cannot be sealed: a
     * server that maps it must accept unsealed regions. Put it on a tmpfs.
     *
     * @throws NativeCallException such as {@code open: ENOENT} when the directory is missing
     */
    public static MemFd createFile(Path path, long sizeBytes) {
        if (sizeBytes <= 0) {
            throw new IllegalArgumentException("sizeBytes must be > 0: " + sizeBytes);
        }
        try {
            java.nio.file.Files.deleteIfExists(path);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot replace " + path + ": " + e.getMessage(), e);
        }
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cPath = arena.allocateFrom(path.toString());
            MemorySegment state = NativeCalls.allocateCallState(arena);
            fd = (int) OPEN.invokeExact(state, cPath, O_RDWR | O_CREAT | O_EXCL | FileDescriptors.O_CLOEXEC, 0600);
            if (fd == -1) {
                throw NativeCalls.failure("open", state, path.toString());
            }
        } catch (Throwable t) {
            throw NativeCalls.unchecked(t);
        }
        try {
            FileDescriptors.truncate(fd, sizeBytes);
        } catch (RuntimeException e) {
            FileDescriptors.closeAfterFailure(fd, e);
            throw e;
        }
        return new MemFd(fd, sizeBytes);
    }

    /** The descriptor, still owned by this object: send it, do not close it. */
    public int fd() {
        return fd;
    }

    /** The size given at creation, in bytes. */
    public long sizeBytes() {
        return sizeBytes;
    }

    /** Maps the whole file read-write and shared; the region outlives this descriptor. */
    public MappedRegion map() {
        return MappedRegion.map(fd, sizeBytes, MappedRegion.PROT_READ | MappedRegion.PROT_WRITE,
                MappedRegion.MAP_SHARED, 0);
    }

    /**
     * Adds {@code F_SEAL_*} seals (needs {@link #MFD_ALLOW_SEALING} at creation); for example
     * {@link #F_SEAL_SHRINK} so that the peer that mapped the file can never fault on a
     * truncated page.
     */
    public void addSeals(int seals) {
        FileDescriptors.fcntl(fd, F_ADD_SEALS, seals);
    }

    /** The {@code F_SEAL_*} seals in force. */
    public int seals() {
        return seals(fd);
    }

    /**
     * The {@code F_SEAL_*} seals in force on any descriptor, such as a region a peer sent.
     *
     * @throws NativeCallException {@code fcntl: EINVAL} when the file does not support seals
     */
    public static int seals(int fd) {
        return FileDescriptors.fcntl(fd, F_GET_SEALS, 0);
    }

    /** Closes the descriptor; mappings stay valid until unmapped. A second call does nothing. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            FileDescriptors.close(fd);
        }
    }
}
