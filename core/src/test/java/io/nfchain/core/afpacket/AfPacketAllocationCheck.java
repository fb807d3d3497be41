package io.nfchain.core.afpacket;

import com.sun.management.ThreadMXBean;
import io.nfchain.core.memif.PacketBurst;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Measures, in a fresh JVM started inside a namespace holding both ends of a veth pair, the
 * bytes allocated by af_packet transmit and receive bursts and by an empty receive poll once
 * compiled; run by {@link AfPacketAllocationTest}. Arguments: the two interface names. Prints
 * {@code bursts=N idle=M} (fewest bytes of any batch) and exits 0 when both are 0.
 */
public final class AfPacketAllocationCheck {
    private static final int ROUNDS_PER_BATCH = 2_000;
    private static final int MAX_BATCHES = 200;
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    private AfPacketAllocationCheck() {}

    public static void main(String[] args) {
        long bursts;
        long idle;
        try (AfPacketPort a = AfPacketPort.open(AfPacketConfig.of(args[0]));
                AfPacketPort b = AfPacketPort.open(AfPacketConfig.of(args[1]));
                PacketBurst out = new PacketBurst(32, 2048);
                PacketBurst in = new PacketBurst(64, 2048)) {
            byte[][] frames = new byte[32][];
            for (int i = 0; i < frames.length; i++) {
                frames[i] = PortFrames.numbered(i, i == 0 ? 1514 : 64 + i);
            }
            PortFrames.fill(out, List.of(frames));
            bursts = fewestBytesAllocatedByABatch(() -> {
                a.txBurst(out);
                b.rxBurst(in);
            });
            while (b.rxBurst(in) > 0) {
                // drain what the last blocks held, so the idle poll finds nothing
            }
            idle = fewestBytesAllocatedByABatch(() -> {
                b.rxBurst(in);
                b.rxReady();
            });
            if (b.counters().rxPackets() == 0 || a.counters().totalDrops() + b.counters().totalDrops() != 0) {
                System.out.println("nothing received, or frames dropped: " + b.counters().rxPackets());
                System.exit(1);
            }
        }
        System.out.println("bursts=" + bursts + " idle=" + idle);
        System.exit(bursts == 0 && idle == 0 ? 0 : 1);
    }

    private static long fewestBytesAllocatedByABatch(Runnable round) {
        long fewest = Long.MAX_VALUE;
        for (int batch = 0; batch < MAX_BATCHES && fewest > 0; batch++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < ROUNDS_PER_BATCH; i++) {
                round.run();
            }
            fewest = Math.min(fewest, THREADS.getCurrentThreadAllocatedBytes() - before);
        }
        return fewest;
    }
}
