package io.nfchain.bench.acl;

import io.nfchain.core.memif.MemifServer;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.memif.ServerQueuePair;
import io.nfchain.core.os.CpuAffinity;
import io.nfchain.functions.acl.AclEngine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The traffic end of the acl load run, one per JVM: a memif server on one socket, busy-polling
 * one pinned core, offering the frames of {@link AclFrames#standard()} open loop (every turn the
 * next burst of 32; what the ring has no room for is not sent) and receiving what the acl lets
 * back. It counts frames sent, frames received, and the frames sent that the rule set in force
 * lets through (by {@link AclFrames}' verdicts: the orchestrator compares that with the acl's own
 * permit counters), and checks every frame of one received burst in {@link #SAMPLE_EVERY_BURSTS}
 * with an {@link AclReturnCheck}.
 *
 * <p>{@code AclTraffic SOCKET CPU}. Console: it prints {@code LISTENING}, then {@code CONNECTED}
 * when the acl connects. {@code expect C} makes rule set {@code C} (an index into
 * {@link AclFrames#RULE_COUNTS}) the one counted and checked against; {@code start} starts
 * sending, {@code pause} stops sending (receiving goes on, so the rings drain). On {@code stats}
 * it prints {@code STATS sent received expected_pass checked bad first_bad memif_drops}, all since
 * it started ({@code first_bad}: the ordinal of the first {@link AclReturnCheck.Verdict} that was
 * not OK, 0 when none); on {@code quit} or end of input it exits 0. Failures go to stderr, exit 1.
 */
public final class AclTraffic {
    static final int BURST = 32;
    /** One received burst in this many is checked frame by frame; a power of two. */
    static final int SAMPLE_EVERY_BURSTS = 64;
    private static final int TURNS_PER_CHUNK = 256;
    private static final long CONTROL_PERIOD_NS = 1_000_000;
    private static final VarHandle SENT;
    private static final VarHandle RECEIVED;
    private static final VarHandle EXPECTED_PASS;
    private static final VarHandle CHECKED;
    private static final VarHandle BAD;
    private static final VarHandle STOP;
    private static final VarHandle GO;
    private static final VarHandle RULES;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SENT = lookup.findVarHandle(AclTraffic.class, "sent", long.class);
            RECEIVED = lookup.findVarHandle(AclTraffic.class, "received", long.class);
            EXPECTED_PASS = lookup.findVarHandle(AclTraffic.class, "expectedPass", long.class);
            CHECKED = lookup.findVarHandle(AclTraffic.class, "checked", long.class);
            BAD = lookup.findVarHandle(AclTraffic.class, "bad", long.class);
            STOP = lookup.findVarHandle(AclTraffic.class, "stop", boolean.class);
            GO = lookup.findVarHandle(AclTraffic.class, "go", boolean.class);
            RULES = lookup.findVarHandle(AclTraffic.class, "rules", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Written by the busy thread with opaque stores (plain moves on x86), read by the console thread.
    private long sent;
    private long received;
    private long expectedPass;
    private long checked;
    private long bad;
    private volatile int firstBad;
    private volatile long memifDrops;
    private boolean stop;
    private boolean go;
    /** The rule set in force; changed by the console only while paused and drained. */
    private int rules;

    private final AclReturnCheck check;
    private final PacketBurst[] out;
    /** [rule set][burst * (BURST + 1) + n]: frames among the first n of the burst that set lets through. */
    private final int[][] passPrefix;
    private final PacketBurst in = new PacketBurst(BURST, 2048);

    AclTraffic(AclFrames frames) {
        this.check = new AclReturnCheck(frames);
        int bursts = frames.size() / BURST;
        this.out = new PacketBurst[bursts];
        int sets = frames.ruleCounts().length;
        this.passPrefix = new int[sets][bursts * (BURST + 1)];
        for (int b = 0; b < bursts; b++) {
            out[b] = new PacketBurst(BURST, 128);
            for (int i = 0; i < BURST; i++) {
                byte[] frame = frames.frame(b * BURST + i);
                out[b].data().asSlice(out[b].offset(i), frame.length).copyFrom(MemorySegment.ofArray(frame));
                out[b].setLength(i, frame.length);
            }
            out[b].setCount(BURST);
            for (int c = 0; c < sets; c++) {
                int at = b * (BURST + 1);
                for (int i = 0; i < BURST; i++) {
                    passPrefix[c][at + i + 1] = passPrefix[c][at + i]
                            + (frames.verdict(c, b * BURST + i) == AclEngine.DROP ? 0 : 1);
                }
            }
        }
        if (Integer.bitCount(bursts) != 1) {
            throw new IllegalArgumentException(bursts + " bursts of frames: want a power of two");
        }
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            fail("usage: AclTraffic SOCKET CPU");
        }
        try {
            AclTraffic traffic = new AclTraffic(AclFrames.standard());
            Thread.ofPlatform().daemon().name("console").start(traffic::console);
            traffic.serve(Path.of(args[0]), Integer.parseInt(args[1]));
        } catch (RuntimeException e) {
            e.printStackTrace();
            fail(e.toString());
        }
        say("BYE");
        System.exit(0);
    }

    private void serve(Path socket, int cpu) {
        try (MemifServer server = MemifServer.listen(MemifServer.Config.of(socket))) {
            say("LISTENING");
            while (!server.isConnected()) {
                server.doWork();
                idle();
                if ((boolean) STOP.getOpaque(this)) {
                    return;
                }
            }
            CpuAffinity.pin(cpu);
            say("CONNECTED");
            trafficLoop(server, server.queuePair(0));
        }
    }

    /** Sleeps a millisecond while nobody is connected: the runner starting needs the core more. */
    private static void idle() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while waiting");
        }
    }

    /** Chunks of turns, counts published once per chunk, control once a millisecond. */
    private void trafficLoop(MemifServer server, ServerQueuePair pair) {
        long nextControl = System.nanoTime() + CONTROL_PERIOD_NS;
        int next = 0;
        while (true) {
            next = chunk(pair, next, (boolean) GO.getOpaque(this), (int) RULES.getOpaque(this));
            long now = System.nanoTime();
            if (now >= nextControl) {
                nextControl = now + CONTROL_PERIOD_NS;
                memifDrops = pair.counters().totalDrops();
                server.doWork();
                if ((boolean) STOP.getOpaque(this)) {
                    return;
                }
                if (!server.isConnected()) {
                    fail("the acl disconnected: " + server.lastError() + " " + server.peerDisconnectText());
                }
            }
        }
    }

    private int chunk(ServerQueuePair pair, int first, boolean send, int c) {
        PacketBurst[] bursts = out;
        int[] prefix = passPrefix[c];
        PacketBurst rx = in;
        int mask = bursts.length - 1;
        int next = first;
        long tx = 0;
        long pass = 0;
        long rxCount = 0;
        for (int t = 0; t < TURNS_PER_CHUNK; t++) {
            if (send) {
                int n = pair.txBurst(bursts[next]);
                tx += n;
                pass += prefix[next * (BURST + 1) + n];
                next = (next + 1) & mask;
            }
            int n = pair.rxBurst(rx);
            rxCount += n;
            if (n > 0 && (t & (SAMPLE_EVERY_BURSTS - 1)) == 0) {
                checkBurst(rx, c);
            }
        }
        SENT.setOpaque(this, (long) SENT.getOpaque(this) + tx);
        EXPECTED_PASS.setOpaque(this, (long) EXPECTED_PASS.getOpaque(this) + pass);
        RECEIVED.setOpaque(this, (long) RECEIVED.getOpaque(this) + rxCount);
        return next;
    }

    private void checkBurst(PacketBurst rx, int c) {
        long wrong = 0;
        for (int i = 0; i < rx.count(); i++) {
            AclReturnCheck.Verdict v = check.check(rx.data(), rx.offset(i), rx.length(i), c);
            if (v != AclReturnCheck.Verdict.OK) {
                wrong++;
                if (firstBad == 0) {
                    firstBad = v.ordinal();
                }
            }
        }
        CHECKED.setOpaque(this, (long) CHECKED.getOpaque(this) + rx.count());
        BAD.setOpaque(this, (long) BAD.getOpaque(this) + wrong);
    }

    private void console() {
        try (BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line = input.readLine(); line != null; line = input.readLine()) {
                String command = line.strip();
                if (command.startsWith("expect ")) {
                    expect(command.substring("expect ".length()));
                    continue;
                }
                switch (command) {
                    case "start" -> GO.setOpaque(this, true);
                    case "pause" -> GO.setOpaque(this, false);
                    case "stats" -> say("STATS " + (long) SENT.getOpaque(this) + " " + (long) RECEIVED.getOpaque(this)
                            + " " + (long) EXPECTED_PASS.getOpaque(this) + " " + (long) CHECKED.getOpaque(this) + " "
                            + (long) BAD.getOpaque(this) + " " + firstBad + " " + memifDrops);
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

    private void expect(String index) {
        try {
            int c = Integer.parseInt(index);
            if (c < 0 || c >= passPrefix.length) {
                throw new NumberFormatException("not a rule set index 0.." + (passPrefix.length - 1));
            }
            RULES.setOpaque(this, c);
            say("EXPECTING " + c);
        } catch (NumberFormatException e) {
            say("ERROR expect '" + index + "': " + e.getMessage());
        }
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static void fail(String message) {
        System.err.println("AclTraffic: " + message);
        System.err.flush();
        System.exit(1);
    }
}
