package io.nfchain.core.pcap;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.core.pcap.RoundTripTest.Sent;
import io.nfchain.core.testing.HostTools;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wireshark as an independent oracle: files our writers produce must read the same in tshark
 * (timestamps to the nanosecond, lengths, link type, bytes by MD5), and files Wireshark's tools
 * produce must read the same in our reader as in tshark.
 */
class TsharkOracleTest {
    private static final long SEED = 0x75A4_4C0DL;
    private static final int SNAP_LENGTH = 1000;
    /** tshark 4.0 shows frame.len above 2^31 - 1 as 2^31 - 1; the files hold the full 32 bits. */
    private static final long MAX_ORIGINAL_LENGTH = Integer.MAX_VALUE;
    /** LINKTYPE_* to the WTAP_ENCAP_* number tshark shows as frame.encap_type. */
    private static final Map<Integer, Integer> WIRESHARK_ENCAPSULATION = Map.of(LinkType.ETHERNET, 1, LinkType.RAW, 7);

    @TempDir
    Path dir;

    /** One packet as tshark saw it. */
    record Frame(long timestampNs, long length, int capturedLength, int encapsulation, int interfaceId, String md5) {}

    @BeforeEach
    void requireWireshark() {
        HostTools.requireProgram("tshark");
        HostTools.requireProgram("editcap");
    }

    @Test
    void tsharkReadsWhatOurWritersWrite() throws Exception {
        for (PacketFileFormat format : PacketFileFormat.values()) {
            List<Sent> sent = RoundTripTest.randomPackets(
                    new SplittableRandom(SEED), 400, RoundTripTest.maxTimestampNs(format), MAX_ORIGINAL_LENGTH);
            Path file = dir.resolve("ours." + format.name().toLowerCase());
            PacketWriterOptions options = PacketWriterOptions.DEFAULT.withSnapLength(SNAP_LENGTH).withInterfaceName("eth0");
            try (PacketFileWriter writer = PacketFileWriter.create(file, format, options)) {
                RoundTripTest.writeAll(writer, sent);
            }
            List<Frame> frames = tsharkFrames(file);
            assertEquals(sent.size(), frames.size(), file.toString());
            for (int i = 0; i < sent.size(); i++) {
                Sent packet = sent.get(i);
                byte[] kept = Arrays.copyOf(packet.data(), Math.min(packet.data().length, SNAP_LENGTH));
                Frame expected = new Frame(packet.timestampNs(), packet.originalLength(), kept.length, 1, 0, md5(kept));
                assertEquals(expected, frames.get(i), format + " packet " + i);
            }
            String info = String.join("\n", run("capinfos", "-M", "-t", "-E", "-c", "-l", "-I", file.toString()));
            assertContains(info, "Number of packets:   " + sent.size());
            // -M prints machine-readable names: "ether", "nsecpcap", "pcapng"
            assertContains(info, "File encapsulation:  ether");
            assertContains(info, "Encapsulation = Ethernet (1 - ether)");
            assertContains(info, "Time precision = nanoseconds (9)");
            if (format == PacketFileFormat.PCAP) {
                assertContains(info, "File type:           nsecpcap");
                assertContains(info, "Packet size limit:   file hdr: " + SNAP_LENGTH + " bytes");
            } else {
                assertContains(info, "File type:           pcapng");
                assertContains(info, "Name = eth0");
                assertContains(info, "Capture length = " + SNAP_LENGTH);
            }
        }
    }

    @Test
    void weReadWhatWiresharkToolsWrite() throws Exception {
        List<Sent> sent = RoundTripTest.randomPackets(
                new SplittableRandom(SEED + 1), 300, RoundTripTest.maxTimestampNs(PacketFileFormat.PCAP), MAX_ORIGINAL_LENGTH);
        Path ours = dir.resolve("ours.pcap");
        try (PacketFileWriter writer = PcapWriter.create(ours)) {
            RoundTripTest.writeAll(writer, sent);
        }
        Path micro = editcap(ours, "micro.pcap", "-F", "pcap");
        Path nano = editcap(ours, "nano.pcap", "-F", "nsecpcap");
        Path pcapng = editcap(ours, "nano.pcapng", "-F", "pcapng");
        Path microPcapng = editcap(micro, "micro.pcapng", "-F", "pcapng");
        Path snapped = editcap(ours, "snapped.pcapng", "-F", "pcapng", "-s", "64");

        assertMagic(micro, 0xD4C3B2A1);
        assertMagic(nano, 0x4D3CB2A1);
        assertMagic(pcapng, 0x0A0D0D0A);
        assertTrue(String.join("\n", run("capinfos", "-I", microPcapng.toString())).contains("microseconds (6)"));

        assertPackets(micro, sent, Integer.MAX_VALUE, 1_000);
        assertPackets(nano, sent, Integer.MAX_VALUE, 1);
        assertPackets(pcapng, sent, Integer.MAX_VALUE, 1);
        assertPackets(microPcapng, sent, Integer.MAX_VALUE, 1_000);
        assertPackets(snapped, sent, 64, 1);
        for (Path file : List.of(micro, nano, pcapng, microPcapng, snapped)) {
            assertSameAsTshark(file);
        }
    }

    @Test
    void weReadMergecapsTwoInterfaceFilesLikeTshark() throws Exception {
        HostTools.requireProgram("mergecap");
        Path ethernet = dir.resolve("ethernet.pcap");
        Path rawIp = dir.resolve("raw-ip.pcap");
        long max = RoundTripTest.maxTimestampNs(PacketFileFormat.PCAP);
        try (PacketFileWriter writer = PcapWriter.create(ethernet)) {
            RoundTripTest.writeAll(writer, RoundTripTest.randomPackets(new SplittableRandom(SEED + 2), 100, max, MAX_ORIGINAL_LENGTH));
        }
        try (PacketFileWriter writer = PcapWriter.create(rawIp, PacketWriterOptions.DEFAULT.withLinkType(LinkType.RAW))) {
            RoundTripTest.writeAll(writer, RoundTripTest.randomPackets(new SplittableRandom(SEED + 3), 100, max, MAX_ORIGINAL_LENGTH));
        }
        Path merged = dir.resolve("merged.pcapng");
        run("mergecap", "-F", "pcapng", "-w", merged.toString(), ethernet.toString(), rawIp.toString());

        List<PacketRecordCopy> read = assertSameAsTshark(merged);
        assertEquals(200, read.size());
        Set<String> interfaces = new TreeSet<>();
        read.forEach(r -> interfaces.add(r.interfaceIndex() + ":" + r.linkType()));
        assertEquals(Set.of("0:" + LinkType.ETHERNET, "1:" + LinkType.RAW), interfaces);
    }

    @Test
    void handBuiltFilesReadLikeTshark() throws Exception {
        byte[] frame = PacketFileReaderTest.bytes(60, 9);
        Map<String, byte[]> files = Map.of(
                "mixed.pcapng", PacketFileReaderTest.mixedPcapng(),
                "big-endian-micro.pcap", new CaptureBytes.Pcap(BIG_ENDIAN, false, 100, LinkType.ETHERNET)
                        .record(1_700_000_000L, 999_999, frame, 1514).record(0xFFFF_FFFFL, 0, frame, 60).toByteArray(),
                "big-endian-nano.pcap", new CaptureBytes.Pcap(BIG_ENDIAN, true, 100, LinkType.ETHERNET)
                        .record(1_700_000_000L, 999_999_999, frame, 60).toByteArray(),
                "raw-ip.pcap", new CaptureBytes.Pcap(LITTLE_ENDIAN, false, 100, LinkType.RAW)
                        .record(5, 6, frame, 60).toByteArray());
        for (Map.Entry<String, byte[]> entry : files.entrySet()) {
            Path file = dir.resolve(entry.getKey());
            Files.write(file, entry.getValue());
            assertTrue(assertSameAsTshark(file).size() > 0, entry.getKey());
        }
    }

    /** What a record held, copied out of the reader's buffer. */
    record PacketRecordCopy(long timestampNs, long originalLength, int linkType, int interfaceIndex, byte[] data) {}

    /** Reads {@code file} with our reader and with tshark; every packet must agree. */
    private List<PacketRecordCopy> assertSameAsTshark(Path file) throws Exception {
        List<Frame> frames = tsharkFrames(file);
        List<PacketRecordCopy> read = readOurs(file);
        assertEquals(frames.size(), read.size(), "packets in " + file.getFileName());
        for (int i = 0; i < frames.size(); i++) {
            PacketRecordCopy r = read.get(i);
            Integer encapsulation = WIRESHARK_ENCAPSULATION.get(r.linkType());
            Frame ours = new Frame(r.timestampNs(), r.originalLength(), r.data().length,
                    encapsulation == null ? -r.linkType() : encapsulation, r.interfaceIndex(), md5(r.data()));
            assertEquals(frames.get(i), ours, file.getFileName() + " packet " + i);
        }
        return read;
    }

    /** Packets of a converted file against what was written: cut to {@code snapLength}, time floored to {@code tickNs}. */
    private static void assertPackets(Path file, List<Sent> sent, int snapLength, long tickNs) throws IOException {
        List<PacketRecordCopy> read = readOurs(file);
        assertEquals(sent.size(), read.size(), file.getFileName().toString());
        for (int i = 0; i < sent.size(); i++) {
            Sent packet = sent.get(i);
            PacketRecordCopy r = read.get(i);
            String where = file.getFileName() + " packet " + i;
            assertEquals(packet.timestampNs() / tickNs * tickNs, r.timestampNs(), where);
            assertEquals(packet.originalLength(), r.originalLength(), where);
            assertEquals(LinkType.ETHERNET, r.linkType(), where);
            assertArrayEquals(Arrays.copyOf(packet.data(), Math.min(packet.data().length, snapLength)), r.data(), where);
        }
    }

    private static List<PacketRecordCopy> readOurs(Path file) throws IOException {
        List<PacketRecordCopy> read = new ArrayList<>();
        try (PacketFileReader reader = PacketFileReader.open(file)) {
            PacketRecord record = new PacketRecord();
            while (reader.next(record)) {
                read.add(new PacketRecordCopy(record.timestampNs(), record.originalLength(), record.linkType(),
                        record.interfaceIndex(), record.toByteArray()));
            }
        }
        return read;
    }

    private List<Frame> tsharkFrames(Path file) throws Exception {
        List<Frame> frames = new ArrayList<>();
        for (String line : run("tshark", "-n", "-r", file.toString(), "-o", "frame.generate_md5_hash:TRUE",
                "-T", "fields", "-E", "separator=,", "-e", "frame.time_epoch", "-e", "frame.len",
                "-e", "frame.cap_len", "-e", "frame.encap_type", "-e", "frame.interface_id", "-e", "frame.md5_hash")) {
            String[] f = line.split(",", -1);
            if (f[3].isEmpty()) {
                continue; // not a packet: tshark also lists pcapng custom blocks as frames
            }
            long timestampNs = f[0].isEmpty()
                    ? PacketRecord.NO_TIMESTAMP // a simple packet block has no time
                    : new BigDecimal(f[0]).movePointRight(9).longValueExact();
            frames.add(new Frame(timestampNs, Long.parseLong(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                    f[4].isEmpty() ? 0 : Integer.parseInt(f[4]), f[5]));
        }
        return frames;
    }

    private Path editcap(Path input, String output, String... options) throws Exception {
        Path out = dir.resolve(output);
        List<String> command = new ArrayList<>(List.of("editcap"));
        command.addAll(List.of(options));
        command.addAll(List.of(input.toString(), out.toString()));
        run(command.toArray(String[]::new));
        return out;
    }

    private static List<String> run(String... command) throws Exception {
        return HostTools.run(List.of(command), Map.of());
    }

    private static void assertMagic(Path file, int bigEndianMagic) throws IOException {
        byte[] head = Arrays.copyOf(Files.readAllBytes(file), 4);
        assertEquals(bigEndianMagic, java.nio.ByteBuffer.wrap(head).getInt(), file.getFileName().toString());
    }

    private static void assertContains(String text, String expected) {
        assertTrue(text.contains(expected), "'" + expected + "' not in:\n" + text);
    }

    private static String md5(byte[] data) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }
}
