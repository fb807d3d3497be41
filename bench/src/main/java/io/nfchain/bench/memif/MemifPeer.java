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
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.BitSet;

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
 * Its console: it prints {@code LISTENING} (server), {@code CONNECTED}; on the line {@code stats}
 * it prints {@code STATS packets bytes drops}; on {@code quit} (or end of input) it stops,
 * disconnects and exits 0. Failures go to stderr with exit code 1.
 */
public final class MemifPeer {
    static final int BURST = 32;
    private static final int CONTROL_EVERY = 1023;
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
                case "server-rx" -> peer.serverRx(socket, cpu);
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
        try (MemifClient client = MemifClient.create(MemifClient.Config.of(socket));
                PacketBurst burst = new PacketBurst(BURST, Math.max(64, frameBytes))) {
            client.connect();
            while (!client.isConnected()) {
                if (!client.isActive()) {
                    fail("handshake refused: " + client.lastError() + " " + client.peerDisconnectText());
                }
                client.doWork();
                Thread.onSpinWait();
            }
            PacketBuilder frame = new PacketBuilder().ethernet(0x02_00_00_00_00_02L, 0x02_00_00_00_00_01L)
                    .ipv4(0xc612_0001, 0xc612_0002).udp(9, 9).padTo(frameBytes);
            for (int i = 0; i < BURST; i++) {
                burst.setLength(i, frame.writeTo(burst.data(), burst.offset(i)));
            }
            burst.setCount(BURST);
            pin(cpu);
            say("CONNECTED");
            sendLoop(client, client.queuePair(0), burst, frameBytes);
            drops = client.queuePair(0).counters().totalDrops();
        }
    }

    /** The measured loop: nothing but the burst, a sum, and one opaque store per burst. */
    private void sendLoop(MemifClient client, ClientQueuePair pair, PacketBurst burst, long frameBytes) {
        long sent = 0;
        for (long turn = 1; ; turn++) {
            sent += pair.txBurst(burst);
            PACKETS.setOpaque(this, sent);
            if ((turn & CONTROL_EVERY) == 0) {
                BYTES.setOpaque(this, sent * frameBytes);
                if ((boolean) STOP.getOpaque(this) || !connected(client)) {
                    return;
                }
            }
        }
    }

    private void serverRx(Path socket, int cpu) {
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
            pin(cpu);
            say("CONNECTED");
            receiveLoop(server, server.queuePair(0), burst);
        }
    }

    private void receiveLoop(MemifServer server, ServerQueuePair pair, PacketBurst burst) {
        long received = 0;
        for (long turn = 1; ; turn++) {
            received += pair.rxBurst(burst);
            PACKETS.setOpaque(this, received);
            if ((turn & CONTROL_EVERY) == 0) {
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

    private static void pin(int cpu) {
        BitSet cpus = new BitSet();
        cpus.set(cpu);
        CpuAffinity.set(cpus);
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
