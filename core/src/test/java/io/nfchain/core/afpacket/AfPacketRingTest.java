package io.nfchain.core.afpacket;

import static io.nfchain.core.afpacket.VethLink.DEV_A;
import static io.nfchain.core.afpacket.VethLink.DEV_B;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.os.NativeCallException;
import io.nfchain.core.testing.HostTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ring limits (full either way), random frames port to port, and what close gives back. */
class AfPacketRingTest {
    @BeforeEach
    void needsRoot() {
        HostTools.requireRoot();
        HostTools.requireProgram("ip");
    }

    @Test
    void aFullTransmitRingHandsFramesBackCountedAndLosesNone() throws Exception {
        // One 4 KiB block of 2 KiB slots: two frames before a kick must free them.
        try (VethLink link = VethLink.create(1500);
                AfPacketPort a = link.in(link.nsA, () -> AfPacketPort.open(AfPacketConfig.of(DEV_A).withTxRing(4096, 1, 2048)));
                AfPacketPort b = link.in(link.nsB, () -> AfPacketPort.open(AfPacketConfig.of(DEV_B)));
                PacketBurst out = new PacketBurst(16, 2048);
                PacketBurst in = new PacketBurst(32, 2048)) {
            assertEquals(2, a.txSlots());
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                sent.add(PortFrames.numbered(i, 64 + i));
            }
            PortFrames.fill(out, sent);
            int consumed = a.txBurst(out);
            assertTrue(consumed >= 2 && consumed < 16, "a burst larger than the ring is cut: " + consumed);
            assertEquals(16 - consumed, a.counters().txRingFullFrames(), "every frame handed back is counted");

            PortFrames.sendAll(a, out, sent.subList(consumed, 16));
            List<byte[]> got = PortFrames.receive(b, in, 16, 5000, PortFrames::experimental);
            assertEquals(16, got.size());
            for (int i = 0; i < 16; i++) {
                assertArrayEquals(sent.get(i), got.get(i), "frame " + i + " in order");
            }
            assertEquals(16, a.counters().txPackets(), "a refused frame is not counted as sent");
        }
    }

    @Test
    void aFullReceiveRingIsCountedByTheKernelAndEveryFrameIsAccountedFor() throws Exception {
        // 4 blocks of 4 KiB hold about 100 small frames; 400 are sent before anything is read.
        try (VethLink link = VethLink.create(1500);
                AfPacketPort a = link.in(link.nsA, () -> AfPacketPort.open(AfPacketConfig.of(DEV_A)));
                AfPacketPort b = link.in(link.nsB, () -> AfPacketPort.open(AfPacketConfig.of(DEV_B).withRxRing(4096, 4, 1)));
                PacketBurst out = new PacketBurst(32, 2048);
                PacketBurst in = new PacketBurst(32, 2048)) {
            int frames = 400;
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < frames; i++) {
                sent.add(PortFrames.numbered(i, 64));
            }
            PortFrames.sendAll(a, out, sent);
            Thread.sleep(20); // past the 1 ms block timeout: the last partial block is handed over
            b.pollKernelStatistics();
            List<byte[]> got = PortFrames.receive(b, in, frames, 200, PortFrames::experimental);

            assertTrue(b.counters().kernelDrops() > 0, "the kernel dropped what did not fit");
            assertTrue(b.counters().kernelFreezes() > 0, "and froze the ring while it was full");
            assertEquals(frames, b.counters().kernelPackets(), "tp_packets counts dropped frames too");
            assertEquals(frames, got.size() + b.counters().kernelDrops(), "received + dropped = sent");
            long last = -1;
            for (byte[] frame : got) {
                long seq = java.nio.ByteBuffer.wrap(frame, 14, 8).getLong();
                assertTrue(seq > last, "frames arrive in order, gaps only where drops were");
                last = seq;
            }
            PortFrames.sendAll(a, out, List.of(PortFrames.numbered(frames, 64)));
            assertEquals(1, PortFrames.receive(b, in, 1, 5000, PortFrames::experimental).size(), "the ring works again");
        }
    }

    @Test
    void randomFramesRoundTripBetweenTwoPortsByteForByte() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        try (VethLink link = VethLink.create(1500);
                AfPacketPort a = link.in(link.nsA, () -> AfPacketPort.open(AfPacketConfig.of(DEV_A)));
                AfPacketPort b = link.in(link.nsB, () -> AfPacketPort.open(AfPacketConfig.of(DEV_B)));
                PacketBurst out = new PacketBurst(32, 2048);
                PacketBurst in = new PacketBurst(64, 2048)) {
            for (int round = 0; round < 20; round++) {
                List<byte[]> sent = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    sent.add(randomFrame(random));
                }
                PortFrames.sendAll(a, out, sent);
                List<byte[]> got = PortFrames.receive(b, in, sent.size(), 5000, f -> true);
                assertEquals(sent.size(), got.size(), "round " + round + ", seed " + seed);
                for (int i = 0; i < sent.size(); i++) {
                    assertArrayEquals(sent.get(i), got.get(i), "round " + round + " frame " + i + ", seed " + seed);
                }
            }
            assertEquals(0, a.counters().totalDrops() + b.counters().totalDrops(), "seed " + seed);
        }
    }

    @Test
    void closeUnmapsTheRingsAndClosesTheSocket() throws Exception {
        try (VethLink link = VethLink.create(1500)) {
            AfPacketPort port = link.in(link.nsA, () -> AfPacketPort.open(AfPacketConfig.of(DEV_A)));
            String socket = Files.readSymbolicLink(Path.of("/proc/self/fd/" + port.fd())).toString();
            assertTrue(socket.startsWith("socket:["), socket);
            Resources open = Resources.now();
            assertTrue(open.fds.contains(socket), "the socket is open");
            long mappedBytes = open.bytesMappedFrom(socket);
            assertEquals(port.config().rxRingBytes() + port.config().txRingBytes(), mappedBytes, "both rings, one mapping");

            port.close();
            port.close(); // a second close does nothing
            Resources after = Resources.now();
            assertTrue(!after.fds.contains(socket), "the socket is closed");
            assertEquals(0, after.bytesMappedFrom(socket), "the rings are unmapped");
        }
    }

    @Test
    void aMissingInterfaceIsNamedInTheError() throws Exception {
        try (VethLink link = VethLink.create(1500)) {
            NativeCallException e = assertThrows(NativeCallException.class,
                    () -> link.in(link.nsA, () -> AfPacketPort.open(AfPacketConfig.of(DEV_B))));
            assertEquals("if_nametoindex: ENODEV (" + DEV_B + ")", e.getMessage(), "apb lives in the other namespace");
        }
    }

    /**
     * 14 to 1514 random bytes. A quarter carry an 802.1Q or 802.1ad tag, which the receiving
     * device strips and the port puts back; those are at least 20 bytes, because the kernel drops
     * a tagged frame too short to hold the tag and the next EtherType before any socket sees it.
     */
    private static byte[] randomFrame(Random random) {
        boolean tagged = random.nextInt(4) == 0;
        byte[] frame = new byte[(tagged ? 20 : 14) + random.nextInt(tagged ? 1495 : 1501)];
        random.nextBytes(frame);
        if (tagged) {
            int tpid = random.nextBoolean() ? 0x8100 : 0x88a8;
            frame[12] = (byte) (tpid >> 8);
            frame[13] = (byte) tpid;
        }
        return frame;
    }

    /** What this process's descriptors point to, and its mappings. */
    private record Resources(List<String> fds, List<String> maps) {
        static Resources now() throws IOException {
            List<String> targets = new ArrayList<>();
            try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                for (Path fd : fds.toList()) {
                    try {
                        targets.add(Files.readSymbolicLink(fd).toString());
                    } catch (IOException closedMeanwhile) {
                        // the listing's own descriptor, gone by now
                    }
                }
            }
            return new Resources(targets, Files.readAllLines(Path.of("/proc/self/maps")));
        }

        /** Bytes mapped from {@code file}, as /proc/self/maps names it ("start-end perms offset dev inode name"). */
        long bytesMappedFrom(String file) {
            long bytes = 0;
            for (String line : maps) {
                if (line.endsWith(" " + file) || line.endsWith("\t" + file)) {
                    String[] range = line.substring(0, line.indexOf(' ')).split("-");
                    bytes += Long.parseUnsignedLong(range[1], 16) - Long.parseUnsignedLong(range[0], 16);
                }
            }
            return bytes;
        }
    }
}
