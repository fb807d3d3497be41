package io.nfchain.bench.upf;

import io.nfchain.core.memif.MemifProtocol;
import io.nfchain.core.memif.MemifServer;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.memif.ServerQueuePair;
import io.nfchain.core.os.CpuAffinity;
import io.nfchain.core.packet.NetBytes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The traffic end and the switch of {@code ./nfchain bench upf}, one per JVM, busy on one pinned
 * core: a memif server per hop of the chain ({@code SOCKET_PREFIX-k.sock}); it offers bursts of 32
 * (half uplink GTP-U, half downlink plain IP, cycling over {@code FLOWS} frames spread over the
 * sessions) to hop 0, moves what hop k returns to hop k+1 (as the agent does between a chain's NF
 * links), and counts what the last hop returns, telling encapsulated (downlink) from plain (uplink).
 *
 * <p>Closed loop by default: at most {@code WINDOW} packets are in the chain at once (offered to
 * hop 0 and not yet back from the last hop), and a window no larger than a ring (1,024 slots) means
 * no ring between hops can overflow, so the figure is the rate at which the chain moves packets
 * without loss, with every packet's work counted once. A packet an NF drops never comes back: when
 * nothing has come back for {@value #STALL_NS} ns the packets still out are written off as
 * {@code unanswered} (0 in a healthy run). {@code WINDOW} 0 is open loop: a burst every turn,
 * whatever the chain can take, and what a full ring refuses is lost between hops.
 *
 * <p>{@code UpfTraffic SOCKET_PREFIX HOPS SESSIONS CPU WINDOW}. Console: {@code LISTENING}, then
 * {@code CONNECTED} once every hop connected; nothing is sent before {@code start}. {@code stats}
 * prints {@code STATS sent received uplink_out downlink_out lost_between_hops memif_drops unanswered}.
 */
public final class UpfTraffic {
    static final int BURST = 32;
    private static final int FLOWS = 8192;
    private static final int TURNS_PER_CHUNK = 256;
    private static final long CONTROL_PERIOD_NS = 1_000_000;
    static final long STALL_NS = 1_000_000_000;
    private static final VarHandle STOP;
    private static final VarHandle GO;

    static {
        try {
            STOP = MethodHandles.lookup().findVarHandle(UpfTraffic.class, "stop", boolean.class);
            GO = MethodHandles.lookup().findVarHandle(UpfTraffic.class, "go", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long sent;
    private volatile long received;
    private volatile long uplinkOut;
    private volatile long downlinkOut;
    private volatile long lostBetweenHops;
    private volatile long memifDrops;
    private volatile long unanswered;
    private final int window;
    private long inFlight;
    private long lastAnswerNs;
    private boolean stop;
    private boolean go;
    private final PacketBurst[] out;
    private final PacketBurst in = new PacketBurst(BURST, 2048);

    private UpfTraffic(int sessions, int window) {
        this.window = window;
        out = new PacketBurst[FLOWS / BURST];
        for (int b = 0; b < out.length; b++) {
            out[b] = new PacketBurst(BURST, 256);
            for (int i = 0; i < BURST; i++) {
                int flow = b * BURST + i;
                int session = (int) ((long) flow * 7919 % sessions);
                var frame = (flow & 1) == 0 ? UpfFlows.uplink(session, flow) : UpfFlows.downlink(session, flow);
                out[b].setLength(i, frame.writeTo(out[b].data(), out[b].offset(i)));
            }
            out[b].setCount(BURST);
        }
    }

    public static void main(String[] args) {
        if (args.length != 5) {
            fail("usage: UpfTraffic SOCKET_PREFIX HOPS SESSIONS CPU WINDOW");
        }
        int hops = Integer.parseInt(args[1]);
        int window = Integer.parseInt(args[4]);
        if (window < 0 || window > 1 << MemifProtocol.DEFAULT_LOG2_RING_SIZE) {
            fail("WINDOW must be 0 (open loop) .. " + (1 << MemifProtocol.DEFAULT_LOG2_RING_SIZE) + " (a ring), not " + window);
        }
        UpfTraffic traffic = new UpfTraffic(Integer.parseInt(args[2]), window);
        Thread.ofPlatform().daemon().name("console").start(traffic::console);
        MemifServer[] servers = new MemifServer[hops];
        try {
            for (int k = 0; k < hops; k++) {
                // charging maps its region from a file (so usage survives its crash): such a region cannot
                // be sealed, and the default server refuses unsealed ones. The bench trusts its own NFs.
                servers[k] = MemifServer.listen(MemifServer.Config.of(Path.of(args[0] + "-" + k + ".sock"))
                        .withRequireSealedRegions(false));
            }
            say("LISTENING");
            if (traffic.await(servers, false) && traffic.await(servers, true)) {
                CpuAffinity.pin(Integer.parseInt(args[3]));
                traffic.loop(servers);
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
            fail(e.toString());
        } finally {
            for (MemifServer s : servers) {
                if (s != null) {
                    s.close();
                }
            }
        }
        say("BYE");
        System.exit(0);
    }

    /** Until every hop connected (and, with {@code forStart}, until {@code start}); false when told to stop. */
    private boolean await(MemifServer[] servers, boolean forStart) {
        boolean announced = false;
        while (true) {
            boolean all = true;
            for (MemifServer s : servers) {
                s.doWork();
                all &= s.isConnected();
            }
            if (all && !announced) {
                say("CONNECTED");
                announced = true;
            }
            if (all && (!forStart || (boolean) GO.getOpaque(this))) {
                return true;
            }
            if ((boolean) STOP.getOpaque(this)) {
                return false;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return false;
            }
        }
    }

    private void loop(MemifServer[] servers) {
        ServerQueuePair[] pairs = new ServerQueuePair[servers.length];
        for (int k = 0; k < pairs.length; k++) {
            pairs[k] = servers[k].queuePair(0);
        }
        long nextControl = System.nanoTime() + CONTROL_PERIOD_NS;
        lastAnswerNs = System.nanoTime();
        int next = 0;
        while (!(boolean) STOP.getOpaque(this)) {
            next = chunk(pairs, next);
            long now = System.nanoTime();
            if (window > 0 && inFlight > 0 && now - lastAnswerNs > STALL_NS) {
                unanswered += inFlight; // dropped inside an NF: never coming back
                inFlight = 0;
                lastAnswerNs = now;
            }
            if (now >= nextControl) {
                nextControl = now + CONTROL_PERIOD_NS;
                long drops = 0;
                for (int k = 0; k < servers.length; k++) {
                    servers[k].doWork();
                    drops += pairs[k].counters().totalDrops();
                    if (!servers[k].isConnected()) {
                        fail("hop " + k + " disconnected: " + servers[k].lastError() + " " + servers[k].peerDisconnectText());
                    }
                }
                memifDrops = drops;
            }
        }
    }

    private int chunk(ServerQueuePair[] pairs, int first) {
        PacketBurst rx = in;
        int last = pairs.length - 1;
        int next = first;
        long tx = 0;
        long rxCount = 0;
        long lost = 0;
        long down = 0;
        // Open loop offers every turn: a window far beyond what a chunk can send.
        long open = window == 0 ? Long.MAX_VALUE / 2 : window - inFlight;
        for (int t = 0; t < TURNS_PER_CHUNK; t++) {
            if (open >= BURST) {
                int offered = pairs[0].txBurst(out[next]);
                tx += offered;
                open -= offered;
                next = next + 1 == out.length ? 0 : next + 1;
            }
            for (int k = 0; k < last; k++) {
                int n = pairs[k].rxBurst(rx);
                if (n > 0) {
                    int refused = n - pairs[k + 1].txBurst(rx);
                    lost += refused;
                    open += refused;
                }
            }
            int n = pairs[last].rxBurst(rx);
            rxCount += n;
            open += n;
            for (int i = 0; i < n; i++) {
                // Encapsulated downlink: IPv4, UDP, destination port 2152 (bytes 23 and 36..37 of the frame).
                long at = rx.offset(i);
                if (NetBytes.u8(rx.data(), at + 23) == 17 && NetBytes.u16(rx.data(), at + 36) == 2152) {
                    down++;
                }
            }
        }
        sent += tx;
        received += rxCount;
        if (window > 0) {
            inFlight += tx - rxCount - lost;
            if (rxCount > 0) {
                lastAnswerNs = System.nanoTime();
            }
        }
        downlinkOut += down;
        uplinkOut += rxCount - down;
        lostBetweenHops += lost;
        return next;
    }

    private void console() {
        try (BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line = input.readLine(); line != null; line = input.readLine()) {
                switch (line.strip()) {
                    case "start" -> GO.setOpaque(this, true);
                    case "stats" -> say("STATS " + sent + " " + received + " " + uplinkOut + " " + downlinkOut + " "
                            + lostBetweenHops + " " + memifDrops + " " + unanswered);
                    case "quit" -> {
                        STOP.setOpaque(this, true);
                        return;
                    }
                    default -> say("ERROR unknown command '" + line + "'");
                }
            }
        } catch (IOException e) {
            // stdin gone: the orchestrator died
        }
        STOP.setOpaque(this, true);
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static void fail(String message) {
        System.err.println("UpfTraffic: " + message);
        System.err.flush();
        System.exit(1);
    }
}
