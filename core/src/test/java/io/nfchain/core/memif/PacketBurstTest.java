package io.nfchain.core.memif;

import static io.nfchain.core.memif.MemifLink.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Headroom, prepend and trim, and receiving into a burst whose frame starts moved. */
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
    void receivingStartsEachFrameAfterTheFullHeadroomAgain() {
        Path socket = dir.resolve("memif.sock");
        try (MemifServer server = MemifServer.listen(MemifServer.Config.of(socket));
                MemifClient client = MemifClient.create(MemifClient.Config.of(socket).withRings(1, 6));
                PacketBurst out = new PacketBurst(4, 2048);
                PacketBurst in = new PacketBurst(4, 2048, 128)) {
            connect(server, client);
            putFrame(in, 3, 99, 300);
            in.prepend(0, 100); // starts moved by an earlier burst's function
            in.trimFront(3, 14);
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
