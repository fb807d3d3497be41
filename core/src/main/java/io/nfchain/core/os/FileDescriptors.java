package io.nfchain.core.os;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Calls that apply to any file descriptor: {@code close}, {@code ftruncate} and the
 * {@code O_NONBLOCK} status flag. Not for the hot path: each call allocates its errno slot.
 */
public final class FileDescriptors {
    /** {@code fcntl} commands and flags, Linux x86_64. */
    static final int F_GETFL = 3;
    static final int F_SETFL = 4;
    /** Also {@code SOCK_NONBLOCK}, {@code EFD_NONBLOCK}. */
    static final int O_NONBLOCK = 0x800;
    /** Also {@code SOCK_CLOEXEC}, {@code EFD_CLOEXEC}, {@code EPOLL_CLOEXEC}. */
    static final int O_CLOEXEC = 0x80000;

    private static final MethodHandle CLOSE =
            NativeCalls.downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle FTRUNCATE =
            NativeCalls.downcall("ftruncate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    // fcntl is variadic; F_GETFL/F_SETFL take an int third argument (absent for F_GETFL, ignored).
    private static final MethodHandle FCNTL = NativeCalls.variadicDowncall(
            "fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), 2);

    private FileDescriptors() {}

    /**
     * Closes {@code fd}. Never retried on {@code EINTR}: Linux has already released the
     * descriptor then, and a retry could close one another thread just opened.
     *
     * @throws NativeCallException such as {@code close: EBADF} for a descriptor not open
     */
    public static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = NativeCalls.allocateCallState(arena);
            int rc = (int) CLOSE.invokeExact(state, fd);
            if (rc == -1 && NativeCalls.errno(state) != Errno.EINTR) {
                throw NativeCalls.failure("close", state);
            }
        } catch (Throwable t) {
            throw NativeCalls.unchecked(t);
        }
    }

    /** Sets the size of the file behind {@code fd} to {@code lengthBytes} (>= 0). */
    public static void truncate(int fd, long lengthBytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = NativeCalls.allocateCallState(arena);
            int rc;
            do {
                rc = (int) FTRUNCATE.invokeExact(state, fd, lengthBytes);
            } while (rc == -1 && NativeCalls.errno(state) == Errno.EINTR);
            if (rc == -1) {
                throw NativeCalls.failure("ftruncate", state);
            }
        } catch (Throwable t) {
            throw NativeCalls.unchecked(t);
        }
    }

    /** Sets or clears {@code O_NONBLOCK} on {@code fd}, keeping its other status flags. */
    public static void setNonBlocking(int fd, boolean nonBlocking) {
        int flags = statusFlags(fd);
        int wanted = nonBlocking ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
        if (wanted != flags) {
            fcntl(fd, F_SETFL, wanted);
        }
    }

    /** Whether {@code O_NONBLOCK} is set on {@code fd}. */
    public static boolean isNonBlocking(int fd) {
        return (statusFlags(fd) & O_NONBLOCK) != 0;
    }

    /** Closes {@code fd} after a failed setup step, keeping that step's exception primary. */
    static void closeAfterFailure(int fd, RuntimeException failure) {
        try {
            close(fd);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static int statusFlags(int fd) {
        return fcntl(fd, F_GETFL, 0);
    }

    static int fcntl(int fd, int command, int argument) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = NativeCalls.allocateCallState(arena);
            int rc;
            do {
                rc = (int) FCNTL.invokeExact(state, fd, command, argument);
            } while (rc == -1 && NativeCalls.errno(state) == Errno.EINTR);
            if (rc == -1) {
                throw NativeCalls.failure("fcntl", state);
            }
            return rc;
        } catch (Throwable t) {
            throw NativeCalls.unchecked(t);
        }
    }
}
