package io.nfchain.e2e;

import io.nfchain.core.os.PacketSocket;
import io.nfchain.core.pcap.LinkType;
import io.nfchain.core.pcap.PacketFileFormat;
import io.nfchain.core.pcap.PacketFileReader;
import io.nfchain.core.pcap.PacketFileWriter;
import io.nfchain.core.pcap.PacketRecord;
import io.nfchain.core.pcap.PacketWriterOptions;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * The two ends of a test wire, run inside a network namespace ({@code ip netns exec NS java ...
 * Wire ...}): {@code send IFACE FILE RATE_PPS} puts every frame of a capture file on an interface
 * through a plain AF_PACKET socket, paced; {@code capture IFACE FILE QUIET_MS} writes every frame
 * the interface receives to a pcap file, printing {@code ready} once it listens, until no frame has
 * come for QUIET_MS after the first (or for 30 s before any).
 */
public final class Wire {
    private Wire() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4 || !(args[0].equals("send") || args[0].equals("capture"))) {
            System.err.println("usage: Wire send IFACE FILE RATE_PPS | Wire capture IFACE FILE QUIET_MS");
            System.exit(2);
        }
        if (args[0].equals("send")) {
            System.out.println("sent " + send(args[1], Path.of(args[2]), Long.parseLong(args[3])));
        } else {
            System.out.println("captured " + capture(args[1], Path.of(args[2]), Long.parseLong(args[3])));
        }
    }

    static long send(String iface, Path file, long ratePps) throws Exception {
        long sent = 0;
        try (PacketSocket socket = PacketSocket.open(PacketSocket.ETH_P_ALL);
                PacketFileReader reader = PacketFileReader.open(file);
                Arena arena = Arena.ofConfined()) {
            socket.bind(PacketSocket.interfaceIndex(iface));
            MemorySegment buffer = arena.allocate(16384);
            PacketRecord record = new PacketRecord();
            long start = System.nanoTime();
            while (reader.next(record)) {
                long due = start + (long) (sent * 1e9 / ratePps);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                MemorySegment frame = buffer.asSlice(0, record.capturedLength());
                MemorySegment.copy(record.data(), 0, frame, 0, record.capturedLength());
                socket.send(frame);
                sent++;
            }
        }
        return sent;
    }

    static long capture(String iface, Path file, long quietMs) throws Exception {
        long captured = 0;
        try (PacketSocket socket = PacketSocket.open(PacketSocket.ETH_P_ALL);
                PacketFileWriter writer = PacketFileWriter.create(file, PacketFileFormat.PCAP,
                        new PacketWriterOptions(PacketWriterOptions.DEFAULT_SNAP_LENGTH, LinkType.ETHERNET, iface));
                Arena arena = Arena.ofConfined()) {
            socket.bind(PacketSocket.interfaceIndex(iface));
            socket.setNonBlocking(true);
            MemorySegment buffer = arena.allocate(16384);
            System.out.println("ready");
            System.out.flush();
            long last = System.nanoTime();
            long limitNs = 30_000_000_000L;
            while (System.nanoTime() - last < limitNs) {
                int n = socket.receive(buffer);
                if (n < 0) {
                    LockSupport.parkNanos(100_000);
                    continue;
                }
                writer.write(System.currentTimeMillis() * 1_000_000L, buffer.asSlice(0, Math.min(n, 16384)), n);
                captured++;
                last = System.nanoTime();
                limitNs = quietMs * 1_000_000L;
            }
        }
        return captured;
    }
}
