package io.nfchain.core.memif;

/**
 * Not thread-safe: written by the queue's owning thread only; other threads may read stale
 * values. Packet, byte and drop counters of one memif queue pair, flushed once per burst.
 */
public final class MemifCounters {
    private final long[] drops = new long[MemifDrop.values().length];
    private long rxPackets;
    private long rxBytes;
    private long txPackets;
    private long txBytes;
    private long interruptsSent;

    void addRx(long packets, long bytes) {
        rxPackets += packets;
        rxBytes += bytes;
    }

    void addTx(long packets, long bytes) {
        txPackets += packets;
        txBytes += bytes;
    }

    void addDrop(MemifDrop reason, long count) {
        drops[reason.ordinal()] += count;
    }

    void addInterruptSent() {
        interruptsSent++;
    }

    public long rxPackets() {
        return rxPackets;
    }

    public long rxBytes() {
        return rxBytes;
    }

    public long txPackets() {
        return txPackets;
    }

    public long txBytes() {
        return txBytes;
    }

    /** Eventfd kicks written to the peer after a burst. */
    public long interruptsSent() {
        return interruptsSent;
    }

    /** Drops counted for {@code reason}. */
    public long drops(MemifDrop reason) {
        return drops[reason.ordinal()];
    }

    /** Drops of every reason. */
    public long totalDrops() {
        long total = 0;
        for (long d : drops) {
            total += d;
        }
        return total;
    }
}
