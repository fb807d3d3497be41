package io.nfchain.core.afpacket;

import static io.nfchain.core.afpacket.VethLink.DEV_A;
import static io.nfchain.core.afpacket.VethLink.DEV_B;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.os.PacketSocket;
import io.nfchain.core.os.SocketOptions;
import io.nfchain.core.testing.HostTools;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The port against the kernel on a veth pair between two namespaces: what we send comes out
 * of the peer intact (read by a plain AF_PACKET socket), what the kernel sends comes into our
 * rings intact, at standard and 9000-byte MTU.
 */
class AfPacketPortTest {
    private static final String A4 = "192.0.2.1";
    private static final String B4 = "192.0.2.2";
    private static final int UDP_PORT = 9999;

    @BeforeEach
    void needsRoot() {
        HostTools.requireRoot();
        HostTools.requireProgram("ip");
    }

    @Test
    void framesWeSendComeOutOfThePeerByteForByteAndNotBackIntoOurRing() throws Exception {
        try (VethLink link = VethLink.create(1500);
                AfPacketPort port = link.in(link.nsA, () -> AfPacketPort.open(AfPacketConfig.of(DEV_A)));
                PacketSocket peer = link.in(link.nsB, () -> boundSocket(DEV_B));
                PacketBurst burst = new PacketBurst(32, 2048)) {
            List<byte[]> sent = new ArrayList<>();
            for (int seq = 0; seq < 300; seq++) {
                sent.add(PortFrames.numbered(seq, 22 + (seq * 37) % 1493)); // 22 .. 1514 bytes
            }
            PortFrames.sendAll(port, burst, sent);

            List<byte[]> got = PortFrames.receive(peer, sent.size(), 5000, PortFrames::experimental);
            assertEquals(sent.size(), got.size(), "frames out of the peer");
            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i), got.get(i), "frame " + i);
            }
            assertEquals(300, port.counters().txPackets());
            assertEquals(0, port.counters().totalDrops() + port.counters().txKickFailures());
            assertEquals(0, PortFrames.receive(port, burst, 1, 50, f -> true).size(),
                    "PACKET_IGNORE_OUTGOING: our own frames do not come back");
        }
    }

    @Test
    void udpDatagramsFromTheKernelArriveWithTheirLengthsAndBytes() throws Exception {
        try (VethLink link = VethLink.create(1500);
                PacketBurst burst = new PacketBurst(32, 2048)) {
            link.address(link.nsA, DEV_A, A4 + "/24");
            link.address(link.nsB, DEV_B, B4 + "/24");
            try (AfPacketPort port = link.in(link.nsA, () -> AfPacketPort.open(AfPacketConfig.of(DEV_A)));
                    DatagramSocket sender = link.in(link.nsB, () -> new DatagramSocket(new InetSocketAddress(B4, 0)))) {
                List<byte[]> payloads = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    byte[] payload = new byte[1 + i * 29]; // 1 .. 1422 bytes
                    for (int k = 0; k < payload.length; k++) {
                        payload[k] = (byte) (i + k * 13);
                    }
                    payloads.add(payload);
                    sender.send(new DatagramPacket(payload, payload.length, InetAddress.getByName(A4), UDP_PORT));
                }
                List<byte[]> frames = PortFrames.receive(port, burst, payloads.size(), 5000, AfPacketPortTest::udpToOurPort);
                assertEquals(payloads.size(), frames.size(), "UDP frames received");
                for (int i = 0; i < frames.size(); i++) {
                    byte[] frame = frames.get(i);
                    byte[] payload = payloads.get(i);
                    assertEquals(14 + 20 + 8 + payload.length, frame.length, "frame length of datagram " + i);
                    assertEquals(20 + 8 + payload.length, u16(frame, 16), "IPv4 total length of datagram " + i);
                    byte[] carried = java.util.Arrays.copyOfRange(frame, 42, frame.length);
                    assertArrayEquals(payload, carried, "payload of datagram " + i);
                }
                port.pollKernelStatistics();
                assertTrue(port.counters().kernelPackets() >= payloads.size() + 1, "ARP request and datagrams seen by the kernel");
                assertEquals(0, port.counters().kernelDrops());
            }
        }
    }

    @Test
    void jumboFramesAt9000BytesMtuBothWays() throws Exception {
        try (VethLink link = VethLink.create(9000);
                AfPacketPort a = link.in(link.nsA, () -> AfPacketPort.open(AfPacketConfig.of(DEV_A).withJumboFrames()));
                AfPacketPort b = link.in(link.nsB, () -> AfPacketPort.open(AfPacketConfig.of(DEV_B).withJumboFrames()));
                PacketSocket peer = link.in(link.nsB, () -> boundSocket(DEV_B));
                PacketBurst out = new PacketBurst(4, 9216);
                PacketBurst in = new PacketBurst(32, 9216)) {
            assertEquals(9000, a.mtuBytes());
            List<byte[]> sent = List.of(PortFrames.numbered(1, 9014), PortFrames.numbered(2, 8000),
                    PortFrames.numbered(3, 9015)); // one byte over the MTU
            PortFrames.sendAll(a, out, sent);
            assertEquals(1, a.counters().drops(AfPacketDrop.TX_TOO_LONG), "the 9015-byte frame");

            List<byte[]> byPlain = PortFrames.receive(peer, 2, 5000, PortFrames::experimental);
            List<byte[]> byRing = PortFrames.receive(b, in, 2, 5000, PortFrames::experimental);
            for (List<byte[]> got : List.of(byPlain, byRing)) {
                assertEquals(2, got.size());
                assertArrayEquals(sent.get(0), got.get(0));
                assertArrayEquals(sent.get(1), got.get(1));
            }
            assertEquals(0, b.counters().totalDrops());
        }
    }

    @Test
    void aFrameLongerThanTheBurstBuffersOrTheRingSlotIsDroppedWithItsReason() throws Exception {
        try (VethLink link = VethLink.create(9000);
                AfPacketPort a = link.in(link.nsA, () -> AfPacketPort.open(AfPacketConfig.of(DEV_A).withJumboFrames()));
                AfPacketPort b = link.in(link.nsB, () -> AfPacketPort.open(AfPacketConfig.of(DEV_B).withRxRing(4096, 16, 1)));
                PacketBurst out = new PacketBurst(4, 9216);
                PacketBurst in = new PacketBurst(32, 1024)) {
            assertEquals(3966, b.config().rxMaxFrameBytes(), "4096 - 48 (block header) - 82 (packet header)");
            PortFrames.sendAll(a, out, List.of(PortFrames.numbered(1, 1500), PortFrames.numbered(2, 4000),
                    PortFrames.numbered(3, 100)));
            List<byte[]> got = PortFrames.receive(b, in, 1, 5000, PortFrames::experimental);
            assertEquals(1, got.size());
            assertEquals(100, got.get(0).length, "only the frame that fits everywhere");
            assertEquals(1, b.counters().drops(AfPacketDrop.RX_TOO_LONG), "1500 bytes into 1024-byte buffers");
            assertEquals(1, b.counters().drops(AfPacketDrop.RX_TRUNCATED), "4000 bytes into 4 KiB ring blocks");
        }
    }

    private static PacketSocket boundSocket(String dev) {
        PacketSocket socket = PacketSocket.open(PortFrames.ETHERTYPE_EXPERIMENTAL);
        socket.bind(PacketSocket.interfaceIndex(dev));
        socket.setNonBlocking(true);
        // Room for every frame a test sends before reading (the default ~200 KiB holds ~100 big ones).
        SocketOptions.setInt(socket.fd(), SocketOptions.SOL_SOCKET, SocketOptions.SO_RCVBUFFORCE, 16 << 20);
        return socket;
    }

    private static boolean udpToOurPort(byte[] frame) {
        return frame.length >= 42 && u16(frame, 12) == 0x0800 && frame[23] == 17 && u16(frame, 36) == UDP_PORT;
    }

    private static int u16(byte[] b, int offset) {
        return ByteBuffer.wrap(b, offset, 2).getShort() & 0xffff;
    }
}
