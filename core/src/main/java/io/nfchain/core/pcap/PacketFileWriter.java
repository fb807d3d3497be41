package io.nfchain.core.pcap;

import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Writes packets to a capture file: {@link PcapWriter} or {@link PcapngWriter}.
 *
 * <p>Not thread-safe. Packets longer than the snap length are cut to it. Output is buffered;
 * {@link #flush()} or {@link #close()} pushes it to the channel.
 */
public interface PacketFileWriter extends Closeable {

    /** Creates (or truncates) {@code file} and writes the header of {@code format}. */
    static PacketFileWriter create(Path file, PacketFileFormat format, PacketWriterOptions options) throws IOException {
        return switch (format) {
            case PCAP -> PcapWriter.create(file, options);
            case PCAPNG -> PcapngWriter.create(file, options);
        };
    }

    /**
     * Appends one packet.
     *
     * @param timestampNs capture time, nanoseconds since the epoch; not negative (and for classic
     *     pcap before 2106-02-07, the end of its unsigned 32-bit seconds)
     * @param packet the packet bytes as captured; not longer than {@code originalLength}
     * @param originalLength length on the wire, at most 2^32 - 1
     * @throws IllegalArgumentException when an argument breaks those constraints
     */
    void write(long timestampNs, MemorySegment packet, long originalLength) throws IOException;

    /** Appends one packet that was captured whole. */
    default void write(long timestampNs, MemorySegment packet) throws IOException {
        write(timestampNs, packet, packet.byteSize());
    }

    /** Appends {@code length} bytes of {@code packet} from {@code offset}; see {@link #write(long, MemorySegment, long)}. */
    default void write(long timestampNs, byte[] packet, int offset, int length, long originalLength) throws IOException {
        write(timestampNs, MemorySegment.ofArray(packet).asSlice(offset, length), originalLength);
    }

    /**
     * Appends a packet read from another file.
     *
     * @throws IllegalArgumentException when it has no timestamp or another link type than this file
     */
    void write(PacketRecord record) throws IOException;

    /** Packets appended so far. */
    long packetsWritten();

    /** Writes buffered bytes to the channel. */
    void flush() throws IOException;
}
