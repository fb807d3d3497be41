package io.nfchain.bench.idle;

import io.nfchain.core.memif.MemifServer;
import io.nfchain.core.memif.MemifWakeupSource;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.runtime.AgentRunner;
import io.nfchain.core.runtime.ErrorHandler;
import io.nfchain.core.runtime.IdleConfig;
import io.nfchain.core.runtime.IdleStrategies;
import io.nfchain.core.runtime.IdleStrategy;
import io.nfchain.core.runtime.InterruptIdleStrategy;
import io.nfchain.core.runtime.NanoClock;
import io.nfchain.core.runtime.RunnerSettings;
import io.nfchain.core.runtime.RunnerStats;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The idle bench's receiving process: a memif server whose one queue is polled by a
 * {@link LatencyAgent} under an {@link AgentRunner} with the idle strategy being measured,
 * pinned to one CPU, timer slack 1 µs. Driven over standard input, one command a line,
 * answered on standard output ({@link ControlLine}):
 * <ul>
 *   <li>{@code RUN strategy=SPEC}: stops the current runner, starts one with {@link StrategySpec} SPEC;
 *   <li>{@code BEGIN}: starts a measurement window; {@code END}: ends it and answers {@code RESULT ...}
 *       with the window's frames, latency histogram, the poll thread's CPU and scheduler figures,
 *       the runner's counters, and the whole machine's CPU use;
 *   <li>{@code WINDOW warmup_ms=W measure_ms=M}: waits W, then BEGIN, waits M, then END: the
 *       window timed here, on a raised thread, not by the driver, whose wake-ups wait behind
 *       the measured threads;
 *   <li>{@code STOP}, {@code QUIT}.
 * </ul>
 * Usage: {@code IdleReceiver SOCKET_PATH CPU NICE} (CPU -1: unpinned; NICE 0: as inherited). Prints {@code LISTENING},
 * then {@code CONNECTED} once the sender has joined. Errors answer {@code ERROR text}.
 */
public final class IdleReceiver {
    private static final long CONNECT_DEADLINE_NS = TimeUnit.SECONDS.toNanos(30);
    private static final long COMMAND_DEADLINE_NS = TimeUnit.SECONDS.toNanos(10);
    /** The longest park between checks; the poll thread unparks the waiter before that. */
    private static final long WAIT_SLICE_NS = TimeUnit.MILLISECONDS.toNanos(10);

    private final MemifServer server;
    private final LatencyAgent agent;
    private final BitSet cpus;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private AgentRunner runner;
    private MemifWakeupSource wakeupSource;
    private Sample begin;

    /** What is read at both ends of a window, outside the poll thread. */
    private record Sample(long wallNs, long cpuNs, ProcStat.CpuTicks ticks, ProcStat.SchedStat sched,
            ProcStat.CpuTicks processTicks, ProcStat.MachineTicks machine, RunnerStats.Snapshot stats) {}

    private IdleReceiver(MemifServer server, LatencyAgent agent, int cpu) {
        this.server = server;
        this.agent = agent;
        this.cpus = new BitSet();
        if (cpu >= 0) {
            cpus.set(cpu);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: IdleReceiver SOCKET_PATH CPU NICE");
            System.exit(2);
        }
        int cpu = Integer.parseInt(args[1]);
        int nice = Integer.parseInt(args[2]);
        String autogroup = nice == 0 ? "inherited" : SchedulingPriority.ownAutogroup(nice);
        if (nice != 0) {
            // The control thread sleeps on standard input; raised, it answers the driver at once
            // instead of waiting behind the other session's work.
            SchedulingPriority.setThreadNice(nice);
        }
        try (MemifServer server = MemifServer.listen(MemifServer.Config.of(Path.of(args[0])));
                PacketBurst burst = new PacketBurst(32, 2048)) {
            reply(ControlLine.of("LISTENING").with("autogroup", autogroup.replace(' ', '_')));
            long deadline = System.nanoTime() + CONNECT_DEADLINE_NS;
            while (!server.isConnected()) {
                server.doWork();
                if (System.nanoTime() > deadline) {
                    reply("ERROR no sender connected within 30 s");
                    System.exit(3);
                }
                LockSupport.parkNanos(1_000_000);
            }
            reply(ControlLine.of("CONNECTED"));
            new IdleReceiver(server, new LatencyAgent(server, burst, nice), cpu).serve();
        }
    }

    private void serve() throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            try {
                ControlLine command = ControlLine.parse(line);
                switch (command.word()) {
                    case "RUN" -> reply(run(StrategySpec.parse(command.text("strategy"))));
                    case "BEGIN" -> reply(beginWindow());
                    case "END" -> reply(endWindow());
                    case "WINDOW" -> reply(window(command.longValue("warmup_ms"), command.longValue("measure_ms")));
                    case "STOP" -> {
                        stop();
                        reply(ControlLine.of("STOPPED"));
                    }
                    case "QUIT" -> {
                        stop();
                        reply(ControlLine.of("BYE"));
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown command " + command.word());
                }
            } catch (RuntimeException e) {
                reply("ERROR " + e.getMessage());
            }
        }
        stop();
    }


    private ControlLine run(StrategySpec spec) {
        stop();
        IdleConfig config = spec.apply(IdleConfig.defaults());
        if (spec.name().equals(InterruptIdleStrategy.NAME)) {
            wakeupSource = new MemifWakeupSource(1);
            wakeupSource.watch(server.queuePair(0));
            config = config.withWakeupSource(wakeupSource);
        }
        IdleStrategy idle = IdleStrategies.create(spec.name(), config);
        MemifWakeupSource source = wakeupSource;
        agent.countKicksWith(source == null ? () -> 0 : source::interruptsReceived);
        agent.javaThreadId = 0;
        agent.starter = Thread.currentThread();
        runner = new AgentRunner(agent, idle, ErrorHandler.STDERR, NanoClock.SYSTEM,
                RunnerSettings.named("idle-rx").withCpus(cpus.isEmpty() ? null : cpus));
        runner.start();
        long deadline = System.nanoTime() + COMMAND_DEADLINE_NS;
        while (agent.javaThreadId == 0) { // onStart unparks us: no polling wake-ups beside the measured thread
            requireBefore(deadline, "the runner to start");
            LockSupport.parkNanos(WAIT_SLICE_NS);
        }
        return ControlLine.of("RUNNING").with("strategy", spec.label()).with("errors", runner.stats().errors());
    }

    private ControlLine window(long warmupMs, long measureMs) throws InterruptedException {
        if (warmupMs < 0 || measureMs <= 0) {
            throw new IllegalArgumentException("WINDOW needs warmup_ms >= 0 and measure_ms > 0");
        }
        Thread.sleep(warmupMs);
        beginWindow();
        Thread.sleep(measureMs);
        return endWindow();
    }

    private ControlLine beginWindow() {
        command(agent::beginWindow);
        begin = sample();
        return ControlLine.of("BEGUN");
    }

    private ControlLine endWindow() {
        if (begin == null) {
            throw new IllegalStateException("END without BEGIN");
        }
        Sample end = sample();
        command(agent::endWindow);
        Sample b = begin;
        begin = null;
        RunnerStats.Snapshot stats = end.stats().minus(b.stats());
        ProcStat.MachineTicks machine = end.machine().minus(b.machine());
        ProcStat.SchedStat sched = end.sched().minus(b.sched());
        return ControlLine.of("RESULT")
                .with("wall_ns", end.wallNs() - b.wallNs())
                .with("frames", agent.windowFrames)
                .with("gaps", agent.windowGaps)
                .with("reordered", agent.windowReordered)
                .with("malformed", agent.windowMalformed)
                .with("cpu_ns", end.cpuNs() - b.cpuNs())
                .with("user_ticks", end.ticks().userTicks() - b.ticks().userTicks())
                .with("system_ticks", end.ticks().systemTicks() - b.ticks().systemTicks())
                .with("run_ns", sched.runNs())
                .with("wait_ns", sched.waitNs())
                .with("switches", sched.timeslices())
                .with("process_ticks", end.processTicks().totalTicks() - b.processTicks().totalTicks())
                .with("machine_ticks", machine.totalTicks())
                .with("machine_busy_ticks", machine.busyTicks())
                .with("machine_steal_ticks", machine.stealTicks())
                .with("loops", stats.loops())
                .with("busy_loops", stats.busyLoops())
                .with("empty_polls", stats.emptyPolls())
                .with("work_items", stats.workItems())
                .with("busy_ns", stats.busyNs())
                .with("sleeps", stats.sleeps())
                .with("slept_ns", stats.sleptNs())
                .with("errors", stats.errors())
                .with("kicks", agent.windowKicks)
                .with("disconnected", agent.disconnected)
                .with("histogram", agent.window.encode());
    }

    private Sample sample() {
        Path task = agent.taskDir;
        return new Sample(System.nanoTime(), threads.getThreadCpuTime(agent.javaThreadId), ProcStat.readTaskStat(task),
                ProcStat.readSchedStat(task), ProcStat.readTaskStat(Path.of("/proc/self")), ProcStat.readMachine(),
                runner.stats().snapshot());
    }

    /** Runs {@code command} on the poll thread and waits until it ran. */
    private void command(Runnable command) {
        if (runner == null) {
            throw new IllegalStateException("no runner: RUN first");
        }
        long before = agent.acknowledged();
        Thread waiter = Thread.currentThread();
        if (!agent.commands.offer(() -> {
            command.run();
            LockSupport.unpark(waiter);
        })) {
            throw new IllegalStateException("the agent's command queue is full");
        }
        runner.wake();
        long deadline = System.nanoTime() + COMMAND_DEADLINE_NS;
        while (agent.acknowledged() == before) {
            requireBefore(deadline, "the poll thread to run a command");
            LockSupport.parkNanos(WAIT_SLICE_NS);
        }
    }

    private void stop() {
        if (runner != null) {
            runner.close();
            runner = null;
        }
        if (wakeupSource != null) {
            wakeupSource.close();
            wakeupSource = null;
        }
        begin = null;
    }

    private static void requireBefore(long deadlineNs, String what) {
        if (System.nanoTime() > deadlineNs) {
            throw new IllegalStateException("timed out waiting for " + what);
        }
    }

    private static void reply(ControlLine line) {
        reply(line.format());
    }

    private static void reply(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
