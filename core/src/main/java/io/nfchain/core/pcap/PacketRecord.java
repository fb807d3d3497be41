package io.nfchain.core.pcap;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * One packet read from a capture file, filled in place by {@link PacketFileReader#next}.
 *
 * <p>Not thread-safe, and reused: the packet bytes live in the reader's buffer and are valid only
 * until the next call to {@code next} or {@code close}. Copy them ({@link #toByteArray()}) to keep
 * them. Parse them in place from {@link #buffer()} at {@link #dataOffset()}, as the rest of
 * nfchain parses packets from a segment at an offset.
 */
public final class PacketRecord {
    /** {@link #timestampNs()} of a pcapng Simple Packet Block, which carries no timestamp. */
    public static final long NO_TIMESTAMP = Long.MIN_VALUE;

    private byte[] array = new byte[0];
    private MemorySegment buffer = MemorySegment.ofArray(array);
    private int dataOffset;
    private int capturedLength;
    private long originalLength;
    private long timestampNs = NO_TIMESTAMP;
    private int linkType;
    private int interfaceIndex;
    private int sectionIndex;
    private long fileOffset;

    void set(
            byte[] array,
            MemorySegment buffer,
            int dataOffset,
            int capturedLength,
            long originalLength,
            long timestampNs,
            int linkType,
            int interfaceIndex,
            int sectionIndex,
            long fileOffset) {
        this.array = array;
        this.buffer = buffer;
        this.dataOffset = dataOffset;
        this.capturedLength = capturedLength;
        this.originalLength = originalLength;
        this.timestampNs = timestampNs;
        this.linkType = linkType;
        this.interfaceIndex = interfaceIndex;
        this.sectionIndex = sectionIndex;
        this.fileOffset = fileOffset;
    }

    /** Capture time in nanoseconds since 1970-01-01T00:00:00Z, or {@link #NO_TIMESTAMP}. */
    public long timestampNs() {
        return timestampNs;
    }

    /** False only for pcapng Simple Packet Blocks. */
    public boolean hasTimestamp() {
        return timestampNs != NO_TIMESTAMP;
    }

    /** Bytes of the packet present in the file; never more than {@link #originalLength()}. */
    public int capturedLength() {
        return capturedLength;
    }

    /** Length of the packet on the wire, in bytes (an unsigned 32-bit field of the file). */
    public long originalLength() {
        return originalLength;
    }

    /** True when the capture kept fewer bytes than the packet had (snap length). */
    public boolean isTruncated() {
        return capturedLength < originalLength;
    }

    /** LINKTYPE_* of the interface the packet came from; see {@link LinkType}. */
    public int linkType() {
        return linkType;
    }

    /** Index of the packet's Interface Description Block within its pcapng section; 0 in pcap. */
    public int interfaceIndex() {
        return interfaceIndex;
    }

    /** Index of the pcapng section (0 for the first Section Header Block); 0 in pcap. */
    public int sectionIndex() {
        return sectionIndex;
    }

    /** Where the packet's record or block starts in the file, in bytes. */
    public long fileOffset() {
        return fileOffset;
    }

    /** The reader's whole buffer; the packet is at {@link #dataOffset()}. No allocation. */
    public MemorySegment buffer() {
        return buffer;
    }

    /** The reader's whole buffer as an array; the packet is at {@link #dataOffset()}. */
    public byte[] array() {
        return array;
    }

    /** Offset of the packet's first byte in {@link #buffer()} and {@link #array()}. */
    public int dataOffset() {
        return dataOffset;
    }

    /** The packet bytes as a slice (a new view object, same memory). */
    public MemorySegment data() {
        return buffer.asSlice(dataOffset, capturedLength);
    }

    /** A copy of the packet bytes. */
    public byte[] toByteArray() {
        return Arrays.copyOfRange(array, dataOffset, dataOffset + capturedLength);
    }

    @Override
    public String toString() {
        return "PacketRecord[ts=" + (hasTimestamp() ? timestampNs + "ns" : "none")
                + ", captured=" + capturedLength + ", original=" + originalLength
                + ", linkType=" + linkType + ", interface=" + interfaceIndex
                + ", section=" + sectionIndex + ", fileOffset=" + fileOffset + "]";
    }
}
