package io.nfchain.core.memif;

import static io.nfchain.core.memif.MemifMessageLayout.*;

import io.nfchain.core.os.EventFd;
import io.nfchain.core.os.MappedRegion;
import io.nfchain.core.os.MemFd;
import io.nfchain.core.os.NativeCallException;
import io.nfchain.core.os.UnixSeqpacketSocket;
import io.nfchain.core.runtime.NanoClock;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Not thread-safe: one thread calls {@link #start()} or {@link #connect()}, {@link #doWork()}, the bursts of its
 * queue pairs and {@link #close()}. The client (formerly "slave") end of one memif
 * interface, which creates and owns all shared memory: on the server's HELLO it creates one
 * memfd region holding every ring and buffer (see {@link RegionLayout}), then sends INIT,
 * ADD_REGION (memfd attached), one ADD_RING per ring (eventfd attached) and CONNECT, each
 * after the ACK of the one before, as DPDK's client does, and is connected on CONNECTED.
 *
 * <p>Nothing blocks after {@link #connect()}: {@link #doWork()} handles what the socket has
 * queued and returns. A DISCONNECT or a closed socket ends the connection with a
 * {@link MemifError} reason, and counts the frames still in the rings as
 * {@link MemifDrop#CONNECTION_LOST}. After {@link #start()} the client then reconnects by
 * itself with backoff (so a restarted server is rejoined); after {@link #connect()} the
 * caller decides. Queue counters are kept across connections.
 */
public final class MemifClient implements AutoCloseable {
    private static final int MAX_MESSAGES_PER_WORK = 16;
    private static final long HUGE_PAGE_BYTES = 2L << 20;

    /**
     * @param socketPath the server's socket
     * @param interfaceId the server interface to join
     * @param secret at most 23 bytes; empty for none
     * @param name sent in INIT and CONNECT, cut to 31 bytes
     * @param queuePairs wanted, 1 .. 256 (fewer if the server offers fewer)
     * @param log2RingSize wanted, 1 .. 14 (smaller if the server offers smaller)
     * @param bufferBytes per buffer, 64 .. 65535, a multiple of 64
     * @param hugepages back the region with 2 MiB huge pages (its size rounds up to a whole
     *     page); needs pages reserved in {@code /proc/sys/vm/nr_hugepages}
     * @param reconnect how {@link #start()} retries after a failed attempt or a lost connection
     * @param regionFile null for an anonymous memfd region (sealed against shrinking); else the
     *     region is this file, recreated at each connection, so it outlives a crash of this
     *     process (see {@link MemFd#createFile}); not with {@code hugepages}
     * @param inPlace null to copy every received frame out of the ring; else how the queues
     *     lend received buffers in place (see {@link ClientQueuePair#rxBurstInPlace})
     */
    public record Config(Path socketPath, int interfaceId, String secret, String name, int queuePairs,
            int log2RingSize, int bufferBytes, boolean hugepages, Reconnect reconnect, Path regionFile,
            InPlace inPlace) {
        public Config {
            MemifServer.requireSecretFits(secret);
            new RegionLayout(queuePairs, log2RingSize, bufferBytes, inPlace == null ? 0 : inPlace.spareBuffers());
            if (inPlace != null && inPlace.headroomBytes() > bufferBytes - 64) {
                throw new IllegalArgumentException("in-place headroom " + inPlace.headroomBytes()
                        + " leaves less than 64 bytes of a " + bufferBytes + "-byte buffer");
            }
            Objects.requireNonNull(reconnect, "reconnect");
            if (regionFile != null && hugepages) {
                throw new IllegalArgumentException("a region file cannot be backed by huge pages: " + regionFile);
            }
        }

        public Config(Path socketPath, int interfaceId, String secret, String name, int queuePairs,
                int log2RingSize, int bufferBytes, boolean hugepages, Reconnect reconnect) {
            this(socketPath, interfaceId, secret, name, queuePairs, log2RingSize, bufferBytes, hugepages, reconnect,
                    null, null);
        }

        /** The region in {@code file} (null: a memfd), so a restarted process can read its last ring heads. */
        public Config withRegionFile(Path file) {
            return new Config(socketPath, interfaceId, secret, name, queuePairs, log2RingSize, bufferBytes,
                    hugepages, reconnect, file, inPlace);
        }

        /**
         * Id 0, no secret, name "nfchain", one queue pair, 1024-slot rings, 2048-byte buffers,
         * normal pages, {@link Reconnect#DEFAULT} retries.
         */
        public static Config of(Path socketPath) {
            return new Config(socketPath, 0, "", "nfchain", 1, MemifProtocol.DEFAULT_LOG2_RING_SIZE,
                    MemifProtocol.DEFAULT_BUFFER_BYTES, false, Reconnect.DEFAULT);
        }

        /**
         * Receive in place: S2C buffers are posted {@code headroomBytes} into each buffer (room
         * for headers a function prepends), and {@code spareBuffers} per queue pair are kept for
         * frames a function adds to a burst.
         */
        public Config withInPlace(int headroomBytes, int spareBuffers) {
            return new Config(socketPath, interfaceId, secret, name, queuePairs, log2RingSize, bufferBytes,
                    hugepages, reconnect, regionFile, new InPlace(headroomBytes, spareBuffers));
        }

        public Config withSecret(String newSecret) {
            return new Config(socketPath, interfaceId, newSecret, name, queuePairs, log2RingSize, bufferBytes,
                    hugepages, reconnect, regionFile, inPlace);
        }

        public Config withInterfaceId(int newInterfaceId) {
            return new Config(socketPath, newInterfaceId, secret, name, queuePairs, log2RingSize, bufferBytes,
                    hugepages, reconnect, regionFile, inPlace);
        }

        public Config withBufferBytes(int newBufferBytes) {
            return new Config(socketPath, interfaceId, secret, name, queuePairs, log2RingSize, newBufferBytes,
                    hugepages, reconnect, regionFile, inPlace);
        }

        public Config withRings(int newQueuePairs, int newLog2RingSize) {
            return new Config(socketPath, interfaceId, secret, name, newQueuePairs, newLog2RingSize, bufferBytes,
                    hugepages, reconnect, regionFile, inPlace);
        }

        public Config withHugepages(boolean newHugepages) {
            return new Config(socketPath, interfaceId, secret, name, queuePairs, log2RingSize, bufferBytes,
                    newHugepages, reconnect, regionFile, inPlace);
        }

        public Config withReconnect(Reconnect newReconnect) {
            return new Config(socketPath, interfaceId, secret, name, queuePairs, log2RingSize, bufferBytes,
                    hugepages, newReconnect, regionFile, inPlace);
        }
    }

    /**
     * How a client receives in place.
     *
     * @param headroomBytes where a received frame starts in its buffer, 0 .. 1024, a multiple of 64
     *     (so that headers start on a cache line)
     * @param spareBuffers buffers per queue pair for frames a function adds, 0 .. {@link PacketBurst#MAX_CAPACITY}
     */
    public record InPlace(int headroomBytes, int spareBuffers) {
        public InPlace {
            if (headroomBytes < 0 || headroomBytes > 1024 || headroomBytes % 64 != 0) {
                throw new IllegalArgumentException("in-place headroom must be 0..1024, a multiple of 64: "
                        + headroomBytes);
            }
            if (spareBuffers < 0 || spareBuffers > PacketBurst.MAX_CAPACITY) {
                throw new IllegalArgumentException("spare buffers must be 0.." + PacketBurst.MAX_CAPACITY + ": "
                        + spareBuffers);
            }
        }
    }

    /**
     * Retry with exponential backoff: the first retry {@code initialBackoffNs} after a failed
     * attempt or a lost connection, each next one twice as late up to {@code maxBackoffNs};
     * a completed handshake starts over from the initial backoff.
     *
     * @param initialBackoffNs > 0
     * @param maxBackoffNs >= initialBackoffNs
     */
    public record Reconnect(long initialBackoffNs, long maxBackoffNs) {
        /** 1 ms, doubling up to 1 s: a restarted server is joined within about a second. */
        public static final Reconnect DEFAULT = new Reconnect(1_000_000, 1_000_000_000);

        public Reconnect {
            if (initialBackoffNs <= 0 || maxBackoffNs < initialBackoffNs) {
                throw new IllegalArgumentException(
                        "reconnect needs 0 < initialBackoffNs <= maxBackoffNs: " + initialBackoffNs + ", " + maxBackoffNs);
            }
        }
    }

    private enum State { DISCONNECTED, AWAIT_HELLO, AWAIT_ACK, AWAIT_CONNECTED, CONNECTED }

    private final Config config;
    private final NanoClock clock;
    private final MemifCounters[] counters;
    private final MemifMessageCodec codec = new MemifMessageCodec(0xffff, 0xffff);
    private final long[] errorCounts = new long[MemifError.values().length];
    private State state = State.DISCONNECTED;
    private ControlChannel channel;
    private final ControlChannel.Endpoint endpoint = new ControlChannel.Endpoint() {
        @Override
        public MemifError handle(MemorySegment message) {
            return MemifClient.this.handle(message);
        }

        @Override
        public void end(MemifError reason) {
            MemifClient.this.end(reason);
        }
    };
    private SharedMemory memory;
    private ClientQueuePair[] pairs;
    private int step;
    private MemifError lastError = MemifError.NONE;
    private String peerDisconnectText = "";
    private boolean keepConnected;
    private long nextAttemptNs;
    private long backoffNs;
    private long connects;
    private long attempts;

    private MemifClient(Config config, NanoClock clock) {
        this.config = config;
        this.clock = clock;
        this.counters = new MemifCounters[config.queuePairs()];
        for (int i = 0; i < counters.length; i++) {
            counters[i] = new MemifCounters();
        }
        this.backoffNs = config.reconnect().initialBackoffNs();
    }

    /** A disconnected client on the system clock; call {@link #start()} or {@link #connect()}. */
    public static MemifClient create(Config config) {
        return new MemifClient(config, NanoClock.SYSTEM);
    }

    /** A disconnected client whose reconnect backoff runs on {@code clock}. */
    public static MemifClient create(Config config, NanoClock clock) {
        return new MemifClient(config, clock);
    }

    /**
     * Connects now and keeps connected: whenever an attempt fails or the connection ends,
     * {@link #doWork()} tries again after the {@link Reconnect} backoff, until
     * {@link #disconnect} or {@link #close()}. Failures are counted, never thrown (a missing
     * or refusing server is {@link MemifError#SERVER_UNREACHABLE}).
     */
    public void start() {
        keepConnected = true;
        if (state == State.DISCONNECTED) {
            attempt();
        }
    }

    /**
     * Connects the control socket and waits (in {@link #doWork()}) for HELLO.
     *
     * @throws NativeCallException such as {@code connect: ECONNREFUSED} when no server listens
     * @throws IllegalStateException when already connecting or connected
     */
    public void connect() {
        if (state != State.DISCONNECTED) {
            throw new IllegalStateException("already " + state);
        }
        attempts++;
        channel = new ControlChannel(UnixSeqpacketSocket.connect(config.socketPath()));
        state = State.AWAIT_HELLO;
    }

    /**
     * Handles what the control socket has queued, or, when started and disconnected, makes
     * the next connection attempt once its backoff has passed; returns work done (0 when idle).
     */
    public int doWork() {
        if (channel != null) {
            return channel.service(codec, endpoint, MAX_MESSAGES_PER_WORK);
        }
        if (keepConnected && clock.nanoTime() - nextAttemptNs >= 0) {
            attempt();
            return 1;
        }
        return 0;
    }

    private void attempt() {
        try {
            connect();
        } catch (NativeCallException e) {
            lastError = MemifError.SERVER_UNREACHABLE;
            errorCounts[MemifError.SERVER_UNREACHABLE.ordinal()]++;
            scheduleRetry();
        }
    }

    private void scheduleRetry() {
        nextAttemptNs = clock.nanoTime() + backoffNs;
        backoffNs = Math.min(config.reconnect().maxBackoffNs(), 2 * backoffNs);
    }

    /**
     * The control socket's descriptor, readable when a message waits, or -1 when
     * disconnected: what an idle loop blocks on instead of calling {@link #doWork()}.
     */
    public int controlFd() {
        return channel == null ? -1 : channel.fd();
    }

    public boolean isConnected() {
        return state == State.CONNECTED;
    }

    /** Whether the control socket is open (handshaking or connected). */
    public boolean isActive() {
        return state != State.DISCONNECTED;
    }

    public int queuePairCount() {
        return state == State.CONNECTED ? pairs.length : 0;
    }

    /** Queue pair {@code index}; invalid after the connection ends. */
    public ClientQueuePair queuePair(int index) {
        if (state != State.CONNECTED) {
            throw new IllegalStateException("not connected");
        }
        return pairs[index];
    }

    /** The region layout negotiated for the current connection, or null. */
    public RegionLayout layout() {
        return memory == null ? null : memory.layout;
    }

    public MemifError lastError() {
        return lastError;
    }

    /** The text of the last DISCONNECT the server sent, or "". */
    public String peerDisconnectText() {
        return peerDisconnectText;
    }

    public long errorCount(MemifError reason) {
        return errorCounts[reason.ordinal()];
    }

    /** Queue {@code index}'s counters, cumulative over every connection, 0 .. queuePairs - 1. */
    public MemifCounters counters(int index) {
        return counters[index];
    }

    /** Handshakes completed so far. */
    public long connects() {
        return connects;
    }

    /** Connection attempts made so far, failed ones included. */
    public long attempts() {
        return attempts;
    }

    /**
     * Ends the connection, if any, telling the server {@code reason}, and stops reconnecting
     * until the next {@link #start()}.
     */
    public void disconnect(MemifError reason) {
        keepConnected = false;
        if (channel != null) {
            channel.sendDisconnect(reason);
            end(reason);
        }
    }

    @Override
    public void close() {
        disconnect(MemifError.LOCAL_CLOSE);
    }

    private MemifError handle(MemorySegment m) {
        int type = MemifMessageCodec.type(m);
        if (type == TYPE_DISCONNECT) {
            peerDisconnectText = MemifMessageCodec.string(m, DISCONNECT_TEXT_OFFSET, MemifProtocol.DISCONNECT_TEXT_BYTES);
            end(MemifError.PEER_DISCONNECTED);
            return MemifError.NONE;
        }
        return switch (state) {
            case AWAIT_HELLO -> type == TYPE_HELLO ? onHello(m) : MemifError.UNEXPECTED_MESSAGE;
            case AWAIT_ACK -> type == TYPE_ACK ? sendNextStep() : MemifError.UNEXPECTED_MESSAGE;
            case AWAIT_CONNECTED -> type == TYPE_CONNECTED ? onConnected() : MemifError.UNEXPECTED_MESSAGE;
            case CONNECTED -> type == TYPE_ACK ? MemifError.NONE : MemifError.UNEXPECTED_MESSAGE;
            case DISCONNECTED -> MemifError.UNEXPECTED_MESSAGE;
        };
    }

    private MemifError onHello(MemorySegment m) {
        int pairCount = Math.min(config.queuePairs(), 1 + Math.min(
                MemifMessageCodec.u16(m, HELLO_MAX_C2S_RING_OFFSET), MemifMessageCodec.u16(m, HELLO_MAX_S2C_RING_OFFSET)));
        int log2 = Math.min(config.log2RingSize(), MemifMessageCodec.u8(m, HELLO_MAX_LOG2_RING_SIZE_OFFSET));
        try {
            memory = new SharedMemory(new RegionLayout(pairCount, log2, config.bufferBytes(),
                    config.inPlace() == null ? 0 : config.inPlace().spareBuffers()), config.hugepages(),
                    config.regionFile());
        } catch (NativeCallException e) { // no huge pages left, memory limits: tell the server why
            return MemifError.LOCAL_REGION_FAILED;
        }
        step = 0;
        state = State.AWAIT_ACK;
        return sendNextStep();
    }

    /** Sends INIT, ADD_REGION, the C2S rings, the S2C rings, then CONNECT: one per ACK. */
    private MemifError sendNextStep() {
        RegionLayout layout = memory.layout;
        int pairsCount = layout.queuePairs();
        MemorySegment out = channel.sending();
        int current = step++;
        if (current == 0) {
            MemifMessageCodec.encodeInit(out, config.interfaceId(), MemifProtocol.MODE_ETHERNET, config.secret(),
                    config.name());
            channel.send();
        } else if (current == 1) {
            MemifMessageCodec.encodeAddRegion(out, 0, memory.memfd.sizeBytes());
            channel.sendWithFd(memory.memfd.fd());
        } else if (current < 2 + 2 * pairsCount) {
            int ring = current - 2;
            boolean c2s = ring < pairsCount;
            int index = c2s ? ring : ring - pairsCount;
            MemifMessageCodec.encodeAddRing(out, c2s, index, 0, layout.ringOffset(c2s, index), layout.log2RingSize());
            channel.sendWithFd(memory.interrupts[ring].fd());
        } else {
            MemifMessageCodec.encodeConnect(out, config.name());
            channel.send();
            state = State.AWAIT_CONNECTED;
        }
        return MemifError.NONE;
    }

    private MemifError onConnected() {
        RegionLayout layout = memory.layout;
        int pairCount = layout.queuePairs();
        pairs = new ClientQueuePair[pairCount];
        for (int i = 0; i < pairCount; i++) {
            pairs[i] = new ClientQueuePair(i, layout, memory.segment(), memory.rings[i], memory.rings[pairCount + i],
                    memory.interrupts[i], memory.interrupts[pairCount + i], counters[i],
                    config.inPlace() == null ? -1 : config.inPlace().headroomBytes());
        }
        state = State.CONNECTED;
        connects++;
        backoffNs = config.reconnect().initialBackoffNs();
        return MemifError.NONE;
    }

    private void end(MemifError reason) {
        lastError = reason;
        errorCounts[reason.ordinal()]++;
        try {
            if (pairs != null) {
                for (ClientQueuePair pair : pairs) {
                    pair.countConnectionLoss();
                }
            }
            if (memory != null) {
                memory.close();
            }
            channel.close();
        } finally {
            memory = null;
            channel = null;
            pairs = null;
            state = State.DISCONNECTED;
            if (keepConnected) {
                scheduleRetry();
            }
        }
    }

    /** The region this client created, its rings initialized, and one eventfd per ring. */
    private static final class SharedMemory implements AutoCloseable {
        final RegionLayout layout;
        final MemFd memfd;
        final MappedRegion mapped;
        final MemifRing[] rings;
        final EventFd[] interrupts;

        SharedMemory(RegionLayout layout, boolean hugepages, Path regionFile) {
            this.layout = layout;
            this.memfd = regionFile != null ? MemFd.createFile(regionFile, layout.sizeBytes()) : hugepages
                    ? MemFd.create("memif_region_0", roundUp(layout.sizeBytes(), HUGE_PAGE_BYTES),
                            MemFd.MFD_ALLOW_SEALING | MemFd.MFD_HUGETLB | MemFd.MFD_HUGE_2MB)
                    : MemFd.create("memif_region_0", layout.sizeBytes(), MemFd.MFD_ALLOW_SEALING);
            int ringCount = 2 * layout.queuePairs();
            this.rings = new MemifRing[ringCount];
            this.interrupts = new EventFd[ringCount];
            MappedRegion map = null;
            try {
                if (regionFile == null) {
                    memfd.addSeals(MemFd.F_SEAL_SHRINK); // the server can never fault on a truncated page
                }
                map = memfd.map();
                for (int g = 0; g < ringCount; g++) {
                    boolean c2s = g < layout.queuePairs();
                    int index = c2s ? g : g - layout.queuePairs();
                    rings[g] = new MemifRing(map.segment(), layout.ringOffset(c2s, index), layout.log2RingSize());
                    rings[g].initialize();
                    interrupts[g] = EventFd.create(0, EventFd.EFD_NONBLOCK);
                }
            } catch (RuntimeException e) {
                closeAll(map);
                throw e;
            }
            this.mapped = map;
        }

        MemorySegment segment() {
            return mapped.segment();
        }

        private static long roundUp(long bytes, long unit) {
            return (bytes + unit - 1) / unit * unit;
        }

        @Override
        public void close() {
            closeAll(mapped);
        }

        private void closeAll(MappedRegion map) {
            for (EventFd interrupt : interrupts) {
                if (interrupt != null) {
                    interrupt.close();
                }
            }
            if (map != null) {
                map.close();
            }
            memfd.close();
        }
    }
}
