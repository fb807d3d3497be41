package io.nfchain.core.runtime;

/**
 * {@code busy}: never gives the core back. Lowest latency, 100% CPU whatever the load; the
 * spin hint ({@code PAUSE}) only saves power and a sibling hyperthread's cycles.
 */
public final class BusySpinIdleStrategy implements IdleStrategy {
    public static final String NAME = "busy";

    @Override
    public void idle(int workCount) {
        if (workCount == 0) {
            Thread.onSpinWait();
        }
    }

    @Override
    public void reset() {}

    @Override
    public String name() {
        return NAME;
    }
}
