package io.nfchain.bench.idle;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Not thread-safe; one run. The process that drives a {@code bench idle} run: it starts the
 * {@link IdleReceiver} and the {@link IdleSender}, calibrates, runs every window of the plan and
 * prints each window's raw figures on standard output for {@link IdleLoadRun}:
 * {@code GROUPS ...}, {@code CALIBRATED warmup_mpps=.. max_mpps=..}, one {@code WINDOW} line
 * per window (the receiver's RESULT fields prefixed {@code r.}, the sender's counts before and
 * after prefixed {@code s0.} and {@code s1.}), then {@code DONE}.
 *
 * <p>Why a process of its own: every command round trip needs the driving thread to wake up,
 * and while the measured threads spin at nice -20 on both CPUs a thread at nice 0 in another
 * session waits 0.1-1.5 s for each wake-up. So the conductor takes a session and priority of
 * its own, as the peers do, and the caller's session is left as it is (a process that left it
 * would no longer get the terminal's Ctrl-C). It ends when its standard input closes.
 *
 * <p>Usage: {@code IdleConductor PLAN_LINE} (see {@code IdleLoadRun.Plan#toLine}).
 */
public final class IdleConductor {
    private static final long START_TIMEOUT_MS = 60_000;
    private static final long COMMAND_TIMEOUT_MS = 30_000;
    private static final String RESULT_PREFIX = "r.";
    private static final String BEFORE_PREFIX = "s0.";
    private static final String AFTER_PREFIX = "s1.";

    private final IdleLoadRun.Plan plan;
    private final PeerProcess receiver;
    private final PeerProcess sender;
    private ControlLine senderCount;

    private IdleConductor(IdleLoadRun.Plan plan, PeerProcess receiver, PeerProcess sender) {
        this.plan = plan;
        this.receiver = receiver;
        this.sender = sender;
        this.senderCount = sender.call(ControlLine.of("COUNT"), "COUNT", COMMAND_TIMEOUT_MS);
    }

    public static void main(String[] args) {
        try {
            IdleLoadRun.Plan plan = IdleLoadRun.Plan.fromLine(ControlLine.parse(args[0]));
            String group = "inherited";
            if (plan.nice() != 0) {
                group = SchedulingPriority.ownAutogroup(plan.nice());
                SchedulingPriority.setThreadNice(plan.nice());
            }
            Thread.ofPlatform().daemon(true).name("conductor-stdin").start(IdleConductor::exitWhenInputEnds);
            conduct(plan, group.replace(' ', '_'));
            System.exit(0);
        } catch (RuntimeException e) {
            reply("ERROR " + e.getMessage());
            System.exit(1);
        }
    }

    private static void conduct(IdleLoadRun.Plan plan, String group) {
        Path dir;
        try {
            dir = Files.createTempDirectory("nfchain-idle-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the memif socket", e);
        }
        Path socket = dir.resolve("memif.sock");
        String nice = Integer.toString(plan.nice());
        try (PeerProcess receiver = PeerProcess.start("receiver", IdleReceiver.class, socket.toString(),
                Integer.toString(plan.receiverCpu()), nice)) {
            String receiverGroup = receiver.await("LISTENING", START_TIMEOUT_MS).text("autogroup");
            try (PeerProcess sender = PeerProcess.start("sender", IdleSender.class, socket.toString(),
                    Integer.toString(plan.senderCpu()), nice)) {
                String senderGroup = sender.await("CONNECTED", START_TIMEOUT_MS).text("autogroup");
                receiver.await("CONNECTED", START_TIMEOUT_MS);
                reply(ControlLine.of("GROUPS").with("conductor", group).with("receiver", receiverGroup)
                        .with("sender", senderGroup).format());
                IdleConductor conductor = new IdleConductor(plan, receiver, sender);
                conductor.measureAll(conductor.calibrate());
                receiver.call(ControlLine.of("STOP"), "STOPPED", COMMAND_TIMEOUT_MS);
                reply("DONE");
            }
        } finally {
            deleteQuietly(socket);
            deleteQuietly(dir);
        }
    }

    /**
     * The link's maximum in frames/s: busy poller, unpaced sender. Before it, both JVMs warm up
     * on the paced and the unpaced paths, paced last: the code the JIT settles on depends on what
     * it saw (see the peers' {@code -Xbatch}); calibrated after the unpaced path alone, the link
     * later ran up to five times faster than its "maximum".
     */
    private double calibrate() {
        StrategySpec busy = StrategySpec.parse(IdleReport.BUSY);
        setRate(-1);
        WindowResult warm = windowResult(window(busy, 100, 0));
        setRate(warm.deliveredMpps() * 1e6 / 10);
        window(busy, 10, 0);
        setRate(-1);
        WindowResult w = windowResult(window(busy, 100, 0));
        if (w.frames() == 0) {
            throw new IllegalStateException("no frame crossed the link during calibration");
        }
        reply(ControlLine.of("CALIBRATED").with("warmup_mpps", warm.deliveredMpps()).with("max_mpps", w.deliveredMpps())
                .format());
        return w.deliveredMpps() * 1e6;
    }

    private void measureAll(double maxFramesPerSecond) {
        List<StrategySpec> order = new ArrayList<>(plan.strategies());
        for (int round = 1; round <= plan.rounds(); round++) {
            for (double load : plan.loadsPct()) {
                setRate(load == 100 ? -1 : maxFramesPerSecond * load / 100);
                for (StrategySpec s : order) {
                    reply(window(s, load, round).format());
                }
            }
            order.add(order.removeFirst());
        }
        setRate(0);
    }

    /** Sets the sender's rate; its counts start again from here. */
    private void setRate(double framesPerSecond) {
        sender.call(ControlLine.of("RATE").with("fps", framesPerSecond), "OK", COMMAND_TIMEOUT_MS);
        senderCount = sender.call(ControlLine.of("COUNT"), "COUNT", COMMAND_TIMEOUT_MS);
    }

    /**
     * One window, timed by the receiver; the sender's counts are taken once per window, so they
     * span the window with its warm-up and the commands around it.
     */
    private ControlLine window(StrategySpec strategy, double loadPct, int round) {
        receiver.call(ControlLine.of("RUN").with("strategy", strategy.label()), "RUNNING", COMMAND_TIMEOUT_MS);
        ControlLine result = receiver.call(ControlLine.of("WINDOW").with("warmup_ms", plan.warmupMs())
                .with("measure_ms", plan.measureMs()), "RESULT", COMMAND_TIMEOUT_MS + plan.warmupMs() + plan.measureMs());
        if (Boolean.parseBoolean(result.text("disconnected"))) {
            throw new IllegalStateException("the memif link went down during the window");
        }
        ControlLine before = senderCount;
        senderCount = sender.call(ControlLine.of("COUNT"), "COUNT", COMMAND_TIMEOUT_MS);
        return windowLine(strategy.label(), loadPct, round, result, before, senderCount);
    }

    /** The {@code WINDOW} line for one window: what {@link #windowResult} reads back. */
    static ControlLine windowLine(String strategy, double loadPct, int round, ControlLine result, ControlLine before,
            ControlLine after) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("strategy", strategy);
        fields.put("load", IdleReport.loadText(loadPct));
        fields.put("round", Integer.toString(round));
        result.fields().forEach((k, v) -> fields.put(RESULT_PREFIX + k, v));
        before.fields().forEach((k, v) -> fields.put(BEFORE_PREFIX + k, v));
        after.fields().forEach((k, v) -> fields.put(AFTER_PREFIX + k, v));
        return new ControlLine("WINDOW", fields);
    }

    /**
     * Reads a {@code WINDOW} line back.
     *
     * @throws IllegalArgumentException when a field is missing or malformed
     */
    static WindowResult windowResult(ControlLine line) {
        double load;
        try {
            load = Double.parseDouble(line.text("load"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("WINDOW load is not a number: " + line.text("load"));
        }
        return WindowResult.of(line.text("strategy"), load, unprefixed(line, RESULT_PREFIX, "RESULT"),
                unprefixed(line, BEFORE_PREFIX, "COUNT"), unprefixed(line, AFTER_PREFIX, "COUNT"));
    }

    private static ControlLine unprefixed(ControlLine line, String prefix, String word) {
        Map<String, String> fields = new LinkedHashMap<>();
        line.fields().forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                fields.put(k.substring(prefix.length()), v);
            }
        });
        return new ControlLine(word, fields);
    }

    /** The driver went away (or said QUIT): the peers see their input close and end too. */
    private static void exitWhenInputEnds() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null && !line.equals("QUIT"); line = in.readLine()) {
                // nothing else is expected
            }
        } catch (IOException e) {
            // as if it ended
        }
        System.exit(2);
    }

    private static void reply(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // a temporary file; nothing depends on it
        }
    }
}
