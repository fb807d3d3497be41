package io.nfchain.functions.router;

/**
 * Not thread-safe: the poll thread's. A token bucket on the burst clock: {@code ratePerSecond}
 * tokens a second, at most {@code burst} saved up, one token per ICMP error (RFC 1812 4.3.2.8
 * asks routers to limit them; Linux defaults to 1000/s with a burst of 50). Tokens are held in
 * units of 1e-9 token, so refills need no division and lose nothing between bursts.
 */
final class IcmpRateLimiter {
    private static final long UNIT = 1_000_000_000L;

    private final long ratePerSecond;
    private final long capacityUnits;
    private final long fillNs;
    private long units;
    private long lastNs;
    private boolean started;

    IcmpRateLimiter(int ratePerSecond, int burst) {
        if (ratePerSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("ICMP rate and burst must be >= 1: " + ratePerSecond + ", " + burst);
        }
        this.ratePerSecond = ratePerSecond;
        this.capacityUnits = burst * UNIT;
        this.fillNs = capacityUnits / ratePerSecond + 1;
        this.units = capacityUnits;
    }

    /** Takes one token at {@code nowNs} (monotonic); false when the bucket is empty. */
    boolean tryAcquire(long nowNs) {
        if (!started) {
            started = true;
            lastNs = nowNs;
        }
        long elapsedNs = nowNs - lastNs;
        if (elapsedNs > 0) {
            lastNs = nowNs;
            // Capping the elapsed time keeps elapsed * rate inside a long.
            units = Math.min(capacityUnits, units + Math.min(elapsedNs, fillNs) * ratePerSecond);
        }
        if (units >= UNIT) {
            units -= UNIT;
            return true;
        }
        return false;
    }
}
