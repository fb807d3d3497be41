package io.nfchain.core.dpdk;

/**
 * One port's counters as testpmd's {@code show port stats} prints them (DPDK's
 * {@code rte_eth_stats}: packets the driver actually moved, since the port started).
 *
 * <p>For {@code net_memif}, {@code txPackets} counts frames placed on the ring, and
 * {@code rxPackets} frames taken off it; a burst the ring had no room for is not counted here
 * (testpmd's forwarding statistics count it as TX-dropped).
 */
public record PortStats(int port, long rxPackets, long rxMissed, long rxBytes, long rxErrors, long rxNoMbuf,
        long txPackets, long txErrors, long txBytes) {}
