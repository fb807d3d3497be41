package io.nfchain.agent.port;

import io.nfchain.core.memif.MemifCounters;
import io.nfchain.core.memif.MemifDrop;
import io.nfchain.core.memif.MemifError;
import io.nfchain.core.memif.MemifServer;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.memif.ServerQueuePair;
import io.nfchain.core.os.UnixSeqpacketSocket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Not thread-safe (see {@link Port}). A memif server socket with one queue pair: an external
 * peer (DPDK, VPP) on a {@code memif} port, or a network function's link. Copy mode on this
 * side: the peer owns the shared buffers, the agent copies in and out, so a peer never sees
 * the agent's memory.
 *
 * <p>{@link #doWork} runs the handshake and notices a peer that left; {@link #connects()} and
 * {@link #isUp()} are what the worker watches to apply a hop's failure policy.
 */
public final class MemifPort implements Port {
    private static final int S_IFMT = 0xF000;
    private static final int S_IFSOCK = 0xC000;

    private final String name;
    private final String type;
    private final MemifServer server;
    private final PortCounters counters = new PortCounters();
    private ServerQueuePair queue;
    private long rxSeenPackets;
    private long rxSeenBytes;
    private long txSeenPackets;
    private long txSeenBytes;

    private MemifPort(String name, String type, MemifServer server) {
        this.name = name;
        this.type = type;
        this.server = server;
    }

    /**
     * Listens on {@code socket}. The directory is created. A socket file left by an agent that
     * died (nobody accepts on it) is replaced; one that a live process listens on is not: the
     * second agent on a node fails here, naming the path.
     *
     * @param type what the port is for people: {@code memif} or {@code function}
     * @param allowUnsealedRegions accept regions that are not sealed memfds (a trusted NF's region file)
     */
    public static MemifPort listen(String name, String type, Path socket, int interfaceId, String secret,
            boolean allowUnsealedRegions) {
        try {
            Files.createDirectories(socket.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new IllegalStateException(name + ": cannot create " + socket.getParent() + ": " + e.getMessage(), e);
        }
        removeStale(socket);
        MemifServer.Config config = MemifServer.Config.of(socket).withInterfaceId(interfaceId).withSecret(secret)
                .withRequireSealedRegions(!allowUnsealedRegions);
        return new MemifPort(name, type, MemifServer.listen(config));
    }

    private static void removeStale(Path socket) {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            int mode = (Integer) Files.getAttribute(socket, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if ((mode & S_IFMT) != S_IFSOCK) {
                throw new IllegalStateException(socket + " exists and is not a socket; not replacing it");
            }
            boolean live;
            try (UnixSeqpacketSocket probe = UnixSeqpacketSocket.connect(socket)) {
                live = true;
            } catch (RuntimeException refused) {
                live = false; // ECONNREFUSED: nobody listens, the file outlived its process
            }
            if (live) {
                throw new IllegalStateException(socket + " is in use by a live process (another agent?)");
            }
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw new IllegalStateException("cannot replace stale socket " + socket + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public int doWork(long nowNs) {
        int work = server.doWork();
        queue = server.isConnected() && server.queuePairCount() > 0 ? server.queuePair(0) : null;
        return work;
    }

    @Override
    public boolean isUp() {
        return queue != null;
    }

    /** Completed handshakes since the port was made: a change means the peer came back. */
    public long connects() {
        return server.connects();
    }

    @Override
    public int rxBurst(PacketBurst burst, long nowNs) {
        return rxBurst(burst, nowNs, burst.capacity());
    }

    /** As {@link #rxBurst(PacketBurst, long)}, at most {@code maxFrames}; the rest stay on the ring. */
    public int rxBurst(PacketBurst burst, long nowNs, int maxFrames) {
        ServerQueuePair q = queue;
        if (q == null) {
            burst.setCount(0);
            return 0;
        }
        int n = q.rxBurst(burst, maxFrames);
        if (n > 0) {
            syncRx();
        }
        return n;
    }

    /**
     * Passes up to {@code maxFrames} frames from this port's peer straight into {@code target}'s
     * posted buffers, one copy each ({@link ServerQueuePair#forwardTo}); what does not fit stays
     * on this port's ring. Both ports count, as a receive here and a transmit there would.
     *
     * @return frames taken from this port (sent, or dropped by {@code target} and counted there)
     */
    public int forwardTo(MemifPort target, int maxFrames, int maxFrameBytes) {
        ServerQueuePair q = queue;
        ServerQueuePair t = target.queue;
        if (q == null || t == null) {
            return 0;
        }
        int n = q.forwardTo(t, maxFrames, maxFrameBytes);
        if (n > 0) {
            syncRx();
            target.syncTx();
        }
        return n;
    }

    /**
     * Takes up to {@code maxFrames} frames from this port's peer and gives them to {@code sink}
     * without copying them ({@link ServerQueuePair#discard}): both count them as a receive here and
     * a transmit to the sink would.
     *
     * @return frames taken
     */
    public int discardTo(SinkPort sink, int maxFrames, int maxFrameBytes) {
        ServerQueuePair q = queue;
        if (q == null) {
            return 0;
        }
        long packets = rxSeenPackets;
        long bytes = rxSeenBytes;
        int n = q.discard(maxFrames, maxFrameBytes);
        if (n > 0) {
            syncRx();
            sink.counters().addTx(rxSeenPackets - packets, rxSeenBytes - bytes);
        }
        return n;
    }

    private void syncRx() {
        MemifCounters c = server.counters(0);
        long packets = c.rxPackets();
        long bytes = c.rxBytes();
        counters.addRx(packets - rxSeenPackets, bytes - rxSeenBytes);
        rxSeenPackets = packets;
        rxSeenBytes = bytes;
    }

    private void syncTx() {
        MemifCounters c = server.counters(0);
        long packets = c.txPackets();
        long bytes = c.txBytes();
        counters.addTx(packets - txSeenPackets, bytes - txSeenBytes);
        txSeenPackets = packets;
        txSeenBytes = bytes;
    }

    /** Buffers the peer posted for this side to fill; {@link Integer#MAX_VALUE} while down. */
    @Override
    public int transmitRoom() {
        ServerQueuePair q = queue;
        return q == null ? Integer.MAX_VALUE : q.transmitRoom();
    }

    @Override
    public int txBurst(PacketBurst burst, int[] frames, int count) {
        ServerQueuePair q = queue;
        if (q == null) {
            return 0;
        }
        int taken = q.txBurst(burst, frames, count);
        if (taken > 0) {
            syncTx();
        }
        return taken;
    }

    @Override
    public PortCounters counters() {
        return counters;
    }

    @Override
    public Map<String, Long> portDrops() {
        Map<String, Long> drops = new LinkedHashMap<>();
        MemifCounters c = server.counters(0);
        for (MemifDrop reason : MemifDrop.values()) {
            long n = c.drops(reason);
            if (n > 0) {
                drops.put(reason.name(), n);
            }
        }
        return drops;
    }

    @Override
    public String dropText(String reason) {
        return MemifDrop.valueOf(reason).text();
    }

    @Override
    public String state() {
        if (queue != null) {
            return "connected";
        }
        String why = server.peerDisconnectText();
        MemifError error = server.lastError();
        boolean noError = error == null || error == MemifError.NONE;
        if (why != null && !why.isEmpty()) {
            return "down: " + why;
        }
        return noError ? "waiting for peer" : "down: " + error.text();
    }

    @Override
    public void close() {
        server.close();
    }
}
