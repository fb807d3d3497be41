package io.nfchain.core.pcap;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Reads packets from a pcap or pcapng file, detecting the format from its magic number.
 *
 * <pre>{@code
 * try (PacketFileReader reader = PacketFileReader.open(path)) {
 *     PacketRecord record = new PacketRecord();
 *     while (reader.next(record)) {
 *         parse(record.buffer(), record.dataOffset(), record.capturedLength());
 *     }
 * }
 * }</pre>
 *
 * <p>Not thread-safe. {@link #next} allocates nothing once its buffer has grown to the largest
 * record; the record it fills points into that buffer.
 *
 * <p>Bad input ends in a {@link PcapFormatException} that names the problem and its file offset;
 * after one, every further {@code next} throws it again. Any other {@link IOException} is a
 * failure of the channel. Lengths in the file are checked before they are used, and the reader's
 * buffer grows only with bytes actually read, so a lying length cannot make it allocate much.
 *
 * <p>A file that ends inside a record (a capture cut short, a file still being written) is an
 * error by default, because a silent end would hide lost packets;
 * {@link Options#acceptTruncatedTail()} turns it into the end of the file, with
 * {@link #truncatedTailOffset()} telling where the partial record starts.
 */
public final class PacketFileReader implements Closeable {
    /** Default limit on one packet's captured bytes: Wireshark's and our writers' default snap length. */
    public static final int DEFAULT_MAX_CAPTURED_LENGTH = 262_144;
    /** Highest {@link Options#maxCapturedLength()} accepted: 256 MiB. */
    public static final int MAX_CAPTURED_LENGTH_LIMIT = 1 << 28;

    /**
     * How strict a reader is.
     *
     * @param maxCapturedLength most captured bytes one packet may have, 1 to
     *     {@link #MAX_CAPTURED_LENGTH_LIMIT}; a record claiming more is a format error. The file's
     *     own snap length is not enforced: writers disagree on it, as libpcap and Wireshark know.
     *     pcapng blocks read whole may be this plus 64 KiB of options long.
     * @param acceptTruncatedTail whether a file ending inside its last record or block ends the
     *     file quietly instead of being an error; a truncated file header is always an error
     */
    public record Options(int maxCapturedLength, boolean acceptTruncatedTail) {
        public static final Options DEFAULT = new Options(DEFAULT_MAX_CAPTURED_LENGTH, false);

        public Options {
            if (maxCapturedLength < 1 || maxCapturedLength > MAX_CAPTURED_LENGTH_LIMIT) {
                throw new IllegalArgumentException("maxCapturedLength " + maxCapturedLength
                        + " is not in 1.." + MAX_CAPTURED_LENGTH_LIMIT);
            }
        }

        public Options withMaxCapturedLength(int bytes) {
            return new Options(bytes, acceptTruncatedTail);
        }

        public Options withAcceptTruncatedTail(boolean accept) {
            return new Options(maxCapturedLength, accept);
        }
    }

    private final ReadableByteChannel channel;
    private final InputWindow in;
    private final CaptureParser parser;
    private final PacketFileFormat format;
    private PcapFormatException failure;
    private boolean ended;
    private boolean closed;

    private PacketFileReader(ReadableByteChannel channel, InputWindow in, CaptureParser parser, PacketFileFormat format) {
        this.channel = channel;
        this.in = in;
        this.parser = parser;
        this.format = format;
    }

    /** Opens {@code file} with {@link Options#DEFAULT}. */
    public static PacketFileReader open(Path file) throws IOException {
        return open(file, Options.DEFAULT);
    }

    /** Opens {@code file}; the reader closes it. */
    public static PacketFileReader open(Path file, Options options) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return open(channel, options);
        } catch (IOException | RuntimeException | Error e) {
            try {
                channel.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /**
     * Reads the file header from {@code channel}, a blocking channel positioned at the start of
     * the file; the reader closes it. If opening fails, the channel stays open for the caller.
     */
    public static PacketFileReader open(ReadableByteChannel channel, Options options) throws IOException {
        Objects.requireNonNull(options, "options");
        InputWindow in = new InputWindow(Objects.requireNonNull(channel, "channel"));
        int available = in.require(4);
        if (available < 4) {
            throw new PcapFormatException(0, available == 0
                    ? "the file is empty; a pcap or pcapng file starts with a magic number"
                    : "the file has only " + available + " bytes, fewer than a magic number");
        }
        byte[] bytes = in.bytes();
        int magic = ByteAccess.i32(bytes, in.position(), true);
        if (PcapParser.isMagic(magic)) {
            return new PacketFileReader(channel, in, new PcapParser(in, options), PacketFileFormat.PCAP);
        }
        if (magic == PcapngLayout.SECTION_HEADER_BLOCK) {
            return new PacketFileReader(channel, in, new PcapngParser(in, options), PacketFileFormat.PCAPNG);
        }
        if ((magic >>> 16) == 0x1F8B) {
            throw new PcapFormatException(0, "the file is gzip-compressed; decompress it first");
        }
        throw new PcapFormatException(0, String.format(
                "unknown magic number 0x%08X: not a pcap (A1B2C3D4, A1B23C4D) or pcapng (0A0D0D0A) file", magic));
    }

    public PacketFileFormat format() {
        return format;
    }

    /**
     * Fills {@code record} with the next packet; the bytes stay valid until the next call.
     *
     * @return false at the end of the file
     * @throws PcapFormatException when the file is malformed at this point
     */
    public boolean next(PacketRecord record) throws IOException {
        Objects.requireNonNull(record, "record");
        if (closed) {
            throw new ClosedChannelException();
        }
        if (failure != null) {
            throw failure;
        }
        if (ended) {
            return false;
        }
        try {
            boolean found = parser.next(record);
            ended = !found;
            return found;
        } catch (PcapFormatException e) {
            failure = e;
            throw e;
        }
    }

    /** File offset of the next byte the reader has not consumed. */
    public long offset() {
        return in.offset();
    }

    /**
     * Where the partial record or block that ended the file starts, or -1 when the file ended
     * cleanly (or has not ended yet). Only set with {@link Options#acceptTruncatedTail()}.
     */
    public long truncatedTailOffset() {
        return parser.truncatedTailOffset();
    }

    /** Capacity of the reader's buffer in bytes; for tests that bound allocation. */
    int bufferCapacity() {
        return in.capacity();
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            channel.close();
        }
    }
}
