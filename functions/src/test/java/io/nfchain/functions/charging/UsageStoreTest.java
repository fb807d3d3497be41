package io.nfchain.functions.charging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The burst intent protocol against a model, with the process "killed" at every step: after the
 * intent is written (before the ring head moves), after the head moved (before completion), and
 * after completion wrote the counters but before it cleared the intent. A kill is a store closed
 * without finishing, then reopened from its file and recovered with the head the ring holds.
 */
class UsageStoreTest {
    private static final int RING_SLOTS = 64;
    private static final int BUFFER_BYTES = 2048;

    @TempDir
    Path dir;

    private final UsageLayout layout = new UsageLayout(16, 32, 3);

    @Test
    void completeCountsOnlyThePacketsTheHeadPublished() {
        try (UsageStore store = UsageStore.open(dir, layout)) {
            store.recover(0);
            store.beginBurst(1_000);
            int[] lengths = {100, 3000, 60, 0, 5000};
            for (int i = 0; i < lengths.length; i++) {
                store.frame(i, lengths[i], i % 2);
                store.charge(i, store.snapshot(3));
            }
            int[] frames = {0, 1, 2, 3, 4};
            store.writeIntent(65_530, RING_SLOTS, BUFFER_BYTES, frames, 5);
            assertTrue(store.intentPending());
            // 100 takes 1 slot, 3000 takes 2, 60 takes 1: the head moved 3 slots (wrapping 16 bits)
            assertEquals(2, store.complete((65_530 + 3) & 0xffff));
            assertFalse(store.intentPending());
            long[] c = new long[UsageStore.COUNTERS];
            store.read(3, c);
            assertArrayEquals(new long[] {100, 3000, 1, 1, 1_000, 1_000}, c);
        }
    }

    @Test
    void aPacketLongerThanTheRingIsSkippedAsTheClientSkipsIt() {
        try (UsageStore store = UsageStore.open(dir, layout)) {
            store.recover(0);
            store.beginBurst(5);
            store.frame(0, BUFFER_BYTES * (RING_SLOTS + 1), 0);
            store.charge(0, store.snapshot(0));
            store.frame(1, 70, 0);
            store.charge(1, store.snapshot(0));
            store.writeIntent(7, RING_SLOTS, BUFFER_BYTES, new int[] {0, 1}, 2);
            assertEquals(1, store.complete(8));
            long[] c = new long[UsageStore.COUNTERS];
            store.read(0, c);
            assertEquals(70, c[UsageStore.BYTES_UP]);
            assertEquals(1, c[UsageStore.PKTS_UP]);
        }
    }

    @Test
    void randomBurstsWithKillsAtEveryStepMatchTheModel() throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        long[][] model = new long[layout.recordCapacity][4];
        UsageStore store = UsageStore.open(dir, layout);
        store.recover(0);
        int head = random.nextInt(1 << 16);
        for (int burst = 0; burst < 3_000; burst++) {
            store.beginBurst(burst + 1);
            int n = 1 + random.nextInt(layout.frameCapacity);
            int[] lengths = new int[n];
            int[] directions = new int[n];
            int[][] records = new int[n][];
            for (int i = 0; i < n; i++) {
                lengths[i] = random.nextInt(10) == 0 ? random.nextInt(3) * BUFFER_BYTES * 40 : random.nextInt(6000);
                directions[i] = random.nextInt(2);
                store.frame(i, lengths[i], directions[i]);
                records[i] = random.ints(random.nextInt(layout.urrsPerPacket + 1), 0, layout.recordCapacity)
                        .distinct().toArray();
                for (int r : records[i]) {
                    assertTrue(store.charge(i, store.snapshot(r)));
                }
            }
            int[] frames = random.ints(0, n).distinct().limit(n).toArray(); // transmit order: any permutation
            // the client publishes the first k packets that can be sent at all, k chosen at random
            int eligible = 0;
            for (int p : frames) {
                eligible += sendable(lengths[p]) ? 1 : 0;
            }
            int kill = random.nextInt(4);
            int k = kill == 1 ? 0 : random.nextInt(eligible + 1); // 1: killed before the ring head moved
            int newHead = head;
            int published = 0;
            for (int p : frames) {
                if (published == k) {
                    break;
                }
                if (sendable(lengths[p])) {
                    newHead += slots(lengths[p]);
                    published++;
                    for (int r : records[p]) {
                        model[r][directions[p]] += lengths[p];
                        model[r][2 + directions[p]]++;
                    }
                }
            }
            newHead &= 0xffff;
            store.writeIntent(head, RING_SLOTS, BUFFER_BYTES, frames, frames.length);
            switch (kill) {
                case 0 -> assertEquals(k, store.complete(newHead)); // no kill
                case 1, 2 -> store = restart(store, newHead); // killed before / after the head moved
                default -> { // killed after completion wrote the counters, before it cleared the intent
                    store.complete(newHead);
                    setIntentPending();
                    store = restart(store, newHead);
                }
            }
            head = newHead;
            check(store, model);
        }
        store.close();
    }

    private UsageStore restart(UsageStore dead, int ringHead) {
        dead.close();
        UsageStore store = UsageStore.open(dir, layout);
        store.recover(ringHead);
        assertFalse(store.intentPending());
        return store;
    }

    private void setIntentPending() throws IOException {
        try (FileChannel ch = FileChannel.open(dir.resolve(UsageStore.FILE_NAME), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, 1),
                    layout.intentOffset + UsageLayout.I_STATE);
        }
    }

    private void check(UsageStore store, long[][] model) {
        long[] c = new long[UsageStore.COUNTERS];
        for (int r = 0; r < layout.recordCapacity; r++) {
            store.read(r, c);
            assertArrayEquals(model[r], new long[] {c[0], c[1], c[2], c[3]}, "record " + r);
        }
    }

    private static boolean sendable(int length) {
        return length > 0 && slots(length) <= RING_SLOTS;
    }

    private static int slots(int length) {
        return (length + BUFFER_BYTES - 1) / BUFFER_BYTES;
    }

    @Test
    void aFileOfAnotherLayoutIsRefusedWithTheReason() {
        UsageStore.open(dir, layout).close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> UsageStore.open(dir, new UsageLayout(32, 32, 3)));
        assertTrue(e.getMessage().contains("other capacities"), e.getMessage());
    }

    @Test
    void aPendingIntentWithoutItsRegionFileStopsTheStart() {
        try (UsageStore store = UsageStore.open(dir, layout)) {
            store.recover(0);
            store.beginBurst(1);
            store.frame(0, 100, 0);
            store.charge(0, store.snapshot(0));
            store.writeIntent(0, RING_SLOTS, BUFFER_BYTES, new int[] {0}, 1);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ChargingState.openAndRecover(dir, layout, dir.resolve("no-such-region")));
        assertTrue(e.getMessage().contains("cannot tell whether"), e.getMessage());
    }
}
