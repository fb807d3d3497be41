package io.nfchain.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.core.os.CpuAffinity;
import io.nfchain.core.os.Prctl;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AgentRunnerTest {
    private final ManualClock clock = new ManualClock(5_000_000);
    private final List<Throwable> handled = new CopyOnWriteArrayList<>();

    /** Returns scripted work counts, each doWork taking scripted time on the manual clock; -1 throws. */
    private final class ScriptedAgent implements Agent {
        private final int[] workCounts;
        private final long nsPerItem;
        private int next;

        ScriptedAgent(long nsPerItem, int... workCounts) {
            this.workCounts = workCounts;
            this.nsPerItem = nsPerItem;
        }

        @Override
        public int doWork() {
            int work = workCounts[next++ % workCounts.length];
            clock.advance(50 + Math.max(0, work) * nsPerItem);
            if (work < 0) {
                throw new IllegalStateException("bad packet " + next);
            }
            return work;
        }

        @Override
        public String roleName() {
            return "scripted";
        }
    }

    /** Records what the runner tells it. */
    private static final class RecordingIdleStrategy implements IdleStrategy {
        final List<Integer> workCounts = new ArrayList<>();

        @Override
        public void idle(int workCount) {
            workCounts.add(workCount);
        }

        @Override
        public void reset() {}

        @Override
        public String name() {
            return "recording";
        }
    }

    private AgentRunner stepped(Agent agent, IdleStrategy idle) {
        return new AgentRunner(agent, idle, handled::add, clock, RunnerSettings.named("stepped"));
    }

    @Test
    void countsLoopsWorkAndBusyTimeOncePerCycle() {
        RecordingIdleStrategy idle = new RecordingIdleStrategy();
        AgentRunner runner = stepped(new ScriptedAgent(10, 32, 0, 0, 16), idle);
        for (int i = 0; i < 8; i++) {
            runner.cycle();
        }
        RunnerStats.Snapshot s = runner.stats().snapshot();
        assertEquals(8, s.loops());
        assertEquals(4, s.busyLoops());
        assertEquals(4, s.emptyPolls());
        assertEquals(96, s.workItems());
        assertEquals(2 * (50 + 320) + 2 * (50 + 160), s.busyNs(), "time inside doWork calls that found work");
        assertEquals(2 * (370 + 50 + 50 + 210), s.wallNs());
        assertEquals(24.0, s.meanBurstSize());
        assertEquals(1160.0 / 96, s.nsPerWorkItem(), 1e-9);
        assertEquals(List.of(32, 0, 0, 16, 32, 0, 0, 16), idle.workCounts);
    }

    @Test
    void anAgentThatThrowsIsCountedHandedToTheHandlerAndTheLoopGoesOn() {
        RecordingIdleStrategy idle = new RecordingIdleStrategy();
        AgentRunner runner = stepped(new ScriptedAgent(10, 4, -1, 4), idle);
        for (int i = 0; i < 6; i++) {
            runner.cycle();
        }
        RunnerStats.Snapshot s = runner.stats().snapshot();
        assertEquals(2, s.errors());
        assertEquals(2, handled.size());
        assertEquals("bad packet 2", handled.get(0).getMessage());
        assertEquals(6, s.loops());
        assertEquals(16, s.workItems(), "the cycles after each error ran");
        assertEquals(0, s.emptyPolls(), "a failed cycle is an error, not an empty poll");
        assertEquals(List.of(4, 0, 4, 4, 0, 4), idle.workCounts, "a failed cycle idles as an empty one");
    }

    @Test
    void aHandlerThatThrowsDoesNotStopTheLoop() {
        AgentRunner runner = new AgentRunner(new ScriptedAgent(1, -1, 1), new RecordingIdleStrategy(), error -> {
            throw new IllegalStateException("handler broken");
        }, clock, RunnerSettings.named("stepped"));
        runner.cycle();
        assertEquals(1, runner.cycle());
        assertEquals(1, runner.stats().errors());
    }

    @Test
    void aVirtualMachineErrorStopsTheRunnerAfterReportingIt() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        Agent overflowing = new Agent() {
            @Override
            public int doWork() {
                throw new StackOverflowError("deep");
            }

            @Override
            public String roleName() {
                return "overflowing";
            }

            @Override
            public void onClose() {
                closed.countDown();
            }
        };
        AgentRunner runner = new AgentRunner(overflowing, new BusySpinIdleStrategy(), handled::add, NanoClock.SYSTEM,
                RunnerSettings.named("worker-vm-error")).start();
        assertTrue(closed.await(10, TimeUnit.SECONDS), "the runner stopped and closed its agent by itself");
        runner.close();
        assertEquals(1, runner.stats().errors());
        assertInstanceOf(StackOverflowError.class, handled.get(0));
    }

    @Test
    void closeWithoutStartClosesTheAgentOnTheCallingThread() {
        LifecycleAgent agent = new LifecycleAgent();
        AgentRunner runner = stepped(agent, new RecordingIdleStrategy());
        runner.close();
        runner.close();
        assertEquals(List.of("onClose on " + Thread.currentThread().getName()), agent.events);
        assertThrows(IllegalStateException.class, runner::start);
    }

    /** Records its lifecycle and the thread state it sees; counts work. */
    private static final class LifecycleAgent implements Agent {
        final List<String> events = new CopyOnWriteArrayList<>();
        final CountDownLatch working = new CountDownLatch(100);
        volatile long timerSlackNs;
        volatile BitSet cpus;
        volatile boolean failStart;

        @Override
        public int doWork() {
            working.countDown();
            return 0;
        }

        @Override
        public String roleName() {
            return "lifecycle";
        }

        @Override
        public void onStart() {
            timerSlackNs = Prctl.timerSlackNs();
            cpus = CpuAffinity.get();
            events.add("onStart on " + Thread.currentThread().getName());
            if (failStart) {
                throw new IllegalStateException("cannot open port");
            }
        }

        @Override
        public void onClose() {
            events.add("onClose on " + Thread.currentThread().getName());
        }
    }

    @Test
    void aStartedRunnerPlacesItsThreadRunsTheAgentAndStopsPromptlyFromItsDeepestSleep() throws Exception {
        LifecycleAgent agent = new LifecycleAgent();
        BitSet firstCpu = new BitSet();
        firstCpu.set(CpuAffinity.get().nextSetBit(0));
        // Quiet adaptive parks 500 µs at a time; a runner must not wait for the sleep to end, let alone time out.
        IdleStrategy adaptive = IdleStrategies.create("adaptive", IdleConfig.defaults());
        AgentRunner runner = new AgentRunner(agent, adaptive, handled::add, NanoClock.SYSTEM,
                RunnerSettings.named("worker-7").withCpus(firstCpu).withTimerSlackNs(1_000)).start();
        assertTrue(agent.working.await(10, TimeUnit.SECONDS), "doWork runs");
        assertTrue(runner.isRunning());

        long closeStartNs = System.nanoTime();
        runner.close();
        long closeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closeStartNs);

        assertFalse(runner.isRunning());
        assertTrue(closeMs < 1_000, "close took " + closeMs + " ms");
        assertEquals(List.of("onStart on worker-7", "onClose on worker-7"), agent.events);
        assertEquals(1_000, agent.timerSlackNs);
        assertEquals(firstCpu, agent.cpus);
        assertEquals(List.of(), handled);
        RunnerStats.Snapshot s = runner.stats().snapshot();
        assertTrue(s.emptyPolls() >= 100 && s.sleeps() > 0, "idle runner slept: " + s);
    }

    @Test
    void anAgentThatFailsToStartNeverRunsAndIsStillClosed() throws Exception {
        LifecycleAgent agent = new LifecycleAgent();
        agent.failStart = true;
        AgentRunner runner = new AgentRunner(agent, new BusySpinIdleStrategy(), handled::add, NanoClock.SYSTEM,
                RunnerSettings.named("worker-bad")).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (runner.isRunning() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        runner.close();
        assertEquals(List.of("onStart on worker-bad", "onClose on worker-bad"), agent.events);
        assertEquals(100, agent.working.getCount(), "doWork never ran");
        assertEquals(1, runner.stats().errors());
        assertEquals("cannot open port", handled.get(0).getMessage());
    }

    /** Drains its command queue in doWork, the way a worker takes control changes. */
    private static final class CommandedAgent implements Agent {
        final ManyToOneCommandQueue<Runnable> commands = new ManyToOneCommandQueue<>(16);
        private final java.util.function.Consumer<Runnable> run = Runnable::run;

        @Override
        public int doWork() {
            return commands.drain(run, 4);
        }

        @Override
        public String roleName() {
            return "commanded";
        }
    }

    @Test
    void aCommandReachesAnInterruptRunnerBlockedOnItsEventFdAtOnce() throws Exception {
        CommandedAgent agent = new CommandedAgent();
        try (EventFdWakeupSource wakeup = new EventFdWakeupSource(() -> !agent.commands.isEmpty())) {
            IdleConfig config = IdleConfig.defaults()
                    .withWakeupSource(wakeup)
                    .withInterrupt(new InterruptIdleStrategy.Settings(1_000_000, 60_000_000_000L));
            IdleStrategy interrupt = IdleStrategies.create("interrupt", config);
            AgentRunner runner = new AgentRunner(agent, interrupt, handled::add, NanoClock.SYSTEM,
                    RunnerSettings.named("worker-irq")).start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                // Armed is blocked (or about to block) on the eventfd. Not also "sleeps > 0": if the
                // thread loses the CPU for the first millisecond idle, it blocks before any micro-sleep
                // and the count stays 0 for the whole 60 s block, which made this test flaky.
                while (!wakeup.isArmed()) {
                    assertTrue(System.nanoTime() < deadline, "runner never blocked");
                    Thread.yield();
                }
                CountDownLatch ran = new CountDownLatch(1);
                long sentNs = System.nanoTime();
                assertTrue(agent.commands.offer(ran::countDown));
                wakeup.signalIfArmed();
                assertTrue(ran.await(5, TimeUnit.SECONDS), "command ran although the block lasts up to 60 s");
                long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentNs);
                assertTrue(latencyMs < 1_000, "command waited " + latencyMs + " ms");
            } finally {
                long closeStartNs = System.nanoTime();
                runner.close();
                assertTrue(System.nanoTime() - closeStartNs < TimeUnit.SECONDS.toNanos(1),
                        "close woke the blocked runner");
            }
            assertInstanceOf(InterruptIdleStrategy.class, runner.idleStrategy());
            assertSame(agent, runner.agent());
            assertEquals(List.of(), handled);
        }
    }
}
