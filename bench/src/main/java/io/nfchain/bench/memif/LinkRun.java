package io.nfchain.bench.memif;

import io.nfchain.core.dpdk.TestPmd;
import io.nfchain.core.dpdk.TestPmdConfig;
import io.nfchain.core.dpdk.TestPmdConfig.ForwardMode;
import io.nfchain.core.dpdk.TestPmdConfig.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One measured memif link: a sender (memif client) on core {@link #TX_CPU} and a receiver
 * (memif server) on core {@link #RX_CPU}, each nfchain ({@link MemifPeer}) or testpmd, one queue,
 * bursts of 32, 1024-slot rings, 2048-byte buffers. After connecting, the link warms up until
 * its rate is steady, then the receiver's packet count and both processes' CPU time are read
 * before and after the measurement window.
 */
final class LinkRun {
    static final int RX_CPU = 0;
    static final int TX_CPU = 1;
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final long STARTUP_MS = STARTUP.toMillis();
    private static final long WINDOW_MS = 500;
    private static final double STABLE_FRACTION = 0.05;

    /** Which program plays each end. */
    enum Pairing {
        NFCHAIN_NFCHAIN("nfchain", "nfchain"),
        NFCHAIN_TESTPMD("nfchain", "testpmd"),
        TESTPMD_NFCHAIN("testpmd", "nfchain"),
        TESTPMD_TESTPMD("testpmd", "testpmd");

        final String sender;
        final String receiver;

        Pairing(String sender, String receiver) {
            this.sender = sender;
            this.receiver = receiver;
        }

        /** {@code sender_receiver}, as the JSON figures name it. */
        String key() {
            return sender + "_" + receiver;
        }

        String label() {
            return sender + " -> " + receiver;
        }
    }

    /** What one window measured. Packets are those the receiver counted. */
    record Measurement(Pairing pairing, int frameBytes, double seconds, long packets, long senderPackets,
            double senderCpuSeconds, double receiverCpuSeconds, String window) {
        /** Two windows of the same pairing as one: counts, seconds and CPU time added. */
        Measurement plus(Measurement other) {
            if (other.pairing != pairing || other.frameBytes != frameBytes) {
                throw new IllegalArgumentException(other.pairing + " " + other.frameBytes + " is not " + pairing + " " + frameBytes);
            }
            return new Measurement(pairing, frameBytes, seconds + other.seconds, packets + other.packets,
                    senderPackets + other.senderPackets, senderCpuSeconds + other.senderCpuSeconds,
                    receiverCpuSeconds + other.receiverCpuSeconds, window + "+" + other.window);
        }

        double mpps() {
            return packets / seconds / 1e6;
        }

        /**
         * The smaller of the two sides' CPU time over the window, as a fraction of it: near 1
         * when each side had its core to itself, lower when other processes took turns on it.
         */
        double cpuShare() {
            return Math.min(senderCpuSeconds, receiverCpuSeconds) / seconds;
        }

        /** Frame bytes only (no preamble, inter-frame gap or FCS). */
        double gbps() {
            return packets * (double) frameBytes * 8 / seconds / 1e9;
        }
    }

    /** One side of the link. */
    private interface End extends AutoCloseable {
        /** Packets received (receiver) or sent (sender) so far. */
        long packets() throws Exception;

        long cpuNanos();
    }

    private LinkRun() {}

    /**
     * Measures one window after warm-up; when other processes took part of a side's core
     * (CPU share under {@code minShare}), measures again, up to {@code windows} windows in all,
     * and keeps the window with the highest share.
     */
    static Measurement measure(Pairing pairing, int frameBytes, long warmupMs, long measureMs, int windows,
            double minShare, Path dir) throws Exception {
        Path socket = dir.resolve("memif-" + pairing.key() + "-" + frameBytes + ".sock");
        Files.deleteIfExists(socket);
        try (End receiver = startReceiver(pairing.receiver, socket, frameBytes);
                End sender = startSender(pairing.sender, socket, frameBytes)) {
            awaitReceiverConnected(receiver);
            warmUp(receiver, warmupMs);
            Measurement best = null;
            for (int w = 1; w <= windows && (best == null || best.cpuShare() < minShare); w++) {
                Measurement m = window(pairing, frameBytes, measureMs, sender, receiver, w);
                if (best == null || m.cpuShare() > best.cpuShare()) {
                    best = m;
                }
            }
            return best;
        } finally {
            Files.deleteIfExists(socket);
        }
    }

    private static Measurement window(Pairing pairing, int frameBytes, long measureMs, End sender, End receiver,
            int window) throws Exception {
        long cpuTx0 = sender.cpuNanos();
        long cpuRx0 = receiver.cpuNanos();
        long tx0 = sender.packets();
        long t0 = System.nanoTime();
        long rx0 = receiver.packets();
        long t0End = System.nanoTime();
        Thread.sleep(measureMs);
        long t1 = System.nanoTime();
        long rx1 = receiver.packets();
        long t1End = System.nanoTime();
        long tx1 = sender.packets();
        long cpuRx1 = receiver.cpuNanos();
        long cpuTx1 = sender.cpuNanos();
        double seconds = ((t1 + t1End) / 2.0 - (t0 + t0End) / 2.0) / 1e9; // each count read mid-query
        return new Measurement(pairing, frameBytes, seconds, rx1 - rx0, tx1 - tx0, (cpuTx1 - cpuTx0) / 1e9,
                (cpuRx1 - cpuRx0) / 1e9, Integer.toString(window));
    }

    /**
     * Waits {@code minMs}, then until two successive {@link #WINDOW_MS} windows agree on the rate
     * within {@link #STABLE_FRACTION} (a JVM's loops run interpreted, then C1-, then C2-compiled,
     * each faster), or {@code 5 * minMs} passed.
     */
    private static void warmUp(End receiver, long minMs) throws Exception {
        Thread.sleep(minMs);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(4 * minMs);
        long before = receiver.packets();
        double lastRate = -1;
        while (System.nanoTime() < deadline) {
            Thread.sleep(WINDOW_MS);
            long now = receiver.packets();
            double rate = now - before;
            before = now;
            if (lastRate > 0 && Math.abs(rate - lastRate) <= STABLE_FRACTION * lastRate) {
                return;
            }
            lastRate = rate;
        }
    }

    private static End startReceiver(String program, Path socket, int frameBytes) throws Exception {
        if (program.equals("nfchain")) {
            PeerProcess peer = PeerProcess.start("server-rx", socket, frameBytes, RX_CPU);
            try {
                peer.await("LISTENING", STARTUP_MS);
            } catch (Exception e) {
                peer.close();
                throw e;
            }
            return new NfchainEnd(peer);
        }
        // forwarding lcore on RX_CPU; the main lcore only blocks on the console
        TestPmd testpmd = TestPmd.start(TestPmdConfig.of(socket, Role.SERVER, ForwardMode.RXONLY)
                .withLcores(TX_CPU, RX_CPU));
        try {
            testpmd.awaitSocket(STARTUP);
            testpmd.startForwarding();
        } catch (RuntimeException e) {
            testpmd.close();
            throw e;
        }
        return new TestPmdEnd(testpmd, true);
    }

    private static End startSender(String program, Path socket, int frameBytes) throws Exception {
        if (program.equals("nfchain")) {
            PeerProcess peer = PeerProcess.start("client-tx", socket, frameBytes, TX_CPU);
            try {
                peer.await("CONNECTED", STARTUP_MS);
            } catch (Exception e) {
                peer.close();
                throw e;
            }
            return new NfchainEnd(peer);
        }
        TestPmd testpmd = TestPmd.start(TestPmdConfig.of(socket, Role.CLIENT, ForwardMode.TXONLY)
                .withLcores(RX_CPU, TX_CPU).withTxPacketBytes(frameBytes));
        try {
            testpmd.awaitLinkUp(STARTUP);
            testpmd.startForwarding();
        } catch (RuntimeException e) {
            testpmd.close();
            throw e;
        }
        return new TestPmdEnd(testpmd, false);
    }

    private static void awaitReceiverConnected(End receiver) throws Exception {
        switch (receiver) {
            case NfchainEnd n -> n.peer.await("CONNECTED", STARTUP_MS);
            case TestPmdEnd t -> t.testpmd.awaitLinkUp(STARTUP);
            default -> throw new IllegalStateException("unknown end " + receiver);
        }
    }

    private record NfchainEnd(PeerProcess peer) implements End {
        @Override
        public long packets() throws Exception {
            return peer.stats()[0];
        }

        @Override
        public long cpuNanos() {
            return peer.cpuNanos();
        }

        @Override
        public void close() throws InterruptedException {
            peer.close();
        }
    }

    private record TestPmdEnd(TestPmd testpmd, boolean receiver) implements End {
        @Override
        public long packets() {
            var stats = testpmd.portStats();
            return receiver ? stats.rxPackets() : stats.txPackets();
        }

        @Override
        public long cpuNanos() {
            return testpmd.cpuNanos();
        }

        @Override
        public void close() {
            testpmd.close();
        }
    }
}
