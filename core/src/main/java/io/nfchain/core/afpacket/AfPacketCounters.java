package io.nfchain.core.afpacket;

/**
 * Not thread-safe: written by the port's owning thread only; other threads may read stale
 * values. Packet, byte and drop counters of one af_packet port, flushed once per burst; the
 * kernel's own figures are added when the owner calls {@link AfPacketPort#pollKernelStatistics()}.
 */
public final class AfPacketCounters {
    private final long[] drops = new long[AfPacketDrop.values().length];
    private long rxPackets;
    private long rxBytes;
    private long txPackets;
    private long txBytes;
    private long txRingFullFrames;
    private long txKickFailures;
    private long kernelPackets;
    private long kernelDrops;
    private long kernelFreezes;

    void addRx(long packets, long bytes) {
        rxPackets += packets;
        rxBytes += bytes;
    }

    void addTx(long packets, long bytes) {
        txPackets += packets;
        txBytes += bytes;
    }

    void addDrop(AfPacketDrop reason, long count) {
        drops[reason.ordinal()] += count;
    }

    void addTxRingFull(long frames) {
        txRingFullFrames += frames;
    }

    void addTxKickFailure() {
        txKickFailures++;
    }

    void addKernel(long packets, long dropped, long freezes) {
        kernelPackets += packets;
        kernelDrops += dropped;
        kernelFreezes += freezes;
    }

    /** Frames received into bursts. */
    public long rxPackets() {
        return rxPackets;
    }

    public long rxBytes() {
        return rxBytes;
    }

    /** Frames posted to the transmit ring (the kernel sends them on the kick). */
    public long txPackets() {
        return txPackets;
    }

    public long txBytes() {
        return txBytes;
    }

    /**
     * Frames a transmit burst handed back unconsumed because every slot of the ring was still
     * the kernel's. Not drops: the caller may offer them again (and then they count again).
     */
    public long txRingFullFrames() {
        return txRingFullFrames;
    }

    /** Kicks ({@code send}) that failed, such as ENOBUFS or ENETDOWN: the frames wait in the ring. */
    public long txKickFailures() {
        return txKickFailures;
    }

    /** PACKET_STATISTICS tp_packets: frames the kernel passed to this socket, dropped ones included. */
    public long kernelPackets() {
        return kernelPackets;
    }

    /** PACKET_STATISTICS tp_drops: frames the kernel dropped because no receive block was free. */
    public long kernelDrops() {
        return kernelDrops;
    }

    /** PACKET_STATISTICS tp_freeze_q_cnt: times the receive ring filled and the kernel froze it. */
    public long kernelFreezes() {
        return kernelFreezes;
    }

    /** Drops counted for {@code reason}. */
    public long drops(AfPacketDrop reason) {
        return drops[reason.ordinal()];
    }

    /** Drops of every reason counted here (the kernel's are in {@link #kernelDrops()}). */
    public long totalDrops() {
        long total = 0;
        for (long d : drops) {
            total += d;
        }
        return total;
    }
}
