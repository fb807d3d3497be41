package io.nfchain.core.pcap;

import java.io.IOException;

/** A format's record parser over an {@link InputWindow}: the part of a reader that differs by format. */
abstract class CaptureParser {
    final InputWindow in;
    final PacketFileReader.Options options;
    /** Set once the file header is read; before that every truncation is an error. */
    boolean headerRead;
    private long truncatedTailOffset = -1;

    CaptureParser(InputWindow in, PacketFileReader.Options options) {
        this.in = in;
        this.options = options;
    }

    /** Fills {@code record} with the next packet; false at the end of the file. */
    abstract boolean next(PacketRecord record) throws IOException;

    /** Where the truncated final record or block starts, or -1 when the file ended cleanly. */
    final long truncatedTailOffset() {
        return truncatedTailOffset;
    }

    /**
     * The file ended inside a record or block that starts at {@code start}: an error, or, when
     * the options accept a truncated tail and the file header was complete, the end of the file.
     *
     * @return false, meaning "no more records", when the truncation is accepted
     */
    final boolean truncated(long start, String what, long available, long needed) throws PcapFormatException {
        if (headerRead && options.acceptTruncatedTail()) {
            truncatedTailOffset = start;
            return false;
        }
        throw new PcapFormatException(start, what + " is truncated: the file ends after "
                + available + " of its " + needed + " bytes");
    }

    static PcapFormatException formatError(long offset, String problem) {
        return new PcapFormatException(offset, problem);
    }
}
