package io.nfchain.core.pcap;

import java.io.IOException;

/**
 * The bytes of a capture file are not a valid pcap or pcapng file: what was wrong, and where.
 *
 * <p>It is the only exception the readers throw for bad input; other {@link IOException}s mean the
 * underlying channel failed. Being an {@code IOException}, it needs no separate handling where a
 * caller only wants to stop reading.
 */
public final class PcapFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long fileOffset;
    private final String problem;

    /**
     * @param fileOffset where the offending record, block or header starts in the file, bytes
     * @param problem what was wrong, without the offset
     */
    public PcapFormatException(long fileOffset, String problem) {
        super("at file offset " + fileOffset + ": " + problem);
        this.fileOffset = fileOffset;
        this.problem = problem;
    }

    /** Where the offending record, block or header starts in the file, in bytes. */
    public long fileOffset() {
        return fileOffset;
    }

    /** What was wrong, without the offset. */
    public String problem() {
        return problem;
    }
}
