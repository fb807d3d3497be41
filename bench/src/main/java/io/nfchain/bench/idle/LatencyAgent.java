package io.nfchain.bench.idle;

import io.nfchain.core.memif.MemifServer;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.memif.ServerQueuePair;
import io.nfchain.core.runtime.Agent;
import io.nfchain.core.runtime.ManyToOneCommandQueue;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Runner thread only, except {@link #commands} and the fields read after a command's
 * acknowledgement. The poll loop under test: receives bursts from one memif queue and records
 * each frame's one-way latency (the sender's {@code System.nanoTime()} in the frame to the
 * receiver's after the burst) into a histogram, and checks the sequence for gaps.
 *
 * <p>A measurement window starts and ends by commands through the agent's queue, so the
 * histogram keeps one writer: {@link #beginWindow} clears it, {@link #endWindow} copies it
 * and the counters for the control thread. Nothing here allocates per frame or per cycle.
 */
final class LatencyAgent implements Agent {
    private static final int CONTROL_CHECK_MASK = 1023;
    private static final long CONTROL_PERIOD_NS = 100_000_000;

    private final MemifServer server;
    private final ServerQueuePair rx;
    private final PacketBurst burst;
    private final LatencyHistogram histogram = new LatencyHistogram();
    final ManyToOneCommandQueue<Runnable> commands = new ManyToOneCommandQueue<>(8);
    private final Consumer<Runnable> runCommand = Runnable::run;
    private long expectedSequence = -1;
    private long frames;
    private long gaps;
    private long reordered;
    private long malformed;
    private long cycles;
    private long lastControlNs;

    /** The window copied by {@link #endWindow}: read by the control thread after the acknowledgement. */
    final LatencyHistogram window = new LatencyHistogram();
    long windowFrames;
    long windowGaps;
    long windowReordered;
    long windowMalformed;
    /** The idle strategy's wake-ups by a peer's kick, read on the runner thread: the source is not thread-safe. */
    private LongSupplier kicks = () -> 0;
    private long kicksAtBegin;
    long windowKicks;
    private volatile long acknowledged;
    volatile long javaThreadId;
    volatile Path taskDir;
    volatile boolean disconnected;
    /** A thread waiting for {@link #onStart}, unparked once it ran; set before the runner starts. */
    volatile Thread starter;

    private final int nice;

    /** @param nice the poll thread's nice value, -20..19; 0 leaves it as inherited */
    LatencyAgent(MemifServer server, PacketBurst burst, int nice) {
        this.nice = nice;
        this.server = server;
        this.rx = server.queuePair(0);
        this.burst = burst;
    }

    @Override
    public void onStart() {
        if (nice != 0) {
            SchedulingPriority.setThreadNice(nice);
        }
        taskDir = ProcStat.currentTaskDir();
        javaThreadId = Thread.currentThread().threadId(); // last: the control thread waits for it
        Thread waiting = starter;
        if (waiting != null) {
            LockSupport.unpark(waiting);
        }
    }

    @Override
    public int doWork() {
        if (disconnected) {
            return drainCommands(); // the queue's memory is gone with the connection
        }
        int n = rx.rxBurst(burst);
        if (n > 0) {
            record(n, System.nanoTime());
        }
        drainCommands();
        if ((++cycles & CONTROL_CHECK_MASK) == 0) {
            serviceControl();
        }
        return n;
    }

    /** Commands are not counted as work: the runner's figures count frames only. */
    private int drainCommands() {
        if (!commands.isEmpty()) {
            commands.drain(runCommand, 1);
        }
        return 0;
    }

    private void record(int n, long nowNs) {
        MemorySegment data = burst.data();
        LatencyHistogram h = histogram;
        long expected = expectedSequence;
        for (int i = 0; i < n; i++) {
            long offset = burst.offset(i);
            if (burst.length(i) < BenchFrameLayout.MIN_BYTES) {
                malformed++;
                continue;
            }
            h.record(nowNs - BenchFrameLayout.sentNs(data, offset));
            long sequence = BenchFrameLayout.sequence(data, offset);
            if (expected >= 0 && sequence != expected) {
                if (sequence > expected) {
                    gaps += sequence - expected;
                } else {
                    reordered++;
                }
            }
            expected = sequence + 1;
        }
        expectedSequence = expected;
        frames += n;
    }

    /** The control socket costs two system calls: looked at every 1024 cycles, at most every 100 ms. */
    private void serviceControl() {
        long now = System.nanoTime();
        if (now - lastControlNs >= CONTROL_PERIOD_NS) {
            lastControlNs = now;
            server.doWork();
            if (!server.isConnected()) {
                disconnected = true;
            }
        }
    }

    /** Runner thread (a command): starts a window; the next frame restarts the sequence check. */
    void beginWindow() {
        histogram.clear();
        frames = 0;
        gaps = 0;
        reordered = 0;
        malformed = 0;
        expectedSequence = -1;
        kicksAtBegin = kicks.getAsLong();
        acknowledged++;
    }

    /** Runner thread (a command): copies the window for the control thread. */
    void endWindow() {
        window.copyFrom(histogram);
        windowFrames = frames;
        windowGaps = gaps;
        windowReordered = reordered;
        windowMalformed = malformed;
        windowKicks = kicks.getAsLong() - kicksAtBegin;
        acknowledged++;
    }

    /** Before a runner starts: where the strategy's wake-ups by a kick are counted (0 for strategies that never block). */
    void countKicksWith(LongSupplier counter) {
        kicks = counter;
    }

    /** How many commands ran: the control thread waits for this to move. */
    long acknowledged() {
        return acknowledged;
    }

    @Override
    public String roleName() {
        return "idle-rx";
    }
}
