package io.nfchain.functions.upf;

import static io.nfchain.functions.upf.UpfHarness.GNB;
import static io.nfchain.functions.upf.UpfHarness.N3_V4;
import static io.nfchain.functions.upf.UpfHarness.plain;
import static io.nfchain.functions.upf.UpfHarness.uplink;
import static io.nfchain.functions.upf.UpfHarness.v4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.api.session.v1.ApplyAction;
import io.nfchain.api.session.v1.Far;
import io.nfchain.api.session.v1.Interface;
import io.nfchain.api.session.v1.OuterHeaderCreation;
import io.nfchain.api.session.v1.Pdi;
import io.nfchain.api.session.v1.Pdr;
import io.nfchain.api.session.v1.PortRange;
import io.nfchain.api.session.v1.SdfFilter;
import io.nfchain.api.session.v1.Session;
import io.nfchain.core.packet.Checksums;
import io.nfchain.core.packet.GtpuHeader;
import io.nfchain.core.packet.Layer;
import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.core.packet.PacketParser;
import io.nfchain.core.packet.ParsedPacket;
import io.nfchain.functions.sdk.PacketVector;
import io.nfchain.functions.session.SessionProtos;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class UpfFunctionTest {
    static final int TEID = 0x1001;
    static final int GNB_TEID = 0x2002;
    static final int UE = v4("10.45.0.7");
    static final int REMOTE = v4("198.51.100.7");

    static Session session() {
        return SessionProtos.simple(1, TEID, UE, GNB_TEID, GNB);
    }

    private static ParsedPacket parse(byte[] frame) {
        ParsedPacket p = new ParsedPacket();
        PacketParser.parse(MemorySegment.ofArray(frame), 0, frame.length, p);
        return p;
    }

    private static byte[] bytes(MemorySegment s) {
        return s.toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void uplinkIsDecapsulatedToTheInnerPacket() {
        try (UpfHarness h = new UpfHarness().create(session())) {
            int[] out = h.run(uplink(TEID, 9, UE, REMOTE, 53), uplink(TEID, -1, UE, REMOTE, 53));
            assertArrayEquals(new int[] {0, 0}, out);
            assertArrayEquals(bytes(plain(UE, REMOTE, 40000, 53)), h.frame(0));
            assertArrayEquals(bytes(plain(UE, REMOTE, 40000, 53)), h.frame(1));
            assertEquals(2, h.get(UpfCounter.UPF_UPLINK_FORWARDED));
        }
    }

    @Test
    void unknownTeidAndUnmatchedPdrAreCountedDrops() {
        Session qfi5 = session().toBuilder().setPdrs(0, session().getPdrs(0).toBuilder()
                .setPdi(session().getPdrs(0).getPdi().toBuilder().setQfi(5))).build();
        try (UpfHarness h = new UpfHarness().create(qfi5)) {
            int[] out = h.run(uplink(TEID + 1, 5, UE, REMOTE, 53), uplink(TEID, 9, UE, REMOTE, 53),
                    uplink(TEID, 5, UE, REMOTE, 53), plain(REMOTE, UE + 1, 53, 40000));
            assertArrayEquals(new int[] {PacketVector.DROP, PacketVector.DROP, 0, PacketVector.DROP}, out);
            assertEquals(2, h.get(UpfCounter.SESSION_UNKNOWN));
            assertEquals(1, h.get(UpfCounter.SESSION_NO_PDR));
        }
    }

    @Test
    void downlinkIsEncapsulatedWithTheFarsTunnelAndQfi() {
        try (UpfHarness h = new UpfHarness().create(session())) {
            MemorySegment in = plain(REMOTE, UE, 53, 40000);
            assertArrayEquals(new int[] {0}, h.run(in));
            byte[] out = h.frame(0);
            ParsedPacket p = parse(out);
            assertTrue(p.isWellFormed(), p.status().text());
            assertTrue(p.has(Layer.GTPU));
            assertEquals(GtpuHeader.G_PDU, p.gtpMessageType());
            assertEquals(GNB_TEID, p.teid());
            assertEquals(9, p.qfi());
            assertEquals(GtpuHeader.PDU_TYPE_DOWNLINK, p.pduType());
            assertEquals(v4(N3_V4), p.outer().key().srcIpv4());
            assertEquals(v4(GNB), p.outer().key().dstIpv4());
            assertEquals(2152, p.outer().key().dstPort());
            assertEquals(UE, p.inner().key().dstIpv4());
            MemorySegment o = MemorySegment.ofArray(out);
            assertEquals(Checksums.ipv4Header(o, 14), Short.toUnsignedInt(o.get(
                    ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 24)));
            byte[] inner = java.util.Arrays.copyOfRange(out, p.inner().l3Offset(), out.length);
            assertArrayEquals(java.util.Arrays.copyOfRange(bytes(in), 14, (int) in.byteSize()), inner);
            assertEquals(14 + 20 + 8 + 16 + in.byteSize() - 14, out.length);
            assertEquals(1, h.get(UpfCounter.UPF_DOWNLINK_FORWARDED));
        }
    }

    @Test
    void ipv6PeersGetAnIpv6TunnelWithAUdpChecksum() {
        Session s = session().toBuilder().setFars(1, session().getFars(1).toBuilder().setOuterHeaderCreation(
                OuterHeaderCreation.newBuilder().setTeid(GNB_TEID).setPeerAddress("2001:db8:1::1"))).build();
        try (UpfHarness h = new UpfHarness().create(s)) {
            h.run(plain(REMOTE, UE, 53, 40000));
            byte[] out = h.frame(0);
            ParsedPacket p = parse(out);
            assertTrue(p.isWellFormed() && p.has(Layer.GTPU), p.status().text());
            assertEquals(6, p.outer().key().ipVersion());
            assertEquals(9, p.qfi(), "no FAR QFI: the QER's");
            MemorySegment o = MemorySegment.ofArray(out);
            int stored = Short.toUnsignedInt(o.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN),
                    14 + 40 + 6));
            assertEquals(Checksums.ipv6Transport(o, 14, 54, 17), stored);
            assertTrue(stored != 0);
        }
    }

    @Test
    void echoRequestsAreAnsweredWithARecoveryIe() {
        MemorySegment echo = new PacketBuilder().ethernet(UpfHarness.MAC_UPF, UpfHarness.MAC_GNB)
                .ipv4(v4(GNB), v4(N3_V4)).udp(33000, 2152).gtpu(GtpuHeader.ECHO_REQUEST, 0).gtpuSequence(0x1234).build();
        try (UpfHarness h = new UpfHarness(UpfSettings.of(N3_V4, null, 16).withBuffers(16, 4))) {
            assertArrayEquals(new int[] {0}, h.run(echo));
            byte[] out = h.frame(0);
            // The response goes to the request's source port (TS 29.281 4.4.2.2), so our parser, which
            // takes only port 2152 as GTP-U, sees plain UDP: read the GTP-U header at its place.
            ParsedPacket p = parse(out);
            assertTrue(p.isWellFormed(), p.status().text());
            assertEquals(v4(N3_V4), p.outer().key().srcIpv4());
            assertEquals(v4(GNB), p.outer().key().dstIpv4());
            assertEquals(2152, p.outer().key().srcPort());
            assertEquals(33000, p.outer().key().dstPort());
            GtpuHeader g = new GtpuHeader().wrap(MemorySegment.ofArray(out), 42);
            assertEquals(GtpuHeader.ECHO_RESPONSE, g.messageType());
            assertEquals(0x1234, g.sequence());
            assertEquals(6, g.length());
            assertEquals(UpfHarness.MAC_GNB, MemorySegment.ofArray(out).get(ValueLayout.JAVA_LONG_UNALIGNED
                    .withOrder(java.nio.ByteOrder.BIG_ENDIAN), 0) >>> 16);
            assertEquals(GtpuFrames.RECOVERY_IE, out[42 + 12]);
            assertEquals(42 + 14, out.length);
            assertEquals(42 + 14 - 14, Short.toUnsignedInt(MemorySegment.ofArray(out).get(
                    ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 16)), "IPv4 total length");
            assertEquals(1, h.get(UpfCounter.UPF_ECHO_REPLIED));
        }
    }

    @Test
    void endMarkersAndErrorIndicationsAreConsumedAndCounted() {
        PacketBuilder b = new PacketBuilder().ethernet(1, 2).ipv4(v4(GNB), v4(N3_V4)).udp(2152, 2152);
        try (UpfHarness h = new UpfHarness().create(session())) {
            int[] out = h.run(b.gtpu(GtpuHeader.END_MARKER, TEID).build(),
                    new PacketBuilder().ethernet(1, 2).ipv4(v4(GNB), v4(N3_V4)).udp(2152, 2152)
                            .gtpu(GtpuHeader.ERROR_INDICATION, 0).payload(8).build(),
                    new PacketBuilder().ethernet(1, 2).ipv4(v4(GNB), v4(N3_V4)).udp(2152, 2152).gtpu(3, 0).build());
            assertArrayEquals(new int[] {PacketVector.DROP, PacketVector.DROP, PacketVector.DROP}, out);
            assertEquals(1, h.get(UpfCounter.UPF_END_MARKER_RECEIVED));
            assertEquals(1, h.get(UpfCounter.UPF_ERROR_INDICATION_RECEIVED));
            assertEquals(1, h.get(UpfCounter.UPF_GTPU_UNSUPPORTED));
        }
    }

    @Test
    void precedenceDecidesBetweenMatchingPdrs() {
        Session s = session().toBuilder()
                .addPdrs(Pdr.newBuilder().setId(3).setPrecedence(10).setFarId(3).setPdi(Pdi.newBuilder()
                        .setSourceInterface(Interface.CORE).addSdfFilters(SdfFilter.newBuilder()
                                .setRemotePrefix("198.51.100.0/24").setProtocol(17)
                                .setRemotePorts(PortRange.newBuilder().setFirst(53).setLast(53)))))
                .addFars(Far.newBuilder().setId(3).setAction(ApplyAction.DROP)).build();
        try (UpfHarness h = new UpfHarness().create(s)) {
            int[] out = h.run(plain(REMOTE, UE, 53, 40000), plain(REMOTE, UE, 54, 40000), plain(REMOTE + 256, UE, 53, 40000));
            assertArrayEquals(new int[] {PacketVector.DROP, 0, 0}, out);
            assertEquals(1, h.get(UpfCounter.UPF_FAR_DROP));
        }
    }

    @Test
    void bufferedPacketsLeaveInOrderWhenTheFarForwards() {
        Session buffering = session().toBuilder().setFars(1, Far.newBuilder().setId(2).setAction(ApplyAction.BUFFER)
                .setDestinationInterface(Interface.ACCESS)).build();
        try (UpfHarness h = new UpfHarness(UpfSettings.of(N3_V4, null, 16).withBuffers(16, 3)).create(buffering)) {
            int[] out = h.run(plain(REMOTE, UE, 1, 40000), plain(REMOTE, UE, 2, 40000), plain(REMOTE, UE, 3, 40000),
                    plain(REMOTE, UE, 4, 40000));
            assertArrayEquals(new int[] {PacketVector.DROP, PacketVector.DROP, PacketVector.DROP, PacketVector.DROP}, out);
            assertEquals(3, h.get(UpfCounter.UPF_BUFFERED));
            assertEquals(1, h.get(UpfCounter.UPF_BUFFER_FULL));
            h.replace(session());
            // Any burst releases them (appended after it), oldest first; this one has no session.
            out = h.run(plain(REMOTE, UE + 1, 9, 40000));
            assertArrayEquals(new int[] {PacketVector.DROP, 0, 0, 0}, out);
            for (int k = 1; k <= 3; k++) {
                ParsedPacket p = parse(h.frame(k));
                assertEquals(GNB_TEID, p.teid());
                assertEquals(k, p.inner().key().srcPort());
            }
            assertEquals(3, h.get(UpfCounter.UPF_BUFFER_RELEASED));
            assertEquals(3, h.get(UpfCounter.UPF_DOWNLINK_FORWARDED));
            // With the queue empty, a new packet goes straight through.
            assertArrayEquals(new int[] {0}, h.run(plain(REMOTE, UE, 5, 40000)));
            assertEquals(4, h.get(UpfCounter.UPF_DOWNLINK_FORWARDED));
        }
    }

    @Test
    void bufferedPacketsOfADeletedSessionAreDiscarded() {
        Session buffering = session().toBuilder().setFars(1, Far.newBuilder().setId(2).setAction(ApplyAction.BUFFER)
                .setDestinationInterface(Interface.ACCESS)).build();
        try (UpfHarness h = new UpfHarness().create(buffering)) {
            h.run(plain(REMOTE, UE, 1, 40000), plain(REMOTE, UE, 2, 40000));
            h.apply(io.nfchain.api.session.v1.SessionChange.newBuilder().setDeleteSeid(1).build());
            h.run(plain(REMOTE, UE, 3, 40000));
            assertEquals(2, h.get(UpfCounter.UPF_BUFFER_DISCARDED));
            assertEquals(1, h.get(UpfCounter.SESSION_UNKNOWN));
        }
    }

    @Test
    void aHandoverSendsAnEndMarkerToTheOldPeer() {
        Session moved = session().toBuilder().setFars(1, session().getFars(1).toBuilder().setOuterHeaderCreation(
                OuterHeaderCreation.newBuilder().setTeid(0x3003).setPeerAddress("192.0.2.2").setQfi(9))).build();
        try (UpfHarness h = new UpfHarness().create(session())) {
            h.run(plain(REMOTE, UE, 1, 40000));
            h.replace(moved);
            int[] out = h.run(plain(REMOTE, UE, 2, 40000));
            assertArrayEquals(new int[] {0, 0}, out);
            ParsedPacket now = parse(h.frame(0));
            assertEquals(0x3003, now.teid());
            ParsedPacket marker = parse(h.frame(1));
            assertTrue(marker.isWellFormed(), marker.status().text());
            assertEquals(GtpuHeader.END_MARKER, marker.gtpMessageType());
            assertEquals(GNB_TEID, marker.teid());
            assertEquals(v4(GNB), marker.outer().key().dstIpv4());
            assertEquals(1, h.get(UpfCounter.UPF_END_MARKER_SENT));
            // Replacing with the same tunnel sends none.
            h.replace(moved);
            assertEquals(1, h.run(plain(REMOTE, UE, 3, 40000)).length);
        }
    }

    @Test
    void nonIpAndMalformedFramesAreCountedDrops() {
        MemorySegment arp = new PacketBuilder().ethernet(1, 2).arp(1, 2, 3, 0, 4).build();
        MemorySegment cut = uplink(TEID, 9, UE, REMOTE, 53).asSlice(0, 50);
        try (UpfHarness h = new UpfHarness().create(session())) {
            assertArrayEquals(new int[] {PacketVector.DROP, PacketVector.DROP}, h.run(arp, cut));
            assertEquals(1, h.get(UpfCounter.UPF_NOT_IP));
            assertEquals(1, h.get(UpfCounter.UPF_MALFORMED));
        }
    }
}
