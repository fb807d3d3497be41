package io.nfchain.core.afpacket;

import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.os.PacketSocket;
import io.nfchain.core.os.SocketOptions;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One-direction frame rate through a veth pair: a sender thread transmits 64-byte frames open
 * loop on one end, a receiver thread polls the other; both ends in one namespace created and
 * deleted here. Two methods in the same run, interleaved: {@code ring} (this port: TPACKET_V3
 * transmit ring with one kick per burst of 32, TPACKET_V3 receive ring) and {@code plain} (the
 * peer: one {@code send} and one {@code recv} per frame on plain AF_PACKET sockets). Reports
 * received Mpps, what the receiver's kernel counted as dropped, and each thread's CPU.
 * Not a unit test; run as root with:
 *
 * <pre>
 * ./mvnw -B -o -q -pl core test-compile
 * java --enable-native-access=ALL-UNNAMED -cp core/target/classes:core/target/test-classes \
 *     io.nfchain.core.afpacket.AfPacketThroughput [secondsPerRun=5] [runs=3]
 * </pre>
 */
public final class AfPacketThroughput {
    private static final int FRAME_BYTES = 64;
    private static final int BURST = 32;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private AfPacketThroughput() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<String> json = new ArrayList<>();
        try (VethLink link = VethLink.createInOneNamespace(1500)) {
            System.out.printf("%-6s %4s %10s %10s %12s %9s %9s %12s%n", "method", "run", "rx Mpps", "tx Mpps", "rx drops", "tx cpu%",
                    "rx cpu%", "Mpkt/cpu-s");
            for (int run = 1; run <= runs; run++) {
                for (String method : List.of("ring", "plain")) {
                    Result r = link.in(link.nsA, () -> measure(method, seconds));
                    System.out.printf(Locale.ROOT, "%-6s %4d %10.3f %10.3f %12d %9.0f %9.0f %12.3f%n", method, run,
                            r.rxMpps(), r.txMpps(), r.rxDrops, r.txCpuPct, r.rxCpuPct, r.rxMppsPerCpuSecond());
                    json.add(String.format(Locale.ROOT, "{\"method\":\"%s\",\"run\":%d,\"rx_mpps\":%.4f,\"tx_mpps\":%.4f,"
                            + "\"rx_drops\":%d,\"tx_cpu_pct\":%.1f,\"rx_cpu_pct\":%.1f,\"rx_mpkts_per_cpu_s\":%.4f}", method, run,
                            r.rxMpps(), r.txMpps(), r.rxDrops, r.txCpuPct, r.rxCpuPct, r.rxMppsPerCpuSecond()));
                }
            }
        }
        System.out.println("[" + String.join(",", json) + "]");
    }

    private record Result(long txFrames, long rxFrames, long rxDrops, double seconds, double txCpuPct, double rxCpuPct) {
        double rxMpps() {
            return rxFrames / seconds / 1e6;
        }

        /** Frames received per second of CPU the two threads used (kernel work they caused in their context included). */
        double rxMppsPerCpuSecond() {
            return rxFrames / ((txCpuPct + rxCpuPct) / 100 * seconds) / 1e6;
        }

        double txMpps() {
            return txFrames / seconds / 1e6;
        }
    }

    /** Runs on a thread inside the namespace, so the ports and sockets it opens live there. */
    private static Result measure(String method, int seconds) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong sent = new AtomicLong();
        AtomicLong received = new AtomicLong();
        AtomicLong drops = new AtomicLong();
        long[] cpuNs = new long[2];
        boolean ring = method.equals("ring");
        try (AutoCloseable tx = ring ? AfPacketPort.open(AfPacketConfig.of(VethLink.DEV_A)) : plain(VethLink.DEV_A);
                AutoCloseable rx = ring ? AfPacketPort.open(AfPacketConfig.of(VethLink.DEV_B)) : plain(VethLink.DEV_B)) {
            Thread receiver = Thread.ofPlatform().name("rx").start(() -> {
                long n = ring ? receiveRing((AfPacketPort) rx, running) : receivePlain((PacketSocket) rx, running, drops);
                received.set(n);
                cpuNs[1] = THREADS.getCurrentThreadCpuTime();
            });
            Thread sender = Thread.ofPlatform().name("tx").start(() -> {
                sent.set(ring ? sendRing((AfPacketPort) tx, running) : sendPlain((PacketSocket) tx, running));
                cpuNs[0] = THREADS.getCurrentThreadCpuTime();
            });
            long start = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            running.set(false);
            sender.join();
            receiver.join();
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (ring) {
                AfPacketPort port = (AfPacketPort) rx;
                port.pollKernelStatistics();
                drops.set(port.counters().kernelDrops());
            }
            return new Result(sent.get(), received.get(), drops.get(), elapsed,
                    cpuNs[0] / 1e7 / elapsed, cpuNs[1] / 1e7 / elapsed);
        }
    }

    private static long sendRing(AfPacketPort port, AtomicBoolean running) {
        try (PacketBurst burst = new PacketBurst(BURST, 2048)) {
            List<byte[]> frames = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                frames.add(PortFrames.numbered(i, FRAME_BYTES));
            }
            PortFrames.fill(burst, frames);
            while (running.get()) {
                port.txBurst(burst);
            }
            return port.counters().txPackets();
        }
    }

    private static long receiveRing(AfPacketPort port, AtomicBoolean running) {
        try (PacketBurst burst = new PacketBurst(BURST, 2048)) {
            long n = 0;
            while (running.get()) {
                n += port.rxBurst(burst);
            }
            return n;
        }
    }

    private static PacketSocket plain(String dev) {
        PacketSocket socket = PacketSocket.open(PortFrames.ETHERTYPE_EXPERIMENTAL);
        socket.bind(PacketSocket.interfaceIndex(dev));
        socket.setNonBlocking(true);
        SocketOptions.setInt(socket.fd(), SocketOptions.SOL_PACKET, SocketOptions.PACKET_QDISC_BYPASS, 1);
        SocketOptions.setInt(socket.fd(), SocketOptions.SOL_PACKET, SocketOptions.PACKET_IGNORE_OUTGOING, 1);
        return socket;
    }

    private static long sendPlain(PacketSocket socket, AtomicBoolean running) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment frame = arena.allocate(FRAME_BYTES);
            MemorySegment.copy(PortFrames.numbered(0, FRAME_BYTES), 0, frame, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, FRAME_BYTES);
            long n = 0;
            while (running.get()) {
                for (int i = 0; i < BURST; i++) {
                    if (socket.send(frame) > 0) {
                        n++;
                    }
                }
            }
            return n;
        }
    }

    private static long receivePlain(PacketSocket socket, AtomicBoolean running, AtomicLong drops) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(2048);
            long n = 0;
            while (running.get()) {
                if (socket.receive(buffer) > 0) {
                    n++;
                }
            }
            try (Arena statsArena = Arena.ofConfined()) {
                MemorySegment stats = statsArena.allocate(8);
                SocketOptions.get(socket.fd(), SocketOptions.SOL_PACKET, SocketOptions.PACKET_STATISTICS, stats);
                drops.set(Integer.toUnsignedLong(stats.get(java.lang.foreign.ValueLayout.JAVA_INT, 4)));
            }
            return n;
        }
    }
}
