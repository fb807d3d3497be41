package io.nfchain.core.afpacket;

/**
 * Immutable, thread-safe. How an {@link AfPacketPort} sets up its socket and rings.
 *
 * @param interfaceName the kernel interface to bind, in the opening thread's network namespace
 * @param rxBlockBytes receive block size, a multiple of 4096; the kernel hands over a block at a time
 * @param rxBlockCount receive blocks, >= 1 (ring size is {@code rxBlockBytes * rxBlockCount}).
 *     TPACKET_V3 packs received frames by their real size; only a frame longer than
 *     {@code rxBlockBytes - 130} is cut by the kernel (and dropped here as truncated)
 * @param rxBlockTimeoutMs how long, 1 .. 1000 ms, the kernel keeps a block that is not full
 *     before handing it over: the worst added latency at low rates
 * @param txBlockBytes transmit block size, a multiple of 4096 and of {@code txFrameBytes}
 * @param txBlockCount transmit blocks, >= 1
 * @param txFrameBytes one transmit slot, a multiple of 16, 128 .. {@code txBlockBytes}: it holds
 *     frames up to {@code txFrameBytes - 48} bytes
 * @param qdiscBypass whether transmit skips the qdisc layer (PACKET_QDISC_BYPASS): faster, but
 *     no traffic control and a full device queue drops instead of queueing
 */
public record AfPacketConfig(
        String interfaceName,
        int rxBlockBytes,
        int rxBlockCount,
        int rxBlockTimeoutMs,
        int txBlockBytes,
        int txBlockCount,
        int txFrameBytes,
        boolean qdiscBypass) {

    /** Validates every field; the message names the field. */
    public AfPacketConfig {
        if (interfaceName == null || interfaceName.isEmpty() || interfaceName.length() > 15) {
            throw new IllegalArgumentException("interfaceName must be 1..15 characters: " + interfaceName);
        }
        requireBlock("rxBlockBytes", rxBlockBytes, rxBlockCount, "rxBlockCount");
        requireBlock("txBlockBytes", txBlockBytes, txBlockCount, "txBlockCount");
        requireFrame("txFrameBytes", txFrameBytes, txBlockBytes);
        if (txBlockBytes % txFrameBytes != 0) {
            throw new IllegalArgumentException(
                    "txBlockBytes must be a multiple of txFrameBytes: " + txBlockBytes + ", " + txFrameBytes);
        }
        if (rxBlockTimeoutMs < 1 || rxBlockTimeoutMs > 1000) {
            throw new IllegalArgumentException("rxBlockTimeoutMs must be 1..1000: " + rxBlockTimeoutMs);
        }
    }

    /**
     * Defaults for standard frames: 64 blocks of 64 KiB to receive (4 MiB; ~400 small frames
     * or ~40 of 1514 bytes a block), a 1 ms block timeout, and 512 transmit slots of 2 KiB
     * (frames up to 2000 bytes); qdisc bypassed.
     */
    public static AfPacketConfig of(String interfaceName) {
        return new AfPacketConfig(interfaceName, 64 * 1024, 64, 1, 64 * 1024, 16, 2048, true);
    }

    /** The same receive ring, and 512 transmit slots of 16 KiB: frames up to 16336 bytes both ways. */
    public AfPacketConfig withJumboFrames() {
        return new AfPacketConfig(interfaceName, rxBlockBytes, rxBlockCount, rxBlockTimeoutMs,
                txBlockBytes, txBlockCount * 8, 16 * 1024, qdiscBypass);
    }

    /** This configuration with other receive ring dimensions. */
    public AfPacketConfig withRxRing(int blockBytes, int blockCount, int blockTimeoutMs) {
        return new AfPacketConfig(interfaceName, blockBytes, blockCount, blockTimeoutMs,
                txBlockBytes, txBlockCount, txFrameBytes, qdiscBypass);
    }

    /** This configuration with other transmit ring dimensions. */
    public AfPacketConfig withTxRing(int blockBytes, int blockCount, int frameBytes) {
        return new AfPacketConfig(interfaceName, rxBlockBytes, rxBlockCount, rxBlockTimeoutMs,
                blockBytes, blockCount, frameBytes, qdiscBypass);
    }

    /** This configuration with the qdisc layer bypassed or not. */
    public AfPacketConfig withQdiscBypass(boolean bypass) {
        return new AfPacketConfig(interfaceName, rxBlockBytes, rxBlockCount, rxBlockTimeoutMs,
                txBlockBytes, txBlockCount, txFrameBytes, bypass);
    }

    /** Transmit slots in the ring. */
    public int txFrameCount() {
        return txBlockBytes / txFrameBytes * txBlockCount;
    }

    /** The longest frame the receive ring holds whole: what fits in a block after its header. */
    public int rxMaxFrameBytes() {
        return rxBlockBytes - TpacketLayout.BLOCK_DESC_BYTES - TpacketLayout.RX_MAC_OFFSET;
    }

    /** The longest frame a transmit slot holds. */
    public int txMaxFrameBytes() {
        return txFrameBytes - TpacketLayout.TX_DATA_OFFSET;
    }

    /** Bytes of the receive ring. */
    public long rxRingBytes() {
        return (long) rxBlockBytes * rxBlockCount;
    }

    /** Bytes of the transmit ring. */
    public long txRingBytes() {
        return (long) txBlockBytes * txBlockCount;
    }

    private static void requireBlock(String name, int blockBytes, int blockCount, String countName) {
        if (blockBytes < TpacketLayout.PAGE_BYTES || blockBytes % TpacketLayout.PAGE_BYTES != 0) {
            throw new IllegalArgumentException(name + " must be a positive multiple of 4096: " + blockBytes);
        }
        if (blockCount < 1 || (long) blockBytes * blockCount > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(countName + " must be >= 1 and the ring under 2 GiB: " + blockCount);
        }
    }

    private static void requireFrame(String name, int frameBytes, int most) {
        if (frameBytes < 128 || frameBytes % TpacketLayout.ALIGNMENT != 0 || frameBytes > most) {
            throw new IllegalArgumentException(name + " must be a multiple of 16, 128.." + most + ": " + frameBytes);
        }
    }
}
