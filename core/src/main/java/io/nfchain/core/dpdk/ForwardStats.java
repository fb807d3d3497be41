package io.nfchain.core.dpdk;

/**
 * One port's forwarding counters as testpmd's {@code stop} prints them: what its forwarding
 * engine received, and what it handed to the driver ({@code txPackets}) or had to free because
 * the driver took none of it ({@code txDropped}), since forwarding started.
 */
public record ForwardStats(int port, long rxPackets, long rxDropped, long txPackets, long txDropped) {}
