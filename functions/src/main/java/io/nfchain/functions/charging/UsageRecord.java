package io.nfchain.functions.charging;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Immutable. One offline usage record: the cumulative usage of one URR when it was written, and
 * why. Records are cumulative so that a consumer never adds them up: the usage of a URR is that
 * of its record with the highest {@code seq}, and a record written twice (a crash between the
 * write and the bookkeeping after it) counts nothing twice.
 *
 * <p>Its payload on disk, little-endian, {@value #PAYLOAD_BYTES} bytes:
 * <pre>
 *   0 seq u64          | 8 seid u64        | 16 urrId u32     | 20 reason u32 (ReportReason number)
 *  24 writtenUnixNs u64 | 32 bytesUp u64   | 40 bytesDown u64 | 48 packetsUp u64 | 56 packetsDown u64
 *  64 firstPacketUnixNs u64 | 72 lastPacketUnixNs u64 | 80 packetsOverQuota u64 | 88 reserved u64 (0)
 * </pre>
 *
 * @param seq increasing over the life of the state directory (kept in the state file)
 * @param reason a {@code nfchain.charging.v1.ReportReason} number
 */
public record UsageRecord(long seq, long seid, int urrId, int reason, long writtenUnixNs, long bytesUp,
        long bytesDown, long packetsUp, long packetsDown, long firstPacketUnixNs, long lastPacketUnixNs,
        long packetsOverQuota) {
    public static final int PAYLOAD_BYTES = 96;

    void encode(ByteBuffer out) {
        ByteBuffer b = out.order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(seq).putLong(seid).putInt(urrId).putInt(reason).putLong(writtenUnixNs).putLong(bytesUp)
                .putLong(bytesDown).putLong(packetsUp).putLong(packetsDown).putLong(firstPacketUnixNs)
                .putLong(lastPacketUnixNs).putLong(packetsOverQuota).putLong(0);
    }

    static UsageRecord decode(ByteBuffer in) {
        ByteBuffer b = in.order(ByteOrder.LITTLE_ENDIAN);
        UsageRecord r = new UsageRecord(b.getLong(), b.getLong(), b.getInt(), b.getInt(), b.getLong(), b.getLong(),
                b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong());
        b.getLong(); // reserved
        return r;
    }
}
