package io.nfchain.agent.datapath;

import io.nfchain.agent.port.MemifPort;
import io.nfchain.agent.port.Port;
import io.nfchain.agent.port.SinkPort;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.packet.PacketParser;
import io.nfchain.core.packet.ParsedPacket;
import io.nfchain.core.runtime.Agent;
import io.nfchain.core.runtime.ManyToOneCommandQueue;
import io.nfchain.core.runtime.NanoClock;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Not thread-safe, except {@link #submit}, {@link #runningPlan} and {@link #pollDrained}, which
 * any thread may call. The poll loop of one datapath worker: it owns the ports and links of its
 * {@link Plan}, receives a burst from each ingress port, classifies it to chains, sends each
 * chain's packets to its first hop, and passes what each function gives back to the next hop or
 * the egress port.
 *
 * <p>Every {@value #CONTROL_EVERY} rounds, and after a round that found nothing at most once
 * per {@value #IDLE_CONTROL_INTERVAL_NS} ns (a look at a control socket is a system call), it does
 * control work: adopts a submitted plan, runs the ports' handshakes, and reroutes the chains
 * when a function's link went down or came back (so a dead NF is bypassed or fails closed
 * within a few rounds of its socket closing, and is re-admitted when it reconnects).
 *
 * <p>Copy mode: a frame is never shared between two processes. A function's output goes to the
 * next memif with one copy, ring to ring, and to a sink with none; other hand-offs stage the
 * burst in the worker and copy it into the next ring. Nothing here allocates or locks after
 * construction.
 */
public final class DatapathWorker implements Agent {
    static final int CONTROL_EVERY = 64;
    static final long IDLE_CONTROL_INTERVAL_NS = 200_000;
    private static final int[] IDENTITY = new int[PacketBurst.MAX_CAPACITY];

    static {
        for (int i = 0; i < IDENTITY.length; i++) {
            IDENTITY[i] = i;
        }
    }

    private final String role;
    private final NanoClock clock;
    private final long drainNs;
    private final PacketBurst burst;
    private final ParsedPacket parsed = new ParsedPacket();
    private final int[] chainOf;
    private final int[] frames;
    private final ManyToOneCommandQueue<Plan> submitted = new ManyToOneCommandQueue<>(64);
    private final ConcurrentLinkedQueue<MemifPort> drained = new ConcurrentLinkedQueue<>();
    private volatile Plan running = Plan.EMPTY;
    private Plan plan = Plan.EMPTY;
    private boolean[] linkUp = new boolean[0];
    private long[] linkConnects = new long[0];
    private long[] lastReturnNs = new long[0];
    private boolean[] reportedDrained = new boolean[0];
    private boolean[] egressUp = new boolean[0];
    private long rounds;
    private long lastControlNs = Long.MIN_VALUE / 2;
    private boolean idle = true;

    /**
     * @param burstSize frames per burst, 1 .. {@link PacketBurst#MAX_CAPACITY}
     * @param frameBytes the longest frame carried (9216 for jumbo frames)
     * @param drainNs how long a link taken out of its hop must return nothing before it is drained
     */
    public DatapathWorker(String role, NanoClock clock, int burstSize, int frameBytes, long drainNs) {
        this.role = role;
        this.clock = clock;
        this.drainNs = drainNs;
        this.burst = new PacketBurst(burstSize, frameBytes);
        this.chainOf = new int[burstSize];
        this.frames = new int[burstSize];
    }

    @Override
    public String roleName() {
        return role;
    }

    /** Any thread: the plan runs from the worker's next control round on. */
    public boolean submit(Plan next) {
        return submitted.offer(next);
    }

    /** Any thread: the plan the worker runs now. */
    public Plan runningPlan() {
        return running;
    }

    /** Any thread: a link a switch took out of its hop that has gone quiet, or null. */
    public MemifPort pollDrained() {
        return drained.poll();
    }

    @Override
    public int doWork() {
        long nowNs = clock.nanoTime();
        int work = 0;
        if ((++rounds & (CONTROL_EVERY - 1)) == 0 || (idle && nowNs - lastControlNs >= IDLE_CONTROL_INTERVAL_NS)) {
            lastControlNs = nowNs;
            work += control(nowNs);
        }
        Plan p = plan;
        Ingress[] ingresses = p.ingresses;
        for (int i = 0; i < ingresses.length; i++) {
            work += ingress(ingresses[i], nowNs);
        }
        LinkRoute[] links = p.links;
        for (int l = 0; l < links.length; l++) {
            work += fromLink(links[l], l, nowNs);
        }
        idle = work == 0;
        return work;
    }

    // ---- control ----------------------------------------------------------------------------------

    private int control(long nowNs) {
        int work = 0;
        Plan next = null;
        for (Plan p; (p = submitted.poll()) != null; ) {
            next = p;
        }
        if (next != null) {
            adopt(next, nowNs);
            work++;
        }
        Plan p = plan;
        for (Port port : p.ports) {
            work += port.doWork(nowNs);
        }
        boolean reroute = next != null;
        LinkRoute[] links = p.links;
        for (int l = 0; l < links.length; l++) {
            MemifPort port = links[l].port;
            boolean up = port.isUp();
            long connects = port.connects();
            if (up != linkUp[l] || connects != linkConnects[l]) {
                linkUp[l] = up;
                linkConnects[l] = connects;
                reroute = true;
            }
            if (links[l].draining && !reportedDrained[l] && nowNs - lastReturnNs[l] > drainNs) {
                reportedDrained[l] = true;
                drained.add(port);
            }
        }
        Chain[] chains = p.chains;
        for (int c = 0; c < chains.length; c++) {
            boolean up = chains[c].egress.isUp();
            if (up != egressUp[c]) {
                egressUp[c] = up;
                reroute = true;
            }
        }
        if (reroute) {
            for (Chain chain : chains) {
                chain.route();
            }
        }
        return work;
    }

    private void adopt(Plan next, long nowNs) {
        plan = next;
        int links = next.links.length;
        linkUp = new boolean[links];
        linkConnects = new long[links];
        lastReturnNs = new long[links];
        reportedDrained = new boolean[links];
        java.util.Arrays.fill(lastReturnNs, nowNs);
        for (int l = 0; l < links; l++) {
            linkUp[l] = next.links[l].port.isUp();
            linkConnects[l] = next.links[l].port.connects();
        }
        egressUp = new boolean[next.chains.length];
        for (int c = 0; c < next.chains.length; c++) {
            egressUp[c] = next.chains[c].egress.isUp();
        }
        running = next;
    }

    // ---- packets ----------------------------------------------------------------------------------

    private int ingress(Ingress in, long nowNs) {
        PacketBurst received = in.port.receiveBurst(burst);
        int n = in.port.rxBurst(received, nowNs);
        if (n == 0) {
            return 0;
        }
        Chain[] chains = in.chains;
        if (chains.length == 0) {
            in.counters.add(Ingress.NO_CHAIN, n);
            return n;
        }
        if (in.firstMatchesAll) {
            chains[0].counters.add(Chain.RECEIVED, n);
            send(chains[0], 0, received, IDENTITY, n);
            return n;
        }
        classify(in, received, n);
        for (int c = 0; c < chains.length; c++) {
            int count = 0;
            for (int i = 0; i < n; i++) {
                if (chainOf[i] == c) {
                    frames[count++] = i;
                }
            }
            if (count > 0) {
                chains[c].counters.add(Chain.RECEIVED, count);
                send(chains[c], 0, received, frames, count);
            }
        }
        return n;
    }

    private void classify(Ingress in, PacketBurst burst, int n) {
        Chain[] chains = in.chains;
        int unmatched = 0;
        for (int i = 0; i < n; i++) {
            PacketParser.parse(burst.data(), burst.offset(i), burst.length(i), parsed);
            int match = -1;
            for (int c = 0; c < chains.length; c++) {
                if (chains[c].matcher.matches(parsed)) {
                    match = c;
                    break;
                }
            }
            chainOf[i] = match;
            if (match < 0) {
                unmatched++;
            }
        }
        in.counters.add(Ingress.NO_CHAIN, unmatched);
    }

    /**
     * Reads no more from the link than the next port can take: the function behind it sees its
     * transmit ring fill and stops taking packets, so a hop that cannot keep up holds back the
     * hops before it and the chain drops at its ingress, before any function spent work on those
     * packets. A draining link is read in full, so that it empties.
     */
    private int fromLink(LinkRoute route, int l, long nowNs) {
        if (!route.draining) {
            int direct = direct(route);
            if (direct >= 0) {
                if (direct > 0) {
                    lastReturnNs[l] = nowNs;
                }
                return direct;
            }
        }
        int room = route.draining ? Integer.MAX_VALUE : roomAt(route.chain, route.hop + 1);
        if (room == 0) {
            return 0;
        }
        int n = route.port.rxBurst(burst, nowNs, room);
        if (n == 0) {
            return 0;
        }
        lastReturnNs[l] = nowNs;
        route.chain.hops[route.hop].counters.add(Hop.RETURNED, n);
        send(route.chain, route.hop + 1, burst, IDENTITY, n);
        return n;
    }

    /**
     * Passes what the link's function returned to the next memif (a function's link, a peer)
     * with one copy, from its ring into the next one, or to a sink with none, where the staging
     * burst would cost a copy out and a copy in. What the next ring cannot take stays on the
     * link's ring, which holds the function back as {@link #roomAt} does.
     *
     * @return frames passed on, or -1 when the next stop is neither (the caller stages them)
     */
    private int direct(LinkRoute route) {
        Chain chain = route.chain;
        int position = route.hop + 1;
        Port target = chain.target[position];
        if (target == null || !target.isUp()) {
            return -1;
        }
        int n;
        if (target instanceof MemifPort memif) {
            n = route.port.forwardTo(memif, burst.capacity(), burst.frameBytes());
        } else if (target instanceof SinkPort sink) {
            n = route.port.discardTo(sink, burst.capacity(), burst.frameBytes());
        } else {
            return -1;
        }
        if (n > 0) {
            chain.hops[route.hop].counters.add(Hop.RETURNED, n);
            int hop = chain.targetHop[position];
            countBypassed(chain, position, hop, n);
            countSent(chain, hop, n, n);
        }
        return n;
    }

    /** What the port chain position {@code position} goes to now can take; no limit when it drops anyway. */
    private static int roomAt(Chain chain, int position) {
        Port target = chain.target[position];
        return target == null || !target.isUp() ? Integer.MAX_VALUE : target.transmitRoom();
    }

    /** Sends {@code frames[0 .. count-1]} of {@code burst} to where chain position {@code position} goes now. */
    private void send(Chain chain, int position, PacketBurst burst, int[] frameList, int count) {
        Port target = chain.target[position];
        int hop = chain.targetHop[position];
        countBypassed(chain, position, hop, count);
        if (target == null || !target.isUp()) {
            if (hop >= 0) {
                chain.hops[hop].counters.add(Hop.DROPPED_DOWN, count);
                chain.countDrop(DatapathDrop.HOP_DOWN, count);
            } else {
                chain.countDrop(DatapathDrop.EGRESS_DOWN, count);
            }
            return;
        }
        countSent(chain, hop, count, target.txBurst(burst, frameList, count));
    }

    /** The hops from chain position {@code position} up to {@code hop} (the egress when -1) were passed over. */
    private static void countBypassed(Chain chain, int position, int hop, int count) {
        Hop[] hops = chain.hops;
        int end = hop < 0 ? hops.length : hop;
        for (int j = position; j < end; j++) {
            hops[j].counters.add(Hop.BYPASSED, count);
        }
    }

    /** {@code taken} of {@code count} frames went to {@code hop} (the egress when -1); the rest found its ring full. */
    private static void countSent(Chain chain, int hop, int count, int taken) {
        if (hop >= 0) {
            chain.hops[hop].counters.add(Hop.SENT, taken);
            chain.hops[hop].counters.add(Hop.RING_FULL, count - taken);
        } else {
            chain.counters.add(Chain.DELIVERED, taken);
        }
        chain.countDrop(DatapathDrop.RING_FULL, count - taken);
    }

    @Override
    public void onClose() {
        burst.close();
    }
}
