package io.nfchain.core.pcap;

import static io.nfchain.core.pcap.PcapngLayout.*;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes pcapng: one little-endian section (shb_userappl "nfchain"), one interface with
 * nanosecond timestamps ({@code if_tsresol} 9, optional {@code if_name}), and an Enhanced Packet
 * Block per packet. Not thread-safe.
 */
public final class PcapngWriter extends ChannelPacketWriter {
    private static final byte[] USER_APPLICATION = "nfchain".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NANOSECOND_TSRESOL = {9};

    /** Writes the section header and interface description to {@code channel}, which the writer closes. */
    public PcapngWriter(WritableByteChannel channel, PacketWriterOptions options) throws IOException {
        super(channel, options);
        writeSectionHeader();
        writeInterfaceDescription();
    }

    /** Creates (or truncates) {@code file} with {@link PacketWriterOptions#DEFAULT}. */
    public static PcapngWriter create(Path file) throws IOException {
        return create(file, PacketWriterOptions.DEFAULT);
    }

    /** Creates (or truncates) {@code file}. */
    public static PcapngWriter create(Path file, PacketWriterOptions options) throws IOException {
        FileChannel channel = openFile(file);
        try {
            return new PcapngWriter(channel, options);
        } catch (IOException | RuntimeException e) {
            closeAfterFailure(channel, e);
            throw e;
        }
    }

    private void writeSectionHeader() throws IOException {
        int length = SHB_OPTIONS_OFFSET + optionLength(USER_APPLICATION) + OPTION_HEADER_LENGTH + 4;
        ByteBuffer out = room(length);
        out.putInt(SECTION_HEADER_BLOCK);
        out.putInt(length);
        out.putInt(BYTE_ORDER_MAGIC);
        out.putShort((short) VERSION_MAJOR);
        out.putShort((short) VERSION_MINOR);
        out.putLong(-1); // section length not known up front
        putOption(out, SHB_USERAPPL, USER_APPLICATION);
        putEndOfOptions(out);
        out.putInt(length);
    }

    private void writeInterfaceDescription() throws IOException {
        byte[] name = options.interfaceName() == null ? null : options.interfaceName().getBytes(StandardCharsets.UTF_8);
        int length = IDB_OPTIONS_OFFSET + (name == null ? 0 : optionLength(name))
                + optionLength(NANOSECOND_TSRESOL) + OPTION_HEADER_LENGTH + 4;
        ByteBuffer out = room(length);
        out.putInt(INTERFACE_DESCRIPTION_BLOCK);
        out.putInt(length);
        out.putShort((short) options.linkType());
        out.putShort((short) 0);
        out.putInt(options.snapLength());
        if (name != null) {
            putOption(out, IF_NAME, name);
        }
        putOption(out, IF_TSRESOL, NANOSECOND_TSRESOL);
        putEndOfOptions(out);
        out.putInt(length);
    }

    private static int optionLength(byte[] value) {
        return OPTION_HEADER_LENGTH + (int) padded(value.length);
    }

    private static void putOption(ByteBuffer out, int code, byte[] value) {
        out.putShort((short) code);
        out.putShort((short) value.length);
        out.put(value);
        for (long i = value.length; i < padded(value.length); i++) {
            out.put((byte) 0);
        }
    }

    private static void putEndOfOptions(ByteBuffer out) {
        out.putShort((short) OPT_ENDOFOPT);
        out.putShort((short) 0);
    }

    @Override
    long maxTimestampNs() {
        return Long.MAX_VALUE;
    }

    @Override
    void writeRecord(long timestampNs, MemorySegment packet, int capturedLength, long originalLength)
            throws IOException {
        int padding = (int) padded(capturedLength) - capturedLength;
        long length = EPB_MIN_LENGTH + (long) capturedLength + padding;
        ByteBuffer out = room(EPB_DATA_OFFSET);
        out.putInt(ENHANCED_PACKET_BLOCK);
        out.putInt((int) length);
        out.putInt(0);
        out.putInt((int) (timestampNs >>> 32));
        out.putInt((int) timestampNs);
        out.putInt(capturedLength);
        out.putInt((int) originalLength);
        putBytes(packet, capturedLength);
        putZeros(padding);
        room(4).putInt((int) length);
    }
}
