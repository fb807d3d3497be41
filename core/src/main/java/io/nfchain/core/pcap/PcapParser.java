package io.nfchain.core.pcap;

import static io.nfchain.core.pcap.PcapLayout.*;

import java.io.IOException;

/** Classic pcap records, both magic numbers, both byte orders. */
final class PcapParser extends CaptureParser {
    private final boolean bigEndian;
    private final boolean nanosecond;
    private final int linkType;

    /** True when {@code magic}, read big-endian, starts a classic pcap file in either byte order. */
    static boolean isMagic(int magic) {
        return magic == MAGIC_MICROSECONDS || magic == MAGIC_NANOSECONDS
                || magic == Integer.reverseBytes(MAGIC_MICROSECONDS)
                || magic == Integer.reverseBytes(MAGIC_NANOSECONDS);
    }

    PcapParser(InputWindow in, PacketFileReader.Options options) throws IOException {
        super(in, options);
        int available = in.require(HEADER_LENGTH);
        if (available < HEADER_LENGTH) {
            throw formatError(0, "the pcap file header is truncated: the file has " + available
                    + " of its " + HEADER_LENGTH + " bytes");
        }
        byte[] bytes = in.bytes();
        int base = in.position();
        int magic = ByteAccess.i32(bytes, base + MAGIC_OFFSET, true);
        bigEndian = magic == MAGIC_MICROSECONDS || magic == MAGIC_NANOSECONDS;
        nanosecond = ByteAccess.i32(bytes, base + MAGIC_OFFSET, bigEndian) == MAGIC_NANOSECONDS;
        int major = ByteAccess.u16(bytes, base + VERSION_MAJOR_OFFSET, bigEndian);
        int minor = ByteAccess.u16(bytes, base + VERSION_MINOR_OFFSET, bigEndian);
        if (major != VERSION_MAJOR) {
            throw formatError(0, "unsupported pcap version " + major + "." + minor + " (only 2.x is defined)");
        }
        linkType = ByteAccess.i32(bytes, base + LINKTYPE_OFFSET, bigEndian) & LINKTYPE_MASK;
        in.advance(HEADER_LENGTH);
        headerRead = true;
    }

    @Override
    boolean next(PacketRecord record) throws IOException {
        long start = in.offset();
        int available = in.require(RECORD_HEADER_LENGTH);
        if (available == 0) {
            return false;
        }
        if (available < RECORD_HEADER_LENGTH) {
            return truncated(start, "record header", available, RECORD_HEADER_LENGTH);
        }
        byte[] bytes = in.bytes();
        int base = in.position();
        long seconds = ByteAccess.u32(bytes, base + TS_SECONDS_OFFSET, bigEndian);
        long fraction = ByteAccess.u32(bytes, base + TS_FRACTION_OFFSET, bigEndian);
        long captured = ByteAccess.u32(bytes, base + CAPTURED_LENGTH_OFFSET, bigEndian);
        long original = ByteAccess.u32(bytes, base + ORIGINAL_LENGTH_OFFSET, bigEndian);
        checkRecord(start, fraction, captured, original);

        int length = RECORD_HEADER_LENGTH + (int) captured;
        available = in.require(length);
        if (available < length) {
            return truncated(start, "record", available, length);
        }
        bytes = in.bytes();
        base = in.position();
        long timestampNs = seconds * 1_000_000_000L + (nanosecond ? fraction : fraction * 1_000L);
        record.set(bytes, in.segment(), base + RECORD_HEADER_LENGTH, (int) captured, original,
                timestampNs, linkType, 0, 0, start);
        in.advance(length);
        return true;
    }

    private void checkRecord(long start, long fraction, long captured, long original) throws PcapFormatException {
        if (captured > original) {
            throw formatError(start, "record: captured length " + captured
                    + " exceeds original length " + original);
        }
        if (captured > options.maxCapturedLength()) {
            throw formatError(start, "record: captured length " + captured + " exceeds the limit of "
                    + options.maxCapturedLength() + " bytes");
        }
        long fractionLimit = nanosecond ? 1_000_000_000L : 1_000_000L;
        if (fraction >= fractionLimit) {
            throw formatError(start, "record: timestamp fraction " + fraction + " is not below "
                    + fractionLimit + (nanosecond ? " nanoseconds" : " microseconds"));
        }
    }
}
