package io.nfchain.functions.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.core.packet.PacketParser;
import io.nfchain.core.packet.ParsedPacket;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The per-packet path allocates nothing (DESIGN.md 3.2): parse, decide (flow table and
 * classifier, count rules included), DSCP rewrite, burst classification and decisions, the sweep. Measured
 * with the JVM's per-thread allocation counter; batches run until one allocates nothing, and the
 * test fails if none ever does.
 */
class AclAllocationTest {
    private static final int FRAMES = 256;
    private static final int STRIDE = 2048;
    private static final int MAX_BATCHES = 200;

    @Test
    void decidingAPacketAllocatesNothing() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "skipped: no per-thread allocation counter");
        SplittableRandom random = new SplittableRandom(5);
        RandomAcl acl = new RandomAcl(random);
        AclRuleSet set = AclRuleSet.validate(acl.rules(2000, 4), AclAction.DENY);
        AclEngine engine = AclEngine.stateful(AclClassifier.compile(set), 512, FlowTimeouts.DEFAULT);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment frames = arena.allocate((long) FRAMES * STRIDE);
            int[] lengths = new int[FRAMES];
            for (int i = 0; i < FRAMES; i++) {
                PacketBuilder b = new PacketBuilder().ethernet(2, 1).ipv4(0x0A00_0000 | random.nextInt(1 << 20), random.nextInt());
                b = random.nextBoolean() ? b.udp(random.nextInt(65_536), random.nextInt(65_536))
                        : b.tcp(random.nextInt(65_536), random.nextInt(65_536), 1, 1, random.nextInt(0x200), 100, false);
                lengths[i] = b.writeTo(frames, (long) i * STRIDE);
            }
            ParsedPacket parsed = new ParsedPacket();
            AclBurst burst = new AclBurst(32);
            int[] verdicts = new int[32];
            long[] now = {0};
            Runnable batch = () -> {
                for (int i = 0; i < FRAMES; i++) {
                    long at = (long) i * STRIDE;
                    PacketParser.parse(frames, at, lengths[i], parsed);
                    if ((i & 31) == 0) {
                        engine.beginBurst(now[0] += 1_000_000_000L);
                        burst.clear();
                    }
                    int verdict = engine.decide(parsed);
                    if (verdict >= 0) {
                        engine.rewriteDscp(frames, at, parsed.outer(), verdict);
                    }
                    burst.add().set(parsed.outer());
                    if ((i & 31) == 31) {
                        engine.classifier().classify(burst);
                        engine.decide(burst, verdicts);
                    }
                }
            };
            long allocated = -1;
            for (int b = 0; b < MAX_BATCHES && allocated != 0; b++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                batch.run();
                allocated = threads.getCurrentThreadAllocatedBytes() - before;
            }
            assertEquals(0, allocated, "bytes allocated by a batch of " + FRAMES + " packets, after warm-up");
        }
    }
}
