package io.nfchain.core.memif;

/**
 * How a memif client lays out its one region, as DPDK's {@code net_memif} does in copy mode:
 * all rings first (C2S rings, then S2C rings), then one buffer per ring slot, in ring order.
 *
 * <pre>
 *  0                 R            2R              nR   (R = ring bytes = 128 + 16 * 2^log2)
 *  +-----------------+------------+-----+----------+----------------------------------+
 *  | C2S ring 0      | C2S ring 1 | ... | S2C ring | buffers: ring 0 slot 0, slot 1, ...|
 *  +-----------------+------------+-----+----------+----------------------------------+
 *                                                  ^ buffersOffset = (2 * pairs) * R
 *  buffer(ring g, slot s) = buffersOffset + ((g << log2) + s) * bufferBytes
 *  g = C2S index for C2S rings, pairs + S2C index for S2C rings
 * </pre>
 *
 * <p>The client owns every buffer: it fills C2S buffers itself, and posts S2C buffers empty
 * for the server to fill. A client that receives in place (see
 * {@link ClientQueuePair#rxBurstInPlace}) also keeps {@code spareBuffers} per queue pair after
 * the ring buffers, never posted: room for the frames a function adds to a burst. Buffers then
 * change rings as frames are handed on; the slot arithmetic above is only where each starts.
 */
public final class RegionLayout {
    private final int queuePairs;
    private final int log2RingSize;
    private final int bufferBytes;
    private final long ringBytes;
    private final long buffersOffset;
    private final long sparesOffset;
    private final int spareBuffers;
    private final long sizeBytes;

    /** No spare buffers. */
    public RegionLayout(int queuePairs, int log2RingSize, int bufferBytes) {
        this(queuePairs, log2RingSize, bufferBytes, 0);
    }

    /**
     * @param queuePairs C2S/S2C ring pairs, 1 .. 256
     * @param log2RingSize 1 .. {@link MemifProtocol#MAX_LOG2_RING_SIZE}
     * @param bufferBytes bytes per buffer, 64 .. 65535, a multiple of 64
     * @param spareBuffers buffers per queue pair outside the rings, 0 .. {@link PacketBurst#MAX_CAPACITY}
     */
    public RegionLayout(int queuePairs, int log2RingSize, int bufferBytes, int spareBuffers) {
        if (queuePairs < 1 || queuePairs > 256) {
            throw new IllegalArgumentException("queuePairs must be 1..256: " + queuePairs);
        }
        if (log2RingSize < 1) {
            throw new IllegalArgumentException("log2RingSize must be >= 1: " + log2RingSize);
        }
        if (bufferBytes < 64 || bufferBytes > 0xffff || bufferBytes % 64 != 0) {
            throw new IllegalArgumentException("bufferBytes must be 64..65535, a multiple of 64: " + bufferBytes);
        }
        if (spareBuffers < 0 || spareBuffers > PacketBurst.MAX_CAPACITY) {
            throw new IllegalArgumentException("spareBuffers must be 0.." + PacketBurst.MAX_CAPACITY + ": "
                    + spareBuffers);
        }
        this.queuePairs = queuePairs;
        this.spareBuffers = spareBuffers;
        this.log2RingSize = log2RingSize;
        this.bufferBytes = bufferBytes;
        this.ringBytes = RingLayout.sizeBytes(log2RingSize);
        this.buffersOffset = 2L * queuePairs * ringBytes;
        this.sparesOffset = buffersOffset + ((2L * queuePairs) << log2RingSize) * bufferBytes;
        this.sizeBytes = sparesOffset + (long) queuePairs * spareBuffers * bufferBytes;
        if (sizeBytes > MemifMessageCodec.MAX_REGION_BYTES) {
            throw new IllegalArgumentException("region of " + sizeBytes + " bytes exceeds 32-bit offsets");
        }
    }

    public int queuePairs() {
        return queuePairs;
    }

    public int log2RingSize() {
        return log2RingSize;
    }

    public int bufferBytes() {
        return bufferBytes;
    }

    /** Bytes of the whole region. */
    public long sizeBytes() {
        return sizeBytes;
    }

    /** Offset of the first buffer (after every ring). */
    public long buffersOffset() {
        return buffersOffset;
    }

    /** Offset of ring {@code index} of the given direction. */
    public long ringOffset(boolean clientToServer, int index) {
        return globalRing(clientToServer, index) * ringBytes;
    }

    /** Offset of the buffer of {@code slot} (0 .. 2^log2 - 1) of ring {@code index}. */
    public long bufferOffset(boolean clientToServer, int index, int slot) {
        return buffersOffset + (((long) globalRing(clientToServer, index) << log2RingSize) + slot) * bufferBytes;
    }

    /** Spare buffers per queue pair. */
    public int spareBuffers() {
        return spareBuffers;
    }

    /** Offset of spare buffer {@code k} (0 .. spareBuffers - 1) of queue pair {@code index}. */
    public long spareOffset(int index, int k) {
        if (index < 0 || index >= queuePairs || k < 0 || k >= spareBuffers) {
            throw new IndexOutOfBoundsException("spare " + k + " of pair " + index + ": " + spareBuffers + " per pair, "
                    + queuePairs + " pairs");
        }
        return sparesOffset + ((long) index * spareBuffers + k) * bufferBytes;
    }

    private int globalRing(boolean clientToServer, int index) {
        if (index < 0 || index >= queuePairs) {
            throw new IndexOutOfBoundsException("ring " + index + " of " + queuePairs);
        }
        return clientToServer ? index : queuePairs + index;
    }
}
