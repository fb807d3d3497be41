package io.nfchain.core.memif;

import static io.nfchain.core.memif.MemifLink.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.core.runtime.Agent;
import io.nfchain.core.runtime.AgentRunner;
import io.nfchain.core.runtime.ErrorHandler;
import io.nfchain.core.runtime.IdleConfig;
import io.nfchain.core.runtime.IdleStrategies;
import io.nfchain.core.runtime.InterruptIdleStrategy;
import io.nfchain.core.runtime.NanoClock;
import io.nfchain.core.runtime.RunnerSettings;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Interrupt mode over a real link: the mask flag, the eventfd kicks, and a runner that blocks. */
class MemifWakeupSourceTest {
    private static final long SECOND_NS = TimeUnit.SECONDS.toNanos(1);

    @TempDir
    Path dir;

    private MemifServer server;
    private MemifClient client;
    private PacketBurst burst;

    @BeforeEach
    void connectLink() {
        Path socket = dir.resolve("memif.sock");
        server = MemifServer.listen(MemifServer.Config.of(socket));
        client = MemifClient.create(MemifClient.Config.of(socket).withRings(1, 8));
        connect(server, client);
        burst = new PacketBurst(32, 2048);
    }

    @AfterEach
    void close() {
        client.close();
        server.close();
        burst.close();
    }

    @Test
    void anArmedServerQueueIsKickedOnceAndAMaskedOneNever() {
        ServerQueuePair rx = server.queuePair(0);
        ClientQueuePair tx = client.queuePair(0);
        try (MemifWakeupSource source = new MemifWakeupSource(2)) {
            source.watch(rx);
            assertFalse(source.arm(), "nothing waiting yet");
            send(tx, 0, 3);
            assertEquals(1, tx.counters().interruptsSent(), "armed: the client kicked");
            assertTrue(source.await(SECOND_NS));
            assertEquals(1, source.interruptsReceived());
            source.disarm();

            send(tx, 3, 2);
            assertEquals(1, tx.counters().interruptsSent(), "disarmed: the client polls-by-contract, no kick");
            assertTrue(source.arm(), "arming with frames waiting says so instead of blocking");
            source.disarm();
            assertEquals(5, receiveAll(rx));
            assertFalse(source.arm());
            assertFalse(source.await(2_000_000), "times out with nothing sent");
            source.disarm();
        }
    }

    @Test
    void anArmedClientQueueIsKickedByTheServer() {
        ClientQueuePair rx = client.queuePair(0);
        ServerQueuePair tx = server.queuePair(0);
        try (MemifWakeupSource source = new MemifWakeupSource(1)) {
            source.watch(rx);
            assertFalse(source.arm());
            putFrame(burst, 0, 7, 100);
            burst.setCount(1);
            assertEquals(1, tx.txBurst(burst));
            assertEquals(1, tx.counters().interruptsSent());
            assertTrue(source.await(SECOND_NS));
            source.disarm();
            assertEquals(1, rx.rxBurst(burst));
            checkFrame(burst, 0, 7, 100);
        }
    }

    @Test
    void wakeEndsAWaitFromAnotherThreadAndAControlSocketCounts() throws Exception {
        try (MemifWakeupSource source = new MemifWakeupSource(2)) {
            source.watch(server.queuePair(0));
            source.watchReadable(server.controlFd());
            assertFalse(source.arm());
            Thread waker = Thread.ofPlatform().start(() -> {
                sleepMs(20);
                source.wake();
            });
            long start = System.nanoTime();
            assertTrue(source.await(10 * SECOND_NS), "woken");
            assertTrue(System.nanoTime() - start < 5 * SECOND_NS);
            waker.join();
            source.disarm();

            client.close(); // DISCONNECT makes the server's control socket readable
            assertFalse(source.arm());
            assertTrue(source.await(SECOND_NS), "the control socket ends the wait");
            source.disarm();
            source.clear();
            server.doWork();
            assertFalse(server.isConnected());
        }
    }

    /**
     * A server runner with the interrupt strategy receives every frame of sparse bursts: it
     * blocks between them and the client's kicks wake it.
     */
    @Test
    void anInterruptRunnerBlocksBetweenBurstsAndLosesNothing() throws Exception {
        ServerQueuePair rx = server.queuePair(0);
        ClientQueuePair tx = client.queuePair(0);
        AtomicLong received = new AtomicLong();
        MemifWakeupSource source = new MemifWakeupSource(1);
        source.watch(rx);
        PacketBurst rxBurst = new PacketBurst(32, 2048);
        Agent agent = new Agent() {
            private long next;

            @Override
            public int doWork() {
                int n = rx.rxBurst(rxBurst);
                for (int i = 0; i < n; i++) {
                    checkFrame(rxBurst, i, next, lengthFor(next));
                    next++;
                }
                received.addAndGet(n);
                return n;
            }

            @Override
            public String roleName() {
                return "interrupt-rx";
            }
        };
        IdleConfig idle = IdleConfig.defaults()
                .withInterrupt(new InterruptIdleStrategy.Settings(200_000, 1_000_000_000))
                .withWakeupSource(source);
        InterruptIdleStrategy strategy = (InterruptIdleStrategy) IdleStrategies.create(InterruptIdleStrategy.NAME, idle);
        AgentRunner runner = new AgentRunner(agent, strategy, ErrorHandler.STDERR, NanoClock.SYSTEM,
                RunnerSettings.named("interrupt-rx"));
        long sent = 0;
        try {
            runner.start();
            for (int round = 0; round < 20; round++) {
                sleepMs(5); // long enough for the runner to block
                sent += sendSequenced(tx, sent, 1 + round % 7);
                long target = sent;
                long deadline = System.nanoTime() + 10 * SECOND_NS;
                while (received.get() < target && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertEquals(target, received.get(), "round " + round);
            }
        } finally {
            runner.close();
            source.close();
            rxBurst.close();
        }
        assertTrue(strategy.signalledWakes() >= 10, "woken by kicks, not timeouts: " + strategy.signalledWakes());
        assertTrue(tx.counters().interruptsSent() >= 10, "the client kicked: " + tx.counters().interruptsSent());
    }

    private void send(ClientQueuePair tx, long firstSeq, int count) {
        for (int i = 0; i < count; i++) {
            putFrame(burst, i, firstSeq + i, 64);
        }
        burst.setCount(count);
        assertEquals(count, tx.txBurst(burst));
    }

    private long sendSequenced(ClientQueuePair tx, long firstSeq, int count) {
        for (int i = 0; i < count; i++) {
            putFrame(burst, i, firstSeq + i, lengthFor(firstSeq + i));
        }
        burst.setCount(count);
        assertEquals(count, tx.txBurst(burst));
        return count;
    }

    private int receiveAll(ServerQueuePair rx) {
        int total = 0;
        for (int n = rx.rxBurst(burst); n > 0; n = rx.rxBurst(burst)) {
            total += n;
        }
        return total;
    }

    private static void sleepMs(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
