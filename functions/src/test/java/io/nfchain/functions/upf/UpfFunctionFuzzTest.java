package io.nfchain.functions.upf;

import static io.nfchain.functions.upf.UpfFunctionTest.REMOTE;
import static io.nfchain.functions.upf.UpfFunctionTest.TEID;
import static io.nfchain.functions.upf.UpfFunctionTest.UE;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.core.packet.GtpuHeader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random, truncated and bit-flipped GTP-U never throws out of the upf; every packet is forwarded,
 * answered, consumed or dropped with a reason (the harness checks the books after each burst).
 */
class UpfFunctionFuzzTest {
    @Test
    void corruptedGtpuIsCountedNeverThrown() {
        Random random = new Random(5);
        try (UpfHarness h = new UpfHarness().create(UpfFunctionTest.session())) {
            long drops = 0;
            for (int burst = 0; burst < 3000; burst++) {
                MemorySegment[] frames = new MemorySegment[1 + random.nextInt(16)];
                for (int i = 0; i < frames.length; i++) {
                    frames[i] = mutate(random);
                }
                h.run(frames);
            }
            drops = h.counters.drops();
            assertTrue(drops > 1000, "drops " + drops);
            assertTrue(h.get(UpfCounter.UPF_UPLINK_FORWARDED) > 100, "some survive intact");
        }
    }

    private static MemorySegment mutate(Random random) {
        MemorySegment base = switch (random.nextInt(3)) {
            case 0 -> UpfHarness.uplink(TEID, random.nextInt(3) == 0 ? -1 : random.nextInt(64), UE, REMOTE, 53);
            case 1 -> UpfHarness.plain(REMOTE, UE, 53, 40000);
            default -> new io.nfchain.core.packet.PacketBuilder().ethernet(1, 2)
                    .ipv4(UpfHarness.v4(UpfHarness.GNB), UpfHarness.v4(UpfHarness.N3_V4)).udp(2152, 2152)
                    .gtpu(GtpuHeader.ECHO_REQUEST, 0).gtpuSequence(random.nextInt(65536)).build();
        };
        byte[] bytes = base.toArray(ValueLayout.JAVA_BYTE);
        int flips = random.nextInt(4);
        for (int k = 0; k < flips; k++) {
            // Mostly in the GTP-U header and extension (bytes 42..60), where the parser branches.
            int at = random.nextBoolean() ? 42 + random.nextInt(Math.min(18, bytes.length - 42)) : random.nextInt(bytes.length);
            bytes[at] = (byte) random.nextInt(256);
        }
        int length = random.nextInt(5) == 0 ? random.nextInt(bytes.length + 1) : bytes.length;
        return MemorySegment.ofArray(java.util.Arrays.copyOf(bytes, length));
    }
}
