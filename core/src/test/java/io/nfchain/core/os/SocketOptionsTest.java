package io.nfchain.core.os;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SocketOptionsTest {
    @TempDir
    Path dir;

    @Test
    void intOptionRoundTripsThroughTheKernel() {
        try (UnixSeqpacketSocket a = UnixSeqpacketSocket.listen(dir.resolve("int.sock"), 1)) {
            SocketOptions.setInt(a.fd(), SocketOptions.SOL_SOCKET, SocketOptions.SO_RCVBUF, 32768);
            assertEquals(65536, SocketOptions.getInt(a.fd(), SocketOptions.SOL_SOCKET, SocketOptions.SO_RCVBUF),
                    "Linux doubles SO_RCVBUF for its bookkeeping");
            assertEquals(Sockets.SOCK_SEQPACKET, SocketOptions.getInt(a.fd(), SocketOptions.SOL_SOCKET, SocketOptions.SO_TYPE));
        }
    }

    @Test
    void bufferOptionRoundTripsThroughTheKernel() {
        try (Arena arena = Arena.ofConfined();
                UnixSeqpacketSocket a = UnixSeqpacketSocket.listen(dir.resolve("buffer.sock"), 1)) {
            MemorySegment linger = arena.allocate(JAVA_INT, 2);
            linger.setAtIndex(JAVA_INT, 0, 1);
            linger.setAtIndex(JAVA_INT, 1, 7);
            SocketOptions.set(a.fd(), SocketOptions.SOL_SOCKET, SocketOptions.SO_LINGER, linger);

            MemorySegment readBack = arena.allocate(JAVA_INT, 4);
            assertEquals(8, SocketOptions.get(a.fd(), SocketOptions.SOL_SOCKET, SocketOptions.SO_LINGER, readBack));
            assertEquals(1, readBack.getAtIndex(JAVA_INT, 0));
            assertEquals(7, readBack.getAtIndex(JAVA_INT, 1));
        }
    }

    @Test
    void errorsNameTheCallAndTheOption() {
        try (UnixSeqpacketSocket a = UnixSeqpacketSocket.listen(dir.resolve("errors.sock"), 1)) {
            NativeCallException unknown = assertThrows(NativeCallException.class,
                    () -> SocketOptions.setInt(a.fd(), SocketOptions.SOL_SOCKET, 9999, 1));
            assertEquals("setsockopt: ENOPROTOOPT (level 1, option 9999)", unknown.getMessage());
        }
        NativeCallException notOpen = assertThrows(NativeCallException.class,
                () -> SocketOptions.getInt(1 << 30, SocketOptions.SOL_SOCKET, SocketOptions.SO_RCVBUF));
        assertEquals("getsockopt: EBADF (level 1, option 8)", notOpen.getMessage());
    }
}
