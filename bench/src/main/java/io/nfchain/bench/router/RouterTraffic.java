package io.nfchain.bench.router;

import io.nfchain.core.memif.MemifServer;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.memif.ServerQueuePair;
import io.nfchain.core.os.CpuAffinity;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The traffic end of {@code ./nfchain bench router}, one per JVM: a memif server on one socket,
 * busy-polling one pinned core, that sends the flows of a {@link FlowSet} open-loop (every turn
 * it offers the next burst of 32; what the ring has no room for is not sent) and receives what
 * the device under test sends back, counting both, and checking every frame of one received
 * burst in about {@link #SAMPLE_EVERY_BURSTS} (the one received at the first turn of each chunk)
 * with a {@link ReturnCheck}.
 *
 * <p>{@code RouterTraffic routed|swapped SOCKET FLOWS_FILE CPU}. Console: it prints
 * {@code LISTENING}, then {@code CONNECTED} when the device under test connects; it sends nothing
 * until the line {@code start} (the router loads its table first). On {@code stats} it prints
 * {@code STATS sent received checked bad first_bad memif_drops} ({@code first_bad}: the ordinal of
 * the first {@link ReturnCheck.Verdict} that was not OK, 0 when none); on {@code quit} or end of
 * input it stops and exits 0. Failures go to stderr with exit code 1.
 */
public final class RouterTraffic {
    static final int BURST = 32;
    /** One received burst in this many is checked frame by frame; a power of two. */
    static final int SAMPLE_EVERY_BURSTS = 256;
    private static final int TURNS_PER_CHUNK = 256;
    private static final long CONTROL_PERIOD_NS = 1_000_000;
    private static final VarHandle SENT;
    private static final VarHandle RECEIVED;
    private static final VarHandle CHECKED;
    private static final VarHandle BAD;
    private static final VarHandle STOP;
    private static final VarHandle GO;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SENT = lookup.findVarHandle(RouterTraffic.class, "sent", long.class);
            RECEIVED = lookup.findVarHandle(RouterTraffic.class, "received", long.class);
            CHECKED = lookup.findVarHandle(RouterTraffic.class, "checked", long.class);
            BAD = lookup.findVarHandle(RouterTraffic.class, "bad", long.class);
            STOP = lookup.findVarHandle(RouterTraffic.class, "stop", boolean.class);
            GO = lookup.findVarHandle(RouterTraffic.class, "go", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Written by the busy thread with opaque stores (plain moves on x86), read by the console thread.
    private long sent;
    private long received;
    private long checked;
    private long bad;
    private volatile int firstBad;
    private volatile long memifDrops;
    private boolean stop;
    private boolean go;

    private final ReturnCheck check;
    private final PacketBurst[] out;
    private final PacketBurst in = new PacketBurst(BURST, 2048);

    private RouterTraffic(FlowSet flows, ReturnCheck.Expect expect) {
        this.check = new ReturnCheck(flows, expect);
        int bursts = Integer.highestOneBit(Math.max(1, flows.size() / BURST));
        this.out = new PacketBurst[bursts];
        for (int b = 0; b < bursts; b++) {
            out[b] = new PacketBurst(BURST, 128);
            for (int i = 0; i < BURST; i++) {
                int flow = (b * BURST + i) % flows.size();
                out[b].setLength(i, flows.frame(flow).writeTo(out[b].data(), out[b].offset(i)));
            }
            out[b].setCount(BURST);
        }
    }

    public static void main(String[] args) {
        if (args.length != 4 || !(args[0].equals("routed") || args[0].equals("swapped"))) {
            fail("usage: RouterTraffic routed|swapped SOCKET FLOWS_FILE CPU");
        }
        try {
            FlowSet flows = FlowSet.read(Path.of(args[2]));
            RouterTraffic traffic = new RouterTraffic(flows,
                    args[0].equals("routed") ? ReturnCheck.Expect.ROUTED : ReturnCheck.Expect.SWAPPED);
            Thread.ofPlatform().daemon().name("console").start(traffic::console);
            traffic.serve(Path.of(args[1]), Integer.parseInt(args[3]));
        } catch (IOException | RuntimeException e) {
            e.printStackTrace();
            fail(e.toString());
        }
        say("BYE");
        System.exit(0);
    }

    private void serve(Path socket, int cpu) {
        try (MemifServer server = MemifServer.listen(MemifServer.Config.of(socket))) {
            say("LISTENING");
            if (!awaitConnected(server)) {
                return;
            }
            CpuAffinity.pin(cpu);
            say("CONNECTED");
            if (!awaitStart(server)) {
                return;
            }
            trafficLoop(server, server.queuePair(0));
        }
    }

    private boolean awaitConnected(MemifServer server) {
        while (!server.isConnected()) {
            server.doWork();
            idle();
            if ((boolean) STOP.getOpaque(this)) {
                return false;
            }
        }
        return true;
    }

    private boolean awaitStart(MemifServer server) {
        while (!(boolean) GO.getOpaque(this)) {
            server.doWork();
            if ((boolean) STOP.getOpaque(this)) {
                return false;
            }
            if (!server.isConnected()) {
                fail("the device under test disconnected before traffic started: " + server.lastError() + " "
                        + server.peerDisconnectText());
            }
            idle();
        }
        return true;
    }

    /**
     * Sleeps a millisecond: until traffic starts nothing is measured, and the router loading a
     * million routes over gRPC needs this core more than a spinning wait does.
     */
    private static void idle() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while waiting");
        }
    }

    /** The measured loop: chunks of turns, counts published once per chunk, control once a millisecond. */
    private void trafficLoop(MemifServer server, ServerQueuePair pair) {
        long nextControl = System.nanoTime() + CONTROL_PERIOD_NS;
        int next = 0;
        while (true) {
            next = chunk(pair, next);
            long now = System.nanoTime();
            if (now >= nextControl) {
                nextControl = now + CONTROL_PERIOD_NS;
                memifDrops = pair.counters().totalDrops();
                server.doWork();
                if ((boolean) STOP.getOpaque(this)) {
                    return;
                }
                if (!server.isConnected()) {
                    fail("the device under test disconnected: " + server.lastError() + " " + server.peerDisconnectText());
                }
            }
        }
    }

    private int chunk(ServerQueuePair pair, int first) {
        PacketBurst[] bursts = out;
        PacketBurst rx = in;
        int mask = bursts.length - 1;
        int next = first;
        long tx = 0;
        long rxCount = 0;
        for (int t = 0; t < TURNS_PER_CHUNK; t++) {
            tx += pair.txBurst(bursts[next]);
            next = (next + 1) & mask;
            int n = pair.rxBurst(rx);
            rxCount += n;
            if (n > 0 && (t & (SAMPLE_EVERY_BURSTS - 1)) == 0) {
                checkBurst(rx);
            }
        }
        SENT.setOpaque(this, (long) SENT.getOpaque(this) + tx);
        RECEIVED.setOpaque(this, (long) RECEIVED.getOpaque(this) + rxCount);
        return next;
    }

    private void checkBurst(PacketBurst rx) {
        long ok = 0;
        long wrong = 0;
        for (int i = 0; i < rx.count(); i++) {
            ReturnCheck.Verdict v = check.check(rx.data(), rx.offset(i), rx.length(i));
            if (v == ReturnCheck.Verdict.OK) {
                ok++;
            } else {
                wrong++;
                if (firstBad == 0) {
                    firstBad = v.ordinal();
                }
            }
        }
        CHECKED.setOpaque(this, (long) CHECKED.getOpaque(this) + ok + wrong);
        BAD.setOpaque(this, (long) BAD.getOpaque(this) + wrong);
    }

    private void console() {
        try (BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line = input.readLine(); line != null; line = input.readLine()) {
                switch (line.strip()) {
                    case "start" -> GO.setOpaque(this, true);
                    case "stats" -> say("STATS " + (long) SENT.getOpaque(this) + " " + (long) RECEIVED.getOpaque(this)
                            + " " + (long) CHECKED.getOpaque(this) + " " + (long) BAD.getOpaque(this) + " " + firstBad
                            + " " + memifDrops);
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
        System.err.println("RouterTraffic: " + message);
        System.err.flush();
        System.exit(1);
    }
}
