package io.nfchain.core.os;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.nfchain.core.testing.HostTools;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PacketSocketTest {
    /** IEEE 802 "local experimental" EtherType: nothing else on lo uses it. */
    private static final int ETHERTYPE_EXPERIMENTAL = 0x88B5;
    private static final int FRAME_BYTES = 64;
    private static final long ETHERTYPE_OFFSET = 12;

    @BeforeEach
    void needsRoot() {
        HostTools.requireRoot();
    }

    @Test
    void frameSentOnLoopbackComesBackByteForByte() throws IOException {
        int lo = PacketSocket.interfaceIndex("lo");
        assertEquals(Integer.parseInt(Files.readString(Path.of("/sys/class/net/lo/ifindex")).trim()), lo);
        try (Arena arena = Arena.ofConfined();
                PacketSocket socket = PacketSocket.open(PacketSocket.ETH_P_ALL);
                PollSet readable = new PollSet(1)) {
            socket.bind(lo);
            socket.setNonBlocking(true);
            readable.add(socket.fd(), PollSet.POLLIN);

            byte[] sent = frame(new Random().nextLong());
            MemorySegment out = arena.allocate(FRAME_BYTES);
            MemorySegment.copy(sent, 0, out, JAVA_BYTE, 0, FRAME_BYTES);
            assertEquals(FRAME_BYTES, socket.send(out));

            MemorySegment in = arena.allocate(2048);
            byte[] got = receiveMatching(socket, readable, in, sent);
            assertArrayEquals(sent, got);
        }
    }

    @Test
    void aFrameLongerThanTheBufferReportsItsRealLength() {
        int lo = PacketSocket.interfaceIndex("lo");
        try (Arena arena = Arena.ofConfined();
                PacketSocket socket = PacketSocket.open(ETHERTYPE_EXPERIMENTAL);
                PollSet readable = new PollSet(1)) {
            socket.bind(lo);
            socket.setNonBlocking(true);
            readable.add(socket.fd(), PollSet.POLLIN);
            assertEquals(-1, socket.receive(arena.allocate(16)), "non-blocking and nothing there");

            MemorySegment out = arena.allocate(FRAME_BYTES);
            MemorySegment.copy(frame(1), 0, out, JAVA_BYTE, 0, FRAME_BYTES);
            socket.send(out);
            assertEquals(1, readable.await(5000), "the frame comes back on lo");
            MemorySegment small = arena.allocate(16);
            assertEquals(FRAME_BYTES, socket.receive(small), "real length, though only 16 bytes were copied");
            assertEquals(ETHERTYPE_EXPERIMENTAL,
                    Short.toUnsignedInt(small.get(JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), ETHERTYPE_OFFSET)),
                    "bound to one EtherType, it sees only that one");
        }
    }

    @Test
    void packetOptionsRoundTrip() {
        try (PacketSocket socket = PacketSocket.open(PacketSocket.ETH_P_ALL)) {
            SocketOptions.setInt(socket.fd(), SocketOptions.SOL_PACKET, SocketOptions.PACKET_VERSION,
                    SocketOptions.TPACKET_V3);
            assertEquals(SocketOptions.TPACKET_V3,
                    SocketOptions.getInt(socket.fd(), SocketOptions.SOL_PACKET, SocketOptions.PACKET_VERSION));
            SocketOptions.setInt(socket.fd(), SocketOptions.SOL_SOCKET, SocketOptions.SO_RCVBUF, 65536);
            assertEquals(2 * 65536, SocketOptions.getInt(socket.fd(), SocketOptions.SOL_SOCKET, SocketOptions.SO_RCVBUF),
                    "Linux doubles SO_RCVBUF for its bookkeeping");
        }
    }

    @Test
    void unknownInterfaceIsEnodev() {
        NativeCallException e = assertThrows(NativeCallException.class, () -> PacketSocket.interfaceIndex("nfc-none0"));
        assertEquals("if_nametoindex: ENODEV (nfc-none0)", e.getMessage());
    }

    /** A frame from a locally administered MAC to another, our EtherType, then {@code seed}-derived bytes. */
    private static byte[] frame(long seed) {
        byte[] frame = new byte[FRAME_BYTES];
        new Random(seed).nextBytes(frame);
        byte[] header = {0x02, 0, 0, 0, 0, 0x01, 0x02, 0, 0, 0, 0, 0x02,
            (byte) (ETHERTYPE_EXPERIMENTAL >> 8), (byte) ETHERTYPE_EXPERIMENTAL};
        System.arraycopy(header, 0, frame, 0, header.length);
        return frame;
    }

    /** ETH_P_ALL on lo sees everyone's traffic: wait for the frame whose bytes are {@code sent}. */
    private static byte[] receiveMatching(PacketSocket socket, PollSet readable, MemorySegment in, byte[] sent) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (readable.await(100) == 0) {
                continue;
            }
            int length;
            while ((length = socket.receive(in)) >= 0) {
                assertTrue(length <= in.byteSize(), "lo frame larger than the buffer: " + length);
                byte[] got = in.asSlice(0, length).toArray(JAVA_BYTE);
                if (length == sent.length && got[ETHERTYPE_OFFSET_INT] == sent[ETHERTYPE_OFFSET_INT]
                        && got[ETHERTYPE_OFFSET_INT + 1] == sent[ETHERTYPE_OFFSET_INT + 1]
                        && got[FRAME_BYTES - 1] == sent[FRAME_BYTES - 1]) {
                    return got;
                }
            }
        }
        return fail("the frame did not come back on lo within 5 s");
    }

    private static final int ETHERTYPE_OFFSET_INT = (int) ETHERTYPE_OFFSET;
}
