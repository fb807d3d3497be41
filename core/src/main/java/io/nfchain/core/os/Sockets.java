package io.nfchain.core.os;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** Socket constants (Linux x86_64) and the cold-path calls both socket types share. */
final class Sockets {
    static final int AF_UNIX = 1;
    static final int AF_PACKET = 17;

    static final int SOCK_RAW = 3;
    static final int SOCK_SEQPACKET = 5;
    static final int SOCK_CLOEXEC = FileDescriptors.O_CLOEXEC;

    static final int MSG_CTRUNC = 0x08;
    static final int MSG_TRUNC = 0x20;
    /** Report EPIPE instead of raising SIGPIPE when the peer is gone. */
    static final int MSG_NOSIGNAL = 0x4000;
    /** Received descriptors are close-on-exec from the start. */
    static final int MSG_CMSG_CLOEXEC = 0x40000000;

    private static final MethodHandle SOCKET =
            NativeCalls.downcall("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND =
            NativeCalls.downcall("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));

    private Sockets() {}

    /** {@code socket(domain, type | SOCK_CLOEXEC, protocol)}. */
    static int open(int domain, int type, int protocol) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = NativeCalls.allocateCallState(arena);
            int fd = (int) SOCKET.invokeExact(state, domain, type | SOCK_CLOEXEC, protocol);
            if (fd == -1) {
                throw NativeCalls.failure("socket", state);
            }
            return fd;
        } catch (Throwable t) {
            throw NativeCalls.unchecked(t);
        }
    }

    /** {@code bind(fd, address)}; {@code detail} names the address in an error. */
    static void bind(int fd, MemorySegment address, String detail) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = NativeCalls.allocateCallState(arena);
            int rc = (int) BIND.invokeExact(state, fd, address, (int) address.byteSize());
            if (rc == -1) {
                throw NativeCalls.failure("bind", state, detail);
            }
        } catch (Throwable t) {
            throw NativeCalls.unchecked(t);
        }
    }
}
