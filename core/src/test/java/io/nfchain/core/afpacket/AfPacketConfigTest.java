package io.nfchain.core.afpacket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every field is validated with a message naming it; what passes is what the kernel accepts in shape. */
class AfPacketConfigTest {
    @Test
    void defaultsAndDerivedSizes() {
        AfPacketConfig config = AfPacketConfig.of("eth0");
        assertEquals(512, config.txFrameCount());
        assertEquals(2000, config.txMaxFrameBytes(), "2048 - 48");
        assertEquals(65536 - 48 - 82, config.rxMaxFrameBytes());
        assertEquals(16336, config.withJumboFrames().txMaxFrameBytes());
        assertEquals(512, config.withJumboFrames().txFrameCount());
    }

    @Test
    void badFieldsAreNamed() {
        assertMessage("interfaceName", () -> AfPacketConfig.of(""));
        assertMessage("interfaceName", () -> AfPacketConfig.of("a-name-of-16-chr"));
        assertMessage("rxBlockBytes", () -> AfPacketConfig.of("x").withRxRing(5000, 4, 1));
        assertMessage("rxBlockCount", () -> AfPacketConfig.of("x").withRxRing(4096, 0, 1));
        assertMessage("rxBlockTimeoutMs", () -> AfPacketConfig.of("x").withRxRing(4096, 4, 0));
        assertMessage("txFrameBytes", () -> AfPacketConfig.of("x").withTxRing(4096, 4, 100));
        assertMessage("txFrameBytes", () -> AfPacketConfig.of("x").withTxRing(4096, 4, 8192));
        assertMessage("txBlockBytes must be a multiple of txFrameBytes", () -> AfPacketConfig.of("x").withTxRing(4096, 4, 1536));
        assertMessage("txBlockCount", () -> AfPacketConfig.of("x").withTxRing(1 << 20, 4096, 2048));
    }

    @Test
    void randomDimensionsEitherPassWithConsistentShapesOrFailNamingAField() {
        Random random = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            int blockBytes = random.nextInt(4) == 0 ? random.nextInt(1 << 20) : 4096 << random.nextInt(6);
            int frameBytes = random.nextInt(3) == 0 ? random.nextInt(70000) - 10 : 128 << random.nextInt(8);
            int count = random.nextInt(300) - 10;
            int timeout = random.nextInt(1100) - 10;
            try {
                AfPacketConfig config = new AfPacketConfig("eth0", blockBytes, count, timeout, blockBytes, count, frameBytes, true);
                assertEquals(0, config.rxBlockBytes() % 4096);
                assertEquals(0, config.txBlockBytes() % config.txFrameBytes());
                assertTrue(config.txFrameCount() >= 1 && config.txMaxFrameBytes() >= 80 && config.rxMaxFrameBytes() > 0);
            } catch (IllegalArgumentException e) {
                String field = e.getMessage().substring(0, e.getMessage().indexOf(' '));
                assertTrue((field.startsWith("rx") || field.startsWith("tx")) && e.getMessage().startsWith(field + " must "),
                        e.getMessage());
            }
        }
    }

    private static void assertMessage(String start, org.junit.jupiter.api.function.Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}
