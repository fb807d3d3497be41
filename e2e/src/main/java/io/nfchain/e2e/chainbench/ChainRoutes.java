package io.nfchain.e2e.chainbench;

import io.nfchain.api.router.v1.AddRoutesRequest;
import io.nfchain.api.router.v1.Neighbor;
import io.nfchain.api.router.v1.NextHop;
import io.nfchain.api.router.v1.Route;
import io.nfchain.api.router.v1.SetNeighborsRequest;
import io.nfchain.functions.router.Ipv4Routes;
import io.nfchain.functions.router.SyntheticTables;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Immutable. The bench's routing table, the same for nfchain's router and the kernel's: a
 * {@link SyntheticTables} IPv4 table (the Internet's prefix-length mix and nesting) over
 * {@link #NEXT_HOPS} gateways on one link, plus /20s covering the traffic's 198.18.0.0/15, so
 * every packet the ACL lets through has a route. Synthetic prefixes inside or around the
 * traffic's ranges (10/8, 198.18/15) and the link's 192.0.2.0/24 are left out, so the verdict
 * and next hop of every packet follows from the covering /20s alone.
 */
public final class ChainRoutes {
    public static final int NEXT_HOPS = 16;
    /** At most this many routes per AddRoutes request: well under gRPC's 4 MiB message limit. */
    public static final int ROUTES_PER_REQUEST = 5_000;
    static final String LINK_ADDRESS = "192.0.2.1";
    private static final int COVERING = 32;

    private final int[] prefixes;
    private final int[] lengths;
    private final int[] nextHops;

    private ChainRoutes(int[] prefixes, int[] lengths, int[] nextHops) {
        this.prefixes = prefixes;
        this.lengths = lengths;
        this.nextHops = nextHops;
    }

    /** Exactly {@code count} distinct routes (at least 64). */
    public static ChainRoutes generate(int count, long seed) {
        if (count < 64) {
            throw new IllegalArgumentException("count: at least 64 routes, not " + count);
        }
        Ipv4Routes synthetic = SyntheticTables.ipv4(count + count / 50 + 64, NEXT_HOPS, seed);
        int[] p = new int[count];
        int[] l = new int[count];
        int[] h = new int[count];
        int n = 0;
        for (int i = 0; i < COVERING; i++) {
            p[n] = ChainRules.ip(198, 18, 0, 0) + (i << 12);
            l[n] = 20;
            h[n] = i % NEXT_HOPS;
            n++;
        }
        for (int i = 0; i < synthetic.size() && n < count; i++) {
            int prefix = synthetic.prefix(i);
            int length = synthetic.length(i);
            if (reserved(prefix, length)) {
                continue;
            }
            p[n] = prefix;
            l[n] = length;
            h[n] = synthetic.nextHop(i);
            n++;
        }
        if (n < count) {
            throw new IllegalStateException("the synthetic table gave only " + n + " usable routes of " + count);
        }
        return new ChainRoutes(p, l, h);
    }

    private static boolean reserved(int prefix, int length) {
        return ChainRules.prefixesOverlap(prefix, length, ChainRules.ip(10, 0, 0, 0), 8)
                || ChainRules.prefixesOverlap(prefix, length, ChainRules.ip(198, 18, 0, 0), 15)
                || ChainRules.prefixesOverlap(prefix, length, ChainRules.ip(192, 0, 2, 0), 24);
    }

    public int size() {
        return prefixes.length;
    }

    public String prefix(int i) {
        return ChainRules.prefix(prefixes[i], lengths[i]);
    }

    public int nextHop(int i) {
        return nextHops[i];
    }

    /** Gateway {@code k}'s address: 192.0.2.10 onwards. */
    public static String gateway(int k) {
        return "192.0.2." + (10 + k);
    }

    /** Gateway {@code k}'s MAC: no interface of the bench has it, so the kernel's sink drops on sight. */
    public static String gatewayMac(int k) {
        return String.format("02:00:00:00:0a:%02x", k);
    }

    /** nfchain's router: the gateways as static neighbours on output 0. */
    public SetNeighborsRequest neighbors() {
        SetNeighborsRequest.Builder b = SetNeighborsRequest.newBuilder();
        for (int k = 0; k < NEXT_HOPS; k++) {
            b.addNeighbors(Neighbor.newBuilder().setAddress(gateway(k)).setMac(gatewayMac(k)).setOutput(0));
        }
        return b.build();
    }

    /** nfchain's router: the routes in requests of at most {@link #ROUTES_PER_REQUEST}. */
    public List<AddRoutesRequest> batches() {
        List<AddRoutesRequest> out = new ArrayList<>();
        AddRoutesRequest.Builder b = AddRoutesRequest.newBuilder();
        for (int i = 0; i < size(); i++) {
            b.addRoutes(Route.newBuilder().setPrefix(prefix(i))
                    .addNextHops(NextHop.newBuilder().setVia(gateway(nextHops[i])).setOutput(0).setWeight(1)));
            if (b.getRoutesCount() == ROUTES_PER_REQUEST || i == size() - 1) {
                out.add(b.build());
                b = AddRoutesRequest.newBuilder();
            }
        }
        return out;
    }

    /** The kernel's table as an {@code ip -batch} file: one {@code route add} line per route. */
    public void writeIpBatch(Path file, String device) throws IOException {
        try (Writer w = Files.newBufferedWriter(file)) {
            for (int i = 0; i < size(); i++) {
                w.write(ipBatchLine(i, device));
                w.write('\n');
            }
        }
    }

    String ipBatchLine(int i, String device) {
        return "route add " + prefix(i) + " via " + gateway(nextHops[i]) + " dev " + device;
    }
}
