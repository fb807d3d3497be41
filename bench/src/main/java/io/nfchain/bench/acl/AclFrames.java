package io.nfchain.bench.acl;

import io.nfchain.bench.AclWorkload;
import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.core.packet.PacketParser;
import io.nfchain.core.packet.ParsedPacket;
import io.nfchain.core.packet.TcpHeader;
import io.nfchain.functions.acl.AclClassifier;
import io.nfchain.functions.acl.AclEngine;
import io.nfchain.functions.acl.AclKey;
import io.nfchain.functions.acl.AclRuleSet;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Immutable after construction. The traffic of the acl load run and what the rules decide for
 * it: the rule sets of {@code AclWorkload} at each rule count (seed {@link #SEED}, as
 * {@code AclBenchmark} builds them), and one ring of frames made from each count's own traffic in
 * turn (frame {@code i} is packet {@code i / counts} of count {@code i % counts}'s traffic), so
 * every rule count sees the same frames, a quarter of them written for its own rules.
 *
 * <p>Each frame carries its index as the last {@link #INDEX_BYTES} bytes of its IP payload, so a
 * frame that comes back names itself. Frames are 64 bytes where the headers leave room for the
 * index, longer where not (IPv6 TCP: 78). ICMP packets are ICMP of the packet's own IP version.
 * The expected verdict of every frame at every rule count comes from an {@link AclEngine} in this
 * process, fed the frame through the same parser the function uses. Deterministic: the traffic
 * process and the orchestrator build the same set from the seed.
 */
public final class AclFrames {
    /** The rule counts of issue 4, as the JMH half measures them. */
    public static final int[] RULE_COUNTS = {10, 100, 1000, 10_000};
    /** {@code AclBenchmark}'s seed: the same rules and traffic as the classifier-only figures. */
    static final long SEED = 42;
    static final int FRAMES = 1 << 14;
    static final int MIN_FRAME_BYTES = 64;
    static final int INDEX_BYTES = 4;
    /** The traffic process's MAC: the source of every frame. */
    static final long GENERATOR_MAC = 0x02_00_00_00_00_0AL;
    /** The ACL's side of the link; the acl forwards without looking at MACs. */
    static final long ACL_MAC = 0x02_00_00_00_03_00L;
    static final int TTL = 64;

    private final int[] ruleCounts;
    private final List<AclRuleSet> ruleSets;
    private final byte[][] frames;
    /** [rule count index][frame]: {@link AclEngine#DROP}, {@link AclEngine#PASS} or the DSCP written. */
    private final int[][] verdicts;

    private AclFrames(int[] ruleCounts, List<AclRuleSet> ruleSets, byte[][] frames, int[][] verdicts) {
        this.ruleCounts = ruleCounts;
        this.ruleSets = ruleSets;
        this.frames = frames;
        this.verdicts = verdicts;
    }

    /** The run's set: {@link #RULE_COUNTS}, {@link #FRAMES} frames, {@link #SEED}. */
    public static AclFrames standard() {
        return of(RULE_COUNTS, FRAMES, SEED);
    }

    /** {@code frames} frames over the rule sets of {@code ruleCounts}; frames a multiple of the counts. */
    static AclFrames of(int[] ruleCounts, int frameCount, long seed) {
        int k = ruleCounts.length;
        if (k == 0 || frameCount <= 0 || frameCount % k != 0) {
            throw new IllegalArgumentException(frameCount + " frames do not split evenly over " + k + " rule counts");
        }
        List<AclRuleSet> sets = new ArrayList<>();
        List<AclWorkload.Packets> traffic = new ArrayList<>();
        for (int count : ruleCounts) {
            AclWorkload workload = new AclWorkload(seed, count);
            AclRuleSet set = workload.rules(count);
            sets.add(set);
            traffic.add(workload.traffic(set, frameCount / k));
        }
        byte[][] frames = new byte[frameCount][];
        for (int i = 0; i < frameCount; i++) {
            frames[i] = frame(traffic.get(i % k), i / k, i);
        }
        int[][] verdicts = new int[k][frameCount];
        ParsedPacket parsed = new ParsedPacket();
        for (int c = 0; c < k; c++) {
            AclEngine engine = AclEngine.stateless(AclClassifier.compile(sets.get(c)));
            for (int i = 0; i < frameCount; i++) {
                if (!PacketParser.parse(MemorySegment.ofArray(frames[i]), parsed)) {
                    throw new IllegalStateException("frame " + i + " does not parse: " + parsed.status());
                }
                verdicts[c][i] = engine.decide(parsed);
            }
        }
        return new AclFrames(ruleCounts.clone(), List.copyOf(sets), frames, verdicts);
    }

    /** Packet {@code p} of {@code packets} as a frame whose payload ends with {@code index}. */
    static byte[] frame(AclWorkload.Packets packets, int p, int index) {
        PacketBuilder b = headers(packets, p);
        int payload = Math.max(INDEX_BYTES, MIN_FRAME_BYTES - b.length());
        byte[] bytes = new byte[payload];
        for (int i = 0; i < INDEX_BYTES; i++) {
            bytes[payload - 1 - i] = (byte) (index >>> (8 * i));
        }
        return b.payload(bytes).toBytes();
    }

    private static PacketBuilder headers(AclWorkload.Packets packets, int p) {
        boolean v6 = packets.version[p] == 6;
        PacketBuilder b = new PacketBuilder().ethernet(ACL_MAC, GENERATOR_MAC);
        if (v6) {
            b.ipv6(packets.srcHi[p], packets.srcLo[p], packets.dstHi[p], packets.dstLo[p]).ipv6Fields(0, 0, TTL);
        } else {
            b.ipv4((int) packets.srcLo[p], (int) packets.dstLo[p]).ipv4Fields(0, TTL, p & 0xFFFF, 0, new byte[0]);
        }
        int srcPort = packets.srcPort[p];
        int dstPort = packets.dstPort[p];
        return switch (packets.protocol[p]) {
            case 6 -> b.tcp(srcPort, dstPort, 1, 1, packets.tcpFlags[p] == AclKey.NO_TCP_HEADER ? TcpHeader.ACK
                    : packets.tcpFlags[p], 65_535, false);
            case 17 -> b.udp(srcPort, dstPort);
            case 1, 58 -> v6 ? b.icmpv6(128, 0, p) : b.icmp(8, 0, p);
            default -> throw new IllegalArgumentException("AclWorkload made a packet of protocol " + packets.protocol[p]
                    + ", which these frames do not carry");
        };
    }

    int size() {
        return frames.length;
    }

    int ruleCountIndex(int ruleCount) {
        for (int c = 0; c < ruleCounts.length; c++) {
            if (ruleCounts[c] == ruleCount) {
                return c;
            }
        }
        throw new IllegalArgumentException("no rule set of " + ruleCount + " rules");
    }

    int[] ruleCounts() {
        return ruleCounts.clone();
    }

    AclRuleSet ruleSet(int c) {
        return ruleSets.get(c);
    }

    /** Frame {@code i}'s bytes; the caller must not change them. */
    byte[] frame(int i) {
        return frames[i];
    }

    /** What rule set {@code c} decides for frame {@code i}. */
    int verdict(int c, int i) {
        return verdicts[c][i];
    }

    /** The share of the frames rule set {@code c} lets through. */
    double passShare(int c) {
        int pass = 0;
        for (int v : verdicts[c]) {
            if (v != AclEngine.DROP) {
                pass++;
            }
        }
        return pass / (double) frames.length;
    }

    int minFrameBytes() {
        int min = Integer.MAX_VALUE;
        for (byte[] f : frames) {
            min = Math.min(min, f.length);
        }
        return min;
    }

    int maxFrameBytes() {
        int max = 0;
        for (byte[] f : frames) {
            max = Math.max(max, f.length);
        }
        return max;
    }
}
