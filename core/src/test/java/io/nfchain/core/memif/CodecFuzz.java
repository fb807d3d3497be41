package io.nfchain.core.memif;

import static io.nfchain.core.memif.MemifMessageLayout.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random and mutated control messages through {@link MemifMessageCodec#validate}: half are
 * valid messages with a few bytes changed (and sometimes a wrong length), half are random
 * bytes under a plausible type. Used by {@link MemifMessageCodecTest}, in process and, with
 * {@link #main}, in a fresh JVM (prints the reasons seen; exit 1 if anything threw or too
 * few kinds of reason were reached).
 */
public final class CodecFuzz {
    private CodecFuzz() {}

    public static void main(String[] args) {
        int count = Integer.parseInt(args[0]);
        try {
            Map<MemifError, Integer> seen = run(0x3E31F20, count);
            System.out.println(count + " messages: " + seen);
            System.exit(seen.getOrDefault(MemifError.NONE, 0) > count / 100 && seen.size() >= 12 ? 0 : 1);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
    }

    /** Validates {@code count} messages from {@code seed}; returns how often each reason came. */
    static Map<MemifError, Integer> run(long seed, int count) {
        MemifMessageCodec codec = new MemifMessageCodec(255, 255);
        SplittableRandom random = new SplittableRandom(seed);
        Map<MemifError, Integer> seen = new EnumMap<>(MemifError.class);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(MESSAGE_BYTES);
            for (int i = 0; i < count; i++) {
                int length;
                if ((i & 1) == 0) {
                    validSeed(m, random.nextInt(8));
                    for (int flips = random.nextInt(4); flips > 0; flips--) {
                        m.set(ValueLayout.JAVA_BYTE, random.nextInt(MESSAGE_BYTES), (byte) random.nextInt());
                    }
                    length = random.nextInt(16) == 0 ? random.nextInt(MESSAGE_BYTES * 2) : MESSAGE_BYTES;
                } else {
                    for (int b = 0; b < MESSAGE_BYTES; b += 8) {
                        m.set(ValueLayout.JAVA_LONG_UNALIGNED, b, random.nextLong());
                    }
                    m.set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short) random.nextInt(10));
                    length = random.nextInt(4) == 0 ? random.nextInt(-1, 300) : MESSAGE_BYTES;
                }
                MemifError reason = codec.validate(m, length);
                seen.merge(reason, 1, Integer::sum);
                if (reason == MemifError.NONE) { // accessors of a valid message must be safe as well
                    MemifMessageCodec.string(m, HELLO_NAME_OFFSET, MemifProtocol.NAME_BYTES);
                    MemifMessageCodec.string(m, DISCONNECT_TEXT_OFFSET, MemifProtocol.DISCONNECT_TEXT_BYTES);
                }
            }
        }
        return seen;
    }

    private static void validSeed(MemorySegment m, int which) {
        switch (which) {
            case 0 -> MemifMessageCodec.encodeAck(m);
            case 1 -> MemifMessageCodec.encodeHello(m, "dpdk", 255, 255, 255, 14);
            case 2 -> MemifMessageCodec.encodeInit(m, 1, 0, "secret", "client");
            case 3 -> MemifMessageCodec.encodeAddRegion(m, 0, 1 << 22);
            case 4 -> MemifMessageCodec.encodeAddRing(m, true, 0, 0, 0, 10);
            case 5 -> MemifMessageCodec.encodeConnect(m, "memif0");
            case 6 -> MemifMessageCodec.encodeConnected(m, "memif0");
            default -> MemifMessageCodec.encodeDisconnect(m, 1, "bye");
        }
    }
}
