package io.nfchain.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A duty cycle allocates nothing (DESIGN.md 3.2): the runner's counting and publishing, each
 * idle strategy's decision, the consumer side of the command queue. Measured with the JVM's
 * per-thread allocation counter; only compiled code reaches zero, so batches run until one
 * allocates nothing and the test fails if none ever does.
 */
class RuntimeAllocationTest {
    private static final int CYCLES_PER_BATCH = 10_000;
    private static final int MAX_BATCHES = 200;

    private final ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final ManualClock clock = new ManualClock(0);
    private final Sleeper advancingSleeper = new Sleeper() {
        @Override
        public void parkNanos(long durationNs) {
            clock.advance(durationNs);
        }

        @Override
        public void yieldThread() {}
    };

    /** Takes one command every other cycle from a queue it refills itself with a preallocated command. */
    private static final class DrainingAgent implements Agent {
        final ManyToOneCommandQueue<Runnable> commands = new ManyToOneCommandQueue<>(64);
        private final Consumer<Runnable> run = Runnable::run;
        private final Runnable command = () -> {};
        private int cycle;

        @Override
        public int doWork() {
            if ((cycle++ & 1) == 0) {
                commands.offer(command);
            }
            return commands.drain(run, 8);
        }

        @Override
        public String roleName() {
            return "draining";
        }
    }

    @Test
    void aDutyCycleAllocatesNothingWithAnyStrategy() {
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "skipped: no per-thread allocation counter");
        WakeupSource wakeup = new WakeupSource() {
            @Override
            public boolean arm() {
                return false;
            }

            @Override
            public boolean await(long timeoutNs) {
                clock.advance(timeoutNs);
                return false;
            }

            @Override
            public void disarm() {}

            @Override
            public void wake() {}
        };
        IdleConfig config =
                IdleConfig.defaults().withClock(clock).withSleeper(advancingSleeper).withWakeupSource(wakeup);
        for (String name : IdleStrategies.NAMES) {
            AgentRunner runner = new AgentRunner(new DrainingAgent(), IdleStrategies.create(name, config),
                    ErrorHandler.STDERR, clock, RunnerSettings.named("alloc"));
            Runnable batch = () -> {
                for (int i = 0; i < CYCLES_PER_BATCH; i++) {
                    clock.advance(100);
                    runner.cycle();
                }
            };
            assertEquals(0, fewestBytesAllocatedByABatch(batch),
                    name + ": bytes allocated by " + CYCLES_PER_BATCH + " cycles");
        }
    }

    private long fewestBytesAllocatedByABatch(Runnable batch) {
        long threadId = Thread.currentThread().threadId();
        long fewest = Long.MAX_VALUE;
        for (int i = 0; i < MAX_BATCHES && fewest > 0; i++) {
            long before = threads.getThreadAllocatedBytes(threadId);
            batch.run();
            fewest = Math.min(fewest, threads.getThreadAllocatedBytes(threadId) - before);
        }
        return fewest;
    }
}
