package io.nfchain.core.os;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Descriptors passed as SCM_RIGHTS, as memif's ADD_REGION (memfd) and ADD_RING (eventfd) do. */
class ScmRightsTest {
    private static final int MESSAGE_BYTES = UnixSeqpacketSocketTest.MESSAGE_BYTES;
    private static final long REGION_BYTES = 1 << 20;

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
    void receivedMemfdMapsTheSameMemoryAndReceivedEventfdSignalsTheSameCounter() {
        Path path = dir.resolve("memif.sock");
        try (UnixSeqpacketSocket listener = UnixSeqpacketSocket.listen(path, 1);
                UnixSeqpacketSocket client = UnixSeqpacketSocket.connect(path);
                UnixSeqpacketSocket server = listener.accept();
                MemFd memfd = MemFd.create("region0", REGION_BYTES, MemFd.MFD_ALLOW_SEALING);
                MappedRegion clientView = memfd.map();
                EventFd interrupt = EventFd.create(0, EventFd.EFD_NONBLOCK)) {
            assertNotNull(server);
            memfd.addSeals(MemFd.F_SEAL_SHRINK);
            client.send(UnixSeqpacketSocketTest.fill(message, 4), new int[] {memfd.fd(), interrupt.fd()}, 2);

            assertEquals(MESSAGE_BYTES, server.receive(received));
            assertEquals(2, server.receivedFdCount());
            int regionFd = server.receivedFd(0);
            int ringFd = server.receivedFd(1);
            assertNotEquals(memfd.fd(), regionFd, "the receiver gets its own descriptor");
            assertTrue(isCloseOnExec(regionFd) && isCloseOnExec(ringFd), "received descriptors are close-on-exec");

            try (MappedRegion serverView = MappedRegion.map(regionFd, REGION_BYTES,
                            MappedRegion.PROT_READ | MappedRegion.PROT_WRITE, MappedRegion.MAP_SHARED, 0);
                    EventFd serverInterrupt = EventFd.adopt(ringFd)) {
                FileDescriptors.close(regionFd); // the mapping keeps the memory

                clientView.segment().set(JAVA_LONG, 4096, 0xABCDL);
                assertEquals(0xABCDL, serverView.segment().get(JAVA_LONG, 4096));
                serverView.segment().set(JAVA_LONG, REGION_BYTES - 8, 0x1234L);
                assertEquals(0x1234L, clientView.segment().get(JAVA_LONG, REGION_BYTES - 8));

                serverInterrupt.write(3);
                assertEquals(3, interrupt.read());
                interrupt.write(5);
                assertEquals(5, serverInterrupt.read());
            }
        }
    }

    @Test
    void aMessageWithMoreDescriptorsThanWeAcceptIsAnErrorAndLeaksNothing() throws IOException {
        UnixSeqpacketSocket[] pair = UnixSeqpacketSocket.pair();
        try (UnixSeqpacketSocket sender = pair[0];
                UnixSeqpacketSocket receiver = pair[1];
                EventFd eventFd = EventFd.create(0, EventFd.EFD_NONBLOCK)) {
            int[] tooMany = new int[UnixSeqpacketSocket.MAX_FDS_RECEIVED + 1];
            Arrays.fill(tooMany, eventFd.fd());
            // The first round loads every class involved, so that the count below sees only our descriptors.
            sender.send(message, tooMany, tooMany.length);
            assertThrows(NativeCallException.class, () -> receiver.receive(received));

            long openBefore = openDescriptors();
            sender.send(message, tooMany, tooMany.length);
            NativeCallException e = assertThrows(NativeCallException.class, () -> receiver.receive(received));
            assertEquals(openBefore, openDescriptors(), "the descriptors that did arrive were closed");
            assertEquals("recvmsg", e.call());
            assertEquals(Errno.EMSGSIZE, e.errno());
            assertTrue(e.getMessage().startsWith("recvmsg: EMSGSIZE (MSG_CTRUNC"), e.getMessage());
            assertEquals(0, receiver.receivedFdCount());

            sender.send(message, new int[] {eventFd.fd()}, 1);
            assertEquals(MESSAGE_BYTES, receiver.receive(received), "the socket is still usable");
            assertEquals(1, receiver.receivedFdCount());
            FileDescriptors.close(receiver.receivedFd(0));
        }
    }

    @Test
    void aMessageLongerThanTheBufferIsAnErrorNotASilentCut() {
        UnixSeqpacketSocket[] pair = UnixSeqpacketSocket.pair();
        try (UnixSeqpacketSocket sender = pair[0]; UnixSeqpacketSocket receiver = pair[1]) {
            sender.send(arena.allocate(MESSAGE_BYTES + 1));
            NativeCallException e = assertThrows(NativeCallException.class, () -> receiver.receive(received));
            assertEquals("recvmsg: EMSGSIZE (MSG_TRUNC: message longer than the 128-byte buffer)", e.getMessage());
            sender.send(message);
            assertEquals(MESSAGE_BYTES, receiver.receive(received), "the rest of the long message was dropped");
        }
    }

    @Test
    void receivedFdIndexIsChecked() {
        UnixSeqpacketSocket[] pair = UnixSeqpacketSocket.pair();
        try (UnixSeqpacketSocket sender = pair[0]; UnixSeqpacketSocket receiver = pair[1]) {
            sender.send(message);
            receiver.receive(received);
            assertThrows(IndexOutOfBoundsException.class, () -> receiver.receivedFd(0));
            assertThrows(IllegalArgumentException.class, () -> sender.send(message, new int[1], 2));
        }
    }

    private static boolean isCloseOnExec(int fd) {
        try {
            return Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd)).stream()
                    .filter(l -> l.startsWith("flags:"))
                    .map(l -> Integer.parseInt(l.substring("flags:".length()).trim(), 8))
                    .anyMatch(flags -> (flags & FileDescriptors.O_CLOEXEC) != 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
