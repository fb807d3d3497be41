package io.nfchain.core.pcap;

import static io.nfchain.core.pcap.PcapngLayout.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * pcapng blocks: sections in either byte order, interfaces with their timestamp resolution and
 * offset, Enhanced, Simple and (obsolete) Packet Blocks. Other blocks (name resolution, statistics,
 * custom, ...) are skipped by their length, with their trailing length checked. The obsolete
 * Packet Block is read rather than skipped because skipping it would drop packets silently.
 */
final class PcapngParser extends CaptureParser {
    /** Room for options around the largest packet a block may carry. */
    static final int OPTIONS_ALLOWANCE = 64 * 1024;

    private record Interface(int linkType, long snapLength, TimestampScale scale, long offsetSeconds) {}

    private final List<Interface> interfaces = new ArrayList<>();
    private final long maxBlockLength;
    private boolean bigEndian;
    private int sectionIndex = -1;

    PcapngParser(InputWindow in, PacketFileReader.Options options) throws IOException {
        super(in, options);
        maxBlockLength = (long) options.maxCapturedLength() + EPB_MIN_LENGTH + OPTIONS_ALLOWANCE;
        readSectionHeader(in.offset());
        headerRead = true;
    }

    @Override
    boolean next(PacketRecord record) throws IOException {
        while (true) {
            long start = in.offset();
            int available = in.require(BLOCK_BODY_OFFSET);
            if (available == 0) {
                return false;
            }
            if (available < BLOCK_BODY_OFFSET) {
                return truncated(start, "block header", available, BLOCK_BODY_OFFSET);
            }
            int type = ByteAccess.i32(in.bytes(), in.position() + BLOCK_TYPE_OFFSET, bigEndian);
            boolean more = switch (type) {
                case SECTION_HEADER_BLOCK -> readSectionHeader(start);
                case INTERFACE_DESCRIPTION_BLOCK -> readInterface(start);
                case ENHANCED_PACKET_BLOCK, PACKET_BLOCK -> readPacket(start, type, record);
                case SIMPLE_PACKET_BLOCK -> readSimplePacket(start, record);
                default -> skipBlock(start, type);
            };
            if (!more) {
                return false;
            }
            if (type == ENHANCED_PACKET_BLOCK || type == PACKET_BLOCK || type == SIMPLE_PACKET_BLOCK) {
                return true;
            }
        }
    }

    private boolean readSectionHeader(long start) throws IOException {
        int available = in.require(SHB_BYTE_ORDER_OFFSET + 4);
        if (available < SHB_BYTE_ORDER_OFFSET + 4) {
            return truncated(start, "section header block", available, SHB_MIN_LENGTH);
        }
        int magic = ByteAccess.i32(in.bytes(), in.position() + SHB_BYTE_ORDER_OFFSET, true);
        if (magic == BYTE_ORDER_MAGIC) {
            bigEndian = true;
        } else if (magic == Integer.reverseBytes(BYTE_ORDER_MAGIC)) {
            bigEndian = false;
        } else {
            throw formatError(start, String.format(
                    "section header block: byte-order magic 0x%08X is neither 0x1A2B3C4D nor 0x4D3C2B1A", magic));
        }
        long length = blockLength(start, SECTION_HEADER_BLOCK, SHB_MIN_LENGTH);
        if (!readWholeBlock(start, SECTION_HEADER_BLOCK, length)) {
            return false;
        }
        byte[] bytes = in.bytes();
        int base = in.position();
        int major = ByteAccess.u16(bytes, base + SHB_VERSION_MAJOR_OFFSET, bigEndian);
        int minor = ByteAccess.u16(bytes, base + SHB_VERSION_MINOR_OFFSET, bigEndian);
        if (major != VERSION_MAJOR) {
            throw formatError(start, "section header block: unsupported pcapng version " + major + "." + minor);
        }
        interfaces.clear();
        sectionIndex++;
        in.advance((int) length);
        return true;
    }

    private boolean readInterface(long start) throws IOException {
        long length = blockLength(start, INTERFACE_DESCRIPTION_BLOCK, IDB_MIN_LENGTH);
        if (!readWholeBlock(start, INTERFACE_DESCRIPTION_BLOCK, length)) {
            return false;
        }
        byte[] bytes = in.bytes();
        int base = in.position();
        int linkType = ByteAccess.u16(bytes, base + IDB_LINKTYPE_OFFSET, bigEndian);
        long snapLength = ByteAccess.u32(bytes, base + IDB_SNAPLEN_OFFSET, bigEndian);
        TimestampScale scale = TimestampScale.MICROSECONDS;
        long offsetSeconds = 0;
        int end = base + (int) length - 4;
        int cursor = base + IDB_OPTIONS_OFFSET;
        while (end - cursor >= OPTION_HEADER_LENGTH) {
            int code = ByteAccess.u16(bytes, cursor, bigEndian);
            int valueLength = ByteAccess.u16(bytes, cursor + 2, bigEndian);
            if (code == OPT_ENDOFOPT) {
                break;
            }
            int value = cursor + OPTION_HEADER_LENGTH;
            long optionOffset = start + (cursor - base);
            if (valueLength > end - value) {
                throw formatError(optionOffset, "interface description block option " + code + " of length "
                        + valueLength + " runs past the end of the block at offset " + start);
            }
            if (code == IF_TSRESOL) {
                requireOptionLength(optionOffset, "if_tsresol", valueLength, 1);
                scale = TimestampScale.ofTsresol(bytes[value] & 0xFF);
            } else if (code == IF_TSOFFSET) {
                requireOptionLength(optionOffset, "if_tsoffset", valueLength, 8);
                offsetSeconds = ByteAccess.i64(bytes, value, bigEndian);
            }
            cursor = value + (int) padded(valueLength);
        }
        interfaces.add(new Interface(linkType, snapLength, scale, offsetSeconds));
        in.advance((int) length);
        return true;
    }

    private static void requireOptionLength(long offset, String name, int actual, int expected)
            throws PcapFormatException {
        if (actual != expected) {
            throw formatError(offset, "interface description block option " + name + " has length "
                    + actual + ", not " + expected);
        }
    }

    /** An Enhanced Packet Block, or the obsolete Packet Block that differs only in its first word. */
    private boolean readPacket(long start, int type, PacketRecord record) throws IOException {
        String name = blockName(type);
        long length = blockLength(start, type, EPB_MIN_LENGTH);
        if (!readWholeBlock(start, type, length)) {
            return false;
        }
        byte[] bytes = in.bytes();
        int base = in.position();
        long interfaceIndex = type == ENHANCED_PACKET_BLOCK
                ? ByteAccess.u32(bytes, base + EPB_INTERFACE_OFFSET, bigEndian)
                : ByteAccess.u16(bytes, base + EPB_INTERFACE_OFFSET, bigEndian);
        if (interfaceIndex >= interfaces.size()) {
            throw formatError(start, name + " refers to interface " + interfaceIndex
                    + " but its section describes " + interfaces.size());
        }
        long units = ByteAccess.u32(bytes, base + EPB_TS_HIGH_OFFSET, bigEndian) << 32
                | ByteAccess.u32(bytes, base + EPB_TS_LOW_OFFSET, bigEndian);
        long captured = ByteAccess.u32(bytes, base + EPB_CAPTURED_LENGTH_OFFSET, bigEndian);
        long original = ByteAccess.u32(bytes, base + EPB_ORIGINAL_LENGTH_OFFSET, bigEndian);
        long room = length - EPB_MIN_LENGTH;
        if (captured > room) {
            throw formatError(start, name + ": captured length " + captured
                    + " does not fit in the block's " + room + " bytes of data");
        }
        if (captured > original) {
            throw formatError(start, name + ": captured length " + captured
                    + " exceeds original length " + original);
        }
        checkCapturedLimit(start, name, captured);
        Interface where = interfaces.get((int) interfaceIndex);
        long timestampNs = toNanos(start, name, where, units);
        record.set(bytes, in.segment(), base + EPB_DATA_OFFSET, (int) captured, original, timestampNs,
                where.linkType(), (int) interfaceIndex, sectionIndex, start);
        in.advance((int) length);
        return true;
    }

    private boolean readSimplePacket(long start, PacketRecord record) throws IOException {
        long length = blockLength(start, SIMPLE_PACKET_BLOCK, SPB_MIN_LENGTH);
        if (!readWholeBlock(start, SIMPLE_PACKET_BLOCK, length)) {
            return false;
        }
        if (interfaces.isEmpty()) {
            throw formatError(start, "simple packet block before any interface description block in its section");
        }
        byte[] bytes = in.bytes();
        int base = in.position();
        long original = ByteAccess.u32(bytes, base + SPB_ORIGINAL_LENGTH_OFFSET, bigEndian);
        Interface first = interfaces.getFirst();
        // The block does not say how much it captured: the spec derives it from the original
        // length and the first interface's snap length (0 = none), and the block must hold it.
        long captured = first.snapLength() == 0 ? original : Math.min(original, first.snapLength());
        long room = length - SPB_MIN_LENGTH;
        if (captured > room) {
            throw formatError(start, "simple packet block: captured length " + captured
                    + " (original length, cut to the snap length) does not fit in the block's "
                    + room + " bytes of data");
        }
        checkCapturedLimit(start, "simple packet block", captured);
        record.set(bytes, in.segment(), base + SPB_DATA_OFFSET, (int) captured, original,
                PacketRecord.NO_TIMESTAMP, first.linkType(), 0, sectionIndex, start);
        in.advance((int) length);
        return true;
    }

    private boolean skipBlock(long start, int type) throws IOException {
        long length = blockLength(start, type, BLOCK_OVERHEAD);
        String name = blockName(type);
        in.advance(BLOCK_BODY_OFFSET);
        long body = length - BLOCK_OVERHEAD;
        long skipped = in.skip(body);
        if (skipped < body) {
            return truncated(start, name, BLOCK_BODY_OFFSET + skipped, length);
        }
        int available = in.require(4);
        if (available < 4) {
            return truncated(start, name, length - 4 + available, length);
        }
        checkTrailingLength(start, name, length, ByteAccess.u32(in.bytes(), in.position(), bigEndian));
        in.advance(4);
        return true;
    }

    /** The block's total length, checked for alignment, its type's minimum and, if read whole, the limit. */
    private long blockLength(long start, int type, int minimum) throws PcapFormatException {
        long length = ByteAccess.u32(in.bytes(), in.position() + BLOCK_LENGTH_OFFSET, bigEndian);
        if ((length & 3) != 0) {
            throw formatError(start, blockName(type) + ": block total length " + length + " is not a multiple of 4");
        }
        if (length < minimum) {
            throw formatError(start, blockName(type) + ": block total length " + length
                    + " is below the minimum of " + minimum);
        }
        boolean readWhole = type == SECTION_HEADER_BLOCK || type == INTERFACE_DESCRIPTION_BLOCK
                || type == ENHANCED_PACKET_BLOCK || type == PACKET_BLOCK || type == SIMPLE_PACKET_BLOCK;
        if (readWhole && length > maxBlockLength) {
            throw formatError(start, blockName(type) + ": block total length " + length
                    + " exceeds the limit of " + maxBlockLength + " bytes");
        }
        return length;
    }

    /** Makes the whole block readable at {@code in.position()} and checks its trailing length. */
    private boolean readWholeBlock(long start, int type, long length) throws IOException {
        int available = in.require((int) length);
        if (available < length) {
            return truncated(start, blockName(type), available, length);
        }
        long trailing = ByteAccess.u32(in.bytes(), in.position() + (int) length - 4, bigEndian);
        checkTrailingLength(start, blockName(type), length, trailing);
        return true;
    }

    private static void checkTrailingLength(long start, String name, long length, long trailing)
            throws PcapFormatException {
        if (trailing != length) {
            throw formatError(start, name + ": trailing block total length " + trailing
                    + " differs from the leading " + length);
        }
    }

    private void checkCapturedLimit(long start, String name, long captured) throws PcapFormatException {
        if (captured > options.maxCapturedLength()) {
            throw formatError(start, name + ": captured length " + captured + " exceeds the limit of "
                    + options.maxCapturedLength() + " bytes");
        }
    }

    private static long toNanos(long start, String name, Interface where, long units) throws PcapFormatException {
        long nanos = where.scale().toNanos(units);
        boolean representable = nanos != TimestampScale.OUT_OF_RANGE;
        if (representable && where.offsetSeconds() != 0) {
            try {
                nanos = Math.addExact(nanos, Math.multiplyExact(where.offsetSeconds(), 1_000_000_000L));
            } catch (ArithmeticException e) {
                representable = false;
            }
        }
        if (!representable || nanos == PacketRecord.NO_TIMESTAMP) {
            throw formatError(start, name + ": timestamp " + Long.toUnsignedString(units)
                    + " units of " + where.scale() + " plus if_tsoffset " + where.offsetSeconds()
                    + " s does not fit in 64-bit nanoseconds since 1970");
        }
        return nanos;
    }

    private static String blockName(int type) {
        return switch (type) {
            case SECTION_HEADER_BLOCK -> "section header block";
            case INTERFACE_DESCRIPTION_BLOCK -> "interface description block";
            case ENHANCED_PACKET_BLOCK -> "enhanced packet block";
            case SIMPLE_PACKET_BLOCK -> "simple packet block";
            case PACKET_BLOCK -> "packet block (obsolete)";
            default -> String.format("block of type 0x%08X", type);
        };
    }
}
