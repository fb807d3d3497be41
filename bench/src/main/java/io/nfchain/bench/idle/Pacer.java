package io.nfchain.bench.idle;

/**
 * Not thread-safe: owned by the sending thread. When frames are due at a constant rate:
 * frame {@code k} (from 0) is due at {@code startNs + k * 1e9 / framesPerSecond}. The sender
 * asks how many are due now, sends them, and reports them offered; a sender that fell behind
 * (descheduled) catches up in bursts of at most {@code maxBurst}, so the offered rate holds
 * on average.
 */
public final class Pacer {
    private final double framesPerNs;
    private final double nsPerFrame;
    private final long startNs;
    private long offered;

    /**
     * @param framesPerSecond > 0 and finite
     * @param startNs when frame 0 is due
     */
    public Pacer(double framesPerSecond, long startNs) {
        if (!(framesPerSecond > 0) || Double.isInfinite(framesPerSecond)) {
            throw new IllegalArgumentException("framesPerSecond must be > 0 and finite: " + framesPerSecond);
        }
        this.framesPerNs = framesPerSecond / 1e9;
        this.nsPerFrame = 1e9 / framesPerSecond;
        this.startNs = startNs;
    }

    /** Frames due by {@code nowNs} in total, offered or not: 0 before start, 1 at start. */
    public long dueBy(long nowNs) {
        long elapsed = nowNs - startNs;
        return elapsed < 0 ? 0 : (long) (elapsed * framesPerNs) + 1;
    }

    /** Frames due by {@code nowNs} and not offered yet, at most {@code maxBurst} (>= 1). */
    public int due(long nowNs, int maxBurst) {
        return (int) Math.max(0, Math.min(maxBurst, dueBy(nowNs) - offered));
    }

    /** Records {@code frames} offered (sent or dropped); call with what {@link #due} allowed. */
    public void offered(int frames) {
        offered += frames;
    }

    /** Frames offered so far. */
    public long offeredFrames() {
        return offered;
    }

    /** When the next frame not yet offered is due. */
    public long nextDueNs() {
        // The first time at which dueBy() exceeds `offered`: ceil(offered * nsPerFrame), then
        // adjusted by one so that floating point rounding agrees with dueBy.
        long t = startNs + (long) Math.ceil(offered * nsPerFrame);
        while (dueBy(t) <= offered) {
            t++;
        }
        while (t > startNs && dueBy(t - 1) > offered) {
            t--;
        }
        return t;
    }
}
