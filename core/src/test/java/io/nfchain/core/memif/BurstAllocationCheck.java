package io.nfchain.core.memif;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures, in a fresh JVM, the bytes allocated by memif bursts (copied, and received in place
 * and handed back) and by an idle {@code doWork()} once compiled; run by
 * {@link BurstAllocationTest}. Prints {@code bursts=N inPlace=P doWork=M} (fewest bytes of any
 * batch) and exits 0 when all are 0.
 */
public final class BurstAllocationCheck {
    private static final int ROUNDS_PER_BATCH = 2_000;
    private static final int MAX_BATCHES = 200;
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    private BurstAllocationCheck() {}

    public static void main(String[] args) throws Exception {
        Path socket = Files.createTempDirectory("memif-alloc").resolve("memif.sock");
        Path inPlaceSocket = socket.resolveSibling("in-place.sock");
        long bursts;
        long inPlace;
        long idle;
        try (MemifServer server = MemifServer.listen(MemifServer.Config.of(socket));
                MemifClient client = MemifClient.create(MemifClient.Config.of(socket).withRings(1, 8));
                MemifServer lendingServer = MemifServer.listen(MemifServer.Config.of(inPlaceSocket));
                MemifClient lending = MemifClient.create(MemifClient.Config.of(inPlaceSocket).withRings(1, 8)
                        .withInPlace(128, 32));
                PacketBurst lent = new PacketBurst(32, 4096, 128);
                PacketBurst toLend = new PacketBurst(32, 4096);
                PacketBurst out = new PacketBurst(32, 4096);
                PacketBurst in = new PacketBurst(32, 4096)) {
            MemifLink.connect(server, client);
            ClientQueuePair c = client.queuePair(0);
            ServerQueuePair s = server.queuePair(0);
            for (int i = 0; i < 32; i++) {
                MemifLink.putFrame(out, i, i, i == 0 ? 3000 : 64 + i); // one chained frame
            }
            out.setCount(32);
            bursts = fewestBytesAllocatedByABatch(() -> {
                c.txBurst(out);
                s.rxBurst(in);
                s.txBurst(out);
                c.rxBurst(in);
            });
            MemifLink.connect(lendingServer, lending);
            ClientQueuePair l = lending.queuePair(0);
            ServerQueuePair ls = lendingServer.queuePair(0);
            for (int i = 0; i < 32; i++) {
                MemifLink.putFrame(toLend, i, i, i == 31 ? 3000 : 64 + i); // the last one chained
            }
            toLend.setCount(32);
            int[] everyOther = new int[16];
            for (int i = 0; i < 16; i++) {
                everyOther[i] = 2 * i;
            }
            inPlace = fewestBytesAllocatedByABatch(() -> {
                ls.txBurst(toLend); // 31 frames lent, then the chained one by copy
                for (int got = l.rxBurstInPlace(lent, 32); got > 0; got = l.rxBurstInPlace(lent, 32)) {
                    l.txBurst(lent, everyOther, Math.min(16, (got + 1) / 2));
                    l.releaseReceived();
                }
                ls.rxBurst(in);
            });
            idle = fewestBytesAllocatedByABatch(() -> {
                server.doWork();
                client.doWork();
            });
            if (c.counters().totalDrops() + s.counters().totalDrops() + l.counters().totalDrops()
                    + ls.counters().totalDrops() != 0 || c.counters().txPackets() != s.counters().rxPackets()
                    || l.counters().txPackets() != ls.counters().rxPackets() || l.counters().txPackets() == 0) {
                System.out.println("frames lost or dropped");
                System.exit(1);
            }
        } finally {
            Files.deleteIfExists(socket.getParent());
        }
        System.out.println("bursts=" + bursts + " inPlace=" + inPlace + " doWork=" + idle);
        System.exit(bursts == 0 && inPlace == 0 && idle == 0 ? 0 : 1);
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
