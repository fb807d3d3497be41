package io.nfchain.bench.router;

import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.functions.router.Ipv4Lpm;
import io.nfchain.functions.router.Ipv4Routes;
import io.nfchain.functions.router.SyntheticTables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Immutable. The flows {@code bench router} sends: flow {@code f} is a 64-byte Ethernet/IPv4/UDP
 * frame from {@link #GENERATOR_MAC} to {@link #ROUTER_MAC}, UDP source port
 * {@code SOURCE_PORT_BASE + f} (how a returned frame names its flow), to a destination inside a
 * route of the synthetic table, and the MAC of the next hop that route names: what a frame
 * routed by the router must carry as destination when it comes back.
 *
 * <p>The orchestrator computes the expected next hops with its own {@link Ipv4Lpm} over the same
 * routes the router loads over gRPC, and hands the set to the traffic process as a text file, one
 * flow a line: destination and expected MAC in hex.
 */
public final class FlowSet {
    /** The traffic process's MAC: the source of every frame it sends. */
    public static final long GENERATOR_MAC = 0x02_00_00_00_00_0AL;
    /** The router interface's MAC, the destination of every frame sent. */
    public static final long ROUTER_MAC = 0x02_00_00_00_01_00L;
    /** The router interface's IPv4 address, 192.0.2.1. */
    public static final int ROUTER_IPV4 = 0xC000_0201;
    /** Next hop {@code n} of the synthetic table is the gateway 192.0.2.(16 + n)... */
    static final int GATEWAY_BASE = 0xC000_0210;
    /** ...whose static neighbour MAC is 02:00:00:00:02:nn. */
    static final long GATEWAY_MAC_BASE = 0x02_00_00_00_02_00L;
    /** Sources are 198.18.0.0/15 (RFC 2544 benchmarking space), one per flow. */
    static final int SOURCE_BASE = 0xC612_0000;
    static final int SOURCE_PORT_BASE = 1024;
    static final int DESTINATION_PORT = 9;
    static final int FRAME_BYTES = 64;
    static final int TTL = 64;
    /** Most flows: every source port from the base up must fit in 16 bits. */
    static final int MAX_FLOWS = 65536 - SOURCE_PORT_BASE;

    private final int[] destinations;
    private final long[] expectedMacs;

    FlowSet(int[] destinations, long[] expectedMacs) {
        if (destinations.length != expectedMacs.length || destinations.length == 0
                || destinations.length > MAX_FLOWS) {
            throw new IllegalArgumentException("need 1.." + MAX_FLOWS + " flows, each with one MAC: "
                    + destinations.length + " destinations, " + expectedMacs.length + " MACs");
        }
        this.destinations = destinations.clone();
        this.expectedMacs = expectedMacs.clone();
    }

    /** The gateway address of synthetic next hop {@code n} (0..63). */
    static int gateway(int nextHop) {
        return GATEWAY_BASE + nextHop;
    }

    /** The static neighbour MAC of synthetic next hop {@code n}. */
    static long gatewayMac(int nextHop) {
        return GATEWAY_MAC_BASE + nextHop;
    }

    /**
     * {@code count} flows to addresses inside random routes of {@code routes}, each with the MAC
     * of the next hop its longest match names.
     */
    static FlowSet covering(Ipv4Routes routes, Ipv4Lpm lpm, int count, long seed) {
        int[] candidates = SyntheticTables.coveredIpv4(routes, 2 * count, seed);
        int[] destinations = new int[count];
        long[] macs = new long[count];
        int n = 0;
        for (int i = 0; i < candidates.length && n < count; i++) {
            int hop = lpm.lookup(candidates[i]);
            if (hop < 0 || candidates[i] == ROUTER_IPV4) {
                continue; // the router would answer it, not forward it
            }
            destinations[n] = candidates[i];
            macs[n] = gatewayMac(hop);
            n++;
        }
        if (n < count) {
            throw new IllegalStateException("only " + n + " of " + count + " destinations are routed");
        }
        return new FlowSet(destinations, macs);
    }

    int size() {
        return destinations.length;
    }

    int destination(int flow) {
        return destinations[flow];
    }

    long expectedMac(int flow) {
        return expectedMacs[flow];
    }

    /** Flow {@code f}'s frame, 64 bytes with TTL {@link #TTL} and don't-fragment set. */
    PacketBuilder frame(int flow) {
        return new PacketBuilder().ethernet(ROUTER_MAC, GENERATOR_MAC)
                .ipv4(SOURCE_BASE + flow, destinations[flow]).ipv4Fields(0, TTL, flow, 0x4000, new byte[0])
                .udp(SOURCE_PORT_BASE + flow, DESTINATION_PORT).padTo(FRAME_BYTES);
    }

    void write(Path file) throws IOException {
        StringBuilder text = new StringBuilder(destinations.length * 22);
        for (int f = 0; f < destinations.length; f++) {
            text.append(String.format("%08x %012x%n", destinations[f], expectedMacs[f]));
        }
        Files.writeString(file, text, StandardCharsets.US_ASCII);
    }

    /** Reads what {@link #write} wrote; a malformed line is an error naming it. */
    static FlowSet read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        return parse(lines, file.toString());
    }

    static FlowSet parse(List<String> lines, String source) {
        List<String> flows = new ArrayList<>();
        for (String line : lines) {
            if (!line.isBlank()) {
                flows.add(line.strip());
            }
        }
        int[] destinations = new int[flows.size()];
        long[] macs = new long[flows.size()];
        for (int f = 0; f < flows.size(); f++) {
            String[] fields = flows.get(f).split(" +");
            try {
                if (fields.length != 2 || fields[0].length() > 8 || fields[1].length() > 12) {
                    throw new NumberFormatException("want 'DESTINATION_HEX MAC_HEX'");
                }
                destinations[f] = Integer.parseUnsignedInt(fields[0], 16);
                macs[f] = Long.parseLong(fields[1], 16);
                if (macs[f] < 0) {
                    throw new NumberFormatException("a MAC is not negative");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(source + ": flow " + f + " '" + flows.get(f) + "': " + e.getMessage(), e);
            }
        }
        return new FlowSet(destinations, macs);
    }
}
