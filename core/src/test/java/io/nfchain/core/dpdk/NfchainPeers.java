package io.nfchain.core.dpdk;

import io.nfchain.core.memif.ClientQueuePair;
import io.nfchain.core.memif.MemifClient;
import io.nfchain.core.memif.MemifServer;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.memif.ServerQueuePair;
import io.nfchain.core.packet.ParsedPacket;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The nfchain ends of the interop tests, each a loop on its own thread (the test thread drives
 * testpmd meanwhile). Each owns its memif object from start to close. Counters are published
 * with volatile writes once per burst; the first frame that fails a check is kept as text.
 */
final class NfchainPeers {
    static final int BURST = 32;
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(90);
    private static final int CONTROL_EVERY = 255;

    private NfchainPeers() {}

    /** A loop on a thread: stop() asks it to end, close() waits and rethrows what it threw. */
    abstract static class Peer implements AutoCloseable {
        private final Thread thread;
        private final long deadlineNs = System.nanoTime() + DEADLINE_NS;
        volatile boolean stopRequested;
        volatile Throwable failure;
        volatile String firstProblem;

        Peer(String name) {
            thread = Thread.ofPlatform().name(name).unstarted(() -> {
                try {
                    run();
                } catch (Throwable t) {
                    failure = t;
                }
            });
        }

        final void start() {
            thread.start();
        }

        abstract void run() throws Exception;

        boolean running() {
            if (System.nanoTime() > deadlineNs) {
                throw new IllegalStateException(thread.getName() + " passed its deadline");
            }
            return !stopRequested;
        }

        void problem(String text) {
            if (firstProblem == null && text != null) {
                firstProblem = text;
            }
        }

        /** Waits until {@code condition} holds, this peer failed, or {@code timeoutMs} passed; returns the condition. */
        boolean await(BooleanSupplier condition, long timeoutMs) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (!condition.getAsBoolean() && failure == null && thread.isAlive() && System.nanoTime() < end) {
                Thread.sleep(5);
            }
            return condition.getAsBoolean();
        }

        @Override
        public void close() throws Exception {
            stopRequested = true;
            thread.join(TimeUnit.SECONDS.toMillis(30));
            if (thread.isAlive()) {
                throw new IllegalStateException(thread.getName() + " did not stop");
            }
            if (failure instanceof Exception e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
        }
    }

    /**
     * Serves one memif client and receives what it sends, checking every frame is well-formed
     * IPv4/UDP (see {@link InteropFrames#checkIpv4Udp}) and carries the same 42 header bytes as
     * the first: testpmd's txonly repeats one header.
     */
    static final class ReceivingServer extends Peer {
        private final MemifServer server;
        volatile long packets;
        volatile long bytes;
        volatile long drops;
        volatile boolean connected;

        ReceivingServer(Path socket) {
            super("nfchain-memif-server");
            this.server = MemifServer.listen(MemifServer.Config.of(socket));
            start();
        }

        @Override
        void run() {
            ParsedPacket parsed = new ParsedPacket();
            byte[] header = null;
            long count = 0;
            long byteCount = 0;
            try (server; PacketBurst burst = new PacketBurst(BURST, 9216)) {
                ServerQueuePair pair = null;
                for (long turn = 0; running(); turn++) {
                    if ((turn & CONTROL_EVERY) == 0 || pair == null) {
                        server.doWork();
                        pair = server.isConnected() ? server.queuePair(0) : null;
                        connected = pair != null;
                        if (pair == null) {
                            continue;
                        }
                        drops = pair.counters().totalDrops();
                    }
                    int n = pair.rxBurst(burst);
                    for (int i = 0; i < n; i++) {
                        long frame = burst.offset(i);
                        problem(InteropFrames.checkIpv4Udp(burst.data(), frame, burst.length(i), parsed));
                        byte[] seen = burst.data().asSlice(frame, InteropFrames.HEADERS).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                        if (header == null) {
                            header = seen;
                        } else if (!java.util.Arrays.equals(header, seen)) {
                            problem("frame " + (count + i) + ": headers differ from the first frame's");
                        }
                        byteCount += burst.length(i);
                    }
                    if (n > 0) {
                        count += n;
                        packets = count;
                        bytes = byteCount;
                    }
                }
                if (pair != null) {
                    drops = pair.counters().totalDrops();
                }
            }
        }
    }

    /**
     * A memif client that sends numbered frames for {@code sendNs} and at least {@code minFrames}
     * (a loaded machine may give it little CPU), then stays connected until stopped.
     */
    static final class SendingClient extends Peer {
        private final MemifClient client;
        private final long sendNs;
        private final long minFrames;
        volatile long sent;
        volatile long sentBytes;
        volatile boolean doneSending;
        volatile long drops;

        SendingClient(Path socket, int bufferBytes, long sendNs, long minFrames) {
            super("nfchain-memif-sender");
            this.client = MemifClient.create(MemifClient.Config.of(socket).withBufferBytes(bufferBytes));
            this.sendNs = sendNs;
            this.minFrames = minFrames;
            start();
        }

        @Override
        void run() {
            try (client; PacketBurst out = new PacketBurst(BURST, 2048)) {
                connect(client, this);
                ClientQueuePair pair = client.queuePair(0);
                long count = 0;
                long byteCount = 0;
                int pending = 0;
                long end = System.nanoTime() + sendNs;
                for (long turn = 0; running() && (System.nanoTime() < end || count < minFrames); turn++) {
                    for (; pending < BURST; pending++) {
                        InteropFrames.put(out, pending, count + pending);
                    }
                    out.setCount(pending);
                    int consumed = pair.txBurst(out);
                    for (int i = 0; i < consumed; i++) {
                        byteCount += out.length(i);
                    }
                    count += consumed;
                    pending = shiftUnsent(out, consumed);
                    sent = count;
                    sentBytes = byteCount;
                    if ((turn & CONTROL_EVERY) == 0) {
                        client.doWork();
                        requireConnected(client);
                    }
                }
                drops = pair.counters().totalDrops();
                doneSending = true;
                while (running()) {
                    client.doWork();
                    Thread.sleep(1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A memif client that sends numbered frames for {@code sendNs} and at least {@code minFrames},
     * and checks each comes back
     * intact and in order, then waits for the rest. Frames in flight never need more slots
     * than the ring holds, so a forwarder always finds room on the way back: nothing may be
     * lost.
     */
    static final class EchoClient extends Peer {
        private final MemifClient client;
        /** What one buffer holds on the way back: the ring budget below is counted in those. */
        private final int bufferBytes;
        private final long sendNs;
        private final long minFrames;
        volatile long sent;
        volatile long received;
        volatile boolean doneSending;
        volatile long drops;

        /** Frames received in place (lent, not copied): counted when the client receives in place. */
        volatile long lent;

        EchoClient(Path socket, int bufferBytes, long sendNs, long minFrames) {
            this(socket, bufferBytes, sendNs, minFrames, false);
        }

        /** @param inPlace receive in place, as the NF runner does: the server must honour the posted offset and length */
        EchoClient(Path socket, int bufferBytes, long sendNs, long minFrames, boolean inPlace) {
            super("nfchain-memif-echo");
            MemifClient.Config config = MemifClient.Config.of(socket).withBufferBytes(bufferBytes);
            this.client = MemifClient.create(inPlace ? config.withInPlace(128, BURST) : config);
            // posted buffers hold less past the headroom, so a frame may take more slots on the way back
            this.bufferBytes = inPlace ? bufferBytes - 128 : bufferBytes;
            this.sendNs = sendNs;
            this.minFrames = minFrames;
            start();
        }

        @Override
        void run() {
            ParsedPacket parsed = new ParsedPacket();
            try (client; PacketBurst out = new PacketBurst(BURST, 2048); PacketBurst in = new PacketBurst(BURST, 2048)) {
                connect(client, this);
                ClientQueuePair pair = client.queuePair(0);
                int ringSlots = 1 << client.layout().log2RingSize();
                long next = 0; // sequence number of the next frame put in the burst
                long count = 0;
                long back = 0;
                int inFlightSlots = 0; // sent or waiting in the burst, not yet back
                int pending = 0;
                long end = System.nanoTime() + sendNs;
                for (long turn = 0; running(); turn++) {
                    boolean sending = System.nanoTime() < end || next < minFrames;
                    if (sending) {
                        for (; pending < BURST && inFlightSlots + slots(next) <= ringSlots; pending++, next++) {
                            inFlightSlots += slots(next);
                            InteropFrames.put(out, pending, next);
                        }
                    } else {
                        doneSending = true;
                    }
                    if (pending > 0) {
                        out.setCount(pending);
                        int consumed = pair.txBurst(out);
                        count += consumed;
                        pending = shiftUnsent(out, consumed);
                        sent = count;
                    }
                    int n = pair.rxBurstInPlace(in, BURST);
                    if (in.isLent()) {
                        lent += n;
                    }
                    for (int i = 0; i < n; i++, back++) {
                        problem(InteropFrames.check(in, i, back, parsed));
                        inFlightSlots -= slots(back);
                    }
                    pair.releaseReceived();
                    received = back;
                    if ((turn & CONTROL_EVERY) == 0) {
                        client.doWork();
                        requireConnected(client);
                        drops = pair.counters().totalDrops();
                    }
                    if (!sending && pending == 0 && back == count) {
                        break;
                    }
                }
                drops = pair.counters().totalDrops();
                while (running()) {
                    client.doWork();
                    Thread.sleep(1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private int slots(long seq) {
            return (InteropFrames.lengthFor(seq) + bufferBytes - 1) / bufferBytes;
        }
    }

    private static void connect(MemifClient client, Peer peer) throws InterruptedException {
        client.connect();
        while (!client.isConnected()) {
            if (!client.isActive()) {
                throw new IllegalStateException("memif handshake refused: " + client.lastError() + " "
                        + client.peerDisconnectText());
            }
            if (!peer.running()) {
                throw new IllegalStateException("stopped before connecting");
            }
            if (client.doWork() == 0) {
                Thread.sleep(1);
            }
        }
    }

    private static void requireConnected(MemifClient client) {
        if (!client.isConnected()) {
            throw new IllegalStateException("memif connection ended: " + client.lastError() + " "
                    + client.peerDisconnectText());
        }
    }

    /** Moves the frames txBurst did not consume to the front of the burst; returns how many. */
    private static int shiftUnsent(PacketBurst burst, int consumed) {
        int left = burst.count() - consumed;
        if (consumed > 0) {
            MemorySegment data = burst.data();
            for (int i = 0; i < left; i++) {
                MemorySegment.copy(data, burst.offset(consumed + i), data, burst.offset(i), burst.length(consumed + i));
                burst.setLength(i, burst.length(consumed + i));
                burst.setMetadata(i, burst.metadata(consumed + i));
            }
        }
        return left;
    }
}
