package io.nfchain.core.pcap;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mutated, truncated, spliced and random capture files: the reader must end each one with a
 * {@link PcapFormatException} or with well-formed records, never with any other throwable, and
 * its buffer must stay bounded by the file's size.
 *
 * <p>{@code -Dnfchain.fuzz.seed=N} replays a run; {@code -Dnfchain.fuzz.scale=K} runs K times as
 * many random cases (the project aims at millions across parsers in long runs).
 */
class PcapFuzzTest {
    private static final long SEED = Long.getLong("nfchain.fuzz.seed", 0xF0CC_ACC1L);
    private static final int SCALE = Integer.getInteger("nfchain.fuzz.scale", 1);
    private static final int[] INTERESTING_INTS = {
        0, 1, 3, 4, 11, 12, 13, 16, 28, 32, 0x7F, 0xFF, 0xFFFF, 0x10000, 262_144, 262_145,
        0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFF0, 0xFFFF_FFFC, 0xFFFF_FFFF,
        0x0A0D0D0A, 0x1A2B3C4D, 0x4D3C2B1A, 0xA1B2C3D4, 0xD4C3B2A1, 0xA1B23C4D, 0x4D3CB2A1,
    };

    private final List<byte[]> seeds = new ArrayList<>();
    private long cases;
    private long formatErrors;
    private long cleanEnds;
    private long records;
    private long checksum;
    private final Set<String> problemKinds = new TreeSet<>();

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void malformedFilesOnlyEverRaisePcapFormatException() throws IOException {
        SplittableRandom random = new SplittableRandom(SEED);
        buildSeeds();
        for (byte[] seed : seeds) {
            // mutations of a broken seed would test less than they seem to
            List<PacketFileReaderTest.Read> read = PacketFileReaderTest.readAll(seed);
            assertTrue(read.size() >= 1, "seed with " + read.size() + " records");
        }
        long started = System.nanoTime();

        for (byte[] seed : seeds) {
            for (int cut = 0; cut <= seed.length; cut++) {
                byte[] truncated = java.util.Arrays.copyOf(seed, cut);
                check(truncated, false, "truncate " + cut);
                check(truncated, true, "truncate " + cut + " leniently");
            }
        }
        for (int i = 0; i < 120_000 * SCALE; i++) {
            byte[] file = pickSeed(random).clone();
            int flips = 1 + random.nextInt(random.nextBoolean() ? 2 : 12);
            for (int f = 0; f < flips; f++) {
                file[random.nextInt(file.length)] = (byte) random.nextInt(256);
            }
            check(file, random.nextBoolean(), "flip " + i);
        }
        for (int i = 0; i < 50_000 * SCALE; i++) {
            byte[] file = pickSeed(random).clone();
            int at = random.nextInt(file.length / 4) * 4;
            int value = INTERESTING_INTS[random.nextInt(INTERESTING_INTS.length)];
            ByteBuffer.wrap(file).order(random.nextBoolean() ? BIG_ENDIAN : LITTLE_ENDIAN).putInt(at, value);
            check(file, random.nextBoolean(), "int " + i);
        }
        for (int i = 0; i < 25_000 * SCALE; i++) {
            byte[] head = pickSeed(random);
            byte[] tail = pickSeed(random);
            int headLength = random.nextInt(head.length + 1);
            int tailStart = random.nextInt(tail.length + 1);
            ByteArrayOutputStream spliced = new ByteArrayOutputStream();
            spliced.write(head, 0, headLength);
            spliced.write(tail, tailStart, tail.length - tailStart);
            check(spliced.toByteArray(), random.nextBoolean(), "splice " + i);
        }
        for (int i = 0; i < 10_000 * SCALE; i++) {
            byte[] file = new byte[random.nextInt(4, 600)];
            random.nextBytes(file);
            byte[] magic = pickSeed(random);
            System.arraycopy(magic, 0, file, 0, Math.min(random.nextInt(4, 36), Math.min(magic.length, file.length)));
            check(file, random.nextBoolean(), "random " + i);
        }

        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("pcap fuzz: %,d files in %,d ms (seed 0x%X): %,d format errors, %,d clean ends,"
                + " %,d records, %d kinds of problem%n", cases, elapsedMs, SEED, formatErrors, cleanEnds, records,
                problemKinds.size());
        if (Boolean.getBoolean("nfchain.fuzz.verbose")) {
            problemKinds.forEach(System.out::println);
        }
        assertTrue(cases >= 200_000, "only " + cases + " cases");
        // a fuzzer that never reaches the parsers' checks, or never gets past them, proves nothing
        assertTrue(formatErrors > cases / 10, formatErrors + " format errors");
        assertTrue(cleanEnds > cases / 20, cleanEnds + " clean ends");
        assertTrue(problemKinds.size() >= 20, "problems seen: " + problemKinds);
    }

    private byte[] pickSeed(SplittableRandom random) {
        return seeds.get(random.nextInt(seeds.size()));
    }

    private void check(byte[] file, boolean acceptTruncatedTail, String how) {
        cases++;
        PacketFileReader.Options options = PacketFileReader.Options.DEFAULT.withAcceptTruncatedTail(acceptTruncatedTail);
        PacketFileReader reader = null;
        try {
            reader = PacketFileReader.open(new MemoryChannel(file), options);
            PacketRecord record = new PacketRecord();
            while (reader.next(record)) {
                records++;
                checkRecord(record, options, file, how);
            }
            cleanEnds++;
        } catch (PcapFormatException e) {
            formatErrors++;
            if (e.fileOffset() < 0 || e.fileOffset() > file.length || e.problem().isBlank()) {
                fail(how + ": bad offset or message in " + e.getMessage() + reproducer(file));
            }
            problemKinds.add(kind(e.problem()));
        } catch (AssertionError e) {
            throw e;
        } catch (Throwable t) {
            fail(how + " escaped with " + t + reproducer(file), t);
        }
        if (reader != null && reader.bufferCapacity() > Math.max(InputWindow.MIN_CAPACITY, 2L * file.length)) {
            fail(how + ": buffer of " + reader.bufferCapacity() + " bytes for a " + file.length + "-byte file"
                    + reproducer(file));
        }
    }

    private void checkRecord(PacketRecord record, PacketFileReader.Options options, byte[] file, String how) {
        boolean sane = record.capturedLength() >= 0
                && record.capturedLength() <= record.originalLength()
                && record.capturedLength() <= options.maxCapturedLength()
                && record.dataOffset() >= 0
                && record.dataOffset() + (long) record.capturedLength() <= record.array().length
                && record.fileOffset() >= 0 && record.fileOffset() + record.capturedLength() <= file.length;
        if (!sane) {
            fail(how + ": inconsistent " + record + reproducer(file));
        }
        // touch the bytes through both views, as a parser would
        if (record.capturedLength() > 0) {
            checksum += record.data().get(java.lang.foreign.ValueLayout.JAVA_BYTE, record.capturedLength() - 1);
            checksum += record.array()[record.dataOffset()];
        }
    }

    /** A problem's text without its numbers, so that kinds can be counted. */
    private static String kind(String problem) {
        return problem.replaceAll("0x[0-9A-F]+|-?\\d+", "#");
    }

    private static String reproducer(byte[] file) {
        return "\nseed 0x" + Long.toHexString(SEED) + ", file (" + file.length + " bytes): "
                + HexFormat.of().formatHex(file);
    }

    private void buildSeeds() throws IOException {
        byte[] small = PacketFileReaderTest.bytes(23, 3);
        byte[] frame = PacketFileReaderTest.bytes(64, 4);
        for (PacketFileFormat format : PacketFileFormat.values()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PacketWriterOptions options = PacketWriterOptions.DEFAULT.withSnapLength(48).withInterfaceName("vf0");
            try (PacketFileWriter writer = format == PacketFileFormat.PCAP
                    ? new PcapWriter(Channels.newChannel(out), options)
                    : new PcapngWriter(Channels.newChannel(out), options)) {
                writer.write(1_700_000_000_000_000_001L, MemorySegment.ofArray(frame));
                writer.write(2, MemorySegment.ofArray(new byte[0]));
                writer.write(3_000_000_000L, MemorySegment.ofArray(small), 1514);
                writer.write(4_000_000_000L, MemorySegment.ofArray(frame));
            }
            seeds.add(out.toByteArray());
        }
        seeds.add(new CaptureBytes.Pcap(BIG_ENDIAN, false, 40, LinkType.ETHERNET)
                .record(1, 999_999, frame, 1514).record(2, 0, small, 23).record(3, 5, new byte[0], 0).toByteArray());
        seeds.add(new CaptureBytes.Pcap(LITTLE_ENDIAN, false, 0, LinkType.RAW).record(7, 8, small, 30).toByteArray());
        seeds.add(PacketFileReaderTest.mixedPcapng());
        seeds.add(new CaptureBytes.Pcapng(LITTLE_ENDIAN)
                .interfaceBlock(LinkType.ETHERNET, 16, 0x80 | 40, 3L)
                .enhancedPacket(0, 1L << 41, small, 100)
                .simplePacket(small, 23)
                .section(BIG_ENDIAN)
                .interfaceBlock(LinkType.RAW, 0, 12, null)
                .enhancedPacket(0, Long.MAX_VALUE, frame, 64)
                .toByteArray());
    }
}
