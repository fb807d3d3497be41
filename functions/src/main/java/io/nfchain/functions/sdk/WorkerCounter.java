package io.nfchain.functions.sdk;

/** What the runner counts around a function, beside the function's own counters. */
public enum WorkerCounter implements FunctionCounter {
    BURSTS("bursts received and processed", false),
    TX_RING_FULL("no room in the output's transmit ring", true),
    OUTPUT_DOWN("output link not connected", true);

    private final String text;
    private final boolean drop;

    WorkerCounter(String text, boolean drop) {
        this.text = text;
        this.drop = drop;
    }

    @Override
    public String text() {
        return text;
    }

    @Override
    public boolean isDrop() {
        return drop;
    }
}
