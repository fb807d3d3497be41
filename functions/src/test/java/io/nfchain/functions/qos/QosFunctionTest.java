package io.nfchain.functions.qos;

import static io.nfchain.functions.qos.QosSessions.HEADERS;
import static io.nfchain.functions.qos.QosSessions.closedUplink;
import static io.nfchain.functions.qos.QosSessions.down;
import static io.nfchain.functions.qos.QosSessions.downGtpu;
import static io.nfchain.functions.qos.QosSessions.downlink;
import static io.nfchain.functions.qos.QosSessions.qer;
import static io.nfchain.functions.qos.QosSessions.session;
import static io.nfchain.functions.qos.QosSessions.udpPort;
import static io.nfchain.functions.qos.QosSessions.up;
import static io.nfchain.functions.qos.QosSessions.up6;
import static io.nfchain.functions.qos.QosSessions.uplink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.core.packet.Checksums;
import io.nfchain.core.packet.GtpuHeader;
import io.nfchain.core.packet.NetBytes;
import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.core.packet.PacketParser;
import io.nfchain.core.packet.ParsedPacket;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** {@link QosFunction}, one behaviour at a time, on frames built with the core PacketBuilder. */
class QosFunctionTest {
    private static final long MS = 1_000_000L;

    /**
     * The upf's echo replies and end markers follow its user traffic to the gNB through qos: they
     * pass, counted as signalling, even where packets of no session are dropped (they were dropped
     * as SESSION_UNKNOWN before, so no gNB behind this qos had its echo answered).
     */
    @Test
    void gtpuSignallingPassesWithoutASessionEvenWhenPacketsOfNoSessionAreDropped() {
        try (QosHarness h = new QosHarness(QfiDscpMap.EMPTY, false, true)) {
            MemorySegment echo = new PacketBuilder().ethernet(2, 1).ipv4(QosSessions.UPF, QosSessions.GNB)
                    .udp(2152, 2152).gtpu(GtpuHeader.ECHO_RESPONSE, 0).build();
            MemorySegment endMarker = new PacketBuilder().ethernet(2, 1).ipv4(QosSessions.UPF, QosSessions.GNB)
                    .udp(2152, 2152).gtpu(GtpuHeader.END_MARKER, 0x100).build();
            assertTrue(h.passes(echo));
            assertTrue(h.passes(endMarker));
            assertFalse(h.passes(down(40000, 100)), "a packet of no session is still dropped");
            assertEquals(2, h.get(QosCounter.QOS_GTPU_SIGNALLING_PASS));
            assertEquals(1, h.get(QosCounter.SESSION_UNKNOWN));
        }
    }

    @Test
    void aClosedGateDropsItsDirectionOnly() {
        try (QosHarness h = new QosHarness()) {
            h.create(session(1).addPdrs(uplink(1, 10, 1)).addPdrs(downlink(2, 10, 1)).addQers(closedUplink(1)).build());
            assertFalse(h.passes(up(40000, 100)));
            assertTrue(h.passes(down(40000, 100)));
            assertEquals(1, h.get(QosCounter.QOS_GATE_CLOSED));
            assertEquals(1, h.get(QosCounter.QOS_PASS));
            assertEquals("qos: drop, QoS packets dropped: a QER gate is closed", trace(h, up(40000, 100)));
        }
    }

    @Test
    void anMbrPassesItsRateAndDropsTheRest() {
        try (QosHarness h = new QosHarness()) {
            h.create(session(1).addPdrs(uplink(1, 10, 1)).addQers(qer(1).setMbrUplinkBps(1_000_000)).build());
            MemorySegment packet = up(40000, 1000 - HEADERS);
            int passed = 0;
            for (int k = 0; k < 2500; k++) { // 1000-byte packets every 4 ms: 2 Mbit/s for 10 s
                passed += h.passes(packet) ? 1 : 0;
                h.nowNs += 4 * MS;
            }
            // 1 Mbit/s for 10 s is 1250 packets, and the 3000-byte bucket starts full.
            assertTrue(passed >= 1250 && passed <= 1254, "passed " + passed);
            assertEquals(2500 - passed, h.get(QosCounter.QOS_MBR_EXCEEDED));
        }
    }

    @Test
    void aFlowWithinItsGbrIsNotDroppedByTheSessionMbrItShares() {
        try (QosHarness h = new QosHarness()) {
            // PDR 1: the voice flow (UDP port 5060) under its own QER (GBR 500k, MBR 1M) and the
            // session's (MBR 1M); PDR 2: everything else, under the session's QER only.
            h.create(session(1)
                    .addPdrs(udpPort(uplink(1, 10, 1, 2), 5060)).addPdrs(uplink(2, 100, 2))
                    .addQers(qer(1).setGbrUplinkBps(500_000).setMbrUplinkBps(1_000_000))
                    .addQers(qer(2).setMbrUplinkBps(1_000_000)).build());
            MemorySegment voice = up(5060, 200 - HEADERS);
            MemorySegment bulk = up(40000, 1000 - HEADERS);
            int voicePassed = 0;
            long bulkBytes = 0;
            for (int k = 0; k < 2500; k++) { // every 4 ms for 10 s: voice 400 kbit/s, bulk 2 Mbit/s
                int[] out = k % 2 == 0 ? h.run(voice, bulk) : h.run(bulk, voice);
                voicePassed += out[k % 2 == 0 ? 0 : 1] == 0 ? 1 : 0;
                bulkBytes += out[k % 2 == 0 ? 1 : 0] == 0 ? 1000 : 0;
                h.nowNs += 4 * MS;
            }
            assertEquals(2500, voicePassed, "the voice flow lost nothing");
            assertTrue(h.get(QosCounter.QOS_GBR_PROTECTED) > 100, "voice passed over the session MBR: "
                    + h.get(QosCounter.QOS_GBR_PROTECTED));
            // The session MBR passes 1 Mbit/s in all: the bulk flow gets what voice leaves, 600 kbit/s.
            double share = bulkBytes / (600_000 / 8.0 * 10);
            assertTrue(Math.abs(share - 1) < 0.02, "bulk got " + bulkBytes + " bytes, " + share + " of 600 kbit/s");
        }
    }

    @Test
    void withoutGbrTheSameFlowIsPolicedWithTheRest() {
        try (QosHarness h = new QosHarness()) {
            h.create(session(1)
                    .addPdrs(udpPort(uplink(1, 10, 1, 2), 5060)).addPdrs(uplink(2, 100, 2))
                    .addQers(qer(1).setMbrUplinkBps(1_000_000))
                    .addQers(qer(2).setMbrUplinkBps(1_000_000)).build());
            int voicePassed = 0;
            for (int k = 0; k < 2500; k++) {
                int[] out = h.run(up(40000, 1000 - HEADERS), up(5060, 200 - HEADERS));
                voicePassed += out[1] == 0 ? 1 : 0;
                h.nowNs += 4 * MS;
            }
            assertTrue(voicePassed < 2500, "voice lost some to the bulk flow: " + voicePassed);
            assertEquals(0, h.get(QosCounter.QOS_GBR_PROTECTED));
        }
    }

    @Test
    void anMbrDropTakesNoTokensFromTheOtherQers() {
        try (QosHarness h = new QosHarness()) {
            // QER 1 is tight, QER 2 loose: packets QER 1 drops must not drain QER 2.
            h.create(session(1).addPdrs(uplink(1, 10, 2, 1))
                    .addQers(qer(1).setMbrUplinkBps(1_000_000)).addQers(qer(2).setMbrUplinkBps(4_000_000)).build());
            for (int k = 0; k < 100; k++) {
                h.run(up(40000, 1000 - HEADERS));
            }
            Policers p = h.qos.policers();
            long firstTokens = -1;
            for (int slot = 0; slot < p.capacity(); slot += 2) {
                if (p.isConfigured(slot) && p.secondTokensBytes(slot) > firstTokens) {
                    firstTokens = p.secondTokensBytes(slot);
                }
            }
            // Three 1000-byte packets fit QER 1's 3000-byte bucket; QER 2 (4 Mbit/s: 5000 bytes) gave only those.
            assertEquals(3, h.get(QosCounter.QOS_PASS));
            assertEquals(5000 - 3000, firstTokens, "QER 2's bucket lost the passed packets only");
        }
    }

    @Test
    void packetsOfNoSessionPassOrDropAsConfigured() {
        try (QosHarness pass = new QosHarness(); QosHarness drop = new QosHarness(QfiDscpMap.EMPTY, false, true)) {
            assertTrue(pass.passes(up(40000, 100)));
            assertEquals(1, pass.get(QosCounter.QOS_NO_SESSION_PASS));
            assertFalse(drop.passes(up(40000, 100)));
            assertEquals(1, drop.get(QosCounter.SESSION_UNKNOWN));
        }
    }

    @Test
    void aSessionPacketNoPdrMatchesIsDropped() {
        try (QosHarness h = new QosHarness()) {
            h.create(session(1).addPdrs(uplink(1, 10)).build());
            assertTrue(h.passes(up(40000, 100)));
            assertFalse(h.passes(down(40000, 100)));
            assertEquals(1, h.get(QosCounter.SESSION_NO_PDR));
        }
    }

    @Test
    void malformedFramesAreDropped() {
        try (QosHarness h = new QosHarness()) {
            assertFalse(h.passes(up(40000, 100).asSlice(0, 30)));
            assertEquals(1, h.get(QosCounter.QOS_MALFORMED));
        }
    }

    @Test
    void theQfiOfTheContainerOrTheRulesPicksTheDscp() {
        try (QosHarness h = new QosHarness(QfiDscpMap.parse("t", "9=46,5=10"), false, false)) {
            h.create(session(1).addPdrs(uplink(1, 10, 1)).addPdrs(downlink(2, 10)).addQers(qer(1).setQfi(5)).build());
            // Downlink GTP-U: the container says QFI 9; the inner packet is marked, the outer not.
            assertTrue(h.passes(downGtpu(9, 100)));
            ParsedPacket p = parse(h.frame(0));
            assertEquals(46, p.inner().dscp());
            assertEquals(0, p.outer().dscp());
            long ip = p.inner().l3Offset();
            assertEquals(Checksums.ipv4Header(h.frame(0), ip), NetBytes.u16(h.frame(0), ip + 10));
            // Uplink plain IP: QFI 5 from the PDR's QER.
            assertTrue(h.passes(up(40000, 100)));
            assertEquals(10, parse(h.frame(0)).outer().dscp());
            assertEquals(2, h.get(QosCounter.QOS_DSCP_MARKED));
            assertEquals("qos: forward, QoS packets forwarded within every MBR of their PDR, dscp set to 10", h.trace(0));
            // Unmapped QFI: left alone.
            assertTrue(h.passes(downGtpu(7, 100)));
            assertEquals(2, h.get(QosCounter.QOS_DSCP_MARKED));
        }
        try (QosHarness h = new QosHarness(QfiDscpMap.parse("t", "9=46"), true, false)) {
            h.create(session(1).addPdrs(downlink(2, 10)).build());
            assertTrue(h.passes(downGtpu(9, 100)));
            ParsedPacket p = parse(h.frame(0));
            assertEquals(46, p.inner().dscp());
            assertEquals(46, p.outer().dscp(), "nfchain.qos.mark-outer marks the outer header too");
        }
    }

    @Test
    void aReplaceKeepsThePolicerOfAKeptQerAndResetsANewOne() {
        try (QosHarness h = new QosHarness()) {
            h.create(session(1).addPdrs(uplink(1, 10, 1)).addQers(qer(1).setMbrUplinkBps(1_000_000)).build());
            MemorySegment packet = up(40000, 1500 - HEADERS);
            assertTrue(h.passes(packet));
            assertTrue(h.passes(packet));
            assertFalse(h.passes(packet), "the 3000-byte bucket is empty");
            h.replace(session(1).addPdrs(uplink(1, 10, 1)).addQers(qer(1).setMbrUplinkBps(1_000_000)).build());
            assertFalse(h.passes(packet), "QER 1 kept: its bucket is still empty");
            h.replace(session(1).addPdrs(uplink(1, 10, 2)).addQers(qer(2).setMbrUplinkBps(1_000_000)).build());
            assertTrue(h.passes(packet), "QER 2 is new: a full bucket");
            h.delete(1);
            h.create(session(2).addPdrs(uplink(1, 10, 7)).addQers(qer(7).setMbrUplinkBps(1_000_000)).build());
            assertTrue(h.passes(packet), "a new session's QER starts full, whatever its slot held");
        }
    }

    @Test
    void ipv6UesAreFoundByTheirSlash64() {
        try (QosHarness h = new QosHarness()) {
            h.create(session(1).addPdrs(uplink(1, 10, 1)).addQers(closedUplink(1)).build());
            assertFalse(h.passes(up6(100)));
            assertEquals(1, h.get(QosCounter.QOS_GATE_CLOSED));
        }
    }

    private static String trace(QosHarness h, MemorySegment frame) {
        h.run(frame);
        return h.trace(0);
    }

    private static ParsedPacket parse(MemorySegment frame) {
        ParsedPacket p = new ParsedPacket();
        assertTrue(PacketParser.parse(frame, p));
        return p;
    }
}
