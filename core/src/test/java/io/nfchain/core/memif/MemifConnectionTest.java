package io.nfchain.core.memif;

import static io.nfchain.core.memif.MemifLink.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both ends in one JVM over a real socket and a real memfd, stepped by hand. */
class MemifConnectionTest {
    @TempDir
    Path dir;

    private Path socket;
    private MemifServer server;

    @BeforeEach
    void listen() {
        socket = dir.resolve("memif.sock");
        server = MemifServer.listen(MemifServer.Config.of(socket).withSecret("right"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void handshakeNegotiatesRingsAndRegion() {
        try (MemifClient client = MemifClient.create(MemifClient.Config.of(socket).withSecret("right").withRings(2, 12))) {
            connect(server, client);
            assertEquals(2, client.queuePairCount());
            assertEquals(2, server.queuePairCount());
            assertEquals(1, server.connects());
            RegionLayout layout = client.layout();
            assertEquals(12, layout.log2RingSize());
            assertEquals(4 * RingLayout.sizeBytes(12), layout.buffersOffset());
            assertEquals(layout.buffersOffset() + 4L * 4096 * 2048, layout.sizeBytes());
            assertEquals(0, server.doWork() + client.doWork(), "idle once connected");
        }
    }

    @Test
    void wrongOrMissingSecretIsRefusedWithAReason() {
        try (MemifClient client = MemifClient.create(MemifClient.Config.of(socket).withSecret("wrong"))) {
            client.connect();
            pump(server, client, () -> !client.isActive());
            assertEquals(MemifError.PEER_DISCONNECTED, client.lastError());
            assertEquals("Incorrect secret", client.peerDisconnectText());
            assertEquals(1, server.errorCount(MemifError.WRONG_SECRET));
            assertFalse(server.isConnected());
        }
        try (MemifClient client = MemifClient.create(MemifClient.Config.of(socket))) {
            client.connect();
            pump(server, client, () -> !client.isActive());
            assertEquals("Secret required", client.peerDisconnectText());
            assertEquals(1, server.errorCount(MemifError.SECRET_REQUIRED));
        }
        try (MemifClient client = MemifClient.create(MemifClient.Config.of(socket).withSecret("right"))) {
            connect(server, client); // the server still serves after refusing two
        }
    }

    @Test
    void burstsCrossBothDirectionsWithPayloadsIntact() {
        try (MemifClient client = MemifClient.create(MemifClient.Config.of(socket).withSecret("right").withRings(2, 10))) {
            connect(server, client);
            PacketBurst out = new PacketBurst(32, 2048);
            PacketBurst in = new PacketBurst(32, 2048);
            for (int q = 0; q < 2; q++) {
                ClientQueuePair c = client.queuePair(q);
                ServerQueuePair s = server.queuePair(q);
                for (int i = 0; i < 32; i++) {
                    putFrame(out, i, q * 1000 + i, lengthFor(i));
                }
                out.setCount(32);
                assertEquals(32, c.txBurst(out));
                assertEquals(32, s.rxBurst(in));
                for (int i = 0; i < 32; i++) {
                    checkFrame(in, i, q * 1000 + i, lengthFor(i));
                }
                for (int i = 0; i < 32; i++) {
                    putFrame(out, i, q * 1000 + 500 + i, lengthFor(i + 3));
                }
                assertEquals(32, s.txBurst(out));
                assertEquals(32, c.rxBurst(in));
                for (int i = 0; i < 32; i++) {
                    checkFrame(in, i, q * 1000 + 500 + i, lengthFor(i + 3));
                }
                assertEquals(0, s.rxBurst(in));
                assertEquals(0, c.rxBurst(in));
                assertEquals(32, c.counters().txPackets());
                assertEquals(32, s.counters().rxPackets());
                assertEquals(0, s.counters().totalDrops() + c.counters().totalDrops());
            }
        }
    }

    @Test
    void transmitRoomSaysWhatTxTakesAndReceiveTakesNoMoreThanAsked() {
        try (MemifClient client = MemifClient.create(MemifClient.Config.of(socket).withSecret("right").withRings(1, 6));
                PacketBurst out = new PacketBurst(32, 2048);
                PacketBurst in = new PacketBurst(32, 2048)) {
            connect(server, client);
            ClientQueuePair c = client.queuePair(0);
            ServerQueuePair s = server.queuePair(0);
            assertEquals(64, c.transmitRoom());
            assertEquals(64, s.transmitRoom(), "the client posted every S2C buffer on connecting");
            long seq = 0;
            for (int round = 0; round < 3; round++) { // 96 frames offered to a 64-slot ring
                for (int i = 0; i < 32; i++) {
                    putFrame(out, i, seq + i, 60);
                }
                out.setCount(32);
                int room = c.transmitRoom();
                assertEquals(Math.min(32, room), c.txBurst(out));
                seq += Math.min(32, room);
            }
            assertEquals(0, c.transmitRoom());
            assertEquals(5, s.rxBurst(in, 5));
            for (int i = 0; i < 5; i++) {
                checkFrame(in, i, i, 60);
            }
            assertEquals(5, c.transmitRoom(), "the five received slots went back to the client");
            assertEquals(0, s.rxBurst(in, 0));
            assertEquals(32, s.rxBurst(in, 100), "never more than the burst holds");
            checkFrame(in, 0, 5, 60);

            for (int i = 0; i < 32; i++) {
                putFrame(out, i, 1000 + i, 60);
            }
            out.setCount(32);
            assertEquals(32, s.txBurst(out));
            assertEquals(32, s.transmitRoom());
            assertEquals(32, s.txBurst(out));
            assertEquals(0, s.transmitRoom());
            assertEquals(0, s.txBurst(out), "no posted buffer left: nothing taken");
            assertEquals(3, c.rxBurst(in, 3));
            checkFrame(in, 2, 1002, 60);
            assertEquals(3, s.transmitRoom(), "the client posted the three buffers it emptied");
            assertEquals(0, s.counters().totalDrops() + c.counters().totalDrops());
        }
    }

    @Test
    void jumboFramesTravelAsChainedBuffers() {
        try (MemifClient client = MemifClient.create(MemifClient.Config.of(socket).withSecret("right").withRings(1, 4))) {
            connect(server, client);
            PacketBurst out = new PacketBurst(4, 9216);
            PacketBurst in = new PacketBurst(4, 9216);
            putFrame(out, 0, 1, 9000); // 5 buffers of 2048
            putFrame(out, 1, 2, 2048); // exactly one
            putFrame(out, 2, 3, 2049); // two
            putFrame(out, 3, 4, 9000); // 5 + 1 + 2 + 5 = 13 of the 16 slots
            out.setCount(4);
            assertEquals(4, client.queuePair(0).txBurst(out));
            assertEquals(4, server.queuePair(0).rxBurst(in));
            checkFrame(in, 0, 1, 9000);
            checkFrame(in, 1, 2, 2048);
            checkFrame(in, 2, 3, 2049);
            checkFrame(in, 3, 4, 9000);
            assertEquals(4, server.queuePair(0).txBurst(out));
            assertEquals(4, client.queuePair(0).rxBurst(in));
            checkFrame(in, 0, 1, 9000);
            checkFrame(in, 3, 4, 9000);

            PacketBurst small = new PacketBurst(4, 4096); // a receiver that cannot hold 9000 bytes
            out.setCount(1);
            assertEquals(1, client.queuePair(0).txBurst(out));
            assertEquals(0, server.queuePair(0).rxBurst(small));
            assertEquals(1, server.queuePair(0).counters().drops(MemifDrop.FRAME_TOO_LONG));
        }
    }

    @Test
    void aFrameLongerThanTheWholeRingIsDroppedInsteadOfStallingTheQueue() {
        try (MemifClient client = MemifClient.create(MemifClient.Config.of(socket).withSecret("right").withRings(1, 2))) {
            connect(server, client); // 4 slots of 2048 bytes: 8192 bytes at most
            PacketBurst out = new PacketBurst(2, 9216);
            PacketBurst in = new PacketBurst(2, 9216);
            putFrame(out, 0, 1, 9000);
            putFrame(out, 1, 2, 8192);
            out.setCount(2);
            assertEquals(2, client.queuePair(0).txBurst(out));
            assertEquals(1, client.queuePair(0).counters().drops(MemifDrop.FRAME_TOO_LONG));
            assertEquals(1, server.queuePair(0).rxBurst(in));
            checkFrame(in, 0, 2, 8192);
            assertEquals(2, server.queuePair(0).txBurst(out));
            assertEquals(1, server.queuePair(0).counters().drops(MemifDrop.FRAME_TOO_LONG));
            assertEquals(1, client.queuePair(0).rxBurst(in));
            checkFrame(in, 0, 2, 8192);
        }
    }

    @Test
    void cursorsWrapPast65535WithEveryFrameIntact() {
        // 64-byte buffers and 193..256-byte frames: 4 chained slots a frame, so 17,600
        // frames move 70,400 slots each way, past 65,535, chains crossing the wrap
        MemifClient.Config config = MemifClient.Config.of(socket).withSecret("right").withRings(1, 4).withBufferBytes(64);
        try (MemifClient client = MemifClient.create(config)) {
            connect(server, client);
            ClientQueuePair c = client.queuePair(0);
            ServerQueuePair s = server.queuePair(0);
            PacketBurst out = new PacketBurst(4, 256);
            PacketBurst in = new PacketBurst(4, 256);
            long frames = 17_600;
            long sentUp = 0;
            long receivedUp = 0;
            long sentDown = 0;
            long receivedDown = 0;
            while (receivedUp < frames || receivedDown < frames) {
                sentUp += c.txBurst(fill(out, sentUp));
                int n = s.rxBurst(in);
                for (int i = 0; i < n; i++, receivedUp++) {
                    checkFrame(in, i, receivedUp, wrapLength(receivedUp));
                }
                sentDown += s.txBurst(fill(out, sentDown));
                n = c.rxBurst(in);
                for (int i = 0; i < n; i++, receivedDown++) {
                    checkFrame(in, i, receivedDown, wrapLength(receivedDown));
                }
            }
            assertEquals(sentUp, receivedUp);
            assertEquals(sentDown, receivedDown);
            assertTrue(c.transmitRing().headPlain() < 4 * frames - 65_536 + 16, "head wrapped");
            assertTrue(s.transmitRing().tailPlain() < 4 * frames - 65_536 + 16, "tail wrapped");
            assertEquals(0, s.counters().totalDrops() + c.counters().totalDrops());
        }
    }

    private static PacketBurst fill(PacketBurst burst, long firstSeq) {
        for (int i = 0; i < burst.capacity(); i++) {
            putFrame(burst, i, firstSeq + i, wrapLength(firstSeq + i));
        }
        burst.setCount(burst.capacity());
        return burst;
    }

    private static int wrapLength(long seq) {
        return 193 + (int) (seq % 64);
    }

    @Test
    void descriptorsOutsideTheRegionAreDroppedAndCountedNeverFollowed() {
        try (MemifClient client = MemifClient.create(MemifClient.Config.of(socket).withSecret("right").withRings(1, 4))) {
            connect(server, client);
            MemifRing ring = client.queuePair(0).transmitRing(); // play a hostile client
            ServerQueuePair s = server.queuePair(0);
            long regionBytes = client.layout().sizeBytes();
            int head = ring.headPlain();
            ring.setDescriptor(head, 0, 0, regionBytes - 10, 100, 0); // runs past the end
            ring.setDescriptor(head + 1, 0, 7, 0, 64, 0); // a region never registered
            ring.setDescriptor(head + 2, 0, 0, 0xffff_fff0L, 0xffff_fff0L, 0); // 32-bit extremes
            ring.setDescriptor(head + 3, 0, 0, client.layout().buffersOffset(), 0, 0); // empty
            ring.headRelease(head + 4);
            PacketBurst in = new PacketBurst(8, 2048);
            assertEquals(0, s.rxBurst(in));
            assertEquals(2, s.counters().drops(MemifDrop.DESCRIPTOR_OUTSIDE_REGION));
            assertEquals(1, s.counters().drops(MemifDrop.DESCRIPTOR_REGION_UNKNOWN));
            assertEquals(1, s.counters().drops(MemifDrop.FRAME_EMPTY));

            ring.headRelease((head + 4 + 100) & 0xffff); // a cursor moved beyond the 16-slot ring
            assertEquals(0, s.rxBurst(in));
            assertEquals(1, s.counters().drops(MemifDrop.RING_CURSOR_INVALID));
            ring.headRelease(head + 4);

            ring.setDescriptor(head + 4, 0, 0, client.layout().buffersOffset(), 100, 42);
            ring.headRelease(head + 5);
            assertEquals(1, s.rxBurst(in)); // good frames still flow after the bad ones
            assertEquals(100, in.length(0));
            assertEquals(42, in.metadata(0));
            assertEquals(5, s.counters().totalDrops());
        }
    }

    @Test
    void aHostileServerCannotMakeTheClientReadOutsideItsRegion() {
        try (MemifClient client = MemifClient.create(MemifClient.Config.of(socket).withSecret("right").withRings(1, 4))) {
            connect(server, client);
            ServerQueuePair s = server.queuePair(0);
            MemifRing ring = s.transmitRing();
            int tail = ring.tailPlain();
            ring.setDescriptor(tail, 0, 0, client.layout().sizeBytes(), 64, 0);
            ring.tailRelease(tail + 1);
            PacketBurst in = new PacketBurst(8, 2048);
            assertEquals(0, client.queuePair(0).rxBurst(in));
            assertEquals(1, client.queuePair(0).counters().drops(MemifDrop.DESCRIPTOR_OUTSIDE_REGION));
        }
    }

    @Test
    void closingEitherEndIsNoticedAndTheServerAcceptsAgain() {
        MemifClient client = MemifClient.create(MemifClient.Config.of(socket).withSecret("right"));
        connect(server, client);
        client.close();
        pump(server, null, () -> !server.isConnected());
        assertEquals(MemifError.PEER_DISCONNECTED, server.lastError());
        assertEquals("Interface closed", server.peerDisconnectText());

        connect(server, client); // the same client reconnects
        server.disconnect(MemifError.LOCAL_CLOSE);
        pump(server, client, () -> !client.isActive());
        assertEquals(MemifError.PEER_DISCONNECTED, client.lastError());

        connect(server, client);
        assertEquals(3, server.connects());
        client.close();
    }

    @Test
    void aSecondClientIsRefusedWhileOneIsConnected() {
        try (MemifClient first = MemifClient.create(MemifClient.Config.of(socket).withSecret("right"));
                MemifClient second = MemifClient.create(MemifClient.Config.of(socket).withSecret("right"))) {
            connect(server, first);
            second.connect();
            pump(server, second, () -> !second.isActive());
            assertEquals("Already connected", second.peerDisconnectText());
            assertEquals(1, server.errorCount(MemifError.ALREADY_CONNECTED));
            assertTrue(server.isConnected() && first.isConnected());
        }
    }
}
