package io.nfchain.core.afpacket;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.os.PacketSocket;
import io.nfchain.core.os.PollSet;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Test frames and the loops that send and collect them through ports and plain sockets. */
final class PortFrames {
    /** IEEE 802 "local experimental" EtherType: nothing else on the link uses it. */
    static final int ETHERTYPE_EXPERIMENTAL = 0x88B5;

    private PortFrames() {}

    /** A frame of {@code length} (>= 22) bytes between two local MACs, our EtherType, {@code seq} at byte 14, then bytes from {@code seq}. */
    static byte[] numbered(long seq, int length) {
        byte[] frame = new byte[length];
        byte[] header = {0x02, 0, 0, 0, 0, 0x0b, 0x02, 0, 0, 0, 0, 0x0a,
            (byte) (ETHERTYPE_EXPERIMENTAL >> 8), (byte) ETHERTYPE_EXPERIMENTAL};
        System.arraycopy(header, 0, frame, 0, header.length);
        for (int i = 0; i < 8; i++) {
            frame[14 + i] = (byte) (seq >>> (56 - 8 * i));
        }
        for (int i = 22; i < length; i++) {
            frame[i] = (byte) (seq * 31 + i * 7);
        }
        return frame;
    }

    /** Puts {@code frames} into {@code burst} as frames 0 .. n-1 and sets its count. */
    static void fill(PacketBurst burst, List<byte[]> frames) {
        for (int i = 0; i < frames.size(); i++) {
            byte[] frame = frames.get(i);
            burst.resetForReceive(i);
            MemorySegment.copy(frame, 0, burst.data(), JAVA_BYTE, burst.offset(i), frame.length);
            burst.setLength(i, frame.length);
        }
        burst.setCount(frames.size());
    }

    /** Sends all of {@code frames} through {@code port}, offering what a full ring refused again (10 s at most). */
    static void sendAll(AfPacketPort port, PacketBurst burst, List<byte[]> frames) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (int from = 0; from < frames.size(); ) {
            List<byte[]> chunk = frames.subList(from, Math.min(frames.size(), from + burst.capacity()));
            fill(burst, chunk);
            from += port.txBurst(burst);
            if (System.nanoTime() > deadline) {
                throw new AssertionError("transmit ring stayed full: " + from + " of " + frames.size() + " sent");
            }
        }
    }

    /** Receives from {@code port} until {@code wanted} frames matching {@code keep} came or {@code timeoutMs} passed. */
    static List<byte[]> receive(AfPacketPort port, PacketBurst burst, int wanted, long timeoutMs, Predicate<byte[]> keep) {
        List<byte[]> got = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        try (PollSet readable = new PollSet(1)) {
            readable.add(port.fd(), PollSet.POLLIN);
            while (got.size() < wanted && System.nanoTime() < deadline) {
                if (port.rxBurst(burst) == 0) {
                    readable.await(5);
                    continue;
                }
                for (int i = 0; i < burst.count(); i++) {
                    byte[] frame = burst.data().asSlice(burst.offset(i), burst.length(i)).toArray(JAVA_BYTE);
                    if (keep.test(frame)) {
                        got.add(frame);
                    }
                }
            }
        }
        return got;
    }

    /** As {@link #receive(AfPacketPort, PacketBurst, int, long, Predicate)} from a plain socket. */
    static List<byte[]> receive(PacketSocket socket, int wanted, long timeoutMs, Predicate<byte[]> keep) {
        List<byte[]> got = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        try (Arena arena = Arena.ofConfined(); PollSet readable = new PollSet(1)) {
            MemorySegment buffer = arena.allocate(16384);
            readable.add(socket.fd(), PollSet.POLLIN);
            while (got.size() < wanted && System.nanoTime() < deadline) {
                int length = socket.receive(buffer);
                if (length < 0) {
                    readable.await(5);
                    continue;
                }
                byte[] frame = buffer.asSlice(0, Math.min(length, buffer.byteSize())).toArray(JAVA_BYTE);
                if (keep.test(frame)) {
                    got.add(frame);
                }
            }
        }
        return got;
    }

    /** Whether {@code frame} carries our experimental EtherType. */
    static boolean experimental(byte[] frame) {
        return frame.length >= 14 && ((frame[12] & 0xff) << 8 | (frame[13] & 0xff)) == ETHERTYPE_EXPERIMENTAL;
    }
}
