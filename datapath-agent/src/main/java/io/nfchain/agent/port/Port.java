package io.nfchain.agent.port;

import io.nfchain.core.memif.PacketBurst;

/**
 * Not thread-safe: owned by one datapath worker, which calls everything here except
 * {@link #counters()} (any thread) and {@link #close()} (after the worker stopped). Where packets
 * enter and leave the agent: a kernel interface, a memif peer (an NF's link is one too), a
 * traffic generator, a capture file, a sink.
 *
 * <p>Bursts only: {@link #rxBurst} fills a {@link PacketBurst} from index 0; {@link #txBurst}
 * sends frames of a burst picked by index, in order, and says how many it took. Frames it did
 * not take are the caller's to count (the port's ring was full).
 */
public interface Port extends AutoCloseable {
    /** The name the spec gives it. */
    String name();

    /** The spec's type: {@code memif}, {@code af_packet}, {@code gen}, {@code pcap}, {@code sink}. */
    String type();

    /**
     * Control work between bursts (memif handshakes, noticing a peer that left): bounded, never
     * blocking.
     *
     * @return work done; 0 when there was nothing to do
     */
    default int doWork(long nowNs) {
        return 0;
    }

    /** Whether packets can flow now (a memif peer is connected, the interface exists). */
    boolean isUp();

    /**
     * Receives up to {@code burst.capacity()} frames into {@code burst}, setting its count.
     *
     * @return frames received, 0 when none (or the port is down)
     */
    int rxBurst(PacketBurst burst, long nowNs);

    /**
     * The burst {@link #rxBurst} fills: the worker's own, or one the port keeps (a generator,
     * whose frames differ only in their headers, keeps its zero payloads from burst to burst
     * instead of rewriting them). The worker reads and sends the frames from it before its next
     * receive, and never writes into it.
     */
    default PacketBurst receiveBurst(PacketBurst workerBurst) {
        return workerBurst;
    }

    /**
     * Sends {@code burst}'s frames {@code frames[0 .. count-1]}, in order.
     *
     * @return entries of {@code frames} taken (sent, or dropped by the port and counted by it)
     */
    int txBurst(PacketBurst burst, int[] frames, int count);

    /**
     * Frames {@link #txBurst} would take now, as far as the port knows; {@link Integer#MAX_VALUE}
     * when it has no ring to fill or cannot tell (it then counts what it cannot take itself).
     * The worker reads no more from a function than the next port can take, so a slow hop holds
     * back the one before it instead of making it work on packets that would be dropped.
     */
    default int transmitRoom() {
        return Integer.MAX_VALUE;
    }

    /** Packet and byte counts; any thread, possibly a burst behind. */
    PortCounters counters();

    /** What the port counted as dropped, by reason (port-specific reasons with text). */
    default java.util.Map<String, Long> portDrops() {
        return java.util.Map.of();
    }

    /** The human text of one of {@link #portDrops()}' reasons. */
    default String dropText(String reason) {
        return reason;
    }

    /** A line about the port's state for people: "connected to vpp1", "down: peer closed". */
    default String state() {
        return isUp() ? "up" : "down";
    }

    @Override
    void close();
}
