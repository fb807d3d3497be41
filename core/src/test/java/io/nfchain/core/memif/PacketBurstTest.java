package io.nfchain.core.memif;

import static io.nfchain.core.memif.MemifLink.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Headroom, prepend and trim, and reordering frames without moving their bytes. */
class PacketBurstTest {
    @TempDir
    Path dir;

    @Test
    void prependUsesTheHeadroomAndTrimGivesItBack() {
        try (PacketBurst burst = new PacketBurst(4, 256, 64)) {
            putFrame(burst, 0, 1, 100);
            long frameStart = burst.offset(0);
            assertEquals(64, frameStart, "frames start after the headroom");
            assertTrue(burst.prepend(0, 36));
            assertEquals(frameStart - 36, burst.offset(0));
            assertEquals(136, burst.length(0));
            assertFalse(burst.prepend(0, 29), "only 28 bytes of headroom left");
            assertEquals(136, burst.length(0), "a refused prepend changes nothing");
            assertTrue(burst.trimFront(0, 36));
            checkFrame(burst, 0, 1, 100);
            assertFalse(burst.trimFront(0, 101));
            assertThrows(IllegalArgumentException.class, () -> burst.setLength(0, 256 + 1));
            burst.setLength(0, 256); // the buffer's room from the frame start
        }
    }

    @Test
    void swapReordersFramesAndTheirMetadataWithoutCopying() {
        try (PacketBurst burst = new PacketBurst(3, 128, 32)) {
            for (int i = 0; i < 3; i++) {
                putFrame(burst, i, 10 + i, 60 + i);
            }
            burst.prepend(2, 8);
            long offset2 = burst.offset(2);
            burst.swap(0, 2);
            assertEquals(offset2, burst.offset(0), "frame 0 is now frame 2's buffer, start included");
            assertEquals(68 + 2, burst.length(0));
            assertTrue(burst.trimFront(0, 8));
            checkFrame(burst, 0, 12, 62);
            checkFrame(burst, 2, 10, 60);
            checkFrame(burst, 1, 11, 61);
        }
    }

    @Test
    void receivingIntoAReorderedBurstStartsEachFrameAfterTheHeadroomAgain() {
        Path socket = dir.resolve("memif.sock");
        try (MemifServer server = MemifServer.listen(MemifServer.Config.of(socket));
                MemifClient client = MemifClient.create(MemifClient.Config.of(socket).withRings(1, 6));
                PacketBurst out = new PacketBurst(4, 2048);
                PacketBurst in = new PacketBurst(4, 2048, 128)) {
            connect(server, client);
            in.prepend(0, 100);
            in.trimFront(1, 0);
            in.swap(0, 3);
            for (int i = 0; i < 4; i++) {
                putFrame(out, i, i, lengthFor(i));
            }
            out.setCount(4);
            assertEquals(4, client.queuePair(0).txBurst(out));
            assertEquals(4, server.queuePair(0).rxBurst(in));
            for (int i = 0; i < 4; i++) {
                checkFrame(in, i, i, lengthFor(i));
                assertTrue(in.prepend(i, 128), "full headroom again in front of frame " + i);
                assertFalse(in.prepend(i, 1), "and no more");
            }
        }
    }
}
