package io.nfchain.core.memif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Test helpers: step both ends by hand, and frames that carry a checkable sequence number. */
final class MemifLink {
    private MemifLink() {}

    /** Steps both ends' {@code doWork()} until {@code done} holds; fails after a bounded number of steps. */
    static void pump(MemifServer server, MemifClient client, BooleanSupplier done) {
        for (int i = 0; i < 1_000; i++) {
            if (done.getAsBoolean()) {
                return;
            }
            server.doWork();
            if (client != null) {
                client.doWork();
            }
        }
        fail("condition not reached after 1000 steps");
    }

    static void connect(MemifServer server, MemifClient client) {
        client.connect();
        pump(server, client, () -> server.isConnected() && client.isConnected());
    }

    /** Fills frame {@code index} of {@code burst} with {@code length} bytes derived from {@code seq}. */
    static void putFrame(PacketBurst burst, int index, long seq, int length) {
        MemorySegment.copy(pattern(seq, length), 0, burst.data(), ValueLayout.JAVA_BYTE, burst.offset(index), length);
        burst.setLength(index, length);
        burst.setMetadata(index, (int) seq);
    }

    /** Checks frame {@code index} is exactly what {@link #putFrame} wrote for {@code seq}. */
    static void checkFrame(PacketBurst burst, int index, long seq, int length) {
        assertEquals(length, burst.length(index), "length of frame " + seq);
        assertEquals((int) seq, burst.metadata(index), "metadata of frame " + seq);
        byte[] actual = new byte[length];
        MemorySegment.copy(burst.data(), ValueLayout.JAVA_BYTE, burst.offset(index), actual, 0, length);
        int differs = Arrays.mismatch(actual, pattern(seq, length));
        if (differs >= 0) {
            fail("frame " + seq + " differs at byte " + differs);
        }
    }

    private static byte[] pattern(long seq, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = patternByte(seq, i);
        }
        return bytes;
    }

    /** Starts {@code main} in a new JVM with this JVM's class path; its output is the caller's to read. */
    static Process startJvm(Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xms16m", "-Xmx128m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).start();
    }

    /** A frame length from 60 to 1514 bytes that varies with {@code seq}. */
    static int lengthFor(long seq) {
        return 60 + (int) ((seq * 7919) % 1455);
    }

    private static byte patternByte(long seq, int i) {
        return (byte) (seq * 31 + i * 7 + (i >> 8));
    }
}
