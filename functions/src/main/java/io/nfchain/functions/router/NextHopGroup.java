package io.nfchain.functions.router;

import java.util.Arrays;
import java.util.List;

/**
 * Immutable, so shared freely between the control thread and the poll thread. The next hops
 * of one or more routes: each path has an output and a gateway (or none for a connected
 * route, where the packet's own destination is the neighbour). ECMP picks a slot by the flow
 * hash; a path of weight w holds w slots, so flows spread in proportion to the weights and
 * one flow always takes the same path while the group is unchanged.
 */
public final class NextHopGroup {
    /** The most paths in one group. */
    public static final int MAX_PATHS = 64;
    /** The largest weight of one path. */
    public static final int MAX_WEIGHT = 256;

    /** One next hop. {@code viaHi} is 0 for IPv4, whose gateway is in the low 32 bits of {@code viaLo}. */
    public record Path(int output, boolean connected, long viaHi, long viaLo, int weight) {}

    private final boolean ipv6;
    private final List<Path> paths;
    private final int[] slotOutput;
    private final boolean[] slotConnected;
    private final long[] slotViaHi;
    private final long[] slotViaLo;

    public NextHopGroup(boolean ipv6, List<Path> paths) {
        if (paths.isEmpty() || paths.size() > MAX_PATHS) {
            throw new IllegalArgumentException("a group has 1.." + MAX_PATHS + " paths, not " + paths.size());
        }
        this.ipv6 = ipv6;
        this.paths = List.copyOf(paths);
        int slots = 0;
        for (Path p : paths) {
            slots += p.weight();
        }
        slotOutput = new int[slots];
        slotConnected = new boolean[slots];
        slotViaHi = new long[slots];
        slotViaLo = new long[slots];
        int s = 0;
        for (Path p : paths) {
            for (int w = 0; w < p.weight(); w++, s++) {
                slotOutput[s] = p.output();
                slotConnected[s] = p.connected();
                slotViaHi[s] = p.viaHi();
                slotViaLo[s] = p.viaLo();
            }
        }
    }

    public boolean ipv6() {
        return ipv6;
    }

    public List<Path> paths() {
        return paths;
    }

    /** The slot a flow of this hash takes: the high bits of a multiply, as good as a modulo and cheaper. */
    public int slot(int flowHash) {
        return (int) (((flowHash & 0xFFFF_FFFFL) * slotOutput.length) >>> 32);
    }

    public int output(int slot) {
        return slotOutput[slot];
    }

    public boolean connected(int slot) {
        return slotConnected[slot];
    }

    public long viaHi(int slot) {
        return slotViaHi[slot];
    }

    public long viaLo(int slot) {
        return slotViaLo[slot];
    }

    /** The path a slot belongs to (control plane: Lookup reports it). */
    public Path pathOf(int slot) {
        int s = 0;
        for (Path p : paths) {
            s += p.weight();
            if (slot < s) {
                return p;
            }
        }
        throw new IndexOutOfBoundsException(slot);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NextHopGroup g && g.ipv6 == ipv6 && g.paths.equals(paths);
    }

    @Override
    public int hashCode() {
        return paths.hashCode() * 31 + (ipv6 ? 1 : 0);
    }

    @Override
    public String toString() {
        return (ipv6 ? "v6" : "v4") + paths + " slots " + Arrays.toString(slotOutput);
    }
}
