package io.nfchain.core.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RoundTripTest {
    private static final long SEED = 0x5EED_0001L;
    private static final long PCAP_MAX_TIMESTAMP_NS = 0xFFFF_FFFFL * 1_000_000_000L + 999_999_999L;

    /** One packet as given to a writer. */
    record Sent(long timestampNs, byte[] data, long originalLength) {}

    static List<Sent> randomPackets(SplittableRandom random, int count, long maxTimestampNs) {
        return randomPackets(random, count, maxTimestampNs, 0xFFFF_FFFFL);
    }

    /** Random packets, some with an original length above their data, up to {@code maxOriginalLength}. */
    static List<Sent> randomPackets(SplittableRandom random, int count, long maxTimestampNs, long maxOriginalLength) {
        List<Sent> packets = new ArrayList<>();
        packets.add(new Sent(0, new byte[0], 0));
        packets.add(new Sent(maxTimestampNs, new byte[60], 60));
        packets.add(new Sent(1, new byte[1], 1));
        while (packets.size() < count) {
            int length = random.nextInt(10) == 0 ? random.nextInt(1, 70_000) : random.nextInt(0, 1600);
            byte[] data = new byte[length];
            random.nextBytes(data);
            long original = random.nextBoolean() ? length : random.nextLong(length, maxOriginalLength + 1);
            packets.add(new Sent(random.nextLong(0, maxTimestampNs), data, original));
        }
        return packets;
    }

    static long maxTimestampNs(PacketFileFormat format) {
        return format == PacketFileFormat.PCAP ? PCAP_MAX_TIMESTAMP_NS : Long.MAX_VALUE;
    }

    static void writeAll(PacketFileWriter writer, List<Sent> packets) throws IOException {
        for (Sent packet : packets) {
            writer.write(packet.timestampNs(), MemorySegment.ofArray(packet.data()), packet.originalLength());
        }
    }

    static void assertReadBack(Path file, List<Sent> sent, int snapLength, int linkType, PacketFileFormat format)
            throws IOException {
        try (PacketFileReader reader = PacketFileReader.open(file)) {
            assertEquals(format, reader.format());
            PacketRecord record = new PacketRecord();
            for (int i = 0; i < sent.size(); i++) {
                Sent expected = sent.get(i);
                assertTrue(reader.next(record), "packet " + i + " missing");
                int captured = Math.min(expected.data().length, snapLength);
                String where = "packet " + i + " " + record;
                assertEquals(expected.timestampNs(), record.timestampNs(), where);
                assertEquals(captured, record.capturedLength(), where);
                assertEquals(expected.originalLength(), record.originalLength(), where);
                assertEquals(linkType, record.linkType(), where);
                assertEquals(0, record.interfaceIndex(), where);
                assertEquals(0, record.sectionIndex(), where);
                byte[] expectedBytes = java.util.Arrays.copyOf(expected.data(), captured);
                assertArrayEquals(expectedBytes, record.toByteArray(), where);
                assertArrayEquals(expectedBytes, record.data().toArray(ValueLayout.JAVA_BYTE), where);
                if (captured > 0) {
                    assertEquals(expectedBytes[0], record.buffer().get(ValueLayout.JAVA_BYTE, record.dataOffset()));
                    assertEquals(expectedBytes[captured - 1], record.array()[record.dataOffset() + captured - 1]);
                }
            }
            assertFalse(reader.next(record), "extra packet after " + sent.size());
            assertFalse(reader.next(record), "end of file is sticky");
            assertEquals(-1, reader.truncatedTailOffset());
            assertEquals(Files.size(file), reader.offset());
        }
    }

    @ParameterizedTest
    @EnumSource(PacketFileFormat.class)
    void randomPacketsSurviveWriteAndRead(PacketFileFormat format, @TempDir Path dir) throws IOException {
        SplittableRandom random = new SplittableRandom(SEED + format.ordinal());
        List<Sent> packets = randomPackets(random, 2_000, maxTimestampNs(format));
        Path file = dir.resolve("round." + format.name().toLowerCase());
        PacketWriterOptions options = PacketWriterOptions.DEFAULT.withSnapLength(65_535).withInterfaceName("eth0");
        try (PacketFileWriter writer = PacketFileWriter.create(file, format, options)) {
            writeAll(writer, packets);
            assertEquals(packets.size(), writer.packetsWritten());
        }
        assertReadBack(file, packets, 65_535, LinkType.ETHERNET, format);
    }

    @ParameterizedTest
    @EnumSource(PacketFileFormat.class)
    void otherLinkTypeIsWrittenAndReportedAsIs(PacketFileFormat format, @TempDir Path dir) throws IOException {
        List<Sent> packets = randomPackets(new SplittableRandom(SEED), 50, maxTimestampNs(format));
        Path file = dir.resolve("raw-ip");
        PacketWriterOptions options = PacketWriterOptions.DEFAULT.withLinkType(LinkType.RAW).withSnapLength(100);
        try (PacketFileWriter writer = PacketFileWriter.create(file, format, options)) {
            writeAll(writer, packets);
        }
        assertReadBack(file, packets, 100, LinkType.RAW, format);
    }

    @ParameterizedTest
    @EnumSource(PacketFileFormat.class)
    void copyingRecordsReproducesTheFileByteForByte(PacketFileFormat format, @TempDir Path dir) throws IOException {
        Path original = dir.resolve("original");
        try (PacketFileWriter writer = PacketFileWriter.create(original, format, PacketWriterOptions.DEFAULT)) {
            writeAll(writer, randomPackets(new SplittableRandom(SEED + 7), 300, maxTimestampNs(format)));
        }
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        try (PacketFileReader reader = PacketFileReader.open(original);
                PacketFileWriter writer = format == PacketFileFormat.PCAP
                        ? new PcapWriter(Channels.newChannel(copy), PacketWriterOptions.DEFAULT)
                        : new PcapngWriter(Channels.newChannel(copy), PacketWriterOptions.DEFAULT)) {
            PacketRecord record = new PacketRecord();
            while (reader.next(record)) {
                writer.write(record);
            }
        }
        assertArrayEquals(Files.readAllBytes(original), copy.toByteArray());
    }

    @Test
    void writersRejectWhatTheFormatCannotHold(@TempDir Path dir) throws IOException {
        byte[] packet = new byte[64];
        try (PcapWriter pcap = PcapWriter.create(dir.resolve("a.pcap"));
                PcapngWriter pcapng = PcapngWriter.create(dir.resolve("a.pcapng"))) {
            for (PacketFileWriter writer : List.of(pcap, pcapng)) {
                assertThrows(IllegalArgumentException.class, () -> writer.write(-1, packet, 0, 64, 64));
                assertThrows(IllegalArgumentException.class, () -> writer.write(0, packet, 0, 64, 63));
                assertThrows(IllegalArgumentException.class, () -> writer.write(0, packet, 0, 64, 1L << 32));
            }
            assertThrows(IllegalArgumentException.class,
                    () -> pcap.write(PCAP_MAX_TIMESTAMP_NS + 1, MemorySegment.ofArray(packet)));
            pcapng.write(Long.MAX_VALUE, MemorySegment.ofArray(packet));
            assertEquals(0, pcap.packetsWritten());
            assertEquals(1, pcapng.packetsWritten());
        }
    }

    @Test
    void aPacketAcrossTheWriteBufferIsCopiedWhole(@TempDir Path dir) throws IOException {
        byte[] big = new byte[3 * ChannelPacketWriter.BUFFER_CAPACITY + 5];
        new SplittableRandom(SEED).nextBytes(big);
        List<Sent> packets = List.of(new Sent(10, new byte[100], 100), new Sent(20, big, big.length), new Sent(30, big, big.length));
        for (PacketFileFormat format : PacketFileFormat.values()) {
            Path file = dir.resolve("big-" + format);
            PacketWriterOptions options = PacketWriterOptions.DEFAULT.withSnapLength(big.length);
            try (PacketFileWriter writer = PacketFileWriter.create(file, format, options)) {
                writeAll(writer, packets);
            }
            assertReadBack(file, packets, big.length, LinkType.ETHERNET, format);
        }
    }
}
