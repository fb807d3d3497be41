package io.nfchain.core.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Millions of random, mutated and truncated frames: the parser never throws, and what it reports
 * is consistent with the frame it was given.
 */
class PacketParserFuzzTest {
    private static final int CORPUS = 2_000;
    private final ParsedPacket p = new ParsedPacket();
    private final TcpHeader tcp = new TcpHeader();
    private final GtpuHeader gtp = new GtpuHeader();
    private final Map<ParseStatus, Integer> seen = new EnumMap<>(ParseStatus.class);
    private long parsed;

    private void check(byte[] frame, int length) {
        MemorySegment s = MemorySegment.ofArray(frame);
        try {
            PacketParser.parse(s, 0, length, p);
            parsed++;
            if (parsed % 7 == 0) { // a reused result must read exactly like a fresh one: nothing leaks from the last packet
                ParsedPacket fresh = new ParsedPacket();
                PacketParser.parse(s, 0, length, fresh);
                assertEquals(snapshot(fresh), snapshot(p), "reused ParsedPacket reads like a fresh one");
            }
            seen.merge(p.status(), 1, Integer::sum);
            if (p.isWellFormed()) {
                if (p.has(Layer.IPV4 | Layer.IPV6)) {
                    checkLayers(p.outer(), 0, length);
                }
                if (p.has(Layer.INNER_IPV4 | Layer.INNER_IPV6)) {
                    checkLayers(p.inner(), p.tunnelOffset(), p.outer().l3End());
                }
                if (p.has(Layer.TCP)) {
                    tcp.wrap(s, p.outer().l4Offset()).optionsWellFormed(); // may say false, must not throw
                }
                if (p.has(Layer.GTPU)) {
                    gtp.wrap(s, p.tunnelOffset()).payloadOffset(8 + gtp.length());
                }
            } else {
                assertTrue(p.statusOffset() >= 0 && p.statusOffset() <= length, "status offset in the frame");
            }
        } catch (RuntimeException | AssertionError e) {
            fail("frame " + java.util.HexFormat.of().formatHex(frame, 0, length) + " (" + p.status() + ")", e);
        }
    }

    /** Every accessor of a parse result, as one comparable string. */
    static String snapshot(ParsedPacket p) {
        StringBuilder sb = new StringBuilder();
        sb.append(p.length()).append(' ').append(p.layers()).append(' ').append(p.status()).append(' ').append(p.statusOffset())
                .append(" vlan ").append(p.vlanCount()).append(' ').append(p.vlanTpid(0)).append(' ').append(p.vlanTci(0))
                .append(' ').append(p.vlanTpid(1)).append(' ').append(p.vlanTci(1)).append(" type ").append(p.etherType())
                .append(" tunnel ").append(p.tunnelType()).append(' ').append(p.tunnelOffset()).append(' ').append(p.gtpFlags())
                .append(' ').append(p.gtpMessageType()).append(' ').append(p.teid()).append(' ').append(p.gtpSequence())
                .append(' ').append(p.pduType()).append(' ').append(p.qfi()).append(' ').append(p.vni()).append(' ').append(p.innerL2Offset());
        for (IpLayers ip : new IpLayers[] {p.outer(), p.inner()}) {
            FlowKey k = ip.key();
            sb.append(" | ").append(ip.l3Offset()).append(' ').append(ip.l3End()).append(' ').append(ip.l4Offset()).append(' ')
                    .append(ip.payloadOffset()).append(' ').append(ip.hopLimit()).append(' ').append(ip.trafficClass()).append(' ')
                    .append(ip.fragmentOffset()).append(' ').append(ip.fragmentFlags()).append(' ').append(ip.icmpType()).append(' ')
                    .append(ip.icmpCode()).append(' ').append(ip.tcpFlags()).append(" key ").append(k.ipVersion()).append(' ')
                    .append(k.protocol()).append(' ').append(k.srcPort()).append(' ').append(k.dstPort());
            if (k.ipVersion() != 0) {
                sb.append(' ').append(k.srcHi()).append(' ').append(k.srcLo()).append(' ').append(k.dstHi()).append(' ').append(k.dstLo());
            }
        }
        return sb.toString();
    }

    private static void checkLayers(IpLayers ip, int from, int to) {
        assertTrue(from <= ip.l3Offset() && ip.l3Offset() < ip.l3End() && ip.l3End() <= to, "l3 inside its container");
        if (ip.l4Offset() >= 0) {
            assertTrue(ip.l3Offset() < ip.l4Offset() && ip.l4Offset() <= ip.l3End(), "l4 inside l3");
        }
        if (ip.payloadOffset() >= 0) {
            assertTrue(ip.l4Offset() <= ip.payloadOffset() && ip.payloadOffset() <= ip.l3End(), "payload inside l4");
        }
    }

    @Test
    void randomBytesOfEveryShape() {
        SplittableRandom random = new SplittableRandom(42);
        byte[] frame = new byte[256];
        int[] types = {EtherTypes.IPV4, EtherTypes.IPV6, EtherTypes.ARP, EtherTypes.VLAN, EtherTypes.QINQ, 0x1234};
        for (int i = 0; i < 1_000_000; i++) {
            random.nextBytes(frame);
            int length = random.nextInt(frame.length + 1);
            if (random.nextInt(4) != 0) { // steer most frames past Ethernet
                NetBytes.put16(MemorySegment.ofArray(frame), 12, types[random.nextInt(types.length)]);
                frame[14] = (byte) (random.nextBoolean() ? 0x45 : 0x60);
            }
            check(frame, length);
        }
        assertEquals(1_000_000, parsed);
    }

    @Test
    void mutatedValidFrames() {
        SplittableRandom random = new SplittableRandom(7);
        byte[][] corpus = corpus();
        for (int i = 0; i < 2_000_000; i++) {
            byte[] seed = corpus[random.nextInt(corpus.length)];
            byte[] frame = Arrays.copyOf(seed, seed.length + 8);
            int length = seed.length;
            switch (random.nextInt(4)) {
                case 0 -> { // flip a few bytes
                    for (int n = random.nextInt(1, 5); n > 0; n--) {
                        frame[random.nextInt(length)] ^= (byte) random.nextInt(1, 256);
                    }
                }
                case 1 -> length = random.nextInt(length + 1); // truncate
                case 2 -> { // a length-like 16-bit field takes an extreme value
                    int at = random.nextInt(length - 1);
                    NetBytes.put16(MemorySegment.ofArray(frame), at, random.nextBoolean() ? 0xFFFF : random.nextInt(64));
                }
                default -> { // a byte appears or disappears, shifting the rest
                    int at = random.nextInt(length);
                    if (random.nextBoolean()) {
                        System.arraycopy(frame, at, frame, at + 1, length - at);
                        frame[at] = (byte) random.nextInt(256);
                        length++;
                    } else {
                        System.arraycopy(frame, at + 1, frame, at, length - at - 1);
                        length--;
                    }
                }
            }
            check(frame, length);
        }
        // the mutations reach deep: most statuses show up, not just Ethernet truncation
        assertTrue(seen.size() > ParseStatus.values().length * 3 / 4, "statuses seen: " + seen.keySet());
    }

    @Test
    void everyPrefixOfEveryCorpusFrame() {
        for (byte[] frame : corpus()) {
            for (int length = 0; length <= frame.length; length++) {
                check(frame, length);
            }
        }
        ParsedPacket whole = new ParsedPacket();
        for (byte[] frame : corpus()) {
            assertTrue(PacketParser.parse(MemorySegment.ofArray(frame), whole), () -> "corpus frame is valid: " + whole.status());
        }
    }

    private static byte[][] corpus() {
        RandomFrames frames = new RandomFrames(99);
        byte[][] corpus = new byte[CORPUS][];
        for (int i = 0; i < CORPUS; i++) {
            corpus[i] = frames.next();
        }
        return corpus;
    }
}
