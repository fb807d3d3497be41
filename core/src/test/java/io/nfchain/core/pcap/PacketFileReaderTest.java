package io.nfchain.core.pcap;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PacketFileReaderTest {
    private static final byte[] FRAME = bytes(60, 1);
    private static final byte[] SHORT_FRAME = bytes(17, 2);

    static byte[] bytes(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (seed * 31 + i);
        }
        return bytes;
    }

    static PacketFileReader open(byte[] file) throws IOException {
        return PacketFileReader.open(new MemoryChannel(file), PacketFileReader.Options.DEFAULT);
    }

    /** Every record of {@code file}, copied. */
    static List<Read> readAll(byte[] file, PacketFileReader.Options options, int maxBytesPerRead) throws IOException {
        List<Read> all = new ArrayList<>();
        try (PacketFileReader reader = PacketFileReader.open(new MemoryChannel(file, maxBytesPerRead), options)) {
            PacketRecord record = new PacketRecord();
            while (reader.next(record)) {
                all.add(new Read(record.timestampNs(), record.capturedLength(), record.originalLength(),
                        record.linkType(), record.interfaceIndex(), record.sectionIndex(), record.fileOffset(),
                        record.toByteArray()));
            }
        }
        return all;
    }

    static List<Read> readAll(byte[] file) throws IOException {
        return readAll(file, PacketFileReader.Options.DEFAULT, Integer.MAX_VALUE);
    }

    record Read(long timestampNs, int captured, long original, int linkType, int interfaceIndex, int section,
            long fileOffset, byte[] data) {}

    static PcapFormatException formatError(byte[] file) {
        return formatError(file, PacketFileReader.Options.DEFAULT);
    }

    static PcapFormatException formatError(byte[] file, PacketFileReader.Options options) {
        return assertThrows(PcapFormatException.class, () -> readAll(file, options, Integer.MAX_VALUE));
    }

    static void assertError(PcapFormatException e, long offset, String... fragments) {
        assertEquals(offset, e.fileOffset(), e.getMessage());
        assertTrue(e.getMessage().startsWith("at file offset " + offset + ": "), e.getMessage());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' not in: " + e.getMessage());
        }
    }

    // ---- classic pcap

    @ParameterizedTest
    @ValueSource(strings = {"BIG_ENDIAN,micro", "BIG_ENDIAN,nano", "LITTLE_ENDIAN,micro", "LITTLE_ENDIAN,nano"})
    void classicPcapInEveryByteOrderAndResolution(String variant) throws IOException {
        ByteOrder order = variant.startsWith("BIG") ? BIG_ENDIAN : LITTLE_ENDIAN;
        boolean nano = variant.endsWith("nano");
        byte[] file = new CaptureBytes.Pcap(order, nano, 65_535, LinkType.ETHERNET)
                .record(1_700_000_000L, nano ? 999_999_999 : 999_999, FRAME, 1514)
                .record(0xFFFF_FFFFL, 1, SHORT_FRAME, 17)
                .toByteArray();
        List<Read> read = readAll(file);
        assertEquals(2, read.size());
        assertEquals(1_700_000_000L * 1_000_000_000L + (nano ? 999_999_999 : 999_999_000), read.get(0).timestampNs());
        assertEquals(60, read.get(0).captured());
        assertEquals(1514, read.get(0).original());
        assertEquals(LinkType.ETHERNET, read.get(0).linkType());
        assertEquals(24, read.get(0).fileOffset());
        assertArrayEquals(FRAME, read.get(0).data());
        assertEquals(0xFFFF_FFFFL * 1_000_000_000L + (nano ? 1 : 1_000), read.get(1).timestampNs());
        assertEquals(24 + 16 + 60, read.get(1).fileOffset());
        assertArrayEquals(SHORT_FRAME, read.get(1).data());
    }

    @Test
    void slowChannelsGiveTheSameRecords() throws IOException {
        byte[] pcap = new CaptureBytes.Pcap(BIG_ENDIAN, false, 65_535, 1).record(5, 6, FRAME, 60).toByteArray();
        byte[] pcapng = mixedPcapng();
        for (byte[] file : List.of(pcap, pcapng)) {
            List<Read> fast = readAll(file);
            List<Read> trickled = readAll(file, PacketFileReader.Options.DEFAULT, 1);
            assertEquals(fast.size(), trickled.size());
            for (int i = 0; i < fast.size(); i++) {
                assertEquals(fast.get(i).timestampNs(), trickled.get(i).timestampNs());
                assertArrayEquals(fast.get(i).data(), trickled.get(i).data());
            }
        }
    }

    @Test
    void nonEthernetLinkTypeIsReportedNotAssumed() throws IOException {
        byte[] file = new CaptureBytes.Pcap(LITTLE_ENDIAN, true, 65_535, LinkType.LINUX_SLL | 0x0400_0000)
                .record(1, 2, FRAME, 60).toByteArray();
        assertEquals(LinkType.LINUX_SLL, readAll(file).getFirst().linkType());
    }

    @Test
    void wrongMagicEmptyAndCompressedFilesAreNamed() {
        assertError(formatError(new byte[0]), 0, "empty");
        assertError(formatError(new byte[] {(byte) 0xA1, (byte) 0xB2}), 0, "only 2 bytes");
        assertError(formatError("GET / HTTP/1.1\r\n".getBytes()), 0, "unknown magic number 0x47455420");
        assertError(formatError(new byte[] {0x1F, (byte) 0x8B, 8, 0, 0, 0}), 0, "gzip");
        byte[] pcapHeaderOnly = new CaptureBytes.Pcap(LITTLE_ENDIAN, true, 1, 1).toByteArray();
        assertError(formatError(Arrays.copyOf(pcapHeaderOnly, 20)), 0, "pcap file header is truncated", "20 of its 24");
        byte[] badVersion = pcapHeaderOnly.clone();
        badVersion[4] = 3;
        assertError(formatError(badVersion), 0, "unsupported pcap version 3.4");
    }

    @Test
    void classicRecordLengthsAreChecked() throws IOException {
        CaptureBytes.Pcap base = new CaptureBytes.Pcap(LITTLE_ENDIAN, true, 262_144, 1).record(1, 1, FRAME, 60);
        long second = 24 + 16 + 60;
        byte[] longerThanOriginal = new CaptureBytes.Pcap(LITTLE_ENDIAN, true, 262_144, 1)
                .record(1, 1, FRAME, 60).record(1, 1, 60, 59, FRAME).toByteArray();
        assertError(formatError(longerThanOriginal), second, "captured length 60 exceeds original length 59");
        byte[] twoGigabytes = base.record(1, 1, 0x8000_0000L, 0x8000_0000L, FRAME).toByteArray();
        assertError(formatError(twoGigabytes), second, "captured length 2147483648 exceeds the limit of 262144");
        byte[] overLimit = new CaptureBytes.Pcap(LITTLE_ENDIAN, true, 262_144, 1).record(1, 1, FRAME, 60).toByteArray();
        assertError(formatError(overLimit, PacketFileReader.Options.DEFAULT.withMaxCapturedLength(59)), 24,
                "exceeds the limit of 59");
        byte[] badMicros = new CaptureBytes.Pcap(BIG_ENDIAN, false, 100, 1).record(1, 1_000_000, FRAME, 60).toByteArray();
        assertError(formatError(badMicros), 24, "timestamp fraction 1000000 is not below 1000000 microseconds");
    }

    @Test
    void aTruncatedLastRecordIsAnErrorUnlessAccepted() throws IOException {
        byte[] whole = new CaptureBytes.Pcap(LITTLE_ENDIAN, true, 100, 1)
                .record(1, 1, FRAME, 60).record(2, 2, FRAME, 60).toByteArray();
        long second = 24 + 16 + 60;
        assertError(formatError(Arrays.copyOf(whole, whole.length - 1)), second, "record is truncated", "75 of its 76");
        assertError(formatError(Arrays.copyOf(whole, (int) second + 3)), second, "record header is truncated", "3 of its 16");

        PacketFileReader.Options lenient = PacketFileReader.Options.DEFAULT.withAcceptTruncatedTail(true);
        try (PacketFileReader reader = PacketFileReader.open(new MemoryChannel(Arrays.copyOf(whole, whole.length - 1)), lenient)) {
            PacketRecord record = new PacketRecord();
            assertTrue(reader.next(record));
            assertEquals(-1, reader.truncatedTailOffset());
            assertFalse(reader.next(record));
            assertEquals(second, reader.truncatedTailOffset());
        }
        assertError(formatError(Arrays.copyOf(whole, 10), lenient), 0, "header is truncated");
    }

    @Test
    void allocationFollowsTheBytesNotTheClaimedLength() throws IOException {
        // claims 256 KiB (within the limit) but carries 60 bytes
        byte[] file = new CaptureBytes.Pcap(LITTLE_ENDIAN, true, 262_144, 1)
                .record(1, 1, 262_144, 262_144, FRAME).toByteArray();
        PacketFileReader reader = PacketFileReader.open(new MemoryChannel(file), PacketFileReader.Options.DEFAULT);
        PcapFormatException e = assertThrows(PcapFormatException.class, () -> reader.next(new PacketRecord()));
        assertError(e, 24, "record is truncated", "76 of its 262160");
        assertTrue(reader.bufferCapacity() <= 2 * file.length, "buffer " + reader.bufferCapacity());
        // a failed reader keeps failing the same way
        assertSame(e, assertThrows(PcapFormatException.class, () -> reader.next(new PacketRecord())));
        reader.close();
        assertThrows(ClosedChannelException.class, () -> reader.next(new PacketRecord()));
    }

    // ---- pcapng

    /** Two sections in opposite byte orders, every resolution form, every packet block, blocks to skip. */
    static byte[] mixedPcapng() {
        return new CaptureBytes.Pcapng(BIG_ENDIAN)
                .interfaceBlock(LinkType.ETHERNET, 0, null, null) // default: microseconds
                .interfaceBlock(LinkType.RAW, 1500, 0x80 | 20, null) // 2^-20 s
                .nameResolution()
                .enhancedPacket(0, 1_700_000_000_123_456L, FRAME, 1514)
                .enhancedPacket(1, 3L << 20 | 1L << 19, SHORT_FRAME, 17) // 3.5 s
                .simplePacket(FRAME, 60)
                .statistics(0, 1_700_000_001_000_000L)
                .custom(32473, 5)
                .otherBlock(0x8000_0001, 12) // reserved for local use
                .obsoletePacket(1, 2L << 20, SHORT_FRAME, 17) // 2 s
                .section(LITTLE_ENDIAN)
                .interfaceBlock(LinkType.ETHERNET, 20, 3, -1_000L) // milliseconds, 1000 s earlier
                .enhancedPacket(0, 5_000_001L, SHORT_FRAME, 17)
                .simplePacket(Arrays.copyOf(FRAME, 20), 1000) // cut to the interface's snap length of 20
                .toByteArray();
    }

    @Test
    void pcapngSectionsInterfacesAndBlockKinds() throws IOException {
        List<Read> read = readAll(mixedPcapng());
        assertEquals(6, read.size());

        assertEquals(1_700_000_000_123_456_000L, read.get(0).timestampNs());
        assertEquals(LinkType.ETHERNET, read.get(0).linkType());
        assertEquals(1514, read.get(0).original());
        assertArrayEquals(FRAME, read.get(0).data());

        assertEquals(3_500_000_000L, read.get(1).timestampNs());
        assertEquals(LinkType.RAW, read.get(1).linkType());
        assertEquals(1, read.get(1).interfaceIndex());
        assertArrayEquals(SHORT_FRAME, read.get(1).data());

        assertEquals(PacketRecord.NO_TIMESTAMP, read.get(2).timestampNs());
        assertEquals(0, read.get(2).interfaceIndex());
        assertEquals(60, read.get(2).captured());
        assertEquals(60, read.get(2).original());
        assertEquals(0, read.get(2).section());

        assertEquals(2_000_000_000L, read.get(3).timestampNs());
        assertEquals(1, read.get(3).interfaceIndex());
        assertEquals(LinkType.RAW, read.get(3).linkType());
        assertArrayEquals(SHORT_FRAME, read.get(3).data());

        assertEquals(1, read.get(4).section());
        assertEquals(0, read.get(4).interfaceIndex());
        assertEquals(5_000_001_000_000L - 1_000_000_000_000L, read.get(4).timestampNs());

        assertEquals(20, read.get(5).captured());
        assertEquals(1000, read.get(5).original());
        assertArrayEquals(Arrays.copyOf(FRAME, 20), read.get(5).data());
    }

    static byte[] singlePacketPcapng(ByteOrder order) {
        return new CaptureBytes.Pcapng(order).interfaceBlock(1, 0, 9, null).enhancedPacket(0, 1, FRAME, 60).toByteArray();
    }

    /** Offsets in {@link #singlePacketPcapng}: SHB 0 (44 bytes), IDB 44 (40 bytes), EPB 84 (104 bytes). */
    static final int IDB_AT = 44;
    static final int EPB_AT = 84;

    static byte[] withInt(byte[] file, int offset, ByteOrder order, int value) {
        byte[] copy = file.clone();
        ByteBuffer.wrap(copy).order(order).putInt(offset, value);
        return copy;
    }

    @Test
    void pcapngLengthsAreChecked() {
        byte[] file = singlePacketPcapng(LITTLE_ENDIAN);
        assertEquals(EPB_AT + 104, file.length);
        assertError(formatError(withInt(file, EPB_AT + 4, LITTLE_ENDIAN, 0xFFFF_FFF0)), EPB_AT,
                "enhanced packet block: block total length 4294967280 exceeds the limit");
        assertError(formatError(withInt(file, EPB_AT + 4, LITTLE_ENDIAN, 102)), EPB_AT, "102 is not a multiple of 4");
        assertError(formatError(withInt(file, EPB_AT + 4, LITTLE_ENDIAN, 28)), EPB_AT, "28 is below the minimum of 32");
        assertError(formatError(withInt(file, file.length - 4, LITTLE_ENDIAN, 96)), EPB_AT,
                "trailing block total length 96 differs from the leading 104");
        assertError(formatError(withInt(file, EPB_AT + 20, LITTLE_ENDIAN, 0x7FFF_FFFF)), EPB_AT,
                "captured length 2147483647 does not fit in the block's 72 bytes");
        assertError(formatError(withInt(file, EPB_AT + 24, LITTLE_ENDIAN, 59)), EPB_AT,
                "captured length 60 exceeds original length 59");
        assertError(formatError(withInt(file, EPB_AT + 8, LITTLE_ENDIAN, 1)), EPB_AT,
                "refers to interface 1 but its section describes 1");
        // an unknown block with an absurd length is skipped until the file runs out
        byte[] unknown = withInt(withInt(file, EPB_AT, LITTLE_ENDIAN, 0x0000_0BAD), EPB_AT + 4, LITTLE_ENDIAN, 0xFFFF_FFF0);
        assertError(formatError(unknown), EPB_AT, "block of type 0x00000BAD is truncated", "104 of its 4294967280");
    }

    @Test
    void pcapngHeadersAndOptionsAreChecked() {
        byte[] file = singlePacketPcapng(BIG_ENDIAN);
        assertError(formatError(withInt(file, 8, BIG_ENDIAN, 0x1A2B3C4E)), 0, "byte-order magic 0x1A2B3C4E");
        assertError(formatError(withInt(file, 12, BIG_ENDIAN, 0x0002_0000)), 0, "unsupported pcapng version 2.0");
        assertError(formatError(Arrays.copyOf(file, 20)), 0, "section header block is truncated");
        // IDB options start at IDB_AT + 16 with if_name "if0" (8 bytes), then if_tsresol
        int tsresol = IDB_AT + 16 + 8;
        assertError(formatError(withInt(file, tsresol, BIG_ENDIAN, 0x0009_0002)), tsresol,
                "if_tsresol has length 2, not 1");
        assertError(formatError(withInt(file, tsresol, BIG_ENDIAN, 0x0009_0100)), tsresol,
                "option 9 of length 256 runs past the end of the block at offset " + IDB_AT);
        byte[] hugeTimestamp = withInt(file, EPB_AT + 12, BIG_ENDIAN, 0x8000_0000);
        assertError(formatError(hugeTimestamp), EPB_AT, "does not fit in 64-bit nanoseconds");
        byte[] spbFirst = new CaptureBytes.Pcapng(LITTLE_ENDIAN).simplePacket(FRAME, 60).toByteArray();
        assertError(formatError(spbFirst), 44, "simple packet block before any interface description block");
        byte[] epbFirst = new CaptureBytes.Pcapng(LITTLE_ENDIAN).enhancedPacket(0, 0, FRAME, 60).toByteArray();
        assertError(formatError(epbFirst), 44, "refers to interface 0 but its section describes 0");
    }

    @Test
    void aSimplePacketBlockMustHoldWhatItsLengthsImply() {
        byte[] file = new CaptureBytes.Pcapng(LITTLE_ENDIAN).interfaceBlock(1, 0, null, null)
                .simplePacket(FRAME, 61).toByteArray();
        assertError(formatError(file), 44 + 32,
                "simple packet block: captured length 61 (original length, cut to the snap length) does not fit"
                        + " in the block's 60 bytes");
    }

    @Test
    void aNewSectionForgetsTheOldInterfaces() {
        byte[] file = new CaptureBytes.Pcapng(LITTLE_ENDIAN).interfaceBlock(1, 0, null, null)
                .section(BIG_ENDIAN).enhancedPacket(0, 0, FRAME, 60).toByteArray();
        assertError(formatError(file), 44 + 32 + 44, "refers to interface 0 but its section describes 0");
    }

    @Test
    void aTruncatedLastBlockIsAnErrorUnlessAccepted() throws IOException {
        byte[] file = singlePacketPcapng(LITTLE_ENDIAN);
        for (int cut = EPB_AT + 1; cut < file.length; cut++) {
            byte[] truncated = Arrays.copyOf(file, cut);
            assertError(formatError(truncated), EPB_AT, "is truncated");
            List<Read> lenient = readAll(truncated, PacketFileReader.Options.DEFAULT.withAcceptTruncatedTail(true), 7);
            assertEquals(0, lenient.size());
        }
        assertEquals(1, readAll(file).size());
    }
}
