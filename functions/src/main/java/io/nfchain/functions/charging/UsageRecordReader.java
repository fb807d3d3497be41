package io.nfchain.functions.charging;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * Stateless. Reads a usage record file ({@link UsageRecordFile}): every intact record in order,
 * then what ends the file: its end, a truncated record, or a damaged one (bad length or CRC).
 * Reading stops at the first bad frame (after it, framing cannot be trusted). Any bytes give a
 * result; nothing here throws on content.
 */
public final class UsageRecordReader {
    /** What ended the read. */
    public enum Problem {
        NONE,
        BAD_HEADER,
        TRUNCATED,
        BAD_LENGTH,
        BAD_CRC
    }

    /**
     * @param records intact records read
     * @param goodBytes where the intact part ends (the file length when {@code problem} is NONE)
     * @param problem NONE, or why reading stopped at {@code goodBytes}
     * @param message for a person: "truncated record at byte 1640: 52 of 104 bytes"
     */
    public record Result(long records, long goodBytes, Problem problem, String message) {}

    private UsageRecordReader() {}

    /** Reads {@code file}, handing each intact record to {@code sink}. */
    public static Result read(Path file, Consumer<UsageRecord> sink) throws IOException {
        return read(ByteBuffer.wrap(Files.readAllBytes(file)), sink);
    }

    /** Reads a whole file's bytes. */
    public static Result read(ByteBuffer bytes, Consumer<UsageRecord> sink) {
        ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int size = b.remaining();
        int base = b.position();
        if (size < UsageRecordFile.HEADER_BYTES || b.getLong(base) != UsageRecordFile.MAGIC) {
            return new Result(0, 0, Problem.BAD_HEADER, "not a usage record file: no NFCHREC1 header");
        }
        int version = b.getInt(base + 8);
        if (version != UsageRecordFile.VERSION) {
            return new Result(0, 0, Problem.BAD_HEADER, "usage record file version " + Integer.toUnsignedString(version)
                    + ", this reader knows " + UsageRecordFile.VERSION);
        }
        CRC32C crc = new CRC32C();
        long count = 0;
        int at = UsageRecordFile.HEADER_BYTES;
        while (at < size) {
            int left = size - at;
            if (left < UsageRecordFile.FRAME_BYTES) {
                return new Result(count, at, Problem.TRUNCATED, "truncated record at byte " + at + ": " + left
                        + " bytes, less than a frame header");
            }
            int length = b.getInt(base + at);
            if (length != UsageRecord.PAYLOAD_BYTES) {
                return new Result(count, at, Problem.BAD_LENGTH, "damaged record at byte " + at + ": length "
                        + Integer.toUnsignedString(length) + ", version 1 records are " + UsageRecord.PAYLOAD_BYTES);
            }
            if (left < UsageRecordFile.FRAME_BYTES + length) {
                return new Result(count, at, Problem.TRUNCATED, "truncated record at byte " + at + ": " + left + " of "
                        + (UsageRecordFile.FRAME_BYTES + length) + " bytes");
            }
            crc.reset();
            crc.update(b.slice(base + at + UsageRecordFile.FRAME_BYTES, length));
            if ((int) crc.getValue() != b.getInt(base + at + 4)) {
                return new Result(count, at, Problem.BAD_CRC, "damaged record at byte " + at + ": CRC32C mismatch");
            }
            sink.accept(UsageRecord.decode(b.slice(base + at + UsageRecordFile.FRAME_BYTES, length)));
            count++;
            at += UsageRecordFile.FRAME_BYTES + length;
        }
        return new Result(count, at, Problem.NONE, count + " records, intact to the end");
    }
}
