package io.nfchain.functions.charging;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Stateless. Opens the charging state of a state directory and finishes what a killed process
 * left: a pending burst intent is completed from the C2S ring head in the memif region file the
 * dead process used (its client-to-server ring 0 starts the region: cookie at 0, head at 6), so
 * the packets it published are counted and the others are not.
 */
final class ChargingState {
    static final int RING_COOKIE = 0x3E31F20;
    private static final long COOKIE_OFFSET = 0;
    private static final long HEAD_OFFSET = 6;

    private ChargingState() {}

    /**
     * Opens {@code stateDir/usage.state} for {@code layout} and recovers it.
     *
     * @param regionFile the memif region file of the function's link 0
     * @throws IllegalStateException when an intent is pending and the region file is missing or
     *     is not a memif region: the outcome of the last burst cannot be known, and guessing
     *     would break exactness, so the function does not start
     */
    static UsageStore openAndRecover(Path stateDir, UsageLayout layout, Path regionFile) {
        UsageStore store = UsageStore.open(stateDir, layout);
        try {
            int head = store.intentPending() ? transmitHead(regionFile) : 0;
            store.recover(head);
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** The C2S ring 0 head left in a memif region file. */
    static int transmitHead(Path regionFile) {
        try (FileChannel ch = FileChannel.open(regionFile, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
            if (ch.read(b, 0) != 8) {
                throw new IllegalStateException("charging: memif region " + regionFile
                        + " is too short to hold a ring: cannot tell whether the last burst was sent");
            }
            if (b.getInt((int) COOKIE_OFFSET) != RING_COOKIE) {
                throw new IllegalStateException("charging: " + regionFile
                        + " holds no memif ring (cookie mismatch): cannot tell whether the last burst was sent");
            }
            return b.getShort((int) HEAD_OFFSET) & 0xffff;
        } catch (IOException e) {
            throw new IllegalStateException("charging: a burst was in flight when the function stopped, and its memif region "
                    + regionFile + " cannot be read (" + e + "): cannot tell whether it was sent", e);
        }
    }
}
