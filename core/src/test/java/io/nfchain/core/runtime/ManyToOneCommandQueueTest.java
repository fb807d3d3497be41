package io.nfchain.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ManyToOneCommandQueueTest {

    @Test
    void drainsInOfferOrderUpToTheLimit() {
        ManyToOneCommandQueue<String> queue = new ManyToOneCommandQueue<>(8);
        for (String command : List.of("a", "b", "c", "d", "e")) {
            assertTrue(queue.offer(command));
        }
        assertEquals(5, queue.size());
        List<String> seen = new ArrayList<>();
        assertEquals(3, queue.drain(seen::add, 3));
        assertEquals(List.of("a", "b", "c"), seen);
        assertEquals(2, queue.drain(seen::add, 10));
        assertEquals(List.of("a", "b", "c", "d", "e"), seen);
        assertEquals(0, queue.drain(seen::add, 10));
        assertNull(queue.poll());
        assertTrue(queue.isEmpty());
    }

    @Test
    void refusesWhenFullAndAcceptsAgainOnceTheConsumerFreesASlot() {
        ManyToOneCommandQueue<Integer> queue = new ManyToOneCommandQueue<>(4);
        for (int lap = 0; lap < 3; lap++) {
            for (int i = 0; i < 4; i++) {
                assertTrue(queue.offer(lap * 10 + i));
            }
            assertFalse(queue.offer(99), "full");
            assertEquals(lap * 10, queue.poll());
            assertTrue(queue.offer(lap * 10 + 4));
            assertFalse(queue.offer(99));
            for (int i = 1; i <= 4; i++) {
                assertEquals(lap * 10 + i, queue.poll(), "lap " + lap);
            }
            assertNull(queue.poll());
        }
    }

    @Test
    void aHandlerThatThrowsLosesOnlyItsOwnCommand() {
        ManyToOneCommandQueue<String> queue = new ManyToOneCommandQueue<>(4);
        queue.offer("bad");
        queue.offer("good");
        assertThrows(IllegalStateException.class, () -> queue.drain(c -> {
            throw new IllegalStateException(c);
        }, 4));
        assertEquals("good", queue.poll());
    }

    @Test
    void rejectsACapacityThatIsNotAPowerOfTwoAndNullCommands() {
        assertThrows(IllegalArgumentException.class, () -> new ManyToOneCommandQueue<>(6));
        assertThrows(IllegalArgumentException.class, () -> new ManyToOneCommandQueue<>(1));
        assertThrows(NullPointerException.class, () -> new ManyToOneCommandQueue<String>(2).offer(null));
    }

    /** A command whose fields check each other, so a torn or stale read shows. */
    record Command(int producer, long sequence, long check) {
        static Command of(int producer, long sequence) {
            return new Command(producer, sequence, mix(producer, sequence));
        }

        static long mix(int producer, long sequence) {
            long x = sequence * 0x9E3779B97F4A7C15L + producer;
            return x ^ (x >>> 29);
        }
    }

    @Test
    void manyProducersOneConsumerEveryCommandSeenExactlyOnceInEachProducersOrder() throws Exception {
        int producers = 4;
        int perProducer = 100_000;
        ManyToOneCommandQueue<Command> queue = new ManyToOneCommandQueue<>(64);
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            threads.add(Thread.ofPlatform().name("producer-" + p).start(() -> {
                try {
                    go.await();
                    for (long s = 0; s < perProducer; s++) {
                        Command command = Command.of(producer, s);
                        while (!queue.offer(command)) {
                            Thread.onSpinWait();
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        long[] nextSequence = new long[producers];
        long[] total = new long[1];
        java.util.function.Consumer<Command> check = command -> {
            assertEquals(Command.mix(command.producer(), command.sequence()), command.check(), "payload");
            assertEquals(nextSequence[command.producer()], command.sequence(),
                    "producer " + command.producer() + " order");
            nextSequence[command.producer()]++;
            total[0]++;
        };
        go.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (total[0] < (long) producers * perProducer) {
            if (queue.drain(check, 16) == 0) {
                Thread.onSpinWait();
            }
            if (System.nanoTime() > deadline || failure.get() != null) {
                break;
            }
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(10));
        }
        if (failure.get() != null) {
            throw new AssertionError("producer failed", failure.get());
        }
        assertEquals((long) producers * perProducer, total[0]);
        for (int p = 0; p < producers; p++) {
            assertEquals(perProducer, nextSequence[p], "commands of producer " + p);
        }
        assertNull(queue.poll(), "nothing seen twice, nothing left");
    }
}
