package io.nfchain.bench.acl;

import io.nfchain.core.packet.Checksums;
import io.nfchain.core.packet.NetBytes;
import io.nfchain.functions.acl.AclEngine;
import java.lang.foreign.MemorySegment;

/**
 * Not thread-safe: the traffic process's receive loop owns one. Checks a frame the acl sent back
 * against what the rules in force decide for it ({@link AclFrames}): it must be a frame that was
 * sent (its index, its length), one the rules let through, with the DSCP they write (or the one
 * it was sent with), the ECN bits and every other byte as sent, and for IPv4 a header checksum
 * that verifies.
 */
final class AclReturnCheck {
    private static final int IP = 14;

    /** Why a returned frame is wrong; {@link #OK} when it is right. */
    enum Verdict {
        OK("as expected"),
        SHORT("shorter than an Ethernet header and the index"),
        UNKNOWN_FRAME("its index names no frame sent, or its length is not that frame's"),
        DENIED_CAME_BACK("the rules deny it, yet it came back"),
        WRONG_DSCP("DSCP is not the one the rules write"),
        BAD_CHECKSUM("IPv4 header checksum does not verify"),
        CHANGED("a byte other than the DSCP (and the IPv4 checksum) differs from the frame sent");

        final String text;

        Verdict(String text) {
            this.text = text;
        }
    }

    private final AclFrames frames;

    AclReturnCheck(AclFrames frames) {
        this.frames = frames;
    }

    /** The frame at {@code data[frame, frame + lengthBytes)} checked against rule set {@code c}. */
    Verdict check(MemorySegment data, long frame, int lengthBytes, int c) {
        if (lengthBytes < IP + AclFrames.INDEX_BYTES) {
            return Verdict.SHORT;
        }
        int index = NetBytes.u32(data, frame + lengthBytes - AclFrames.INDEX_BYTES);
        if (index < 0 || index >= frames.size() || frames.frame(index).length != lengthBytes) {
            return Verdict.UNKNOWN_FRAME;
        }
        int verdict = frames.verdict(c, index);
        if (verdict == AclEngine.DROP) {
            return Verdict.DENIED_CAME_BACK;
        }
        byte[] sent = frames.frame(index);
        boolean v6 = (sent[IP] & 0xF0) == 0x60;
        // the DS field: IPv4's TOS byte, IPv6's traffic class across bytes 14-15 of the frame
        int sentClass = v6 ? ((sent[IP] & 0x0F) << 4) | ((sent[IP + 1] & 0xF0) >>> 4) : sent[IP + 1] & 0xFF;
        int gotClass = v6 ? ((NetBytes.u8(data, frame + IP) & 0x0F) << 4) | (NetBytes.u8(data, frame + IP + 1) >>> 4)
                : NetBytes.u8(data, frame + IP + 1);
        int dscp = verdict == AclEngine.PASS ? sentClass >>> 2 : verdict;
        if (gotClass != (dscp << 2 | (sentClass & 3))) {
            return Verdict.WRONG_DSCP;
        }
        if (!v6 && Checksums.fold(Checksums.sum(data, frame + IP, 20, 0)) != 0xFFFF) {
            return Verdict.BAD_CHECKSUM;
        }
        return unchanged(data, frame, sent, v6) ? Verdict.OK : Verdict.CHANGED;
    }

    /** Every byte as sent but those that carry the DS field and the IPv4 checksum (checked above). */
    private static boolean unchanged(MemorySegment data, long frame, byte[] sent, boolean v6) {
        for (int i = 0; i < sent.length; i++) {
            int got = NetBytes.u8(data, frame + i);
            int want = sent[i] & 0xFF;
            int mask = 0xFF;
            if (v6 && i == IP) {
                mask = 0xF0;
            } else if (v6 && i == IP + 1) {
                mask = 0x0F;
            } else if (!v6 && (i == IP + 1 || i == IP + 10 || i == IP + 11)) {
                mask = 0;
            }
            if (((got ^ want) & mask) != 0) {
                return false;
            }
        }
        return true;
    }
}
