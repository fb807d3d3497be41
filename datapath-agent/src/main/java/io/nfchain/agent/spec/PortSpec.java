package io.nfchain.agent.spec;

import java.nio.file.Path;
import java.util.List;

/**
 * Immutable. One port of the node, by type. A port is where packets enter or leave the node;
 * network functions are not ports (see {@link FunctionSpec}), though the agent reaches both
 * over the same memif code.
 */
public sealed interface PortSpec {
    /** Unique among the node's ports: {@code wan}, {@code gen0}. */
    String name();

    /** The type's spelling in specs: {@code memif}, {@code af_packet}, {@code gen}, {@code pcap}, {@code sink}. */
    String type();

    /** Whether packets can enter the node here (a chain's ingress). */
    boolean canReceive();

    /** Whether packets can leave the node here (a chain's egress). */
    boolean canTransmit();

    /**
     * A memif server socket for an external peer (DPDK, VPP, another nfchain): packets both ways.
     *
     * @param socket the socket path the agent listens on
     * @param interfaceId the memif interface id the peer must ask for
     * @param secret the shared secret the peer must present; empty for none
     */
    record Memif(String name, Path socket, int interfaceId, String secret) implements PortSpec {
        @Override
        public String type() {
            return "memif";
        }

        @Override
        public boolean canReceive() {
            return true;
        }

        @Override
        public boolean canTransmit() {
            return true;
        }
    }

    /** A kernel network interface through TPACKET_V3 rings: packets both ways. */
    record AfPacket(String name, String interfaceName) implements PortSpec {
        @Override
        public String type() {
            return "af_packet";
        }

        @Override
        public boolean canReceive() {
            return true;
        }

        @Override
        public boolean canTransmit() {
            return true;
        }
    }

    /**
     * Synthetic traffic, open loop: IPv4/UDP (or TCP) frames of the mix's sizes from the source
     * prefix to the destination prefix over {@code flows} flows, at {@code ratePps} (0: a full
     * burst every poll, as fast as the worker runs). Frames the chain cannot take are dropped and
     * counted, never held back: the figure a load test needs.
     *
     * @param frameBytes the mix, one size per entry, cycled: [64] or IMIX [64 x7, 576 x4, 1500]
     * @param sourcePorts UDP/TCP source ports are spread over this range, one per flow
     */
    record Gen(String name, long ratePps, List<Integer> frameBytes, int flows, Prefix source, Prefix destination,
            int protocol, PortRange sourcePorts, int destinationPort, long limitPackets) implements PortSpec {
        public Gen {
            frameBytes = List.copyOf(frameBytes);
        }

        @Override
        public String type() {
            return "gen";
        }

        @Override
        public boolean canReceive() {
            return true;
        }

        @Override
        public boolean canTransmit() {
            return false;
        }
    }

    /**
     * A capture file: replayed as ingress ({@code read}, {@code loops} times, 0 for forever, at
     * {@code ratePps}, 0 for as fast as it goes) and/or written as egress ({@code write}, pcap).
     */
    record Pcap(String name, Path read, int loops, long ratePps, Path write) implements PortSpec {
        @Override
        public String type() {
            return "pcap";
        }

        @Override
        public boolean canReceive() {
            return read != null;
        }

        @Override
        public boolean canTransmit() {
            return write != null;
        }
    }

    /** Counts what it is given and frees it: the end of a load test. */
    record Sink(String name) implements PortSpec {
        @Override
        public String type() {
            return "sink";
        }

        @Override
        public boolean canReceive() {
            return false;
        }

        @Override
        public boolean canTransmit() {
            return true;
        }
    }
}
