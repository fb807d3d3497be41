package io.nfchain.bench.idle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class BenchFrameLayoutTest {
    @Test
    void fieldsSitWhereTheDiagramSays() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(3 * BenchFrameLayout.FRAME_BYTES);
            s.fill((byte) 0x55);
            long offset = BenchFrameLayout.FRAME_BYTES + 1; // unaligned on purpose
            BenchFrameLayout.writeHeader(s, offset);
            BenchFrameLayout.writeSequence(s, offset, 0x0102030405060708L);
            BenchFrameLayout.writeSentNs(s, offset, -2);
            assertEquals(0x0102030405060708L, BenchFrameLayout.sequence(s, offset));
            assertEquals(-2, BenchFrameLayout.sentNs(s, offset));
            assertEquals(BenchFrameLayout.ETHERTYPE_LOCAL_EXPERIMENTAL, BenchFrameLayout.etherType(s, offset));
            assertEquals((byte) 0x88, s.get(ValueLayout.JAVA_BYTE, offset + 12), "EtherType in network order");
            assertEquals((byte) 0x08, s.get(ValueLayout.JAVA_BYTE, offset + 14), "sequence little-endian");
            assertEquals((byte) 0xfe, s.get(ValueLayout.JAVA_BYTE, offset + 22));
            assertEquals(0, s.get(ValueLayout.JAVA_BYTE, offset + 63), "padding zeroed");
            assertEquals((byte) 0x55, s.get(ValueLayout.JAVA_BYTE, offset - 1), "nothing written before");
            assertEquals((byte) 0x55, s.get(ValueLayout.JAVA_BYTE, offset + 64), "nor after");
            assertEquals(30, BenchFrameLayout.MIN_BYTES);
        }
    }
}
