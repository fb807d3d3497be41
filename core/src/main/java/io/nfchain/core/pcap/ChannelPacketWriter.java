package io.nfchain.core.pcap;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/** What both writers share: argument checks and a little-endian buffer in front of a channel. */
abstract sealed class ChannelPacketWriter implements PacketFileWriter permits PcapWriter, PcapngWriter {
    static final int BUFFER_CAPACITY = 64 * 1024;
    static final long MAX_ORIGINAL_LENGTH = 0xFFFF_FFFFL;

    final PacketWriterOptions options;
    private final WritableByteChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_CAPACITY).order(ByteOrder.LITTLE_ENDIAN);
    private final MemorySegment bufferSegment = MemorySegment.ofArray(buffer.array());
    private long packetsWritten;
    private boolean closed;

    ChannelPacketWriter(WritableByteChannel channel, PacketWriterOptions options) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** A writable, truncated file channel for {@code file}. */
    static FileChannel openFile(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
    }

    /** Closes {@code channel} after a failed header write, keeping the first failure. */
    static void closeAfterFailure(WritableByteChannel channel, Throwable failure) {
        try {
            channel.close();
        } catch (IOException closing) {
            failure.addSuppressed(closing);
        }
    }

    @Override
    public final void write(long timestampNs, MemorySegment packet, long originalLength) throws IOException {
        Objects.requireNonNull(packet, "packet");
        if (closed) {
            throw new ClosedChannelException();
        }
        if (timestampNs < 0 || timestampNs > maxTimestampNs()) {
            throw new IllegalArgumentException("timestampNs " + timestampNs + " is not in 0.." + maxTimestampNs());
        }
        long size = packet.byteSize();
        if (originalLength < size || originalLength > MAX_ORIGINAL_LENGTH) {
            throw new IllegalArgumentException("originalLength " + originalLength + " is not in "
                    + size + " (the packet's length).." + MAX_ORIGINAL_LENGTH);
        }
        writeRecord(timestampNs, packet, (int) Math.min(size, options.snapLength()), originalLength);
        packetsWritten++;
    }

    @Override
    public final void write(PacketRecord record) throws IOException {
        if (!record.hasTimestamp()) {
            throw new IllegalArgumentException("the record has no timestamp (a pcapng simple packet block)");
        }
        if (record.linkType() != options.linkType()) {
            throw new IllegalArgumentException("the record's link type " + record.linkType()
                    + " is not this file's " + options.linkType());
        }
        write(record.timestampNs(), record.data(), record.originalLength());
    }

    /** Latest timestamp the format can hold. */
    abstract long maxTimestampNs();

    /** Appends one record; the arguments are checked and {@code capturedLength} is cut to the snap length. */
    abstract void writeRecord(long timestampNs, MemorySegment packet, int capturedLength, long originalLength)
            throws IOException;

    /** The buffer with at least {@code bytes} (at most {@link #BUFFER_CAPACITY}) free. */
    final ByteBuffer room(int bytes) throws IOException {
        if (buffer.remaining() < bytes) {
            flushBuffer();
        }
        return buffer;
    }

    /** Appends {@code length} bytes of {@code packet}, through the buffer in pieces if large. */
    final void putBytes(MemorySegment packet, int length) throws IOException {
        long copied = 0;
        while (copied < length) {
            if (!buffer.hasRemaining()) {
                flushBuffer();
            }
            int piece = (int) Math.min(length - copied, buffer.remaining());
            MemorySegment.copy(packet, copied, bufferSegment, buffer.position(), piece);
            buffer.position(buffer.position() + piece);
            copied += piece;
        }
    }

    final void putZeros(int count) throws IOException {
        ByteBuffer out = room(count);
        for (int i = 0; i < count; i++) {
            out.put((byte) 0);
        }
    }

    @Override
    public final long packetsWritten() {
        return packetsWritten;
    }

    @Override
    public final void flush() throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        flushBuffer();
    }

    private void flushBuffer() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    @Override
    public final void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            flushBuffer();
        } finally {
            channel.close();
        }
    }
}
