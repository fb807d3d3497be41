package io.nfchain.core.memif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class MemifRingTest {
    @Test
    void layoutOffsetsMatchMemifH() {
        assertEquals(6, RingLayout.HEAD_OFFSET);
        assertEquals(64, RingLayout.TAIL_OFFSET);
        assertEquals(128, RingLayout.DESCRIPTORS_OFFSET);
        assertEquals(128 + 16 * 1024, RingLayout.sizeBytes(10));
        assertEquals(128 + 16 * 16384, RingLayout.sizeBytes(14));
        assertThrows(IllegalArgumentException.class, () -> RingLayout.sizeBytes(15));
        assertTrue(RingLayout.fits(RingLayout.sizeBytes(10), 0, 10));
        assertFalse(RingLayout.fits(RingLayout.sizeBytes(10) - 1, 0, 10));
        assertFalse(RingLayout.fits(1 << 20, 4, 10)); // misaligned
        assertFalse(RingLayout.fits(1 << 20, -8, 10));
    }

    @Test
    void descriptorsAndCursorsLandAtTheDocumentedBytes() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment region = arena.allocate(RingLayout.sizeBytes(4) + 64, 64);
            MemifRing ring = new MemifRing(region, 64, 4);
            ring.initialize();
            ring.headRelease(0x1234);
            ring.tailRelease(0xfffe);
            ring.setDescriptor(17, DescriptorLayout.FLAG_NEXT, 3, 0x800, 60, 0xabcdef); // slot 17 & 15 = 1
            assertEquals(MemifProtocol.RING_COOKIE, region.get(ValueLayout.JAVA_INT, 64));
            assertEquals((short) 0x1234, region.get(ValueLayout.JAVA_SHORT, 64 + 6));
            assertEquals((short) 0xfffe, region.get(ValueLayout.JAVA_SHORT, 64 + 64));
            long d1 = 64 + 128 + 16;
            assertEquals(1, region.get(ValueLayout.JAVA_SHORT, d1));
            assertEquals(3, region.get(ValueLayout.JAVA_SHORT, d1 + 2));
            assertEquals(60, region.get(ValueLayout.JAVA_INT, d1 + 4));
            assertEquals(0x800, region.get(ValueLayout.JAVA_INT, d1 + 8));
            assertEquals(0xabcdef, region.get(ValueLayout.JAVA_INT, d1 + 12));
            assertEquals(0xfffe, ring.tailAcquire());
            assertEquals(0x1234, ring.headPlain());
            assertFalse(ring.interruptsMasked());
            ring.maskInterrupts(true);
            assertTrue(ring.interruptsMasked());
        }
    }

    /** The one-load accessors must read and write the very bytes the field accessors do, for any field values. */
    @Test
    void descriptorWordsAgreeWithTheFields() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(20_261_127);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment region = arena.allocate(RingLayout.sizeBytes(4), 64);
            MemifRing ring = new MemifRing(region, 0, 4);
            for (int i = 0; i < 20_000; i++) {
                int slot = random.nextInt(1 << 16);
                int flags = random.nextInt(1 << 16);
                int regionIndex = random.nextInt(1 << 16);
                long length = random.nextLong(1L << 32);
                long offset = random.nextLong(1L << 32);
                int metadata = random.nextInt();
                if (random.nextBoolean()) {
                    ring.setDescriptor(slot, flags, regionIndex, offset, length, metadata);
                } else { // a producer's fill keeps the buffer offset there was
                    ring.setDescriptor(slot, 0, 0, offset, 0, 0);
                    ring.setDescriptorFill(slot, flags, regionIndex, length, metadata);
                }
                assertEquals(flags, ring.descriptorFlags(slot));
                assertEquals(regionIndex, ring.descriptorRegion(slot));
                assertEquals(length, ring.descriptorLength(slot));
                assertEquals(offset, ring.descriptorOffset(slot));
                assertEquals(metadata, ring.descriptorMetadata(slot));
                long w0 = ring.descriptorWord0(slot);
                long w1 = ring.descriptorWord1(slot);
                assertEquals(flags, MemifRing.flags(w0));
                assertEquals(regionIndex, MemifRing.region(w0));
                assertEquals(length, MemifRing.length(w0));
                assertEquals(offset, MemifRing.offset(w1));
                assertEquals(metadata, MemifRing.metadata(w1));
                assertEquals(w0, MemifRing.word0(flags, regionIndex, length));
                assertEquals(w1, MemifRing.word1(offset, metadata));
            }
        }
    }

    @Test
    void slotArithmeticWrapsAt65536() {
        assertEquals(3, MemifRing.distance(0xfffe, 1));
        assertEquals(0, MemifRing.distance(5, 5));
        try (Arena arena = Arena.ofConfined()) {
            MemifRing ring = new MemifRing(arena.allocate(RingLayout.sizeBytes(3), 64), 0, 3);
            assertEquals(8, ring.freeSlots(0xffff, 0xffff));
            assertEquals(5, ring.freeSlots(1, 0xfffe)); // 3 used across the wrap
            assertTrue(ring.freeSlots(20, 0) < 0); // producer beyond the ring: a corrupt cursor
        }
    }

    @Test
    void aRingOutsideItsRegionIsRefused() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment region = arena.allocate(4096, 64);
            assertThrows(IllegalArgumentException.class, () -> new MemifRing(region, 4096 - 128, 4));
            assertThrows(IllegalArgumentException.class, () -> new MemifRing(region, 2, 2));
        }
    }
}
