package io.nfchain.agent.port;

import io.nfchain.core.afpacket.AfPacketConfig;
import io.nfchain.core.afpacket.AfPacketCounters;
import io.nfchain.core.afpacket.AfPacketDrop;
import io.nfchain.core.afpacket.AfPacketPort;
import io.nfchain.core.memif.PacketBurst;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Not thread-safe (see {@link Port}). A kernel interface through TPACKET_V3 rings
 * ({@link AfPacketPort}): the agent's port for nodes whose NICs the kernel drives (veth pairs here).
 * The kernel's own drop figures are read once a second.
 */
public final class KernelPort implements Port {
    private static final long STATISTICS_INTERVAL_NS = 1_000_000_000L;

    private final String name;
    private final AfPacketPort port;
    private final PortCounters counters = new PortCounters();
    private long lastStatisticsNs;
    private long rxSeenPackets;
    private long rxSeenBytes;
    private long txSeenPackets;
    private long txSeenBytes;

    private KernelPort(String name, AfPacketPort port) {
        this.name = name;
        this.port = port;
    }

    /** Opens {@code interfaceName} in this process's network namespace, with jumbo frames allowed. */
    public static KernelPort open(String name, String interfaceName) {
        return new KernelPort(name, AfPacketPort.open(AfPacketConfig.of(interfaceName).withJumboFrames()));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "af_packet";
    }

    @Override
    public int doWork(long nowNs) {
        if (nowNs - lastStatisticsNs > STATISTICS_INTERVAL_NS) {
            lastStatisticsNs = nowNs;
            port.pollKernelStatistics();
        }
        return 0;
    }

    @Override
    public boolean isUp() {
        return true;
    }

    @Override
    public int rxBurst(PacketBurst burst, long nowNs) {
        int n = port.rxBurst(burst);
        if (n > 0) {
            AfPacketCounters c = port.counters();
            long packets = c.rxPackets();
            long bytes = c.rxBytes();
            counters.addRx(packets - rxSeenPackets, bytes - rxSeenBytes);
            rxSeenPackets = packets;
            rxSeenBytes = bytes;
        }
        return n;
    }

    @Override
    public int txBurst(PacketBurst burst, int[] frames, int count) {
        int taken = port.txBurst(burst, frames, count);
        AfPacketCounters c = port.counters();
        long packets = c.txPackets();
        long bytes = c.txBytes();
        counters.addTx(packets - txSeenPackets, bytes - txSeenBytes);
        txSeenPackets = packets;
        txSeenBytes = bytes;
        return taken;
    }

    @Override
    public PortCounters counters() {
        return counters;
    }

    @Override
    public Map<String, Long> portDrops() {
        AfPacketCounters c = port.counters();
        Map<String, Long> drops = new LinkedHashMap<>();
        for (AfPacketDrop d : AfPacketDrop.values()) {
            drops.put(d.name(), c.drops(d));
        }
        drops.put("KERNEL_RX_DROPS", c.kernelDrops());
        drops.put("TX_RING_FULL", c.txRingFullFrames());
        return drops;
    }

    @Override
    public String dropText(String reason) {
        return switch (reason) {
            case "KERNEL_RX_DROPS" -> "frames the kernel dropped: receive ring full";
            case "TX_RING_FULL" -> "frames not sent: transmit ring full";
            default -> AfPacketDrop.valueOf(reason).text();
        };
    }

    @Override
    public String state() {
        return "ifindex " + port.ifindex() + ", mtu " + port.mtuBytes();
    }

    @Override
    public void close() {
        port.close();
    }
}
