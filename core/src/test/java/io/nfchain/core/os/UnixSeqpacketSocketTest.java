package io.nfchain.core.os;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixSeqpacketSocketTest {
    /** memif control messages are all this long. */
    static final int MESSAGE_BYTES = 128;

    @TempDir
    Path dir;

    private Arena arena;
    private MemorySegment message;
    private MemorySegment received;

    @BeforeEach
    void buffers() {
        arena = Arena.ofConfined();
        message = arena.allocate(MESSAGE_BYTES);
        received = arena.allocate(MESSAGE_BYTES);
    }

    @AfterEach
    void freeBuffers() {
        arena.close();
    }

    @Test
    void serverAndClientOverASocketPathKeepMessageBoundaries() {
        Path path = dir.resolve("memif.sock");
        try (UnixSeqpacketSocket listener = UnixSeqpacketSocket.listen(path, 4);
                UnixSeqpacketSocket client = UnixSeqpacketSocket.connect(path);
                UnixSeqpacketSocket server = listener.accept()) {
            assertNotNull(server);
            for (int i = 1; i <= 3; i++) {
                client.send(fill(message, i));
            }
            client.send(fill(message, 9).asSlice(0, 5));
            client.send(fill(message, 4));

            for (int i = 1; i <= 3; i++) {
                assertEquals(MESSAGE_BYTES, server.receive(received), "message " + i + " arrives whole, alone");
                assertArrayEquals(expected(i, MESSAGE_BYTES), bytes(received, MESSAGE_BYTES));
                assertEquals(0, server.receivedFdCount());
            }
            assertEquals(5, server.receive(received), "a short message is not merged with the next");
            assertArrayEquals(expected(9, 5), bytes(received, 5));
            assertEquals(MESSAGE_BYTES, server.receive(received));
            assertArrayEquals(expected(4, MESSAGE_BYTES), bytes(received, MESSAGE_BYTES));

            server.send(fill(message, 77));
            assertEquals(MESSAGE_BYTES, client.receive(received));
            assertArrayEquals(expected(77, MESSAGE_BYTES), bytes(received, MESSAGE_BYTES));
        }
        assertFalse(Files.exists(path), "closing the listener deletes its socket file");
    }

    @Test
    void nonBlockingAcceptAndReceiveReportNothingThere() {
        Path path = dir.resolve("idle.sock");
        try (UnixSeqpacketSocket listener = UnixSeqpacketSocket.listen(path, 1)) {
            listener.setNonBlocking(true);
            assertNull(listener.accept());
            UnixSeqpacketSocket client = UnixSeqpacketSocket.connect(path);
            try (UnixSeqpacketSocket server = listener.accept()) {
                assertNotNull(server);
                server.setNonBlocking(true);
                assertEquals(-1, server.receive(received));
                client.close();
                assertEquals(0, server.receive(received), "0 = the peer closed");
                assertThrows(NativeCallException.class, () -> server.send(message));
            } finally {
                client.close(); // idempotent
            }
        }
    }

    @Test
    void sendingToAClosedPeerIsEpipeNotASignal() {
        UnixSeqpacketSocket[] pair = UnixSeqpacketSocket.pair();
        try (UnixSeqpacketSocket survivor = pair[0]) {
            pair[1].close();
            NativeCallException e = assertThrows(NativeCallException.class, () -> survivor.send(message));
            assertEquals("sendmsg: EPIPE", e.getMessage());
        }
    }

    @Test
    void connectWithoutASocketFileIsEnoent() {
        Path path = dir.resolve("nobody-here.sock");
        NativeCallException e = assertThrows(NativeCallException.class, () -> UnixSeqpacketSocket.connect(path));
        assertEquals("connect: ENOENT (" + path + ")", e.getMessage());
        assertEquals("connect", e.call());
        assertEquals(Errno.ENOENT, e.errno());
    }

    @Test
    void connectToAStaleSocketFileIsEconnrefused() throws IOException {
        // A listener that died without unlinking leaves its socket file behind: a hard link
        // keeps the file after our listener deletes its own name on close.
        Path path = dir.resolve("live.sock");
        Path stale = dir.resolve("stale.sock");
        UnixSeqpacketSocket listener = UnixSeqpacketSocket.listen(path, 1);
        try {
            Files.createLink(stale, path);
        } finally {
            listener.close();
        }
        NativeCallException e = assertThrows(NativeCallException.class, () -> UnixSeqpacketSocket.connect(stale));
        assertEquals("connect: ECONNREFUSED (" + stale + ")", e.getMessage());
        assertEquals(Errno.ECONNREFUSED, e.errno());
    }

    @Test
    void bindingAnExistingPathIsEaddrinuse() throws IOException {
        Path path = dir.resolve("taken.sock");
        Files.createFile(path);
        NativeCallException e = assertThrows(NativeCallException.class, () -> UnixSeqpacketSocket.listen(path, 1));
        assertEquals("bind: EADDRINUSE (" + path + ")", e.getMessage());
        assertTrue(Files.exists(path), "a failed listen leaves someone else's file alone");
    }

    @Test
    void pathsThatDoNotFitSockaddrUnAreRejectedBeforeTheKernel() {
        Path tooLong = dir.resolve("x".repeat(SockAddrUnLayout.MAX_PATH_BYTES));
        assertThrows(IllegalArgumentException.class, () -> UnixSeqpacketSocket.connect(tooLong));
    }

    @Test
    void heapBuffersAreRejected() {
        UnixSeqpacketSocket[] pair = UnixSeqpacketSocket.pair();
        try (UnixSeqpacketSocket a = pair[0]; UnixSeqpacketSocket b = pair[1]) {
            assertThrows(IllegalArgumentException.class, () -> a.send(MemorySegment.ofArray(new byte[8])));
            assertThrows(IllegalArgumentException.class, () -> b.receive(MemorySegment.ofArray(new byte[8])));
        }
    }

    static MemorySegment fill(MemorySegment segment, int seed) {
        for (int i = 0; i < segment.byteSize(); i++) {
            segment.set(JAVA_BYTE, i, (byte) (seed * 31 + i));
        }
        return segment;
    }

    static byte[] expected(int seed, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (seed * 31 + i);
        }
        return bytes;
    }

    static byte[] bytes(MemorySegment segment, int length) {
        return segment.asSlice(0, length).toArray(JAVA_BYTE);
    }
}
