package io.nfchain.core.runtime;

/** A clock that moves only when a test (or a {@link RecordingSleeper}) says so. */
final class ManualClock implements NanoClock {
    private long nowNs;

    ManualClock(long startNs) {
        this.nowNs = startNs;
    }

    @Override
    public long nanoTime() {
        return nowNs;
    }

    void advance(long ns) {
        nowNs += ns;
    }
}
