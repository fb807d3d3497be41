package io.nfchain.core.memif;

import static io.nfchain.core.memif.MemifMessageLayout.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MemifMessageCodecTest {
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment m = arena.allocate(MESSAGE_BYTES);
    private final MemifMessageCodec codec = new MemifMessageCodec(255, 255);

    @AfterEach
    void free() {
        arena.close();
    }

    @Test
    void bodySizesMatchThePackedCStructs() {
        // sizeof(memif_msg_*_t) with __packed: hello 43, init 63, add_region 10, add_ring 13,
        // connect 32, disconnect 100; each body starts after the 2-byte type.
        assertEquals(BODY_OFFSET + HELLO_BODY_BYTES, HELLO_MAX_LOG2_RING_SIZE_OFFSET + 1);
        assertEquals(BODY_OFFSET + INIT_BODY_BYTES, INIT_NAME_OFFSET + MemifProtocol.NAME_BYTES);
        assertEquals(BODY_OFFSET + ADD_REGION_BODY_BYTES, ADD_REGION_SIZE_OFFSET + 8);
        assertEquals(BODY_OFFSET + ADD_RING_BODY_BYTES, ADD_RING_PRIVATE_HDR_SIZE_OFFSET + 2);
        assertEquals(BODY_OFFSET + CONNECT_BODY_BYTES, CONNECT_IF_NAME_OFFSET + MemifProtocol.NAME_BYTES);
        assertEquals(BODY_OFFSET + DISCONNECT_BODY_BYTES,
                DISCONNECT_TEXT_OFFSET + MemifProtocol.DISCONNECT_TEXT_BYTES);
    }

    @Test
    void helloRoundTripsWithExactBytes() {
        MemifMessageCodec.encodeHello(m, "nfchain", 255, 254, 253, 14);
        assertEquals(MemifError.NONE, codec.validate(m, MESSAGE_BYTES));
        assertEquals(2, m.get(ValueLayout.JAVA_BYTE, 0)); // little-endian type word
        assertEquals(0, m.get(ValueLayout.JAVA_BYTE, 1));
        assertEquals("nfchain", MemifMessageCodec.string(m, HELLO_NAME_OFFSET, 32));
        assertEquals(0x00, m.get(ValueLayout.JAVA_BYTE, 34)); // min version 0x0200: 00 02
        assertEquals(0x02, m.get(ValueLayout.JAVA_BYTE, 35));
        assertEquals(254, MemifMessageCodec.u16(m, HELLO_MAX_C2S_RING_OFFSET));
        assertEquals(14, MemifMessageCodec.u8(m, HELLO_MAX_LOG2_RING_SIZE_OFFSET));
        for (long i = 45; i < MESSAGE_BYTES; i++) {
            assertEquals(0, m.get(ValueLayout.JAVA_BYTE, i), "byte " + i);
        }
    }

    @Test
    void initAddRegionAddRingConnectDisconnectRoundTrip() {
        MemifMessageCodec.encodeInit(m, 7, 0, "s3cret", "nf-router");
        assertEquals(MemifError.NONE, codec.validate(m, MESSAGE_BYTES));
        assertEquals(7, MemifMessageCodec.u32(m, INIT_ID_OFFSET));
        assertTrue(MemifMessageCodec.fieldEquals(m, INIT_SECRET_OFFSET, 24, "s3cret"));
        assertTrue(!MemifMessageCodec.fieldEquals(m, INIT_SECRET_OFFSET, 24, "s3cre"));
        assertEquals("nf-router", MemifMessageCodec.string(m, INIT_NAME_OFFSET, 32));

        MemifMessageCodec.encodeAddRegion(m, 3, 1L << 31);
        assertEquals(MemifError.NONE, codec.validate(m, MESSAGE_BYTES));
        assertEquals(1L << 31, MemifMessageCodec.u64(m, ADD_REGION_SIZE_OFFSET));

        MemifMessageCodec.encodeAddRing(m, true, 2, 0, 0xfffffff0L, 12);
        assertEquals(MemifError.NONE, codec.validate(m, MESSAGE_BYTES));
        assertEquals(1, MemifMessageCodec.u16(m, ADD_RING_FLAGS_OFFSET));
        assertEquals(0xfffffff0L, MemifMessageCodec.u32(m, ADD_RING_OFFSET_OFFSET));
        assertEquals(12, MemifMessageCodec.u8(m, ADD_RING_LOG2_SIZE_OFFSET));

        MemifMessageCodec.encodeConnected(m, "x".repeat(40)); // cut to 31 bytes + NUL
        assertEquals(MemifError.NONE, codec.validate(m, MESSAGE_BYTES));
        assertEquals("x".repeat(31), MemifMessageCodec.string(m, CONNECT_IF_NAME_OFFSET, 32));

        MemifMessageCodec.encodeDisconnect(m, 9, "Incorrect secret");
        assertEquals(MemifError.NONE, codec.validate(m, MESSAGE_BYTES));
        assertEquals(9, MemifMessageCodec.u32(m, DISCONNECT_CODE_OFFSET));
        assertEquals("Incorrect secret", MemifMessageCodec.string(m, DISCONNECT_TEXT_OFFSET, 96));
    }

    @Test
    void malformedMessagesGetTypedReasons() {
        MemifMessageCodec.encodeAck(m);
        assertEquals(MemifError.BAD_MESSAGE_SIZE, codec.validate(m, 127));
        assertEquals(MemifError.BAD_MESSAGE_SIZE, codec.validate(m, 0));
        m.set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short) 9);
        assertEquals(MemifError.UNKNOWN_MESSAGE_TYPE, codec.validate(m, MESSAGE_BYTES));

        MemifMessageCodec.encodeAddRing(m, false, 0, 0, 0, 15);
        assertEquals(MemifError.RING_SIZE_OUT_OF_RANGE, codec.validate(m, MESSAGE_BYTES));
        MemifMessageCodec.encodeAddRing(m, false, 256, 0, 0, 10);
        assertEquals(MemifError.RING_INDEX_OUT_OF_RANGE, codec.validate(m, MESSAGE_BYTES));
        MemifMessageCodec.encodeAddRing(m, false, 0, 256, 0, 10);
        assertEquals(MemifError.REGION_INDEX_OUT_OF_RANGE, codec.validate(m, MESSAGE_BYTES));
        MemifMessageCodec.encodeAddRing(m, false, 0, 0, 0, 10);
        m.set(ValueLayout.JAVA_SHORT_UNALIGNED, ADD_RING_FLAGS_OFFSET, (short) 2);
        assertEquals(MemifError.RING_FLAGS_UNKNOWN, codec.validate(m, MESSAGE_BYTES));
        MemifMessageCodec.encodeAddRing(m, false, 0, 0, 0, 10);
        m.set(ValueLayout.JAVA_SHORT_UNALIGNED, ADD_RING_PRIVATE_HDR_SIZE_OFFSET, (short) 64);
        assertEquals(MemifError.RING_PRIVATE_HEADER_UNSUPPORTED, codec.validate(m, MESSAGE_BYTES));

        MemifMessageCodec.encodeAddRegion(m, 256, 4096);
        assertEquals(MemifError.REGION_INDEX_OUT_OF_RANGE, codec.validate(m, MESSAGE_BYTES));
        MemifMessageCodec.encodeAddRegion(m, 0, 0);
        assertEquals(MemifError.REGION_SIZE_OUT_OF_RANGE, codec.validate(m, MESSAGE_BYTES));
        MemifMessageCodec.encodeAddRegion(m, 0, -1); // 2^64 - 1 unsigned
        assertEquals(MemifError.REGION_SIZE_OUT_OF_RANGE, codec.validate(m, MESSAGE_BYTES));

        MemifMessageCodec.encodeInit(m, 0, 0, "", "n");
        m.set(ValueLayout.JAVA_SHORT_UNALIGNED, INIT_VERSION_OFFSET, (short) 0x0100);
        assertEquals(MemifError.VERSION_MISMATCH, codec.validate(m, MESSAGE_BYTES));
        MemifMessageCodec.encodeInit(m, 0, 1, "", "n");
        assertEquals(MemifError.UNSUPPORTED_MODE, codec.validate(m, MESSAGE_BYTES));
        MemifMessageCodec.encodeInit(m, 0, 0, "", "n");
        m.asSlice(INIT_NAME_OFFSET, 32).fill((byte) 'a');
        assertEquals(MemifError.NAME_NOT_TERMINATED, codec.validate(m, MESSAGE_BYTES));
        MemifMessageCodec.encodeInit(m, 0, 0, "", "n");
        m.asSlice(INIT_SECRET_OFFSET, 24).fill((byte) 'a');
        assertEquals(MemifError.SECRET_NOT_TERMINATED, codec.validate(m, MESSAGE_BYTES));

        MemifMessageCodec.encodeHello(m, "n", 0, 0, 0, 10);
        m.set(ValueLayout.JAVA_SHORT_UNALIGNED, HELLO_MIN_VERSION_OFFSET, (short) 0x0300);
        m.set(ValueLayout.JAVA_SHORT_UNALIGNED, HELLO_MAX_VERSION_OFFSET, (short) 0x0300);
        assertEquals(MemifError.VERSION_MISMATCH, codec.validate(m, MESSAGE_BYTES));

        MemifMessageCodec.encodeDisconnect(m, 0, "");
        m.asSlice(DISCONNECT_TEXT_OFFSET, 96).fill((byte) 'z');
        assertEquals(MemifError.TEXT_NOT_TERMINATED, codec.validate(m, MESSAGE_BYTES));
    }

    @Test
    void randomAndMutatedMessagesNeverThrow() {
        Map<MemifError, Integer> seen = CodecFuzz.run(0x3E31F20, 20_000);
        // the fuzzer reached both valid messages and many different refusals
        assertTrue(seen.getOrDefault(MemifError.NONE, 0) > 200, seen.toString());
        assertTrue(seen.size() >= 12, seen.toString());
    }

    /**
     * The full million, in a fresh JVM: a million validations compiled here changed how
     * core/os's HotPathAllocationTest, run later in this JVM, gets its downcalls inlined.
     */
    @Test
    void aMillionRandomAndMutatedMessagesNeverThrow() throws Exception {
        Process fuzz = MemifLink.startJvm(CodecFuzz.class, "1000000");
        assertTrue(fuzz.waitFor(120, TimeUnit.SECONDS), "fuzz finished");
        String output = new String(fuzz.getInputStream().readAllBytes());
        assertEquals(0, fuzz.exitValue(), output + new String(fuzz.getErrorStream().readAllBytes()));
        assertTrue(output.startsWith("1000000 messages:"), output);
    }
}
