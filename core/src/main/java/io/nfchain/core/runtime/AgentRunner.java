package io.nfchain.core.runtime;

import io.nfchain.core.os.CpuAffinity;
import io.nfchain.core.os.Prctl;
import java.time.Duration;
import java.util.BitSet;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one {@link Agent} on one platform thread: duty cycle after duty cycle, {@code doWork()}
 * then the idle strategy, until {@link #close()}. It owns the agent, the idle strategy, the
 * error handler and the counters ({@link #stats()}).
 *
 * <p>At thread start it pins the thread ({@link CpuAffinity}) if asked and sets its timer
 * slack ({@link Prctl}), then calls {@code onStart}. An exception from {@code doWork()} is
 * counted and handed to the error handler, and the loop goes on (after one idle step, so an
 * agent that always throws does not spin a core). A {@link VirtualMachineError} stops it.
 *
 * <p>Each cycle reads the clock twice (around {@code doWork()}, ~20 ns each) and adds itself
 * to the {@link RunnerStats} running totals, published once, in one padded object.
 */
public final class AgentRunner implements AutoCloseable {
    private final Agent agent;
    private final IdleStrategy idleStrategy;
    private final ErrorHandler errorHandler;
    private final NanoClock clock;
    private final RunnerSettings settings;
    private final RunnerStats stats = new RunnerStats();
    private final Thread thread;
    private volatile boolean running = true;
    private boolean started;
    private boolean closed;
    private long startNs;

    public AgentRunner(Agent agent, IdleStrategy idleStrategy, ErrorHandler errorHandler, NanoClock clock,
            RunnerSettings settings) {
        this.agent = Objects.requireNonNull(agent, "agent");
        this.idleStrategy = Objects.requireNonNull(idleStrategy, "idleStrategy");
        this.errorHandler = Objects.requireNonNull(errorHandler, "errorHandler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.thread = Thread.ofPlatform().name(settings.threadName()).daemon(true).unstarted(this::run);
        this.startNs = clock.nanoTime();
    }

    /** Starts the thread; once only. */
    public synchronized AgentRunner start() {
        if (started || closed) {
            throw new IllegalStateException(
                    "runner " + settings.threadName() + " already " + (closed ? "closed" : "started"));
        }
        started = true;
        thread.start();
        return this;
    }

    /**
     * Stops the loop, wakes the thread if it sleeps or blocks, waits for it to call
     * {@code onClose} and end. If the runner never started, calls {@code onClose} here. A
     * second call does nothing.
     *
     * @throws IllegalStateException if the thread is still running after the close timeout
     *     (an agent blocked in {@code doWork()}); it has been interrupted
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        if (!started) {
            closeAgent();
            return;
        }
        if (Thread.currentThread() == thread) {
            return; // the agent closed its own runner: the loop ends after this cycle
        }
        idleStrategy.wake();
        LockSupport.unpark(thread);
        if (!join(settings.closeTimeoutNs())) {
            thread.interrupt();
            if (!join(settings.closeTimeoutNs())) {
                throw new IllegalStateException("runner " + settings.threadName() + " did not stop within "
                        + TimeUnit.NANOSECONDS.toMillis(settings.closeTimeoutNs()) + " ms");
            }
        }
    }

    /** Any thread: ends a sleep or block of the idle strategy early, for instance after queuing a command. */
    public void wake() {
        idleStrategy.wake();
        LockSupport.unpark(thread);
    }

    /** The counters, readable from any thread. */
    public RunnerStats stats() {
        return stats;
    }

    public Agent agent() {
        return agent;
    }

    public IdleStrategy idleStrategy() {
        return idleStrategy;
    }

    public RunnerSettings settings() {
        return settings;
    }

    /** Whether the thread is alive. */
    public boolean isRunning() {
        return thread.isAlive();
    }

    private boolean join(long timeoutNs) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + timeoutNs;
        try {
            while (true) {
                try {
                    return thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        startNs = clock.nanoTime();
        placeThread();
        boolean startedAgent = false;
        try {
            agent.onStart();
            startedAgent = true;
        } catch (Throwable t) {
            countError(t);
        }
        try {
            while (startedAgent && running) {
                cycle();
            }
        } finally {
            closeAgent();
        }
    }

    /**
     * One duty cycle: {@code doWork()}, counters, idle step, publish. Package-private so that
     * tests step a runner by hand with a manual clock.
     *
     * @return what {@code doWork()} returned, 0 when it threw
     */
    int cycle() {
        long before = clock.nanoTime();
        int workCount = 0;
        boolean failed = false;
        try {
            workCount = agent.doWork();
        } catch (Throwable t) {
            failed = true;
            countError(t);
        }
        long after = clock.nanoTime();
        idleStrategy.idle(workCount);
        stats.recordCycle(workCount, after - before, failed, idleStrategy.sleeps(), idleStrategy.sleptNs(),
                after - startNs);
        return workCount;
    }

    private void placeThread() {
        BitSet cpus = settings.cpus();
        try {
            if (cpus != null) {
                CpuAffinity.set(cpus);
            }
            if (settings.timerSlackNs() != RunnerSettings.KEEP_TIMER_SLACK) {
                Prctl.setTimerSlackNs(settings.timerSlackNs());
            }
        } catch (RuntimeException e) {
            // A runner that cannot be pinned still forwards packets; the error is counted and reported.
            countError(e);
        }
    }

    private void closeAgent() {
        try {
            agent.onClose();
        } catch (Throwable t) {
            countError(t);
        }
        stats.recordTime(idleStrategy.sleeps(), idleStrategy.sleptNs(), clock.nanoTime() - startNs);
    }

    private void countError(Throwable error) {
        stats.recordError();
        try {
            errorHandler.onError(error);
        } catch (Throwable ignored) {
            // The handler's own failure must not end the loop; the original error is counted.
        }
        if (error instanceof VirtualMachineError) {
            running = false;
        }
    }
}
