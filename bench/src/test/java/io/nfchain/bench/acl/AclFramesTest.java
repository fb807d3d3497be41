package io.nfchain.bench.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.bench.AclWorkload;
import io.nfchain.core.packet.NetBytes;
import io.nfchain.core.packet.PacketParser;
import io.nfchain.core.packet.ParsedPacket;
import io.nfchain.functions.acl.AclClassifier;
import io.nfchain.functions.acl.AclEngine;
import io.nfchain.functions.acl.AclKey;
import io.nfchain.functions.acl.AclRuleSet;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AclFramesTest {
    private static final int[] COUNTS = {10, 1000};
    private static final int FRAMES = 2048;
    private final AclFrames frames = AclFrames.of(COUNTS, FRAMES, AclFrames.SEED);

    @Test
    void everyFrameCarriesItsIndexAndIsAtLeast64BytesAndWellFormed() {
        ParsedPacket parsed = new ParsedPacket();
        for (int i = 0; i < frames.size(); i++) {
            byte[] f = frames.frame(i);
            assertTrue(f.length >= AclFrames.MIN_FRAME_BYTES, "frame " + i + ": " + f.length + " bytes");
            MemorySegment s = MemorySegment.ofArray(f);
            assertEquals(i, NetBytes.u32(s, f.length - AclFrames.INDEX_BYTES));
            assertTrue(PacketParser.parse(s, parsed), "frame " + i + ": " + parsed.status());
            // the index is inside the IP packet, so nothing on the way may cut it off as padding
            assertEquals(f.length, parsed.length());
        }
        assertEquals(64, frames.minFrameBytes());
        assertEquals(78, frames.maxFrameBytes()); // IPv6 + TCP + the index
    }

    /** The frames carry AclWorkload's packets: each count's own traffic, interleaved, field by field. */
    @Test
    void framesHoldTheWorkloadsPacketsInTurn() {
        AclKey fromFrame = new AclKey();
        AclKey fromWorkload = new AclKey();
        ParsedPacket parsed = new ParsedPacket();
        for (int c = 0; c < COUNTS.length; c++) {
            AclWorkload workload = new AclWorkload(AclFrames.SEED, COUNTS[c]);
            AclRuleSet set = workload.rules(COUNTS[c]);
            AclWorkload.Packets packets = workload.traffic(set, FRAMES / COUNTS.length);
            for (int p = 0; p < packets.size(); p++) {
                int i = p * COUNTS.length + c;
                PacketParser.parse(MemorySegment.ofArray(frames.frame(i)), parsed);
                fromFrame.set(parsed.outer());
                packets.load(p, fromWorkload);
                assertEquals(fromWorkload.version(), fromFrame.version(), "frame " + i);
                for (int dim = 0; dim < 4; dim++) {
                    assertEquals(fromWorkload.value(dim), fromFrame.value(dim), "frame " + i + " address word " + dim);
                }
                int protocol = fromWorkload.protocol();
                if (protocol == 1 || protocol == 58) {
                    // ICMP goes as the ICMP of the packet's own IP version
                    assertEquals(fromWorkload.version() == 6 ? 58 : 1, fromFrame.protocol(), "frame " + i);
                } else {
                    assertEquals(protocol, fromFrame.protocol(), "frame " + i);
                    assertEquals(fromWorkload.srcPort(), fromFrame.srcPort(), "frame " + i);
                    assertEquals(fromWorkload.dstPort(), fromFrame.dstPort(), "frame " + i);
                    assertEquals(fromWorkload.tcpFlags(), fromFrame.tcpFlags(), "frame " + i);
                }
            }
        }
    }

    @Test
    void verdictsAreWhatTheRulesDecideAndDifferBetweenRuleCounts() {
        ParsedPacket parsed = new ParsedPacket();
        for (int c = 0; c < COUNTS.length; c++) {
            AclClassifier classifier = AclClassifier.compile(frames.ruleSet(c));
            AclEngine engine = AclEngine.stateless(classifier);
            int[] byVerdict = new int[66];
            for (int i = 0; i < frames.size(); i++) {
                PacketParser.parse(MemorySegment.ofArray(frames.frame(i)), parsed);
                int verdict = frames.verdict(c, i);
                assertEquals(engine.decide(parsed), verdict, "frame " + i);
                byVerdict[verdict + 2]++;
            }
            double share = 1 - byVerdict[AclEngine.DROP + 2] / (double) frames.size();
            assertEquals(share, frames.passShare(c), 1e-12);
            assertTrue(share > 0 && share < 1, "rule count " + COUNTS[c] + " lets through " + share);
        }
        int[] ten = new int[frames.size()];
        int[] thousand = new int[frames.size()];
        Arrays.setAll(ten, i -> frames.verdict(0, i));
        Arrays.setAll(thousand, i -> frames.verdict(1, i));
        assertNotEquals(Arrays.toString(ten), Arrays.toString(thousand));
        assertEquals(1, frames.ruleCountIndex(1000));
        assertThrows(IllegalArgumentException.class, () -> frames.ruleCountIndex(100));
    }

    @Test
    void framesMustSplitEvenlyOverTheRuleCounts() {
        assertThrows(IllegalArgumentException.class, () -> AclFrames.of(COUNTS, 7, 1));
        assertThrows(IllegalArgumentException.class, () -> AclFrames.of(new int[0], 8, 1));
    }
}
