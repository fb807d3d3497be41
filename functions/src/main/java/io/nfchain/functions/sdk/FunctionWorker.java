package io.nfchain.functions.sdk;

import io.nfchain.core.memif.ClientQueuePair;
import io.nfchain.core.memif.MemifClient;
import io.nfchain.core.memif.MemifWakeupSource;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.runtime.Agent;
import io.nfchain.core.runtime.NanoClock;
import java.util.Arrays;
import java.util.List;

/**
 * Not thread-safe: run by one {@code AgentRunner}. The poll loop of a network function: one
 * memif client link per output (link {@code k} is output {@code k}), receive a burst from each
 * connected link, let the function process it, transmit every packet on the output it chose,
 * count the rest by reason. The links reconnect by themselves when the agent restarts.
 *
 * <p>Control sockets cost a system call per look, so a loop with traffic looks at them once every
 * {@value #CONTROL_EVERY} rounds, and one without traffic at most once per
 * {@value #IDLE_CONTROL_INTERVAL_NS} ns: a busy-polling function would otherwise make millions of
 * {@code recvmsg} calls a second that find nothing.
 *
 * @param <C> the function's counters
 */
public final class FunctionWorker<C extends Enum<C> & FunctionCounter> implements Agent, AutoCloseable {
    static final int CONTROL_EVERY = 64;
    static final long IDLE_CONTROL_INTERVAL_NS = 200_000;

    private final NetworkFunction<C> function;
    private final TransmitObserver observer;
    private final MemifClient[] links;
    private final NanoClock clock;
    private final PacketBurst burst;
    private final PacketVector<C> vector;
    private final int[] frames;
    private final CounterSet<C> counters;
    private final CounterSet<WorkerCounter> workerCounters = new CounterSet<>(WorkerCounter.class);
    private int round;
    private long lastControlNs = Long.MIN_VALUE / 2;
    private boolean closed;
    private MemifWakeupSource wakeupSource;
    private final long[] connectsSeen;
    private final int[] controlFdSeen;

    /**
     * @param links one client per output of {@code function}, not yet started
     * @param burstSize packets per receive burst, 1 .. 256
     * @param headroomBytes room in front of each packet for headers the function prepends
     */
    public FunctionWorker(NetworkFunction<C> function, List<MemifClient> links, NanoClock clock, int burstSize,
            int headroomBytes) {
        if (links.size() != function.outputs().size()) {
            throw new IllegalArgumentException(function.name() + " has outputs " + function.outputs() + " but "
                    + links.size() + " links were given");
        }
        this.function = function;
        this.observer = function instanceof TransmitObserver o ? o : null;
        this.links = links.toArray(MemifClient[]::new);
        this.clock = clock;
        this.burst = new PacketBurst(burstSize, 9216, headroomBytes);
        this.counters = new CounterSet<>(function.counterType());
        this.vector = new PacketVector<>(burst, counters, this.links.length);
        this.frames = new int[burstSize];
        this.connectsSeen = new long[this.links.length];
        this.controlFdSeen = new int[this.links.length];
    }

    @Override
    public String roleName() {
        return function.name() + "-worker";
    }

    @Override
    public void onStart() {
        for (MemifClient link : links) {
            link.start();
        }
    }

    @Override
    public int doWork() {
        int packets = 0;
        for (int k = 0; k < links.length; k++) {
            MemifClient link = links[k];
            if (link.isConnected()) {
                packets += receiveAndProcess(link, k);
            }
        }
        int control = 0;
        if (++round == CONTROL_EVERY || (packets == 0 && controlDue())) {
            round = 0;
            lastControlNs = clock.nanoTime();
            for (MemifClient link : links) {
                control += link.doWork();
            }
            if (wakeupSource != null) {
                watchLinks();
            }
        }
        return packets + control;
    }

    private boolean controlDue() {
        return clock.nanoTime() - lastControlNs >= IDLE_CONTROL_INTERVAL_NS;
    }

    /**
     * Lets an {@code interrupt} idle strategy block on this worker's links: the worker keeps
     * {@code source} watching the receive queue and control socket of every link as they
     * connect and disconnect. Poll thread (or before start).
     */
    public void attach(MemifWakeupSource source) {
        this.wakeupSource = source;
        Arrays.fill(controlFdSeen, Integer.MIN_VALUE); // forces the first watch
    }

    /**
     * Re-watches after any link connected or changed its control socket (a disconnect closes
     * the socket, so it shows as a changed fd).
     */
    private void watchLinks() {
        boolean changed = false;
        for (int k = 0; k < links.length; k++) {
            long connects = links[k].connects();
            int controlFd = links[k].controlFd();
            if (connects != connectsSeen[k] || controlFd != controlFdSeen[k]) {
                connectsSeen[k] = connects;
                controlFdSeen[k] = controlFd;
                changed = true;
            }
        }
        if (!changed) {
            return;
        }
        wakeupSource.clear();
        for (MemifClient link : links) {
            if (link.isConnected()) {
                wakeupSource.watch(link.queuePair(0));
            }
            if (link.controlFd() >= 0) {
                wakeupSource.watchReadable(link.controlFd());
            }
        }
    }

    /**
     * Receives in place when the link was configured so (the frames stay in the link's buffers,
     * and those sent back on the same link go without a copy; see
     * {@link ClientQueuePair#rxBurstInPlace}), and gives the buffers back after the transmits.
     *
     * <p>Receives no more than the same link can take back. In a chain, a hop's packets return on
     * the link they came in on; when the agent stops draining it (the hop after is full), the
     * function stops taking packets and idles, leaving the core to the hop that is behind,
     * instead of processing packets only to drop them as {@code TX_RING_FULL}. Other outputs
     * hold nothing back: a peer that stops reading one of them must not stall the others, so
     * what does not fit there is dropped and counted as before.
     */
    private int receiveAndProcess(MemifClient link, int input) {
        ClientQueuePair queue = link.queuePair(0);
        int room = queue.transmitRoom();
        if (room == 0) {
            return 0;
        }
        int n = queue.rxBurstInPlace(burst, room);
        if (n == 0) {
            return 0;
        }
        workerCounters.increment(WorkerCounter.BURSTS);
        try {
            vector.begin(clock.nanoTime(), input);
            function.process(vector);
            for (int output = 0; output < links.length; output++) {
                transmit(output);
            }
        } finally { // a function that throws loses its burst, not the link: the buffers go back
            queue.releaseReceived();
        }
        return n;
    }

    private void transmit(int output) {
        int k = vector.gather(output, frames);
        if (k == 0) {
            return;
        }
        MemifClient link = links[output];
        if (!link.isConnected()) {
            workerCounters.add(WorkerCounter.OUTPUT_DOWN, k);
            return;
        }
        ClientQueuePair queue = link.queuePair(0);
        if (observer != null) {
            observer.beforeTransmit(output, queue, frames, k);
        }
        int sent = queue.txBurst(burst, frames, k);
        if (observer != null) {
            observer.afterTransmit(output, queue, frames, k);
        }
        if (sent < k) {
            workerCounters.add(WorkerCounter.TX_RING_FULL, k - sent);
        }
    }

    /** The function's counters: read from any thread. */
    public CounterSet<C> counters() {
        return counters;
    }

    public CounterSet<WorkerCounter> workerCounters() {
        return workerCounters;
    }

    public NetworkFunction<C> function() {
        return function;
    }

    /** Link {@code k}: for its state and queue counters. Poll thread only while running. */
    public MemifClient link(int k) {
        return links[k];
    }

    @Override
    public void onClose() {
        close();
    }

    /** Disconnects every link and frees the burst. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (MemifClient link : links) {
            link.close();
        }
        burst.close();
    }
}
