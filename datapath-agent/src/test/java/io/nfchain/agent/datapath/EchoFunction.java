package io.nfchain.agent.datapath;

import io.nfchain.core.memif.ClientQueuePair;
import io.nfchain.core.memif.MemifClient;
import io.nfchain.core.memif.PacketBurst;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A network function for tests: a real memif client on its own thread that sends back every
 * frame it receives, unchanged except the byte at {@code markOffset}, set to {@code mark}, so a
 * test can see which functions a frame went through.
 */
public final class EchoFunction implements AutoCloseable {
    private final MemifClient client;
    private final Thread thread;
    private final int markOffset;
    private final byte mark;
    private final AtomicLong echoed = new AtomicLong();
    private final boolean echo;
    private volatile boolean running = true;
    private volatile boolean paused;

    public EchoFunction(Path socket, int markOffset, int mark) {
        this(socket, markOffset, mark, true);
    }

    private EchoFunction(Path socket, int markOffset, int mark, boolean echo) {
        this.client = MemifClient.create(MemifClient.Config.of(socket).withRings(1, 12));
        this.markOffset = markOffset;
        this.mark = (byte) mark;
        this.echo = echo;
        client.start();
        thread = Thread.ofPlatform().daemon().name("echo-" + socket.getFileName()).start(this::run);
    }

    private void run() {
        try (PacketBurst burst = new PacketBurst(64, 2048)) {
            int[] pending = new int[64];
            while (running) {
                client.doWork();
                if (!client.isConnected()) {
                    Thread.onSpinWait();
                    continue;
                }
                if (paused) {
                    Thread.yield();
                    continue;
                }
                ClientQueuePair q = client.queuePair(0);
                int n = q.rxBurst(burst);
                if (n == 0) {
                    Thread.yield();
                    continue;
                }
                if (!echo) {
                    echoed.addAndGet(n);
                    continue;
                }
                for (int i = 0; i < n; i++) {
                    if (burst.length(i) > markOffset) {
                        burst.data().set(java.lang.foreign.ValueLayout.JAVA_BYTE, burst.offset(i) + markOffset, mark);
                    }
                    pending[i] = i;
                }
                int sent = 0;
                while (sent < n && running) {
                    sent += q.txBurst(burst, java.util.Arrays.copyOfRange(pending, sent, n), n - sent);
                    client.doWork();
                }
                echoed.addAndGet(n);
            }
        } finally {
            client.close();
        }
    }

    /**
     * A peer at the end of a chain (a DPDK or VPP application on a memif egress port): takes
     * every frame and sends nothing back; {@link #echoed} counts what it took.
     */
    public static EchoFunction sink(Path socket) {
        return new EchoFunction(socket, 0, 0, false);
    }

    /** Stops taking frames (the link stays up), as a function that fell behind would. */
    public void pause(boolean pause) {
        paused = pause;
    }

    public long echoed() {
        return echoed.get();
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
