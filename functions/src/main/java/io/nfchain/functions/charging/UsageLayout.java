package io.nfchain.functions.charging;

/**
 * Immutable. Where everything lives in the charging state file ({@code usage.state}), a file the
 * function maps shared so that its contents survive a kill of the process. All fields are
 * host byte order; 64-bit fields are 8-byte aligned so single loads and stores are atomic.
 *
 * <pre>
 *  header (64)   0 magic "NFCHUSG1" u64 | 8 records u32 | 12 frames u32 | 16 urrsPerPacket u32
 *                24 next report seq u64 | 32 next record seq u64
 *  intent        0 state u32 (0 none, 1 pending) | 8 seq u64 | 16 prevHead u32 | 20 ringSlots u32
 *   (64 + ...)   24 bufferBytes u32 | 28 frameCount u32 | 32 snapshotCount u32 | 40 nowNs u64
 *                64: snapshots[frames * urrsPerPacket], 64 bytes each:
 *                    0 record u32 | 8 bytesUp | 16 bytesDown | 24 pktsUp | 32 pktsDown | 40 first | 48 last
 *                then frames[frames], 8 + 2 * urrsPerPacket bytes (rounded to 8):
 *                    0 length u32 | 4 direction u8 | 5 refCount u8 | 8 snapshot index u16 * refCount
 *  records       recordCapacity * 128, each:
 *   worker       0 version u64 (odd while the worker writes) | 8 bytesUp | 16 bytesDown | 24 pktsUp
 *                32 pktsDown | 40 firstPacketNs | 48 lastPacketNs | 56 blockedPackets
 *   control      64 seid u64 | 72 urrId u32 | 76 inUse u32 | 80 volumeLimitBytes u64 (-1: none)
 *                88 timeLimitNs u64 (-1: none) | 96 exhaustion u32 (0 block, 1 redirect)
 *                100 redirect IPv4 u32 | 104 reportedBytes u64 | 112 reportedAtNs u64 | 120 pad
 * </pre>
 *
 * Times are on {@code CLOCK_MONOTONIC} (Java's {@code System.nanoTime} on Linux), the same in
 * every process of one boot; 0 means "no packet yet".
 */
final class UsageLayout {
    static final long MAGIC = 0x3147535548434E46L; // "NFCHUSG1" little-endian
    static final long HEADER_BYTES = 64;
    static final long H_MAGIC = 0;
    static final long H_RECORDS = 8;
    static final long H_FRAMES = 12;
    static final long H_URRS_PER_PACKET = 16;
    static final long H_REPORT_SEQ = 24;
    static final long H_RECORD_SEQ = 32;

    static final long I_STATE = 0;
    static final long I_SEQ = 8;
    static final long I_PREV_HEAD = 16;
    static final long I_RING_SLOTS = 20;
    static final long I_BUFFER_BYTES = 24;
    static final long I_FRAME_COUNT = 28;
    static final long I_SNAPSHOT_COUNT = 32;
    static final long I_NOW_NS = 40;
    static final long I_SNAPSHOTS = 64;
    static final long SNAPSHOT_BYTES = 64;
    static final long S_RECORD = 0;
    static final long S_COUNTERS = 8; // six longs, the same order as a record's counters

    static final long F_LENGTH = 0;
    static final long F_DIRECTION = 4;
    static final long F_REF_COUNT = 5;
    static final long F_REFS = 8;

    static final long RECORD_BYTES = 128;
    static final long R_VERSION = 0;
    static final long R_BYTES_UP = 8;
    static final long R_BYTES_DOWN = 16;
    static final long R_PKTS_UP = 24;
    static final long R_PKTS_DOWN = 32;
    static final long R_FIRST_NS = 40;
    static final long R_LAST_NS = 48;
    static final long R_BLOCKED = 56;
    static final long R_SEID = 64;
    static final long R_URR_ID = 72;
    static final long R_IN_USE = 76;
    static final long R_VOLUME_LIMIT = 80;
    static final long R_TIME_LIMIT_NS = 88;
    static final long R_EXHAUSTION = 96;
    static final long R_REDIRECT_V4 = 100;
    static final long R_REPORTED_BYTES = 104;
    static final long R_REPORTED_AT_NS = 112;

    final int recordCapacity;
    final int frameCapacity;
    final int urrsPerPacket;
    final int snapshotCapacity;
    final long frameBytes;
    final long intentOffset;
    final long framesOffset;
    final long recordsOffset;
    final long sizeBytes;

    /**
     * @param recordCapacity URRs the file holds, 1 .. 2^24
     * @param frameCapacity packets per burst, 1 .. 256
     * @param urrsPerPacket URRs one packet may count against, 1 .. 16
     */
    UsageLayout(int recordCapacity, int frameCapacity, int urrsPerPacket) {
        if (recordCapacity < 1 || recordCapacity > (1 << 24)) {
            throw new IllegalArgumentException("recordCapacity must be 1..2^24: " + recordCapacity);
        }
        if (frameCapacity < 1 || frameCapacity > 256) {
            throw new IllegalArgumentException("frameCapacity must be 1..256: " + frameCapacity);
        }
        if (urrsPerPacket < 1 || urrsPerPacket > 16) {
            throw new IllegalArgumentException("urrsPerPacket must be 1..16: " + urrsPerPacket);
        }
        this.recordCapacity = recordCapacity;
        this.frameCapacity = frameCapacity;
        this.urrsPerPacket = urrsPerPacket;
        this.snapshotCapacity = frameCapacity * urrsPerPacket;
        this.frameBytes = (F_REFS + 2L * urrsPerPacket + 7) & ~7L;
        this.intentOffset = HEADER_BYTES;
        this.framesOffset = intentOffset + I_SNAPSHOTS + snapshotCapacity * SNAPSHOT_BYTES;
        this.recordsOffset = align64(framesOffset + frameCapacity * frameBytes);
        this.sizeBytes = recordsOffset + recordCapacity * RECORD_BYTES;
    }

    long snapshot(int index) {
        return intentOffset + I_SNAPSHOTS + index * SNAPSHOT_BYTES;
    }

    long frame(int index) {
        return framesOffset + index * frameBytes;
    }

    long record(int index) {
        return recordsOffset + index * RECORD_BYTES;
    }

    private static long align64(long offset) {
        return (offset + 63) & ~63L;
    }
}
