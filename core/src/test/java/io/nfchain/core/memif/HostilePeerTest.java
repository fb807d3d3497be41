package io.nfchain.core.memif;

import static io.nfchain.core.memif.MemifMessageLayout.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.core.os.EventFd;
import io.nfchain.core.os.MappedRegion;
import io.nfchain.core.os.MemFd;
import io.nfchain.core.os.UnixSeqpacketSocket;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Misbehaving peers are refused with a counted reason; the end under test keeps serving. */
class HostilePeerTest {
    private static final int LOG2 = 4;

    @TempDir
    Path dir;

    private Path socket;
    private MemifServer server;
    private Runnable step;

    @BeforeEach
    void listen() {
        socket = dir.resolve("memif.sock");
        server = MemifServer.listen(MemifServer.Config.of(socket));
        step = server::doWork;
    }

    @AfterEach
    void stillServesAWellBehavedClient() {
        try (MemifClient client = MemifClient.create(MemifClient.Config.of(socket))) {
            MemifLink.connect(server, client);
        } finally {
            server.close();
        }
    }

    @Test
    void wrongSizeUnknownTypeAndOutOfOrderMessagesAreRefused() {
        assertEquals(MemifError.BAD_MESSAGE_SIZE, refusal(peer -> peer.send(64)));
        assertEquals(MemifError.UNKNOWN_MESSAGE_TYPE, refusal(peer -> {
            MemifMessageCodec.encodeAck(peer.out());
            peer.out().set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short) 99);
            peer.send(MESSAGE_BYTES);
        }));
        assertEquals(MemifError.UNEXPECTED_MESSAGE, refusal(peer -> {
            MemifMessageCodec.encodeConnect(peer.out(), "too early");
            peer.send(MESSAGE_BYTES);
        }));
        assertEquals(MemifError.BAD_MESSAGE_SIZE, refusal(peer -> peer.send(200)));
    }

    @Test
    void badRingsAndRegionsAreRefused() {
        assertEquals(MemifError.RING_SIZE_OUT_OF_RANGE, refusal(peer -> {
            init(peer);
            MemifMessageCodec.encodeAddRing(peer.out(), true, 0, 0, 0, 15);
            peer.send(MESSAGE_BYTES);
        }));
        assertEquals(MemifError.REGION_FD_MISSING, refusal(peer -> {
            init(peer);
            MemifMessageCodec.encodeAddRegion(peer.out(), 0, 4096);
            peer.send(MESSAGE_BYTES);
        }));
        try (MemFd unsealed = MemFd.create("unsealed", 64 * 1024, MemFd.MFD_ALLOW_SEALING);
                MemFd memfd = MemFd.create("hostile", 64 * 1024, MemFd.MFD_ALLOW_SEALING);
                EventFd eventfd = EventFd.create(0, 0)) {
            // Unsealed, the client could truncate the file after CONNECT and fault the server.
            assertEquals(MemifError.REGION_NOT_SEALED,
                    refusal(peer -> registerAndConnect(peer, unsealed.fd(), 64 * 1024, 0, eventfd.fd())));
            assertEquals(MemifError.REGION_NOT_SEALED, // an eventfd is no memory at all
                    refusal(peer -> registerAndConnect(peer, eventfd.fd(), 64 * 1024, 0, eventfd.fd())));
            memfd.addSeals(MemFd.F_SEAL_SHRINK);
            assertEquals(MemifError.REGION_SMALLER_THAN_DECLARED,
                    refusal(peer -> registerAndConnect(peer, memfd.fd(), 1 << 20, 0, eventfd.fd())));
            assertEquals(MemifError.RING_OUTSIDE_REGION,
                    refusal(peer -> registerAndConnect(peer, memfd.fd(), 64 * 1024, 64 * 1024 - 64, eventfd.fd())));
            assertEquals(MemifError.RING_BAD_COOKIE, // no ring was ever written there
                    refusal(peer -> registerAndConnect(peer, memfd.fd(), 64 * 1024, 0, eventfd.fd())));
            try (MappedRegion view = memfd.map()) {
                new MemifRing(view.segment(), 0, LOG2).initialize();
                new MemifRing(view.segment(), RingLayout.sizeBytes(LOG2), LOG2).initialize();
                try (RawPeer peer = RawPeer.connect(socket)) { // the same region, well formed: accepted
                    assertEquals(TYPE_HELLO, peer.receiveType(step));
                    registerAndConnect(peer, memfd.fd(), 64 * 1024, 0, eventfd.fd());
                    assertEquals(TYPE_CONNECTED, skipAcks(peer));
                    assertTrue(server.isConnected());
                    MemifMessageCodec.encodeDisconnect(peer.out(), 0, "done");
                    peer.send(MESSAGE_BYTES);
                    MemifLink.pump(server, null, () -> !server.isConnected());
                }
            }
        }
    }

    @Test
    void aPeerThatClosesItsSocketIsNoticed() {
        try (RawPeer peer = RawPeer.connect(socket)) {
            assertEquals(TYPE_HELLO, peer.receiveType(step));
            init(peer);
        }
        MemifLink.pump(server, null, () -> server.errorCount(MemifError.PEER_CLOSED) == 1);
        assertFalse(server.isConnected());
    }

    @Test
    void aFloodOfConnectsIsRefusedWithoutDisturbingTheServer() {
        List<RawPeer> flood = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                flood.add(RawPeer.connect(socket));
            }
            assertEquals(TYPE_HELLO, flood.get(0).receiveType(step)); // the first is served
            for (int i = 1; i < flood.size(); i++) {
                assertEquals(TYPE_DISCONNECT, flood.get(i).receiveType(step));
                assertEquals("Already connected", flood.get(i).disconnectText());
            }
            assertEquals(11, server.errorCount(MemifError.ALREADY_CONNECTED));
        } finally {
            flood.forEach(RawPeer::close);
        }
        MemifLink.pump(server, null, () -> server.errorCount(MemifError.PEER_CLOSED) == 1);
    }

    @Test
    void aServerWithAnotherVersionOrThatHangsUpIsNoticedByTheClient() {
        Path rawPath = dir.resolve("raw.sock");
        try (UnixSeqpacketSocket listener = UnixSeqpacketSocket.listen(rawPath, 1);
                MemifClient client = MemifClient.create(MemifClient.Config.of(rawPath))) {
            client.connect();
            try (RawPeer rawServer = new RawPeer(listener.accept())) {
                MemifMessageCodec.encodeHello(rawServer.out(), "v1", 0, 0, 0, 10);
                rawServer.out().set(ValueLayout.JAVA_SHORT_UNALIGNED, HELLO_MIN_VERSION_OFFSET, (short) 0x0100);
                rawServer.out().set(ValueLayout.JAVA_SHORT_UNALIGNED, HELLO_MAX_VERSION_OFFSET, (short) 0x0100);
                rawServer.send(MESSAGE_BYTES);
                assertEquals(TYPE_DISCONNECT, rawServer.receiveType(client::doWork));
                assertEquals("Incompatible memif version", rawServer.disconnectText());
                assertEquals(MemifError.VERSION_MISMATCH, client.lastError());
            }
            client.connect();
            try (RawPeer rawServer = new RawPeer(listener.accept())) {
                MemifMessageCodec.encodeHello(rawServer.out(), "ok", 0, 0, 0, 10);
                rawServer.send(MESSAGE_BYTES);
                assertEquals(TYPE_INIT, rawServer.receiveType(client::doWork));
            } // hangs up mid-handshake
            MemifLink.pump(server, client, () -> !client.isActive());
            assertEquals(MemifError.PEER_CLOSED, client.lastError());
        }
    }

    private interface Misbehaviour {
        void run(RawPeer peer);
    }

    /** Connects a raw client, lets it misbehave after HELLO, and returns the reason the server gave. */
    private MemifError refusal(Misbehaviour misbehaviour) {
        try (RawPeer peer = RawPeer.connect(socket)) {
            assertEquals(TYPE_HELLO, peer.receiveType(step));
            misbehaviour.run(peer);
            assertEquals(TYPE_DISCONNECT, skipAcks(peer));
            MemifLink.pump(server, null, () -> !server.isConnected());
            assertEquals(server.lastError().text(), peer.disconnectText());
            assertEquals(0, peer.receive(step), "the server closed the socket after DISCONNECT");
            return server.lastError();
        }
    }

    private int skipAcks(RawPeer peer) {
        int type;
        do {
            type = peer.receiveType(step);
        } while (type == TYPE_ACK);
        return type;
    }

    private void init(RawPeer peer) {
        MemifMessageCodec.encodeInit(peer.out(), 0, MemifProtocol.MODE_ETHERNET, "", "raw");
        peer.send(MESSAGE_BYTES);
    }

    /** INIT, ADD_REGION 0 of {@code declaredBytes}, both rings of pair 0 from {@code ringOffset}, CONNECT. */
    private void registerAndConnect(RawPeer peer, int regionFd, long declaredBytes, long ringOffset, int eventFd) {
        init(peer);
        MemifMessageCodec.encodeAddRegion(peer.out(), 0, declaredBytes);
        peer.sendWithFd(regionFd);
        MemifMessageCodec.encodeAddRing(peer.out(), true, 0, 0, ringOffset, LOG2);
        peer.sendWithFd(eventFd);
        MemifMessageCodec.encodeAddRing(peer.out(), false, 0, 0, ringOffset + RingLayout.sizeBytes(LOG2), LOG2);
        peer.sendWithFd(eventFd);
        MemifMessageCodec.encodeConnect(peer.out(), "raw");
        peer.send(MESSAGE_BYTES);
    }
}
