package io.nfchain.agent.port;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Single writer (the port's worker), any reader: packets and bytes each way, written with
 * release stores once per burst so a metrics scrape never reads a torn value.
 */
public final class PortCounters {
    private static final VarHandle VALUES = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int RX_PACKETS = 0;
    private static final int RX_BYTES = 1;
    private static final int TX_PACKETS = 2;
    private static final int TX_BYTES = 3;

    private final long[] values = new long[4];

    /** Worker only. */
    public void addRx(long packets, long bytes) {
        add(RX_PACKETS, packets);
        add(RX_BYTES, bytes);
    }

    /** Worker only. */
    public void addTx(long packets, long bytes) {
        add(TX_PACKETS, packets);
        add(TX_BYTES, bytes);
    }

    private void add(int i, long n) {
        if (n != 0) {
            VALUES.setRelease(values, i, values[i] + n);
        }
    }

    private long get(int i) {
        return (long) VALUES.getAcquire(values, i);
    }

    public long rxPackets() {
        return get(RX_PACKETS);
    }

    public long rxBytes() {
        return get(RX_BYTES);
    }

    public long txPackets() {
        return get(TX_PACKETS);
    }

    public long txBytes() {
        return get(TX_BYTES);
    }
}
