package io.nfchain.core.memif;

import static org.junit.jupiter.api.Assertions.fail;

import io.nfchain.core.os.UnixSeqpacketSocket;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * A memif peer with no rules: writes whatever bytes a test puts in {@link #out()} and shows
 * what came back. The test tool for misbehaving clients and servers.
 */
final class RawPeer implements AutoCloseable {
    private final UnixSeqpacketSocket socket;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment out = arena.allocate(256, 8);
    private final MemorySegment in = arena.allocate(256, 8);

    RawPeer(UnixSeqpacketSocket socket) {
        this.socket = socket;
        socket.setNonBlocking(true);
    }

    static RawPeer connect(Path path) {
        return new RawPeer(UnixSeqpacketSocket.connect(path));
    }

    MemorySegment out() {
        return out;
    }

    MemorySegment in() {
        return in;
    }

    void send(int lengthBytes) {
        socket.send(out.asSlice(0, lengthBytes));
    }

    void sendWithFd(int fd) {
        socket.send(out.asSlice(0, MemifMessageLayout.MESSAGE_BYTES), new int[] {fd}, 1);
    }

    /** Steps {@code other} until a message (or the close, as 0) arrives; returns its length. */
    int receive(Runnable other) {
        for (int i = 0; i < 1_000; i++) {
            int length = socket.receive(in);
            if (length != -1) {
                return length;
            }
            other.run();
        }
        fail("nothing received after 1000 steps");
        return -1;
    }

    /** Receives a message and returns its type. */
    int receiveType(Runnable other) {
        int length = receive(other);
        return length == MemifMessageLayout.MESSAGE_BYTES ? MemifMessageCodec.type(in) : -length;
    }

    String disconnectText() {
        return MemifMessageCodec.string(in, MemifMessageLayout.DISCONNECT_TEXT_OFFSET,
                MemifProtocol.DISCONNECT_TEXT_BYTES);
    }

    @Override
    public void close() {
        socket.close();
        arena.close();
    }
}
