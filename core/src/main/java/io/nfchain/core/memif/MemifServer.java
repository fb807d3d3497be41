package io.nfchain.core.memif;

import static io.nfchain.core.memif.MemifMessageLayout.*;

import io.nfchain.core.os.EventFd;
import io.nfchain.core.os.FileDescriptors;
import io.nfchain.core.os.MappedRegion;
import io.nfchain.core.os.MemFd;
import io.nfchain.core.os.NativeCallException;
import io.nfchain.core.os.UnixSeqpacketSocket;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Not thread-safe: one thread calls {@link #doWork()}, the bursts of its queue pairs and
 * {@link #close()}. The server (formerly "master") end of one memif interface: it listens
 * on a unix {@code SOCK_SEQPACKET} path, greets each client with HELLO, checks INIT (id,
 * mode, secret), records the regions and rings the client adds, ACKing each, and on CONNECT
 * maps the regions, checks every ring lies inside its region and carries the cookie, then
 * answers CONNECTED.
 *
 * <p>Any fault refuses the client with DISCONNECT and a {@link MemifError} reason, counted
 * in {@link #errorCount}; the server then listens again, so a restarted client reconnects.
 * A second client while one is connected is refused ({@link MemifError#ALREADY_CONNECTED}).
 * Nothing blocks: {@link #doWork()} accepts and handles what is queued and returns.
 */
public final class MemifServer implements AutoCloseable {
    private static final int MAX_MESSAGES_PER_WORK = 16;
    private static final int MAX_ACCEPTS_PER_WORK = 4;

    /**
     * @param socketPath where to listen; must not exist
     * @param interfaceId the id a client's INIT must name
     * @param secret the secret INIT must carry, at most 23 bytes; empty accepts any client
     * @param name sent in HELLO and CONNECTED, cut to 31 bytes
     * @param maxQueuePairs 1 .. 256
     * @param maxLog2RingSize 1 .. {@link MemifProtocol#MAX_LOG2_RING_SIZE}, offered in HELLO
     * @param maxRegions 1 .. 256 regions a client may add
     * @param requireSealedRegions refuse a region whose memfd is not sealed against shrinking
     *     ({@link MemifError#REGION_NOT_SEALED}): otherwise a client that truncates its file
     *     after CONNECT makes this process fault (SIGBUS) on the next packet. DPDK's and
     *     libmemif's clients seal; turn it off only for trusted peers whose regions are not
     *     memfds (DPDK's zero-copy mode shares its hugepage files)
     */
    public record Config(Path socketPath, int interfaceId, String secret, String name, int maxQueuePairs,
            int maxLog2RingSize, int maxRegions, boolean requireSealedRegions) {
        public Config {
            requireSecretFits(secret);
            if (maxQueuePairs < 1 || maxQueuePairs > 256 || maxRegions < 1 || maxRegions > 256
                    || maxLog2RingSize < 1 || maxLog2RingSize > MemifProtocol.MAX_LOG2_RING_SIZE) {
                throw new IllegalArgumentException("queue pairs and regions 1..256, log2 1..14: " + maxQueuePairs
                        + ", " + maxRegions + ", " + maxLog2RingSize);
            }
        }

        /** Id 0, no secret, name "nfchain", up to 8 queue pairs, rings up to 2^14, 16 sealed regions. */
        public static Config of(Path socketPath) {
            return new Config(socketPath, 0, "", "nfchain", 8, MemifProtocol.MAX_LOG2_RING_SIZE, 16, true);
        }

        public Config withSecret(String newSecret) {
            return new Config(socketPath, interfaceId, newSecret, name, maxQueuePairs, maxLog2RingSize, maxRegions,
                    requireSealedRegions);
        }

        public Config withInterfaceId(int newInterfaceId) {
            return new Config(socketPath, newInterfaceId, secret, name, maxQueuePairs, maxLog2RingSize, maxRegions,
                    requireSealedRegions);
        }

        public Config withRequireSealedRegions(boolean required) {
            return new Config(socketPath, interfaceId, secret, name, maxQueuePairs, maxLog2RingSize, maxRegions,
                    required);
        }
    }

    /** Checks {@code secret} fits INIT's field with its NUL: at most 23 bytes of UTF-8. */
    static void requireSecretFits(String secret) {
        if (secret.getBytes(StandardCharsets.UTF_8).length >= MemifProtocol.SECRET_BYTES) {
            throw new IllegalArgumentException("secret longer than " + (MemifProtocol.SECRET_BYTES - 1) + " bytes");
        }
    }

    private enum State { LISTENING, AWAIT_INIT, CONFIGURING, CONNECTED }

    private final Config config;
    private final UnixSeqpacketSocket listener;
    private final MemifMessageCodec codec;
    private final long[] errorCounts = new long[MemifError.values().length];
    private final MemifCounters[] counters;
    private State state = State.LISTENING;
    private ControlChannel channel;
    private final ControlChannel.Endpoint endpoint = new ControlChannel.Endpoint() {
        @Override
        public MemifError handle(MemorySegment message) {
            return MemifServer.this.handle(message);
        }

        @Override
        public void end(MemifError reason) {
            MemifServer.this.end(reason);
        }
    };
    private Connection connection;
    private MemifError lastError = MemifError.NONE;
    private String peerDisconnectText = "";
    private long connects;

    private MemifServer(Config config, UnixSeqpacketSocket listener) {
        this.config = config;
        this.listener = listener;
        this.codec = new MemifMessageCodec(config.maxRegions() - 1, config.maxQueuePairs() - 1);
        this.counters = new MemifCounters[config.maxQueuePairs()];
        for (int i = 0; i < counters.length; i++) {
            counters[i] = new MemifCounters();
        }
    }

    /** Listens on {@code config.socketPath()}, non-blocking; clients connect from the first {@link #doWork()}. */
    public static MemifServer listen(Config config) {
        UnixSeqpacketSocket listener = UnixSeqpacketSocket.listen(config.socketPath(), 16);
        listener.setNonBlocking(true);
        return new MemifServer(config, listener);
    }

    /** Accepts and handles what the control sockets have queued; returns work done (0 when idle). */
    public int doWork() {
        return acceptPending() + serviceChannel();
    }

    /** The listening socket's descriptor: readable when a client waits to be accepted. */
    public int listenerFd() {
        return listener.fd();
    }

    /**
     * The current client's control socket descriptor, readable when a message waits, or -1:
     * with {@link #listenerFd()}, what an idle loop blocks on instead of calling
     * {@link #doWork()} (each call costs two system calls).
     */
    public int controlFd() {
        return channel == null ? -1 : channel.fd();
    }

    public boolean isConnected() {
        return state == State.CONNECTED;
    }

    /** Queue pairs of the current connection; 0 when not connected. */
    public int queuePairCount() {
        return state == State.CONNECTED ? connection.pairs.length : 0;
    }

    /** Queue pair {@code index} of the current connection; invalid after it ends. */
    public ServerQueuePair queuePair(int index) {
        if (state != State.CONNECTED) {
            throw new IllegalStateException("not connected");
        }
        return connection.pairs[index];
    }

    /** Why the last connection ended or was refused; {@link MemifError#NONE} before any did. */
    public MemifError lastError() {
        return lastError;
    }

    /** The text of the last DISCONNECT a client sent, or "". */
    public String peerDisconnectText() {
        return peerDisconnectText;
    }

    /** Connections ended or refused for {@code reason}. */
    public long errorCount(MemifError reason) {
        return errorCounts[reason.ordinal()];
    }

    /** Queue {@code index}'s counters, cumulative over every connection, 0 .. maxQueuePairs - 1. */
    public MemifCounters counters(int index) {
        return counters[index];
    }

    /** Handshakes completed so far. */
    public long connects() {
        return connects;
    }

    /** Disconnects the current client, if any, sending DISCONNECT with {@code reason}. */
    public void disconnect(MemifError reason) {
        if (channel != null) {
            refuse(reason);
        }
    }

    @Override
    public void close() {
        try {
            disconnect(MemifError.LOCAL_CLOSE);
        } finally {
            listener.close();
        }
    }

    private int acceptPending() {
        int work = 0;
        for (int i = 0; i < MAX_ACCEPTS_PER_WORK; i++) {
            UnixSeqpacketSocket accepted = listener.accept();
            if (accepted == null) {
                break;
            }
            work++;
            ControlChannel fresh = new ControlChannel(accepted);
            if (channel != null) {
                fresh.sendDisconnect(MemifError.ALREADY_CONNECTED);
                fresh.close();
                errorCounts[MemifError.ALREADY_CONNECTED.ordinal()]++;
                continue;
            }
            channel = fresh;
            connection = new Connection(config, counters);
            state = State.AWAIT_INIT;
            MemifMessageCodec.encodeHello(channel.sending(), config.name(), config.maxRegions() - 1,
                    config.maxQueuePairs() - 1, config.maxQueuePairs() - 1, config.maxLog2RingSize());
            try {
                channel.send();
            } catch (NativeCallException e) {
                end(ControlChannel.reasonFor(e));
            }
        }
        return work;
    }

    private int serviceChannel() {
        return channel == null ? 0 : channel.service(codec, endpoint, MAX_MESSAGES_PER_WORK);
    }

    private MemifError handle(MemorySegment m) {
        int type = MemifMessageCodec.type(m);
        if (type == TYPE_DISCONNECT) {
            peerDisconnectText = MemifMessageCodec.string(m, DISCONNECT_TEXT_OFFSET, MemifProtocol.DISCONNECT_TEXT_BYTES);
            end(MemifError.PEER_DISCONNECTED);
            return MemifError.NONE;
        }
        return switch (state) {
            case AWAIT_INIT -> type == TYPE_INIT ? onInit(m) : MemifError.UNEXPECTED_MESSAGE;
            case CONFIGURING -> switch (type) {
                case TYPE_ADD_REGION -> onAddRegion(m);
                case TYPE_ADD_RING -> onAddRing(m);
                case TYPE_CONNECT -> onConnect();
                default -> MemifError.UNEXPECTED_MESSAGE;
            };
            case CONNECTED -> type == TYPE_ACK ? MemifError.NONE : MemifError.UNEXPECTED_MESSAGE;
            case LISTENING -> MemifError.UNEXPECTED_MESSAGE;
        };
    }

    private MemifError onInit(MemorySegment m) {
        if (MemifMessageCodec.u32(m, INIT_ID_OFFSET) != Integer.toUnsignedLong(config.interfaceId())) {
            return MemifError.UNKNOWN_INTERFACE_ID;
        }
        if (!config.secret().isEmpty()) {
            if (MemifMessageCodec.u8(m, INIT_SECRET_OFFSET) == 0) {
                return MemifError.SECRET_REQUIRED;
            }
            if (!MemifMessageCodec.fieldEquals(m, INIT_SECRET_OFFSET, MemifProtocol.SECRET_BYTES, config.secret())) {
                return MemifError.WRONG_SECRET;
            }
        }
        state = State.CONFIGURING;
        return ack();
    }

    private MemifError onAddRegion(MemorySegment m) {
        int fd = channel.takeFd();
        if (fd < 0) {
            return MemifError.REGION_FD_MISSING;
        }
        MemifError error = connection.addRegion(MemifMessageCodec.u16(m, ADD_REGION_INDEX_OFFSET),
                MemifMessageCodec.u64(m, ADD_REGION_SIZE_OFFSET), fd);
        return error != MemifError.NONE ? error : ack();
    }

    private MemifError onAddRing(MemorySegment m) {
        int fd = channel.takeFd();
        if (fd < 0) {
            return MemifError.RING_FD_MISSING;
        }
        boolean c2s = (MemifMessageCodec.u16(m, ADD_RING_FLAGS_OFFSET) & MemifProtocol.ADD_RING_FLAG_C2S) != 0;
        MemifError error = connection.addRing(c2s, MemifMessageCodec.u16(m, ADD_RING_INDEX_OFFSET),
                MemifMessageCodec.u16(m, ADD_RING_REGION_OFFSET), MemifMessageCodec.u32(m, ADD_RING_OFFSET_OFFSET),
                MemifMessageCodec.u8(m, ADD_RING_LOG2_SIZE_OFFSET), fd);
        return error != MemifError.NONE ? error : ack();
    }

    private MemifError onConnect() {
        MemifError error = connection.mapAndCheck();
        if (error != MemifError.NONE) {
            return error;
        }
        MemifMessageCodec.encodeConnected(channel.sending(), config.name());
        channel.send();
        state = State.CONNECTED;
        connects++;
        return MemifError.NONE;
    }

    private MemifError ack() {
        MemifMessageCodec.encodeAck(channel.sending());
        channel.send();
        return MemifError.NONE;
    }

    /** Tells the client why, then ends the connection. */
    private void refuse(MemifError reason) {
        channel.sendDisconnect(reason);
        end(reason);
    }

    /** Releases everything of the current connection and listens again. */
    private void end(MemifError reason) {
        lastError = reason;
        errorCounts[reason.ordinal()]++;
        try {
            connection.countLoss();
            connection.close();
            channel.close();
        } finally {
            connection = null;
            channel = null;
            state = State.LISTENING;
        }
    }

    /** What one client registered: region descriptors until CONNECT maps them, rings, eventfds. */
    private static final class Connection implements AutoCloseable {
        final int[] regionFds;
        final long[] regionSizes;
        int regionCount;
        final MappedRegion[] mapped;
        final MemifRegions regions;
        final RingSpec[][] rings; // [0] C2S, [1] S2C, by ring index
        final boolean requireSealedRegions;
        final MemifCounters[] counters;
        ServerQueuePair[] pairs;

        Connection(Config config, MemifCounters[] counters) {
            int maxRegions = config.maxRegions();
            int maxQueuePairs = config.maxQueuePairs();
            this.requireSealedRegions = config.requireSealedRegions();
            this.counters = counters;
            regionFds = new int[maxRegions];
            regionSizes = new long[maxRegions];
            mapped = new MappedRegion[maxRegions];
            regions = new MemifRegions(maxRegions);
            rings = new RingSpec[2][maxQueuePairs];
        }

        MemifError addRegion(int index, long sizeBytes, int fd) {
            if (index != regionCount || index >= regionFds.length) { // regions come in index order
                FileDescriptors.close(fd);
                return MemifError.REGION_INDEX_OUT_OF_RANGE;
            }
            regionFds[regionCount] = fd;
            regionSizes[regionCount++] = sizeBytes;
            return MemifError.NONE;
        }

        MemifError addRing(boolean c2s, int index, int region, long offset, int log2, int fd) {
            EventFd interrupt = EventFd.adopt(fd);
            RingSpec[] direction = rings[c2s ? 0 : 1];
            if (index >= direction.length || direction[index] != null) {
                interrupt.close();
                return MemifError.RING_INDEX_OUT_OF_RANGE;
            }
            direction[index] = new RingSpec(region, offset, log2, interrupt);
            if (region >= regionCount) {
                return MemifError.REGION_INDEX_OUT_OF_RANGE; // kept above so close() releases the fd
            }
            if (!RingLayout.fits(regionSizes[region], offset, log2)) {
                return MemifError.RING_OUTSIDE_REGION;
            }
            return MemifError.NONE;
        }

        MemifError mapAndCheck() {
            int pairCount = 0;
            while (pairCount < rings[0].length && rings[0][pairCount] != null) {
                pairCount++;
            }
            if (pairCount == 0 || regionCount == 0) {
                return MemifError.RINGS_INCOMPLETE;
            }
            for (int i = 0; i < rings[0].length; i++) {
                boolean expected = i < pairCount;
                if ((rings[0][i] != null) != expected || (rings[1][i] != null) != expected) {
                    return MemifError.RINGS_INCOMPLETE;
                }
            }
            for (int r = 0; r < regionCount; r++) {
                MemifError error = map(r);
                if (error != MemifError.NONE) {
                    return error;
                }
            }
            pairs = new ServerQueuePair[pairCount];
            for (int i = 0; i < pairCount; i++) {
                MemifRing c2s = ring(rings[0][i]);
                MemifRing s2c = ring(rings[1][i]);
                if (c2s == null || s2c == null) {
                    return MemifError.RING_BAD_COOKIE;
                }
                pairs[i] = new ServerQueuePair(i, regions, c2s, s2c, rings[0][i].interrupt, rings[1][i].interrupt,
                        counters[i]);
            }
            return MemifError.NONE;
        }

        /** Counts the frames left in the rings as lost: only once connected, while still mapped. */
        void countLoss() {
            if (pairs != null) {
                for (ServerQueuePair pair : pairs) {
                    if (pair != null) {
                        pair.countConnectionLoss();
                    }
                }
            }
        }

        private MemifError map(int r) {
            if (requireSealedRegions && !sealedAgainstShrinking(regionFds[r])) {
                return MemifError.REGION_NOT_SEALED;
            }
            long actualBytes;
            try {
                // the memfd's own size: mapping past its end would SIGBUS on first touch
                actualBytes = Files.size(Path.of("/proc/self/fd/" + regionFds[r]));
            } catch (IOException | RuntimeException e) {
                return MemifError.REGION_NOT_MAPPABLE;
            }
            if (actualBytes < regionSizes[r]) {
                return MemifError.REGION_SMALLER_THAN_DECLARED;
            }
            try {
                mapped[r] = MappedRegion.map(regionFds[r], regionSizes[r],
                        MappedRegion.PROT_READ | MappedRegion.PROT_WRITE, MappedRegion.MAP_SHARED, 0);
            } catch (NativeCallException e) {
                return MemifError.REGION_NOT_MAPPABLE;
            }
            regions.add(mapped[r].segment());
            return MemifError.NONE;
        }

        private static boolean sealedAgainstShrinking(int fd) {
            try {
                return (MemFd.seals(fd) & MemFd.F_SEAL_SHRINK) != 0;
            } catch (NativeCallException e) { // EINVAL: not a file that supports seals
                return false;
            }
        }

        /** The ring, reset as DPDK's server does at CONNECT, or null without the cookie. */
        private MemifRing ring(RingSpec spec) {
            MemifRing ring = new MemifRing(regions.segment(spec.region), spec.offset, spec.log2);
            if (ring.cookie() != MemifProtocol.RING_COOKIE) {
                return null;
            }
            ring.headRelease(0);
            ring.tailRelease(0);
            return ring;
        }

        @Override
        public void close() {
            for (RingSpec[] direction : rings) {
                for (RingSpec spec : direction) {
                    if (spec != null) {
                        spec.interrupt.close();
                    }
                }
            }
            for (int r = 0; r < regionCount; r++) {
                if (mapped[r] != null) {
                    mapped[r].close();
                }
                FileDescriptors.close(regionFds[r]);
            }
        }
    }

    private record RingSpec(int region, long offset, int log2, EventFd interrupt) {}
}
