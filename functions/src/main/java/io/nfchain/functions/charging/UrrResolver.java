package io.nfchain.functions.charging;

import io.nfchain.functions.sdk.PacketVector;

/**
 * Not thread-safe: the poll thread's. Finds which usage records a packet counts against: the
 * session's PDR for the packet, then the usage record of each URR of that PDR. Must not
 * allocate or block.
 */
public interface UrrResolver {
    int UPLINK = 0;
    int DOWNLINK = 1;

    /**
     * Resolves packet {@code i} of {@code vector}: writes the usage record index of each URR the
     * packet counts against to {@code recordsOut} (at most its length) and returns
     * {@code (count << 1) | direction}, or {@code -1 - reason.ordinal()} to drop the packet.
     */
    int resolve(PacketVector<ChargingCounter> vector, int i, int[] recordsOut);

    /**
     * Before a burst's packets are resolved: loads what resolving them will read, so the cache
     * misses of the burst overlap; returns the loaded words' sum, which means nothing. Changes no
     * result. None by default.
     */
    default long warm(PacketVector<ChargingCounter> vector, UsageStore store) {
        return 0;
    }

    /** The result that drops a packet for {@code reason}. */
    static int drop(ChargingCounter reason) {
        return -1 - reason.ordinal();
    }

    /** The result for {@code count} records in {@code direction}. */
    static int records(int count, int direction) {
        return (count << 1) | direction;
    }
}
