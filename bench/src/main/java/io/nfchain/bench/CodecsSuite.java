package io.nfchain.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parse a packet and extract its 5-tuple: Eth/IPv4/UDP, Eth/IPv6/TCP and
 * Eth/IPv4/UDP/GTP-U/IPv4/TCP (inner 5-tuple too).
 *
 * <p>Contract with {@code CodecBenchmark}: average time in nanoseconds, and
 * {@code @OperationsPerInvocation(BURST)}, so one JMH operation is one packet and both the score
 * and the gc profiler's bytes per operation are already per packet.
 */
final class CodecsSuite implements JmhSuite {
    static final double IPV4_UDP_TARGET_NS = 15;
    static final double GTPU_TARGET_NS = 30;
    /** The datapath allocates nothing per packet (see {@link Allocation} for what reads as zero). */
    static final double ALLOC_TARGET_BYTES_PER_PACKET = 0;

    @Override
    public String name() {
        return "codecs";
    }

    @Override
    public String description() {
        return "ns/packet to parse and extract the 5-tuple: IPv4/UDP, IPv6/TCP, GTP-U (targets 15 and 30 ns, 0 B/packet)";
    }

    @Override
    public String benchmarkClass() {
        return "io.nfchain.bench.CodecBenchmark";
    }

    @Override
    public Map<String, Object> figures(SuiteResults results) {
        double ipv4UdpNs = results.score("ipv4Udp");
        double ipv6TcpNs = results.score("ipv6Tcp");
        double gtpuNs = results.score("gtpu");
        double allocBytesPerPacket = Math.max(results.allocBytesPerOp("ipv4Udp"),
                Math.max(results.allocBytesPerOp("ipv6Tcp"), results.allocBytesPerOp("gtpu")));

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("ipv4_udp_ns", ipv4UdpNs);
        figures.put("ipv6_tcp_ns", ipv6TcpNs);
        figures.put("gtpu_ns", gtpuNs);
        figures.put("alloc_bytes_per_packet", allocBytesPerPacket);
        figures.put("ipv4_udp_target_ns", IPV4_UDP_TARGET_NS);
        figures.put("gtpu_target_ns", GTPU_TARGET_NS);
        figures.put("alloc_target_bytes_per_packet", ALLOC_TARGET_BYTES_PER_PACKET);
        figures.put("meets_targets", ipv4UdpNs < IPV4_UDP_TARGET_NS
                && gtpuNs < GTPU_TARGET_NS
                && Allocation.isZero(allocBytesPerPacket));
        return figures;
    }
}
