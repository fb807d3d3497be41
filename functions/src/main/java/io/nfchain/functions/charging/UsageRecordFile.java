package io.nfchain.functions.charging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Not thread-safe: the control thread appends. The offline usage record file: append-only,
 * each record framed by its length and a CRC32C of its payload, so a reader finds where a torn
 * or damaged tail starts and never takes garbage for usage.
 *
 * <pre>
 *  file    magic "NFCHREC1" (8) | version u32 = 1 | reserved u32 = 0
 *  record  payloadBytes u32 | crc32c(payload) u32 | payload ({@link UsageRecord})
 * </pre>
 * (little-endian). Opening an existing file reads it through and cuts a torn tail (a power loss
 * in the middle of an append) before the first new record, so the file stays readable to its end.
 *
 * <p>Durability: a record is in the page cache once {@link #append} returns, so a kill of the
 * process loses none; it is on disk after the next fsync, which happens every
 * {@code fsyncEveryRecords} records, when the oldest unsynced record is {@code fsyncIntervalNs}
 * old at an append or {@link #syncIfDue}, at {@link #sync} and at {@link #close}. A power loss
 * loses at most the records since the last fsync.
 */
final class UsageRecordFile implements AutoCloseable {
    static final long MAGIC = 0x3143455248434E46L; // "NFCHREC1" little-endian
    static final int HEADER_BYTES = 16;
    static final int FRAME_BYTES = 8;
    static final int VERSION = 1;

    private final Path path;
    private final FileChannel channel;
    private final int fsyncEveryRecords;
    private final long fsyncIntervalNs;
    private final ByteBuffer frame = ByteBuffer.allocate(FRAME_BYTES + UsageRecord.PAYLOAD_BYTES)
            .order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();
    private int unsynced;
    private long oldestUnsyncedNs;
    private long syncs;
    private final long truncatedBytes;

    /**
     * @param fsyncEveryRecords >= 1
     * @param fsyncIntervalNs >= 0
     */
    UsageRecordFile(Path path, int fsyncEveryRecords, long fsyncIntervalNs) {
        if (fsyncEveryRecords < 1 || fsyncIntervalNs < 0) {
            throw new IllegalArgumentException("fsync every " + fsyncEveryRecords + " records / " + fsyncIntervalNs
                    + " ns: needs >= 1 and >= 0");
        }
        this.path = path;
        this.fsyncEveryRecords = fsyncEveryRecords;
        this.fsyncIntervalNs = fsyncIntervalNs;
        try {
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            long size = channel.size();
            if (size == 0) {
                ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                header.putLong(MAGIC).putInt(VERSION).putInt(0).flip();
                channel.write(header, 0);
                channel.force(true);
                truncatedBytes = 0;
            } else {
                UsageRecordReader.Result existing = UsageRecordReader.read(path, r -> {});
                if (existing.problem() == UsageRecordReader.Problem.BAD_HEADER) {
                    throw new IllegalStateException(path + " is not a usage record file: " + existing.message());
                }
                truncatedBytes = size - existing.goodBytes();
                if (truncatedBytes > 0) {
                    channel.truncate(existing.goodBytes());
                    channel.force(true);
                }
            }
            channel.position(channel.size());
        } catch (IOException e) {
            throw new UncheckedIOException("usage records " + path + ": " + e.getMessage(), e);
        }
    }

    Path path() {
        return path;
    }

    /** Bytes of a torn tail cut when the file was opened. */
    long truncatedBytes() {
        return truncatedBytes;
    }

    /** fsyncs done so far. */
    long syncs() {
        return syncs;
    }

    /** Appends {@code record}; fsyncs when the policy says so ({@code nowNs} on a monotonic clock). */
    void append(UsageRecord record, long nowNs) {
        frame.clear();
        frame.putInt(UsageRecord.PAYLOAD_BYTES).putInt(0);
        record.encode(frame);
        crc.reset();
        crc.update(frame.array(), FRAME_BYTES, UsageRecord.PAYLOAD_BYTES);
        frame.putInt(4, (int) crc.getValue());
        frame.flip();
        try {
            while (frame.hasRemaining()) {
                channel.write(frame);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("usage records " + path + ": " + e.getMessage(), e);
        }
        if (unsynced++ == 0) {
            oldestUnsyncedNs = nowNs;
        }
        if (unsynced >= fsyncEveryRecords) {
            sync();
        } else {
            syncIfDue(nowNs);
        }
    }

    /** fsyncs if the oldest unsynced record is older than the interval. */
    void syncIfDue(long nowNs) {
        if (unsynced > 0 && nowNs - oldestUnsyncedNs >= fsyncIntervalNs) {
            sync();
        }
    }

    /** fsyncs now (final records: a deleted session's last usage). */
    void sync() {
        if (unsynced == 0) {
            return;
        }
        try {
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("usage records " + path + ": fsync: " + e.getMessage(), e);
        }
        unsynced = 0;
        syncs++;
    }

    @Override
    public void close() {
        try {
            sync();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("usage records " + path + ": " + e.getMessage(), e);
        }
    }
}
