package io.nfchain.core.runtime;

import java.util.Arrays;

/**
 * Packets arriving at scripted times, polled by a simulated loop on a manual clock: each
 * {@link #poll} returns what has arrived since the previous one and records how long each
 * packet waited to be seen.
 */
final class SimulatedLink {
    private final long[] arrivalsNs;
    private final long[] waitsNs;
    private int next;

    SimulatedLink(long[] arrivalsNs) {
        this.arrivalsNs = arrivalsNs.clone();
        this.waitsNs = new long[arrivalsNs.length];
    }

    /** {@code bursts} bursts of {@code burstSize} packets, one every {@code periodNs}, the first at {@code startNs}. */
    static SimulatedLink periodicBursts(long startNs, long periodNs, int bursts, int burstSize) {
        long[] arrivals = new long[bursts * burstSize];
        for (int i = 0; i < arrivals.length; i++) {
            arrivals[i] = startNs + (i / burstSize) * periodNs;
        }
        return new SimulatedLink(arrivals);
    }

    int poll(long nowNs) {
        int count = 0;
        while (next < arrivalsNs.length && arrivalsNs[next] <= nowNs) {
            waitsNs[next] = nowNs - arrivalsNs[next];
            next++;
            count++;
        }
        return count;
    }

    boolean done() {
        return next == arrivalsNs.length;
    }

    long lastArrivalNs() {
        return arrivalsNs[arrivalsNs.length - 1];
    }

    /** The longest wait among packets {@code from} (inclusive) to {@code to} (exclusive). */
    long maxWaitNs(int from, int to) {
        return Arrays.stream(waitsNs, from, to).max().orElse(0);
    }

    /** Runs {@code strategy} as a runner would until every packet is seen, each cycle costing {@code cycleNs}. */
    static void drive(SimulatedLink link, IdleStrategy strategy, ManualClock clock, long cycleNs) {
        while (!link.done()) {
            clock.advance(cycleNs);
            strategy.idle(link.poll(clock.nanoTime()));
        }
    }
}
