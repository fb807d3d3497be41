package io.nfchain.functions.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.nfchain.core.memif.PacketBurst;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Gathering by output keeps each output's order and names every packet once. */
class PacketVectorTest {
    @Test
    void gatherPartitionsEveryOutputStablyAndOnce() {
        Random random = new Random(3);
        try (PacketBurst burst = new PacketBurst(32, 128, 64)) {
            PacketVector<DiscardFunction.Counter> vector =
                    new PacketVector<>(burst, new CounterSet<>(DiscardFunction.Counter.class), 3);
            for (int trial = 0; trial < 2_000; trial++) {
                int n = 1 + random.nextInt(32);
                for (int i = 0; i < n; i++) {
                    burst.setLength(i, 64);
                    burst.setMetadata(i, i);
                }
                burst.setCount(n);
                vector.begin(0);
                List<List<Integer>> expected = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
                for (int i = 0; i < n; i++) {
                    int choice = random.nextInt(4);
                    if (choice == 3) {
                        vector.drop(i, DiscardFunction.Counter.MALFORMED);
                    } else {
                        vector.setOutput(i, choice);
                        expected.get(choice).add(i);
                    }
                }
                int[] frames = new int[32];
                for (int output = 0; output < 3; output++) {
                    int k = vector.gather(output, frames);
                    List<Integer> got = new ArrayList<>();
                    for (int i = 0; i < k; i++) {
                        got.add(burst.metadata(frames[i]));
                    }
                    assertEquals(expected.get(output), got, "output " + output + " of trial " + trial);
                }
            }
            assertThrows(IllegalArgumentException.class, () -> vector.setOutput(0, 3));
        }
    }

    @Test
    void appendTakesAFreeBufferAfterTheReceivedOnesUntilTheBurstIsFull() {
        try (PacketBurst burst = new PacketBurst(4, 128, 64)) {
            PacketVector<DiscardFunction.Counter> vector =
                    new PacketVector<>(burst, new CounterSet<>(DiscardFunction.Counter.class), 1);
            burst.setCount(2);
            burst.setLength(0, 60);
            burst.setLength(1, 60);
            vector.begin(0);
            vector.drop(1, DiscardFunction.Counter.values()[0]);
            assertEquals(-1, vector.append(129), "longer than a frame");
            int i = vector.append(100);
            assertEquals(2, i);
            assertEquals(3, vector.count());
            assertEquals(100, vector.length(i));
            assertEquals(0, vector.output(i));
            assertEquals(64 + 2L * (64 + 128), vector.offset(i), "after the headroom of its own buffer");
            assertEquals(3, vector.append(10));
            assertEquals(-1, vector.append(10), "every buffer in use");
            int[] frames = new int[4];
            assertEquals(3, vector.gather(0, frames));
            assertEquals(java.util.List.of(0, 2, 3), java.util.List.of(frames[0], frames[1], frames[2]));
        }
    }
}
