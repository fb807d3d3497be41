package io.nfchain.agent.port;

import io.nfchain.core.memif.PacketBurst;

/** Not thread-safe (see {@link Port}). Takes every frame, counts it, keeps nothing. */
public final class SinkPort implements Port {
    private final String name;
    private final PortCounters counters = new PortCounters();

    public SinkPort(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "sink";
    }

    @Override
    public boolean isUp() {
        return true;
    }

    @Override
    public int rxBurst(PacketBurst burst, long nowNs) {
        burst.setCount(0);
        return 0;
    }

    @Override
    public int txBurst(PacketBurst burst, int[] frames, int count) {
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            bytes += burst.length(frames[i]);
        }
        counters.addTx(count, bytes);
        return count;
    }

    @Override
    public PortCounters counters() {
        return counters;
    }

    @Override
    public void close() {}
}
