package io.nfchain.bench.idle;

import io.nfchain.core.memif.ClientQueuePair;
import io.nfchain.core.memif.MemifClient;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.os.CpuAffinity;
import io.nfchain.core.os.Prctl;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The idle bench's sending process: a memif client whose one sending thread, pinned to its
 * own CPU, offers 64-byte {@link BenchFrameLayout} frames at the rate it is told, each stamped
 * with {@code System.nanoTime()} just before the burst that carries it is published.
 *
 * <p>Rates ({@code RATE fps=F} on standard input, answered {@code OK}):
 * <ul>
 *   <li>{@code F = 0}: sends nothing; the thread is parked.
 *   <li>{@code F > 0}: paced by a {@link Pacer}: every frame due is sent at once, so bursts
 *       are single frames at low rates and grow to 32 when the rate or a delay asks for it. A
 *       frame the ring has no room for is dropped (its sequence number is skipped), as a NIC
 *       drops when its queue is full: the receiver sees the gap.
 *   <li>{@code F < 0}: unpaced: bursts of 32 as fast as the ring takes them, nothing dropped.
 *       This is the link's maximum rate, "100% load".
 * </ul>
 * {@code COUNT} answers the totals (offered, sent, dropped, the sending thread's CPU and
 * run-queue wait); {@code QUIT} ends. Usage: {@code IdleSender SOCKET_PATH CPU NICE} (CPU -1:
 * unpinned; NICE 0: as inherited).
 */
public final class IdleSender {
    private static final int BURST = 32;
    private static final long CONNECT_DEADLINE_NS = TimeUnit.SECONDS.toNanos(30);
    /** Waits longer than this park (less the margin, which covers a late wake-up); shorter ones spin. */
    private static final long PARK_THRESHOLD_NS = 200_000;
    private static final long PARK_MARGIN_NS = 100_000;
    private static final int CONTROL_CHECK_MASK = 1023;
    private static final long CONTROL_PERIOD_NS = 100_000_000;

    private final MemifClient client;
    private final ClientQueuePair tx;
    private final BitSet cpus = new BitSet();
    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile double framesPerSecond;
    private volatile long generation;
    private volatile boolean running = true;
    private volatile Path taskDir;
    private volatile long javaThreadId;
    private Thread thread;
    private long sequence;
    private long iterations;
    private long lastControlNs;

    private final int nice;

    private IdleSender(MemifClient client, int cpu, int nice) {
        this.client = client;
        this.nice = nice;
        this.tx = client.queuePair(0);
        if (cpu >= 0) {
            cpus.set(cpu);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: IdleSender SOCKET_PATH CPU NICE");
            System.exit(2);
        }
        int nice = Integer.parseInt(args[2]);
        String autogroup = nice == 0 ? "inherited" : SchedulingPriority.ownAutogroup(nice);
        if (nice != 0) {
            // The control thread sleeps on standard input; raised, it answers the driver at once
            // instead of waiting behind the other session's work.
            SchedulingPriority.setThreadNice(nice);
        }
        MemifClient client = MemifClient.create(MemifClient.Config.of(Path.of(args[0])).withRings(1, 10));
        client.connect();
        long deadline = System.nanoTime() + CONNECT_DEADLINE_NS;
        while (!client.isConnected()) {
            client.doWork();
            if (!client.isActive() || System.nanoTime() > deadline) {
                reply("ERROR no connection: " + client.lastError() + " " + client.peerDisconnectText());
                System.exit(3);
            }
            LockSupport.parkNanos(100_000);
        }
        reply(ControlLine.of("CONNECTED").with("autogroup", autogroup.replace(' ', '_')).format());
        new IdleSender(client, Integer.parseInt(args[1]), nice).serve();
    }

    private void serve() throws Exception {
        thread = Thread.ofPlatform().name("idle-tx").start(this::sendLoop);
        while (javaThreadId == 0) {
            LockSupport.parkNanos(100_000);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            try {
                ControlLine command = ControlLine.parse(line);
                switch (command.word()) {
                    case "RATE" -> {
                        framesPerSecond = command.doubleValue("fps");
                        generation++;
                        LockSupport.unpark(thread);
                        reply(ControlLine.of("OK").format());
                    }
                    case "COUNT" -> {
                        ProcStat.SchedStat sched = ProcStat.readSchedStat(taskDir);
                        reply(ControlLine.of("COUNT").with("wall_ns", System.nanoTime())
                                .with("offered", offered.get()).with("sent", sent.get()).with("dropped", dropped.get())
                                .with("cpu_ns", threads.getThreadCpuTime(javaThreadId))
                                .with("wait_ns", sched.waitNs()).format());
                    }
                    case "QUIT" -> {
                        quit();
                        reply(ControlLine.of("BYE").format());
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown command " + command.word());
                }
            } catch (RuntimeException e) {
                reply("ERROR " + e.getMessage());
            }
        }
        quit();
    }

    private void quit() throws InterruptedException {
        running = false;
        generation++;
        LockSupport.unpark(thread);
        thread.join();
        client.close();
    }

    private void sendLoop() {
        if (!cpus.isEmpty()) {
            CpuAffinity.set(cpus);
        }
        Prctl.setTimerSlackNs(1_000);
        if (nice != 0) {
            try {
                SchedulingPriority.setThreadNice(nice);
            } catch (RuntimeException e) {
                System.err.println("idle sender: " + e.getMessage());
                System.exit(5);
            }
        }
        taskDir = ProcStat.currentTaskDir();
        javaThreadId = Thread.currentThread().threadId();
        try (PacketBurst burst = new PacketBurst(BURST, BenchFrameLayout.FRAME_BYTES)) {
            for (int i = 0; i < BURST; i++) {
                BenchFrameLayout.writeHeader(burst.data(), burst.offset(i));
                burst.setLength(i, BenchFrameLayout.FRAME_BYTES);
            }
            while (running) {
                long phase = generation;
                double rate = framesPerSecond;
                if (rate == 0) {
                    while (generation == phase) {
                        LockSupport.park();
                    }
                } else if (rate < 0) {
                    sendUnpaced(burst, phase);
                } else {
                    sendPaced(burst, phase, new Pacer(rate, System.nanoTime()));
                }
            }
        }
    }

    private void sendUnpaced(PacketBurst burst, long phase) {
        while (generation == phase) {
            int accepted = send(burst, BURST);
            sequence += accepted; // the rest are rewritten with the next numbers: nothing is dropped
            offered.setRelease(offered.getPlain() + accepted);
            if (accepted == 0) {
                Thread.onSpinWait();
            }
            serviceControl();
        }
    }

    private void sendPaced(PacketBurst burst, long phase, Pacer pacer) {
        while (generation == phase) {
            long now = System.nanoTime();
            int due = pacer.due(now, BURST);
            if (due == 0) {
                long waitNs = pacer.nextDueNs() - now;
                if (waitNs > PARK_THRESHOLD_NS) {
                    LockSupport.parkNanos(waitNs - PARK_MARGIN_NS);
                } else {
                    Thread.onSpinWait();
                }
                serviceControl();
                continue;
            }
            int accepted = send(burst, due);
            sequence += due;
            pacer.offered(due);
            offered.setRelease(offered.getPlain() + due);
            if (accepted < due) {
                dropped.setRelease(dropped.getPlain() + due - accepted);
            }
            serviceControl();
        }
    }

    /**
     * Numbers {@code count} frames from {@link #sequence}, stamps them with the time as late as
     * the burst API allows (the copy into the ring follows: a few ns a frame), and offers them.
     *
     * @return how many the ring took
     */
    private int send(PacketBurst burst, int count) {
        var data = burst.data();
        long next = sequence;
        for (int i = 0; i < count; i++) {
            BenchFrameLayout.writeSequence(data, burst.offset(i), next + i);
        }
        long nowNs = System.nanoTime();
        for (int i = 0; i < count; i++) {
            BenchFrameLayout.writeSentNs(data, burst.offset(i), nowNs);
        }
        burst.setCount(count);
        int accepted = tx.txBurst(burst);
        sent.setRelease(sent.getPlain() + accepted);
        return accepted;
    }

    private void serviceControl() {
        if ((++iterations & CONTROL_CHECK_MASK) != 0) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastControlNs >= CONTROL_PERIOD_NS) {
            lastControlNs = now;
            client.doWork();
            if (!client.isConnected()) {
                System.err.println("idle sender: the receiver disconnected: " + client.lastError());
                System.exit(4);
            }
        }
    }

    private static void reply(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
