package io.nfchain.core.dpdk;

import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.packet.Checksums;
import io.nfchain.core.packet.Layer;
import io.nfchain.core.packet.NetBytes;
import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.core.packet.PacketParser;
import io.nfchain.core.packet.ParsedPacket;
import java.lang.foreign.MemorySegment;

/**
 * Frames a peer may forward but not alter, checked end to end: Ethernet/IPv4/UDP with both
 * checksums, a 64-bit sequence number first in the payload and a pattern after it. Lengths vary
 * with the sequence number from 60 to 1514 bytes, so with 1024-byte memif buffers about a third
 * of them are chained.
 *
 * <p>{@link PacketBuilder} writes one template per length, once; a frame is its template with
 * the sequence number written in and the UDP checksum updated (RFC 1624), so a loaded test
 * machine still sends tens of thousands of frames a second.
 */
final class InteropFrames {
    static final int SRC_IP = 0x0a00_0001;
    static final int DST_IP = 0x0a00_0002;
    static final int SRC_PORT = 4000;
    static final int DST_PORT = 5000;
    static final int HEADERS = 14 + 20 + 8;
    static final int MIN_LENGTH = 60;
    static final int MAX_LENGTH = 1514;
    private static final int UDP_CHECKSUM = 14 + 20 + 6;
    private static final MemorySegment[] TEMPLATES = new MemorySegment[MAX_LENGTH + 1];

    private InteropFrames() {}

    static int lengthFor(long seq) {
        return MIN_LENGTH + (int) ((seq * 7919) % (MAX_LENGTH - MIN_LENGTH + 1));
    }

    /** Writes frame {@code seq} into slot {@code index} of {@code burst}. */
    static void put(PacketBurst burst, int index, long seq) {
        int length = lengthFor(seq);
        MemorySegment data = burst.data();
        long frame = burst.offset(index);
        MemorySegment.copy(template(length), 0, data, frame, length);
        NetBytes.put32(data, frame + HEADERS, (int) (seq >>> 32));
        NetBytes.put32(data, frame + HEADERS + 4, (int) seq);
        int checksum = NetBytes.u16(data, frame + UDP_CHECKSUM);
        checksum = Checksums.update32(Checksums.update32(checksum, 0, (int) (seq >>> 32)), 0, (int) seq);
        NetBytes.put16(data, frame + UDP_CHECKSUM, checksum);
        burst.setLength(index, length);
        burst.setMetadata(index, (int) seq);
    }

    /** Why frame {@code index} of {@code burst} is not frame {@code seq} intact, or null when it is. */
    static String check(PacketBurst burst, int index, long seq, ParsedPacket parsed) {
        MemorySegment data = burst.data();
        long frame = burst.offset(index);
        int length = burst.length(index);
        String problem = checkIpv4Udp(data, frame, length, parsed);
        if (problem != null) {
            return "frame " + seq + ": " + problem;
        }
        long carried = NetBytes.u64(data, frame + HEADERS);
        if (carried != seq) {
            return "expected frame " + seq + ", got frame " + carried + " (lost or reordered)";
        }
        if (length != lengthFor(seq)) {
            return "frame " + seq + " is " + length + " bytes, sent " + lengthFor(seq);
        }
        MemorySegment template = template(length);
        long header = MemorySegment.mismatch(template, 0, UDP_CHECKSUM, data, frame, frame + UDP_CHECKSUM);
        long payload = MemorySegment.mismatch(template, HEADERS + 8, length, data, frame + HEADERS + 8, frame + length);
        if (header >= 0 || payload >= 0) {
            return "frame " + seq + ": byte " + (header >= 0 ? header : HEADERS + 8 + payload) + " changed";
        }
        return null;
    }

    /** The frame of {@code length} bytes with sequence number 0. */
    private static synchronized MemorySegment template(int length) {
        MemorySegment t = TEMPLATES[length];
        if (t == null) {
            byte[] payload = new byte[length - HEADERS];
            for (int i = Long.BYTES; i < payload.length; i++) {
                payload[i] = (byte) (length * 131 + i * 7 + (i >> 8));
            }
            t = new PacketBuilder().ethernet(0x02_00_00_00_00_02L, 0x02_00_00_00_00_01L).ipv4(SRC_IP, DST_IP)
                    .udp(SRC_PORT, DST_PORT).payload(payload).build();
            TEMPLATES[length] = t;
        }
        return t;
    }

    /**
     * Why the frame is not a well-formed Ethernet/IPv4/UDP frame whose lengths agree with each
     * other and with the frame and whose IPv4 checksum (and UDP checksum, when not 0) verify;
     * null when it is.
     */
    static String checkIpv4Udp(MemorySegment data, long frame, int length, ParsedPacket parsed) {
        if (!PacketParser.parse(data, frame, length, parsed)) {
            return "malformed: " + parsed.status().text() + " at " + parsed.statusOffset();
        }
        if (!parsed.has(Layer.IPV4) || !parsed.has(Layer.UDP)) {
            return "not IPv4/UDP: layers " + Integer.toHexString(parsed.layers());
        }
        long ip = frame + parsed.outer().l3Offset();
        long udp = frame + parsed.outer().l4Offset();
        int totalLength = NetBytes.u16(data, ip + 2);
        if (parsed.outer().l3Offset() + totalLength != length) {
            return "IPv4 total length " + totalLength + " does not end the " + length + "-byte frame";
        }
        if (NetBytes.u16(data, udp + 4) != totalLength - (udp - ip)) {
            return "UDP length " + NetBytes.u16(data, udp + 4) + " disagrees with IPv4 total length " + totalLength;
        }
        if (Checksums.ipv4Header(data, ip) != NetBytes.u16(data, ip + 10)) {
            return "IPv4 header checksum wrong";
        }
        int udpChecksum = NetBytes.u16(data, udp + 6);
        if (udpChecksum != 0 && Checksums.ipv4Transport(data, ip) != udpChecksum) {
            return "UDP checksum wrong";
        }
        return null;
    }
}
