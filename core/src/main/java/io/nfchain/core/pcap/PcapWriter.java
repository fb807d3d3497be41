package io.nfchain.core.pcap;

import static io.nfchain.core.pcap.PcapLayout.*;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/**
 * Writes classic pcap: little-endian, nanosecond timestamps (magic 0xA1B23C4D), version 2.4.
 * Not thread-safe.
 */
public final class PcapWriter extends ChannelPacketWriter {
    /** Unsigned 32-bit seconds end on 2106-02-07T06:28:15Z. */
    private static final long MAX_TIMESTAMP_NS = 0xFFFF_FFFFL * 1_000_000_000L + 999_999_999L;

    /** Writes the file header to {@code channel}, which the writer closes. */
    public PcapWriter(WritableByteChannel channel, PacketWriterOptions options) throws IOException {
        super(channel, options);
        ByteBuffer out = room(HEADER_LENGTH);
        out.putInt(MAGIC_NANOSECONDS);
        out.putShort((short) VERSION_MAJOR);
        out.putShort((short) VERSION_MINOR);
        out.putInt(0);
        out.putInt(0);
        out.putInt(options.snapLength());
        out.putInt(options.linkType());
    }

    /** Creates (or truncates) {@code file} with {@link PacketWriterOptions#DEFAULT}. */
    public static PcapWriter create(Path file) throws IOException {
        return create(file, PacketWriterOptions.DEFAULT);
    }

    /** Creates (or truncates) {@code file}. */
    public static PcapWriter create(Path file, PacketWriterOptions options) throws IOException {
        FileChannel channel = openFile(file);
        try {
            return new PcapWriter(channel, options);
        } catch (IOException | RuntimeException e) {
            closeAfterFailure(channel, e);
            throw e;
        }
    }

    @Override
    long maxTimestampNs() {
        return MAX_TIMESTAMP_NS;
    }

    @Override
    void writeRecord(long timestampNs, MemorySegment packet, int capturedLength, long originalLength)
            throws IOException {
        ByteBuffer out = room(RECORD_HEADER_LENGTH);
        out.putInt((int) (timestampNs / 1_000_000_000L));
        out.putInt((int) (timestampNs % 1_000_000_000L));
        out.putInt(capturedLength);
        out.putInt((int) originalLength);
        putBytes(packet, capturedLength);
    }
}
