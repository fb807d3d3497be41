package io.nfchain.bench.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.bench.acl.AclReturnCheck.Verdict;
import io.nfchain.core.packet.NetBytes;
import io.nfchain.core.packet.PacketParser;
import io.nfchain.core.packet.ParsedPacket;
import io.nfchain.functions.acl.AclClassifier;
import io.nfchain.functions.acl.AclEngine;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class AclReturnCheckTest {
    private static final int IP = 14;
    private static final AclFrames FRAMES = AclFrames.of(new int[] {10, 1000}, 2048, AclFrames.SEED);
    private static final int C = 1;
    private final AclReturnCheck check = new AclReturnCheck(FRAMES);

    /** The first frame, in IP version {@code version}, that rule set C decides as {@code want} says. */
    private static int find(int version, java.util.function.IntPredicate want) {
        for (int i = 0; i < FRAMES.size(); i++) {
            byte[] f = FRAMES.frame(i);
            if (((f[IP] & 0xF0) >>> 4) == version && want.test(FRAMES.verdict(C, i))) {
                return i;
            }
        }
        throw new AssertionError("no IPv" + version + " frame with such a verdict");
    }

    /** The frame as the acl sends it back: DSCP rewritten by the engine when the verdict says so. */
    private static MemorySegment returned(int i) {
        byte[] copy = FRAMES.frame(i).clone();
        MemorySegment s = MemorySegment.ofArray(copy);
        int verdict = FRAMES.verdict(C, i);
        if (verdict >= 0) {
            ParsedPacket parsed = new ParsedPacket();
            PacketParser.parse(s, parsed);
            AclEngine.stateless(AclClassifier.compile(FRAMES.ruleSet(C))).rewriteDscp(s, 0, parsed.outer(), verdict);
        }
        return s;
    }

    private Verdict check(MemorySegment s) {
        return check.check(s, 0, (int) s.byteSize(), C);
    }

    @Test
    void permittedFramesAsTheAclSendsThemBackPass() {
        for (int version : new int[] {4, 6}) {
            assertEquals(Verdict.OK, check(returned(find(version, v -> v == AclEngine.PASS))));
        }
        assertEquals(Verdict.OK, check(returned(find(4, v -> v >= 0))));
    }

    @Test
    void aDeniedFrameThatComesBackIsWrong() {
        assertEquals(Verdict.DENIED_CAME_BACK, check(returned(find(4, v -> v == AclEngine.DROP))));
        assertEquals(Verdict.DENIED_CAME_BACK, check(returned(find(6, v -> v == AclEngine.DROP))));
    }

    @Test
    void aMarkMissingOrMadeUpIsWrong() {
        int marked = find(4, v -> v >= 0);
        assertEquals(Verdict.WRONG_DSCP, check(MemorySegment.ofArray(FRAMES.frame(marked).clone())));
        MemorySegment plain = returned(find(6, v -> v == AclEngine.PASS));
        NetBytes.put8(plain, IP + 1, NetBytes.u8(plain, IP + 1) | 0x40); // DSCP 1: traffic class bit 2
        assertEquals(Verdict.WRONG_DSCP, check(plain));
    }

    @Test
    void aBrokenChecksumOrAnyOtherChangedByteIsWrong() {
        MemorySegment s = returned(find(4, v -> v >= 0));
        NetBytes.put8(s, IP + 11, NetBytes.u8(s, IP + 11) ^ 1);
        assertEquals(Verdict.BAD_CHECKSUM, check(s));
        for (int at : new int[] {0, 6, IP + 8, IP + 12, IP + 20, 40}) {
            MemorySegment changed = returned(find(4, v -> v == AclEngine.PASS));
            NetBytes.put8(changed, at, NetBytes.u8(changed, at) ^ 0x10);
            Verdict v = check(changed);
            assertTrue(v == Verdict.CHANGED || v == Verdict.BAD_CHECKSUM, "byte " + at + ": " + v);
        }
        MemorySegment flowLabel = returned(find(6, v -> v == AclEngine.PASS));
        NetBytes.put8(flowLabel, IP + 1, NetBytes.u8(flowLabel, IP + 1) ^ 0x01);
        assertEquals(Verdict.CHANGED, check(flowLabel));
    }

    @Test
    void framesThatWereNotSentAreUnknown() {
        MemorySegment s = returned(find(4, v -> v == AclEngine.PASS));
        NetBytes.put32(s, s.byteSize() - 4, FRAMES.size());
        assertEquals(Verdict.UNKNOWN_FRAME, check(s));
        MemorySegment other = returned(find(6, v -> v == AclEngine.PASS));
        assertEquals(Verdict.UNKNOWN_FRAME, check.check(other, 0, 64, C)); // an IPv6 frame is 78 bytes, not 64
        assertEquals(Verdict.SHORT, check.check(other, 0, 10, C));
    }
}
