package io.nfchain.functions.qos;

/**
 * Immutable. How big a policer's buckets are for a rate, since session rules carry rates only
 * (PFCP QERs have no burst sizes): {@code burstNs} worth of the rate, at least
 * {@code minBytes} (so a full-size packet always fits an idle policer), at most
 * {@link Policers#MAX_BURST_BYTES}. The default, 10 ms and 3000 bytes, lets a 1 Mbit/s policer
 * pass two 1500-byte packets back to back and keeps what a 10 s run passes beyond the rate
 * under 0.3% at every rate from 1 Mbit/s up.
 *
 * @param burstNs  how long the rate takes to fill a bucket, > 0
 * @param minBytes the smallest bucket, 1 .. {@link Policers#MAX_BURST_BYTES}
 */
public record QosBursts(long burstNs, long minBytes) {
    public static final QosBursts DEFAULT = new QosBursts(10_000_000L, 3000);

    public QosBursts {
        if (burstNs <= 0 || burstNs > 60_000_000_000L) {
            throw new IllegalArgumentException("burst time must be 1 ns .. 60 s: " + burstNs + " ns");
        }
        if (minBytes < 1 || minBytes > Policers.MAX_BURST_BYTES) {
            throw new IllegalArgumentException("minimum burst must be 1.." + Policers.MAX_BURST_BYTES + " bytes: " + minBytes);
        }
    }

    /** The bucket size for {@code rateBps} (0 .. {@link Policers#MAX_RATE_BPS}), in bytes. */
    public long bytes(long rateBps) {
        // rate x time / 8e9 without overflow: 10 Tbit/s x 60 s is 6e23.
        double exact = (double) rateBps * burstNs / 8e9;
        long bytes = exact >= Policers.MAX_BURST_BYTES ? Policers.MAX_BURST_BYTES : (long) exact;
        return Math.max(minBytes, bytes);
    }
}
