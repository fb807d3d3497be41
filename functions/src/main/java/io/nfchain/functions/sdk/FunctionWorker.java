package io.nfchain.functions.sdk;

import io.nfchain.core.memif.ClientQueuePair;
import io.nfchain.core.memif.MemifClient;
import io.nfchain.core.memif.MemifWakeupSource;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.runtime.Agent;
import io.nfchain.core.runtime.NanoClock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Not thread-safe: run by one {@code AgentRunner}. The poll loop of a network function: one
 * memif client link per output (link {@code k} is output {@code k}), receive a burst from each
 * connected link, let the function process it, transmit every packet on the output it chose,
 * count the rest by reason. The links reconnect by themselves when the agent restarts.
 *
 * <p>A worker may run several functions as the stages of one pipeline (VPP's graph in one
 * process): each stage but the last has one output, which is the next stage; the last stage's
 * outputs are the links. The next stage gets a {@link PacketVector#stageView view} of the
 * packets the stage before sent on, with its own counters; the burst is transmitted once, after
 * the last stage. Only the last stage may be a {@link TransmitObserver}.
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
    private final Stage<?>[] later;
    private final List<NetworkFunction<?>> stages;
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
        this(function, List.of(), links, clock, burstSize, headroomBytes);
    }

    /**
     * A pipeline: {@code first}, then each of {@code later} in order, in one poll loop.
     *
     * @param later the stages after {@code first}; empty for a worker of one function
     * @param links one client per output of the last stage, not yet started
     */
    public FunctionWorker(NetworkFunction<C> first, List<? extends NetworkFunction<?>> later, List<MemifClient> links,
            NanoClock clock, int burstSize, int headroomBytes) {
        List<NetworkFunction<?>> all = new ArrayList<>();
        all.add(first);
        all.addAll(later);
        NetworkFunction<?> last = all.getLast();
        for (NetworkFunction<?> stage : all) {
            if (stage != last && stage.outputs().size() != 1) {
                throw new IllegalArgumentException(stage.name() + " has outputs " + stage.outputs()
                        + ": a stage before the last of a pipeline has one output, the next stage");
            }
            if (stage != last && stage instanceof TransmitObserver) {
                throw new IllegalArgumentException(stage.name() + " observes transmits, so it must be a pipeline's last stage");
            }
        }
        if (links.size() != last.outputs().size()) {
            throw new IllegalArgumentException(last.name() + " has outputs " + last.outputs() + " but "
                    + links.size() + " links were given");
        }
        this.function = first;
        this.stages = List.copyOf(all);
        this.observer = last instanceof TransmitObserver o ? o : null;
        this.links = links.toArray(MemifClient[]::new);
        this.clock = clock;
        this.burst = new PacketBurst(burstSize, 9216, headroomBytes);
        this.counters = new CounterSet<>(first.counterType());
        this.vector = new PacketVector<>(burst, counters, later.isEmpty() ? this.links.length : 1);
        this.later = new Stage<?>[later.size()];
        for (int k = 0; k < later.size(); k++) {
            this.later[k] = Stage.of(later.get(k), vector, k == later.size() - 1 ? this.links.length : 1);
        }
        this.frames = new int[burstSize];
        this.connectsSeen = new long[this.links.length];
        this.controlFdSeen = new int[this.links.length];
    }

    /** A later stage of a pipeline: the function and its view of the burst. */
    private record Stage<D extends Enum<D> & FunctionCounter>(NetworkFunction<D> function, PacketVector<D> view) {
        static <D extends Enum<D> & FunctionCounter> Stage<D> of(NetworkFunction<D> function, PacketVector<?> whole,
                int outputs) {
            return new Stage<>(function, PacketVector.stageView(whole, new CounterSet<>(function.counterType()), outputs));
        }

        /** Takes what the stage before sent on, and processes it if there is any. */
        void run(PacketVector<?> previous) {
            view.selectFrom(previous);
            if (view.count() > 0) {
                function.process(view);
            }
        }
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
            PacketVector<?> last = vector;
            for (Stage<?> stage : later) {
                stage.run(last);
                last = stage.view();
            }
            for (int output = 0; output < links.length; output++) {
                transmit(last, output);
            }
        } finally { // a function that throws loses its burst, not the link: the buffers go back
            queue.releaseReceived();
        }
        return n;
    }

    private void transmit(PacketVector<?> last, int output) {
        int k = last.gather(output, frames);
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

    /** The (first) function's counters: read from any thread. */
    public CounterSet<C> counters() {
        return counters;
    }

    /** Stage {@code k}'s counters (0 is {@link #counters()}): read from any thread. */
    public CounterSet<?> counters(int k) {
        return k == 0 ? counters : later[k - 1].view().counters();
    }

    /** Every function this worker runs, in pipeline order: one unless it is a pipeline. */
    public List<NetworkFunction<?>> stages() {
        return stages;
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
