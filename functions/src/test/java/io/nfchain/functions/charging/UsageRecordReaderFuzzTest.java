package io.nfchain.functions.charging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline record file and its reader: records come back as written; a file cut anywhere or
 * with any byte changed gives the intact records before the damage and says where it starts,
 * never throws; the writer reopening a torn file cuts the tail and appends after the last good
 * record; random bytes never crash the reader.
 */
class UsageRecordReaderFuzzTest {
    @TempDir
    Path dir;

    private static UsageRecord record(SplittableRandom random, long seq) {
        return new UsageRecord(seq, random.nextLong(), random.nextInt(), 1 + random.nextInt(7), random.nextLong(),
                random.nextLong(1L << 40), random.nextLong(1L << 40), random.nextLong(1L << 30), random.nextLong(1L << 30),
                random.nextLong(), random.nextLong(), random.nextLong(1000));
    }

    private List<UsageRecord> write(Path file, int count, SplittableRandom random) {
        List<UsageRecord> written = new ArrayList<>();
        try (UsageRecordFile out = new UsageRecordFile(file, 7, 1_000_000)) {
            for (int i = 0; i < count; i++) {
                UsageRecord r = record(random, i + 1);
                out.append(r, i * 100_000L);
                written.add(r);
            }
            assertTrue(out.syncs() >= count / 7, "fsync every 7 records: " + out.syncs());
        }
        return written;
    }

    @Test
    void recordsComeBackAsWritten() throws IOException {
        Path file = dir.resolve("u.rec");
        List<UsageRecord> written = write(file, 50, new SplittableRandom(1));
        List<UsageRecord> read = new ArrayList<>();
        UsageRecordReader.Result result = UsageRecordReader.read(file, read::add);
        assertEquals(written, read);
        assertEquals(UsageRecordReader.Problem.NONE, result.problem());
        assertEquals(Files.size(file), result.goodBytes());
    }

    @Test
    void everyCutGivesTheRecordsBeforeItAndSaysTruncated() throws IOException {
        Path file = dir.resolve("u.rec");
        List<UsageRecord> written = write(file, 5, new SplittableRandom(2));
        byte[] bytes = Files.readAllBytes(file);
        int frame = UsageRecordFile.FRAME_BYTES + UsageRecord.PAYLOAD_BYTES;
        for (int cut = 0; cut < bytes.length; cut++) {
            List<UsageRecord> read = new ArrayList<>();
            UsageRecordReader.Result result = UsageRecordReader.read(ByteBuffer.wrap(bytes, 0, cut).slice(), read::add);
            if (cut < UsageRecordFile.HEADER_BYTES) {
                assertEquals(UsageRecordReader.Problem.BAD_HEADER, result.problem());
                continue;
            }
            int whole = (cut - UsageRecordFile.HEADER_BYTES) / frame;
            assertEquals(written.subList(0, whole), read, "cut at " + cut);
            boolean atBoundary = (cut - UsageRecordFile.HEADER_BYTES) % frame == 0;
            assertEquals(atBoundary ? UsageRecordReader.Problem.NONE : UsageRecordReader.Problem.TRUNCATED,
                    result.problem(), "cut at " + cut);
            assertEquals(UsageRecordFile.HEADER_BYTES + (long) whole * frame, result.goodBytes());
        }
    }

    @Test
    void everyChangedByteIsCaughtAndTheRecordsBeforeItSurvive() throws IOException {
        Path file = dir.resolve("u.rec");
        List<UsageRecord> written = write(file, 4, new SplittableRandom(3));
        byte[] bytes = Files.readAllBytes(file);
        int frame = UsageRecordFile.FRAME_BYTES + UsageRecord.PAYLOAD_BYTES;
        SplittableRandom random = new SplittableRandom(4);
        for (int at = UsageRecordFile.HEADER_BYTES; at < bytes.length; at++) {
            byte[] damaged = bytes.clone();
            damaged[at] ^= (byte) (1 + random.nextInt(255));
            List<UsageRecord> read = new ArrayList<>();
            UsageRecordReader.Result result = UsageRecordReader.read(ByteBuffer.wrap(damaged), read::add);
            int index = (at - UsageRecordFile.HEADER_BYTES) / frame;
            assertEquals(written.subList(0, index), read, "byte " + at);
            assertTrue(result.problem() == UsageRecordReader.Problem.BAD_CRC
                    || result.problem() == UsageRecordReader.Problem.BAD_LENGTH
                    || result.problem() == UsageRecordReader.Problem.TRUNCATED, "byte " + at + ": " + result);
            assertTrue(result.message().contains("byte " + (UsageRecordFile.HEADER_BYTES + index * frame)), result.message());
        }
    }

    @Test
    void randomBytesNeverThrow() {
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(600)];
            random.nextBytes(bytes);
            if (random.nextBoolean() && bytes.length >= 16) { // a valid header, so the frames get read
                ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0, UsageRecordFile.MAGIC).putInt(8, 1);
                if (random.nextBoolean() && bytes.length >= 20) {
                    ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(16, UsageRecord.PAYLOAD_BYTES);
                }
            }
            UsageRecordReader.Result result = UsageRecordReader.read(ByteBuffer.wrap(bytes), r -> {});
            assertTrue(result.goodBytes() <= bytes.length);
        }
    }

    @Test
    void reopeningATornFileCutsTheTailAndAppendsAfterTheLastGoodRecord() throws IOException {
        Path file = dir.resolve("u.rec");
        SplittableRandom random = new SplittableRandom(6);
        List<UsageRecord> written = write(file, 3, random);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 30)); // a power loss mid-append
        UsageRecord next = record(random, 4);
        try (UsageRecordFile out = new UsageRecordFile(file, 1, 0)) {
            assertEquals(UsageRecordFile.FRAME_BYTES + UsageRecord.PAYLOAD_BYTES - 30, out.truncatedBytes());
            out.append(next, 0);
        }
        List<UsageRecord> read = new ArrayList<>();
        UsageRecordReader.Result result = UsageRecordReader.read(file, read::add);
        assertEquals(UsageRecordReader.Problem.NONE, result.problem());
        assertEquals(List.of(written.get(0), written.get(1), next), read);
    }

    @Test
    void theCommandPrintsRecordsAndTheUsageAndFlagsADamagedTail() throws IOException {
        Path file = dir.resolve("u.rec");
        write(file, 3, new SplittableRandom(7));
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        assertEquals(0, UsageRecordsMain.print(file, new java.io.PrintStream(text, true)));
        assertTrue(text.toString().contains("\"problem\":\"NONE\""), text.toString());
        assertEquals(3 + 3 + 1, text.toString().lines().count()); // 3 records, 3 URRs, the summary
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 1;
        Files.write(file, bytes);
        text.reset();
        assertEquals(1, UsageRecordsMain.print(file, new java.io.PrintStream(text, true)));
        assertTrue(text.toString().contains("BAD_CRC"), text.toString());
    }
}
