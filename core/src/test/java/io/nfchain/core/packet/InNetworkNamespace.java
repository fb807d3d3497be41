package io.nfchain.core.packet;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs code with its sockets in a named network namespace ({@code ip netns add NAME}), inside
 * this JVM: a fresh platform thread joins the namespace with {@code setns(2)}, which moves only
 * the calling thread, and runs the task there. A socket belongs to the namespace it was created
 * in, so a socket made by the task keeps working in that namespace from any thread afterwards.
 *
 * <p>Platform threads only: a virtual thread could be carried by other OS threads. Linux, root.
 */
public final class InNetworkNamespace {
    private static final int CLONE_NEWNET = 0x4000_0000;
    private static final int O_RDONLY_CLOEXEC = 0x80000;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final MethodHandle OPEN = downcall("open", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle SETNS = downcall("setns", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle SOCKET = downcall("socket",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    @SuppressWarnings("restricted") // the test JVM runs with --enable-native-access
    private static final MethodHandle IOCTL = LINKER.downcallHandle(LINKER.defaultLookup().find("ioctl").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(2));
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final long SIOCETHTOOL = 0x8946;
    private static final int ETHTOOL_STXCSUM = 0x17;
    private static final int IFNAMSIZ = 16;
    /** struct ifreq: the name, then a union whose ifr_data points at the ethtool command; 40 bytes. */
    private static final int IFREQ_BYTES = 40;

    private InNetworkNamespace() {}

    @SuppressWarnings("restricted") // the test JVM runs with --enable-native-access
    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor,
                Linker.Option.captureCallState("errno"));
    }

    /** Runs {@code task} in namespace {@code name}, waiting at most {@code timeoutSeconds}; its result or its exception. */
    public static <T> T call(String name, int timeoutSeconds, Callable<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().name("netns-" + name).daemon().start(() -> {
            try {
                enter(name);
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case Exception cause -> throw cause;
                case Error cause -> throw cause; // an assertion in the task fails the test as itself
                default -> throw e;
            }
        } finally {
            thread.interrupt();
        }
    }

    /**
     * Turns transmit checksum offload off on {@code device} in namespace {@code name}, as
     * {@code ethtool -K DEVICE tx off} does (ethtool is not on a bare Debian): the kernel then
     * finishes TCP/UDP checksums before the capture tap, where a veth would leave them to its peer.
     */
    static void disableTransmitChecksumOffload(String name, String device) throws Exception {
        call(name, 5, () -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = arena.allocate(CALL_STATE);
                int fd = libc(SOCKET, state, AF_INET, SOCK_DGRAM, 0);
                if (fd < 0) {
                    throw new IllegalStateException("socket: errno " + errno(state));
                }
                MemorySegment command = arena.allocate(8); // struct ethtool_value { u32 cmd; u32 data; }
                command.set(ValueLayout.JAVA_INT, 0, ETHTOOL_STXCSUM);
                command.set(ValueLayout.JAVA_INT, 4, 0);
                MemorySegment request = arena.allocate(IFREQ_BYTES, 8);
                request.setString(0, device.substring(0, Math.min(device.length(), IFNAMSIZ - 1)));
                request.set(ValueLayout.ADDRESS, IFNAMSIZ, command);
                int done = libc(IOCTL, state, fd, SIOCETHTOOL, request);
                int errno = errno(state);
                libc(CLOSE, state, fd);
                if (done != 0) {
                    throw new IllegalStateException("ioctl SIOCETHTOOL ETHTOOL_STXCSUM " + device + ": errno " + errno);
                }
            }
            return null;
        });
    }

    private static void enter(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            String path = "/run/netns/" + name;
            int fd = libc(OPEN, state, arena.allocateFrom(path), O_RDONLY_CLOEXEC);
            if (fd < 0) {
                throw new IllegalStateException("open " + path + ": errno " + errno(state));
            }
            int joined = libc(SETNS, state, fd, CLONE_NEWNET);
            int errno = errno(state);
            libc(CLOSE, state, fd);
            if (joined != 0) {
                throw new IllegalStateException("setns " + path + ": errno " + errno);
            }
        }
    }

    /** Calls a libc handle made here; its int result. */
    private static int libc(MethodHandle function, Object... args) {
        try {
            return (int) function.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static int errno(MemorySegment state) {
        return (int) CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno")).get(state, 0L);
    }
}
