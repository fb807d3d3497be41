package io.nfchain.core.afpacket;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.os.MappedRegion;
import io.nfchain.core.os.PacketSocket;
import io.nfchain.core.os.SocketOptions;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Not thread-safe: one worker receives, transmits and reads the counters. The {@code af_packet}
 * port: an {@code AF_PACKET} socket bound to one kernel interface, with a TPACKET_V3 receive
 * ring and a TPACKET_V3 transmit ring mapped into this process (layouts in
 * {@link TpacketLayout}, design in {@code docs/afpacket.md}). Needs {@code CAP_NET_RAW}.
 *
 * <p>{@link #rxBurst} copies frames out of the ring into a {@link PacketBurst}, the type memif
 * queues use, so a worker moves bursts between a memif queue and a kernel interface unchanged;
 * {@link #txBurst} copies frames into the transmit ring and kicks the kernel with one
 * non-blocking {@code send}. Neither allocates nor blocks. The socket promiscuously receives
 * every frame on the interface but not the frames it sends itself.
 *
 * <p>For an interrupt-driven idle, poll {@link #fd()} for POLLIN: it is readable when a receive
 * block is handed over.
 */
public final class AfPacketPort implements AutoCloseable {
    /** Frame numbers 0 .. PacketBurst.MAX_CAPACITY-1: the order of a plain transmit. */
    private static final int[] IDENTITY = new int[PacketBurst.MAX_CAPACITY];

    static {
        for (int i = 0; i < IDENTITY.length; i++) {
            IDENTITY[i] = i;
        }
    }

    private final AfPacketConfig config;
    private final int ifindex;
    private final int mtuBytes;
    private final PacketSocket socket;
    private final MappedRegion rings;
    private final RxRing rx;
    private final TxRing tx;
    private final AfPacketCounters counters = new AfPacketCounters();
    private final Arena statsArena = Arena.ofShared(); // opened and used on different threads
    private final MemorySegment stats = statsArena.allocate(TpacketLayout.STATS_BYTES, 4);
    private boolean kickOwed;
    private int lastKickErrno;
    private boolean closed;

    private AfPacketPort(AfPacketConfig config, int ifindex, int mtuBytes, PacketSocket socket, MappedRegion rings) {
        this.config = config;
        this.ifindex = ifindex;
        this.mtuBytes = mtuBytes;
        this.socket = socket;
        this.rings = rings;
        MemorySegment all = rings.segment();
        this.rx = new RxRing(all.asSlice(0, config.rxRingBytes()), config.rxBlockBytes(), config.rxBlockCount());
        this.tx = new TxRing(all.asSlice(config.rxRingBytes(), config.txRingBytes()), config.txBlockBytes(),
                config.txBlockCount(), config.txFrameBytes(), mtuBytes);
    }

    /**
     * Opens the port on {@code config.interfaceName()} in the calling thread's network
     * namespace: socket, TPACKET_V3, options, both rings, one mapping, promiscuous membership,
     * then the bind (frames start arriving only then).
     *
     * @throws io.nfchain.core.os.NativeCallException such as {@code socket: EPERM} without
     *     CAP_NET_RAW, {@code if_nametoindex: ENODEV (eth9)}, or {@code setsockopt: EINVAL} for
     *     rings the kernel refuses
     */
    public static AfPacketPort open(AfPacketConfig config) {
        int ifindex = PacketSocket.interfaceIndex(config.interfaceName());
        PacketSocket socket = PacketSocket.open(0); // no protocol: nothing is queued before the bind
        MappedRegion rings = null;
        try {
            int fd = socket.fd();
            SocketOptions.setInt(fd, SocketOptions.SOL_PACKET, SocketOptions.PACKET_VERSION, SocketOptions.TPACKET_V3);
            // Skip, rather than stall on, a frame the kernel refuses: the ring would stop at it.
            SocketOptions.setInt(fd, SocketOptions.SOL_PACKET, SocketOptions.PACKET_LOSS, 1);
            SocketOptions.setInt(fd, SocketOptions.SOL_PACKET, SocketOptions.PACKET_IGNORE_OUTGOING, 1);
            if (config.qdiscBypass()) {
                SocketOptions.setInt(fd, SocketOptions.SOL_PACKET, SocketOptions.PACKET_QDISC_BYPASS, 1);
            }
            // V3 packs received frames by size and truncates only at the block size, so the
            // frame size it asks for only fixes a frame count: one "frame" per block.
            setRing(fd, SocketOptions.PACKET_RX_RING, config.rxBlockBytes(), config.rxBlockCount(),
                    config.rxBlockBytes(), config.rxBlockCount(), config.rxBlockTimeoutMs());
            setRing(fd, SocketOptions.PACKET_TX_RING, config.txBlockBytes(), config.txBlockCount(),
                    config.txFrameBytes(), config.txFrameCount(), 0);
            int mtu = socket.interfaceMtu(config.interfaceName());
            // The kernel maps the receive ring first, the transmit ring right after it.
            rings = MappedRegion.map(fd, config.rxRingBytes() + config.txRingBytes(),
                    MappedRegion.PROT_READ | MappedRegion.PROT_WRITE, MappedRegion.MAP_SHARED | MappedRegion.MAP_POPULATE, 0);
            joinPromiscuous(fd, ifindex);
            socket.bind(ifindex, PacketSocket.ETH_P_ALL);
            return new AfPacketPort(config, ifindex, mtu, socket, rings);
        } catch (RuntimeException e) {
            closeAfterFailure(rings, socket, e);
            throw e;
        }
    }

    /** The configuration this port was opened with. */
    public AfPacketConfig config() {
        return config;
    }

    /** The interface index the socket is bound to. */
    public int ifindex() {
        return ifindex;
    }

    /** The interface MTU read at open; frames up to this plus 14 bytes are sent (18 if 802.1Q tagged). */
    public int mtuBytes() {
        return mtuBytes;
    }

    /** The socket descriptor: poll it for POLLIN to sleep until a receive block is ready. */
    public int fd() {
        return socket.fd();
    }

    /** Transmit slots in the ring: the most frames one {@link #txBurst} can post before a kick frees them. */
    public int txSlots() {
        return tx.slots();
    }

    public AfPacketCounters counters() {
        return counters;
    }

    /** The errno of the last failed kick (0 if none): why {@link AfPacketCounters#txKickFailures()} grew. */
    public int lastKickErrno() {
        return lastKickErrno;
    }

    /**
     * Receives up to {@code burst.capacity()} frames (sets its count, metadata 0). Does not
     * allocate or block; returns 0 when no block is ready.
     *
     * @return frames received; frames dropped here are counted in {@link #counters()}
     */
    public int rxBurst(PacketBurst burst) {
        return rx.read(burst, counters);
    }

    /** Whether {@link #rxBurst} would find frames now, without taking any. */
    public boolean rxReady() {
        return rx.readable();
    }

    /** As {@link #txBurst(PacketBurst, int[], int)} for frames {@code 0 .. burst.count()-1}. */
    public int txBurst(PacketBurst burst) {
        return txBurst(burst, IDENTITY, burst.count());
    }

    /**
     * Copies {@code frames[0 .. count-1]} of {@code burst}, in order, into free transmit slots
     * and kicks the kernel, which sends them before the call returns (or queues them to the
     * device's qdisc). Does not allocate or block. If the ring fills, the frames left over are
     * counted as {@link AfPacketCounters#txRingFullFrames()} and not consumed.
     *
     * @return entries of {@code frames} consumed (sent, or dropped with a reason), in order
     */
    public int txBurst(PacketBurst burst, int[] frames, int count) {
        int consumed = tx.post(burst, frames, 0, count, counters);
        if (tx.postedByLastCall() > 0 || kickOwed) {
            kick();
        }
        if (consumed < count && !kickOwed) {
            // The kick freed the slots this burst filled: one more pass before reporting full.
            consumed = tx.post(burst, frames, consumed, count, counters);
            if (tx.postedByLastCall() > 0) {
                kick();
            }
        }
        if (consumed < count) {
            counters.addTxRingFull(count - consumed);
        }
        return consumed;
    }

    /**
     * Reads and resets the kernel's PACKET_STATISTICS and adds them to {@link #counters()}.
     * Cold path (one {@code getsockopt}): call it from the owning thread every second or so.
     */
    public void pollKernelStatistics() {
        int length = SocketOptions.get(socket.fd(), SocketOptions.SOL_PACKET, SocketOptions.PACKET_STATISTICS, stats);
        if (length < TpacketLayout.STATS_BYTES) {
            throw new IllegalStateException("PACKET_STATISTICS returned " + length + " bytes, not tpacket_stats_v3");
        }
        counters.addKernel(Integer.toUnsignedLong(stats.get(JAVA_INT, TpacketLayout.STATS_PACKETS_OFFSET)),
                Integer.toUnsignedLong(stats.get(JAVA_INT, TpacketLayout.STATS_DROPS_OFFSET)),
                Integer.toUnsignedLong(stats.get(JAVA_INT, TpacketLayout.STATS_FREEZE_Q_CNT_OFFSET)));
    }

    /** Unmaps both rings and closes the socket (which leaves promiscuous mode). A second call does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            rings.close();
        } finally {
            try {
                socket.close();
            } finally {
                statsArena.close();
            }
        }
    }

    private void kick() {
        long sent = socket.kickTransmitRing();
        if (sent < 0) {
            int errno = (int) -sent;
            kickOwed = true;
            lastKickErrno = errno;
            counters.addTxKickFailure();
        } else {
            kickOwed = false;
        }
    }


    private static void setRing(int fd, int option, int blockBytes, int blockCount, int frameBytes, int frameCount,
            int retireTimeoutMs) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment request = arena.allocate(TpacketLayout.REQ_BYTES, 4);
            request.set(JAVA_INT, TpacketLayout.REQ_BLOCK_SIZE_OFFSET, blockBytes);
            request.set(JAVA_INT, TpacketLayout.REQ_BLOCK_NR_OFFSET, blockCount);
            request.set(JAVA_INT, TpacketLayout.REQ_FRAME_SIZE_OFFSET, frameBytes);
            request.set(JAVA_INT, TpacketLayout.REQ_FRAME_NR_OFFSET, frameCount);
            request.set(JAVA_INT, TpacketLayout.REQ_RETIRE_BLK_TOV_OFFSET, retireTimeoutMs);
            SocketOptions.set(fd, SocketOptions.SOL_PACKET, option, request);
        }
    }

    private static void joinPromiscuous(int fd, int ifindex) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment request = arena.allocate(TpacketLayout.MREQ_BYTES, 4);
            request.set(JAVA_INT, TpacketLayout.MREQ_IFINDEX_OFFSET, ifindex);
            request.set(JAVA_SHORT, TpacketLayout.MREQ_TYPE_OFFSET, (short) TpacketLayout.PACKET_MR_PROMISC);
            SocketOptions.set(fd, SocketOptions.SOL_PACKET, SocketOptions.PACKET_ADD_MEMBERSHIP, request);
        }
    }

    private static void closeAfterFailure(MappedRegion rings, PacketSocket socket, RuntimeException failure) {
        try {
            if (rings != null) {
                rings.close();
            }
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
        try {
            socket.close();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
