package io.nfchain.bench.memif;

import io.nfchain.core.memif.ClientQueuePair;
import io.nfchain.core.memif.MemifClient;
import io.nfchain.core.memif.MemifServer;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.memif.ServerQueuePair;
import io.nfchain.core.os.CpuAffinity;
import io.nfchain.core.packet.PacketBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The nfchain end of {@code ./nfchain bench memif}, one per JVM, busy-polling one memif queue on
 * one pinned core in bursts of 32, as testpmd's forwarding lcore does:
 * <ul>
 *   <li>{@code client-tx SOCKET FRAME_BYTES CPU}: connects and sends one Ethernet/IPv4/UDP frame,
 *       written once into all 32 slots of a burst, over and over (testpmd txonly builds each
 *       frame's headers; the payload of both is whatever the buffer holds).
 *   <li>{@code server-rx SOCKET FRAME_BYTES CPU}: listens, accepts one client and receives
 *       (copies into its burst) and counts, as testpmd rxonly receives and frees.
 * </ul>
 * Before it listens or connects it warms up over a private in-process link (see {@link #warmUp}).
 * Its console: it prints {@code LISTENING} (server), {@code CONNECTED}; on the line {@code stats}
 * it prints {@code STATS packets bytes drops}; on {@code quit} (or end of input) it stops,
 * disconnects and exits 0. Failures go to stderr with exit code 1.
 */
public final class MemifPeer {
    static final int BURST = 32;
    /** Bursts between looks at the clock; the control socket is serviced once a millisecond. */
    private static final int TURNS_PER_CHUNK = 256;
    private static final long CONTROL_PERIOD_NS = 1_000_000;
    /** Bursts each way through an in-process link before the real one, so the loops run C2 code. */
    private static final int WARMUP_BURSTS = 300_000;
    private static final VarHandle PACKETS;
    private static final VarHandle BYTES;
    private static final VarHandle STOP;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PACKETS = lookup.findVarHandle(MemifPeer.class, "packets", long.class);
            BYTES = lookup.findVarHandle(MemifPeer.class, "bytes", long.class);
            STOP = lookup.findVarHandle(MemifPeer.class, "stop", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Written by the busy thread with opaque stores (plain moves on x86), read by the console thread.
    private long packets;
    private long bytes;
    private volatile long drops;
    private boolean stop;

    private MemifPeer() {}

    public static void main(String[] args) {
        if (args.length != 4) {
            fail("usage: MemifPeer client-tx|server-rx SOCKET FRAME_BYTES CPU");
        }
        Path socket = Path.of(args[1]);
        int frameBytes = Integer.parseInt(args[2]);
        int cpu = Integer.parseInt(args[3]);
        MemifPeer peer = new MemifPeer();
        Thread.ofPlatform().daemon().name("console").start(peer::console);
        try {
            switch (args[0]) {
                case "client-tx" -> peer.clientTx(socket, frameBytes, cpu);
                case "server-rx" -> peer.serverRx(socket, frameBytes, cpu);
                default -> fail("unknown mode " + args[0]);
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
            fail(e.toString());
        }
        say("BYE");
        System.exit(0);
    }

    private void clientTx(Path socket, int frameBytes, int cpu) {
        warmUp(frameBytes);
        try (MemifClient client = MemifClient.create(MemifClient.Config.of(socket));
                PacketBurst burst = new PacketBurst(BURST, 2048)) {
            client.connect();
            while (!client.isConnected()) {
                if (!client.isActive()) {
                    fail("handshake refused: " + client.lastError() + " " + client.peerDisconnectText());
                }
                client.doWork();
                Thread.onSpinWait();
            }
            fill(burst, frameBytes);
            CpuAffinity.pin(cpu);
            say("CONNECTED");
            sendLoop(client, client.queuePair(0), burst, frameBytes);
            drops = client.queuePair(0).counters().totalDrops();
        }
    }

    /**
     * The measured loop: bursts in chunks of {@link #TURNS_PER_CHUNK}, one opaque store per
     * chunk, and the control socket serviced once a millisecond. The DPDK driver services its
     * control socket on another thread, so its forwarding loop pays nothing for it; here
     * {@code doWork()} costs a few microseconds (a {@code recvmsg}, for a server also an
     * {@code accept4}), too much to pay every few bursts.
     */
    private void sendLoop(MemifClient client, ClientQueuePair pair, PacketBurst burst, long frameBytes) {
        long sent = 0;
        long nextControl = System.nanoTime() + CONTROL_PERIOD_NS;
        while (true) {
            sent += sendChunk(pair, burst, TURNS_PER_CHUNK);
            PACKETS.setOpaque(this, sent);
            long now = System.nanoTime();
            if (now >= nextControl) {
                nextControl = now + CONTROL_PERIOD_NS;
                BYTES.setOpaque(this, sent * frameBytes);
                if ((boolean) STOP.getOpaque(this) || !connected(client)) {
                    return;
                }
            }
        }
    }

    private static long sendChunk(ClientQueuePair pair, PacketBurst burst, int turns) {
        long sent = 0;
        for (int i = 0; i < turns; i++) {
            sent += pair.txBurst(burst);
        }
        return sent;
    }

    private static long receiveChunk(ServerQueuePair pair, PacketBurst burst, int turns) {
        long received = 0;
        for (int i = 0; i < turns; i++) {
            received += pair.rxBurst(burst);
        }
        return received;
    }

    /**
     * Runs both chunk methods over an in-process link until each moved {@link #WARMUP_BURSTS}
     * full bursts, so the JIT has compiled them (with the same receiver types) before the
     * measured link connects. Interpreted, a burst costs about a millisecond.
     */
    private static void warmUp(int frameBytes) {
        try {
            Path dir = Files.createTempDirectory("memif-peer-warmup");
            Path socket = dir.resolve("warmup.sock");
            try (MemifServer server = MemifServer.listen(MemifServer.Config.of(socket));
                    MemifClient client = MemifClient.create(MemifClient.Config.of(socket));
                    PacketBurst out = new PacketBurst(BURST, 2048);
                    PacketBurst in = new PacketBurst(BURST, 2048)) {
                client.connect();
                while (!(server.isConnected() && client.isConnected())) {
                    server.doWork();
                    client.doWork();
                }
                fill(out, frameBytes);
                ClientQueuePair tx = client.queuePair(0);
                ServerQueuePair rx = server.queuePair(0);
                long moved = 0;
                while (moved < (long) WARMUP_BURSTS * BURST) {
                    sendChunk(tx, out, 8);
                    moved += receiveChunk(rx, in, 8);
                }
            } finally {
                Files.deleteIfExists(socket);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void fill(PacketBurst burst, int frameBytes) {
        PacketBuilder frame = new PacketBuilder().ethernet(0x02_00_00_00_00_02L, 0x02_00_00_00_00_01L)
                .ipv4(0xc612_0001, 0xc612_0002).udp(9, 9).padTo(frameBytes);
        for (int i = 0; i < BURST; i++) {
            burst.setLength(i, frame.writeTo(burst.data(), burst.offset(i)));
        }
        burst.setCount(BURST);
    }

    private void serverRx(Path socket, int frameBytes, int cpu) {
        warmUp(frameBytes);
        try (MemifServer server = MemifServer.listen(MemifServer.Config.of(socket));
                PacketBurst burst = new PacketBurst(BURST, 2048)) {
            say("LISTENING");
            while (!server.isConnected()) {
                server.doWork();
                Thread.onSpinWait();
                if ((boolean) STOP.getOpaque(this)) {
                    return;
                }
            }
            CpuAffinity.pin(cpu);
            say("CONNECTED");
            receiveLoop(server, server.queuePair(0), burst);
        }
    }

    private void receiveLoop(MemifServer server, ServerQueuePair pair, PacketBurst burst) {
        long received = 0;
        long nextControl = System.nanoTime() + CONTROL_PERIOD_NS;
        while (true) {
            received += receiveChunk(pair, burst, TURNS_PER_CHUNK);
            PACKETS.setOpaque(this, received);
            long now = System.nanoTime();
            if (now >= nextControl) {
                nextControl = now + CONTROL_PERIOD_NS;
                BYTES.setOpaque(this, pair.counters().rxBytes());
                drops = pair.counters().totalDrops();
                server.doWork();
                if ((boolean) STOP.getOpaque(this) || !server.isConnected()) {
                    return;
                }
            }
        }
    }

    private static boolean connected(MemifClient client) {
        client.doWork();
        return client.isConnected();
    }

    private void console() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                switch (line.strip()) {
                    case "stats" -> say("STATS " + (long) PACKETS.getOpaque(this) + " " + (long) BYTES.getOpaque(this)
                            + " " + drops);
                    case "quit" -> {
                        STOP.setOpaque(this, true);
                        return;
                    }
                    default -> say("ERROR unknown command '" + line + "'");
                }
            }
        } catch (IOException e) {
            // stdin gone: the orchestrator died, so stop as if told to
        }
        STOP.setOpaque(this, true);
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static void fail(String message) {
        System.err.println("MemifPeer: " + message);
        System.err.flush();
        System.exit(1);
    }
}
