package io.nfchain.functions.router;

import io.nfchain.api.router.v1.AddRoutesResponse;
import io.nfchain.api.router.v1.ListRoutesResponse;
import io.nfchain.api.router.v1.LookupRequest;
import io.nfchain.api.router.v1.LookupResponse;
import io.nfchain.api.router.v1.Neighbor;
import io.nfchain.api.router.v1.NeighborState;
import io.nfchain.api.router.v1.NextHop;
import io.nfchain.api.router.v1.Route;
import io.nfchain.core.packet.NetBytes;
import io.nfchain.functions.rules.InvalidRuleException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Thread-safe: every method is synchronized, which makes this object the single writer the LPM
 * tables and {@link io.nfchain.functions.sdk.Published} require; the poll thread never takes
 * the lock. The router's control plane: routes, next-hop groups and static neighbours, changed
 * all or nothing. A request is validated whole first ({@link InvalidRuleException} naming the
 * field, e.g. {@code routes[3].prefix}), then applied.
 *
 * <p>Order of publication: a new group is published before any route names it, and a group no
 * route uses any more keeps its slot until its id is reused, so a lookup racing a change reads
 * the old or the new path, never a missing one.
 */
public final class RouterControl {
    /** Most routes in one AddRoutes request. */
    public static final int MAX_ROUTES_PER_REQUEST = 1_000_000;
    static final int DEFAULT_PAGE = 1000;
    static final int MAX_PAGE = 100_000;

    private final RouterFunction router;
    private final int outputs;
    private final TreeMap<Prefixes.Key, Integer> routes = new TreeMap<>();
    private final Map<NextHopGroup, Integer> groupIds = new HashMap<>();
    private NextHopGroup[] groups = new NextHopGroup[16];
    private int[] refs = new int[16];
    private int groupCount;
    private final ArrayDeque<Integer> freeIds = new ArrayDeque<>();
    private final LinkedHashMap<Prefixes.Key, Neighbor> statics = new LinkedHashMap<>();
    private int ipv4Routes;
    private int ipv6Routes;

    RouterControl(RouterFunction router) {
        this.router = router;
        this.outputs = router.outputs().size();
    }

    /** A route change that names a prefix or neighbour the router does not have. Immutable. */
    public static final class NotFoundException extends RuntimeException {
        public NotFoundException(String message) {
            super(message);
        }
    }

    // ---- routes ---------------------------------------------------------------------------------

    public synchronized AddRoutesResponse addRoutes(List<Route> request) {
        if (request.size() > MAX_ROUTES_PER_REQUEST) {
            throw new InvalidRuleException("routes", "at most " + MAX_ROUTES_PER_REQUEST + " per request, was "
                    + request.size());
        }
        Prefixes.Key[] keys = new Prefixes.Key[request.size()];
        NextHopGroup[] wanted = new NextHopGroup[request.size()];
        for (int r = 0; r < request.size(); r++) {
            String path = "routes[" + r + "].";
            keys[r] = Prefixes.parse(path + "prefix", request.get(r).getPrefix());
            wanted[r] = group(path, keys[r].ipv6(), request.get(r).getNextHopsList());
        }
        int[] ids = new int[wanted.length];
        for (int r = 0; r < wanted.length; r++) {
            ids[r] = acquire(wanted[r]);
        }
        publish(); // groups first: a route must never name a group the poll thread cannot see
        int added = 0;
        int replaced = 0;
        for (int r = 0; r < keys.length; r++) {
            Prefixes.Key k = keys[r];
            Integer old = routes.put(k, ids[r]);
            if (k.ipv6()) {
                router.lpm6().add(k.hi(), k.lo(), k.length(), ids[r]);
            } else {
                router.lpm4().add((int) k.lo(), k.length(), ids[r]);
            }
            if (old == null) {
                added++;
                count(k, 1);
            } else {
                replaced++;
                release(old);
            }
        }
        return AddRoutesResponse.newBuilder().setAdded(added).setReplaced(replaced).setIpv4Routes(ipv4Routes)
                .setIpv6Routes(ipv6Routes).build();
    }

    /** Removes every prefix, or none when one is malformed or unknown. Returns how many. */
    public synchronized int deleteRoutes(List<String> prefixes) {
        Prefixes.Key[] keys = new Prefixes.Key[prefixes.size()];
        for (int r = 0; r < keys.length; r++) {
            keys[r] = Prefixes.parse("prefixes[" + r + "]", prefixes.get(r));
            if (!routes.containsKey(keys[r])) {
                throw new NotFoundException("prefixes[" + r + "]: no route " + prefixes.get(r));
            }
        }
        int deleted = 0;
        for (Prefixes.Key k : keys) {
            Integer id = routes.remove(k);
            if (id == null) {
                continue; // listed twice
            }
            if (k.ipv6()) {
                router.lpm6().remove(k.hi(), k.lo(), k.length());
            } else {
                router.lpm4().remove((int) k.lo(), k.length());
            }
            release(id);
            count(k, -1);
            deleted++;
        }
        return deleted;
    }

    /** A page of routes in prefix order (IPv4 first); the token is the last prefix listed. */
    public synchronized ListRoutesResponse listRoutes(int family, int pageSize, String pageToken) {
        if (family != 0 && family != 4 && family != 6) {
            throw new InvalidRuleException("family", "must be 0, 4 or 6, was " + family);
        }
        if (pageSize > MAX_PAGE) {
            throw new InvalidRuleException("page_size", "at most " + MAX_PAGE + ", was " + pageSize);
        }
        int size = pageSize == 0 ? DEFAULT_PAGE : pageSize;
        NavigableMap<Prefixes.Key, Integer> from = pageToken.isEmpty() ? routes
                : routes.tailMap(Prefixes.parse("page_token", pageToken), false);
        ListRoutesResponse.Builder out = ListRoutesResponse.newBuilder();
        Prefixes.Key last = null;
        for (Map.Entry<Prefixes.Key, Integer> e : from.entrySet()) {
            Prefixes.Key k = e.getKey();
            if (family == 4 && k.ipv6() || family == 6 && !k.ipv6()) {
                continue;
            }
            if (out.getRoutesCount() == size) {
                out.setNextPageToken(last.toString());
                break;
            }
            out.addRoutes(route(k, groups[e.getValue()]));
            last = k;
        }
        return out.build();
    }

    /** The route and path a packet of the request's 5-tuple would take, as the datapath decides. */
    public synchronized LookupResponse lookup(LookupRequest request) {
        Prefixes.Key dst = Prefixes.parseAddress("destination", request.getDestination());
        Prefixes.Key src = request.getSource().isEmpty() ? new Prefixes.Key(dst.ipv6(), 0, 0, dst.length())
                : Prefixes.parseAddress("source", request.getSource());
        if (src.ipv6() != dst.ipv6()) {
            throw new InvalidRuleException("source", "not of the destination's family");
        }
        int id = dst.ipv6() ? router.lpm6().lookup(dst.hi(), dst.lo()) : router.lpm4().lookup((int) dst.lo());
        if (id < 0) {
            return LookupResponse.newBuilder().setFound(false).build();
        }
        Prefixes.Key matched = null;
        for (int length = dst.length(); length >= 0 && matched == null; length--) {
            Prefixes.Key k = Prefixes.network(dst, length);
            matched = routes.containsKey(k) ? k : null;
        }
        NextHopGroup g = groups[id];
        int slot = g.slot(RouterFunction.flowHash(src.hi(), src.lo(), dst.hi(), dst.lo(), request.getProtocol(),
                request.getSourcePort(), request.getDestinationPort()));
        NextHopGroup.Path path = g.pathOf(slot);
        long mac = path.connected() ? neighbor(dst.ipv6(), dst.hi(), dst.lo()) : neighbor(dst.ipv6(), path.viaHi(), path.viaLo());
        LookupResponse.Builder out = LookupResponse.newBuilder().setFound(true).setChosen(nextHop(g, path));
        if (matched != null) {
            out.setRoute(route(matched, g));
        }
        if (mac != NeighborTable.MISSING) {
            out.setNeighborMac(NetBytes.macToString(mac));
        }
        return out.build();
    }

    private NextHopGroup group(String path, boolean ipv6, List<NextHop> hops) {
        if (hops.isEmpty() || hops.size() > NextHopGroup.MAX_PATHS) {
            throw new InvalidRuleException(path + "next_hops", "needs 1.." + NextHopGroup.MAX_PATHS + " next hops, has "
                    + hops.size());
        }
        List<NextHopGroup.Path> paths = new ArrayList<>(hops.size());
        for (int h = 0; h < hops.size(); h++) {
            String at = path + "next_hops[" + h + "].";
            NextHop hop = hops.get(h);
            if (hop.getOutput() >= outputs || hop.getOutput() < 0) {
                throw new InvalidRuleException(at + "output", "the router has outputs 0.." + (outputs - 1) + ", not "
                        + Integer.toUnsignedString(hop.getOutput()));
            }
            if (hop.getWeight() > NextHopGroup.MAX_WEIGHT || hop.getWeight() < 0) {
                throw new InvalidRuleException(at + "weight", "must be 1.." + NextHopGroup.MAX_WEIGHT + " (0 means 1), not "
                        + Integer.toUnsignedString(hop.getWeight()));
            }
            int weight = Math.max(1, hop.getWeight());
            if (hop.getVia().isEmpty()) {
                paths.add(new NextHopGroup.Path(hop.getOutput(), true, 0, 0, weight));
                continue;
            }
            Prefixes.Key via = Prefixes.parseAddress(at + "via", hop.getVia());
            if (via.ipv6() != ipv6) {
                throw new InvalidRuleException(at + "via", hop.getVia() + " is not an " + (ipv6 ? "IPv6" : "IPv4")
                        + " address, as the route's prefix is");
            }
            paths.add(new NextHopGroup.Path(hop.getOutput(), false, via.hi(), via.lo(), weight));
        }
        return new NextHopGroup(ipv6, paths);
    }

    private int acquire(NextHopGroup g) {
        Integer id = groupIds.get(g);
        if (id == null) {
            id = freeIds.isEmpty() ? groupCount++ : freeIds.poll();
            if (id >= groups.length) {
                groups = Arrays.copyOf(groups, groups.length * 2);
                refs = Arrays.copyOf(refs, refs.length * 2);
            }
            groups[id] = g;
            groupIds.put(g, id);
        }
        refs[id]++;
        return id;
    }

    /** A group no route names keeps its slot (a racing lookup may still use it) until its id is reused. */
    private void release(int id) {
        if (--refs[id] == 0) {
            groupIds.remove(groups[id]);
            freeIds.add(id);
        }
    }

    private void count(Prefixes.Key k, int delta) {
        if (k.ipv6()) {
            ipv6Routes += delta;
        } else {
            ipv4Routes += delta;
        }
    }

    private static Route route(Prefixes.Key k, NextHopGroup g) {
        Route.Builder r = Route.newBuilder().setPrefix(k.toString());
        for (NextHopGroup.Path p : g.paths()) {
            r.addNextHops(nextHop(g, p));
        }
        return r.build();
    }

    private static NextHop nextHop(NextHopGroup g, NextHopGroup.Path p) {
        NextHop.Builder h = NextHop.newBuilder().setOutput(p.output()).setWeight(p.weight());
        if (!p.connected()) {
            h.setVia(new Prefixes.Key(g.ipv6(), p.viaHi(), p.viaLo(), g.ipv6() ? 128 : 32).address());
        }
        return h.build();
    }

    // ---- neighbours -------------------------------------------------------------------------------

    /** Adds or replaces static neighbours, all or none. Returns how many were set. */
    public synchronized int setNeighbors(List<Neighbor> neighbors) {
        List<Prefixes.Key> keys = new ArrayList<>();
        List<Neighbor> values = new ArrayList<>();
        for (int n = 0; n < neighbors.size(); n++) {
            String at = "neighbors[" + n + "].";
            Neighbor nb = neighbors.get(n);
            Prefixes.Key k = Prefixes.parseAddress(at + "address", nb.getAddress());
            long mac;
            try {
                mac = NetBytes.parseMac(nb.getMac());
            } catch (IllegalArgumentException e) {
                throw new InvalidRuleException(at + "mac", "'" + nb.getMac() + "' is not a MAC (aa:bb:cc:dd:ee:ff)");
            }
            if ((mac >>> 40 & 1) != 0) {
                throw new InvalidRuleException(at + "mac", nb.getMac() + " is a group address, not a neighbour's");
            }
            if (nb.getOutput() < 0 || nb.getOutput() >= outputs) {
                throw new InvalidRuleException(at + "output", "the router has outputs 0.." + (outputs - 1) + ", not "
                        + Integer.toUnsignedString(nb.getOutput()));
            }
            keys.add(k);
            values.add(Neighbor.newBuilder().setAddress(k.address()).setMac(NetBytes.macToString(mac))
                    .setOutput(nb.getOutput()).setIsStatic(true).setState(NeighborState.NEIGHBOR_STATE_STATIC).build());
        }
        for (int n = 0; n < keys.size(); n++) {
            statics.put(keys.get(n), values.get(n));
        }
        publish();
        return keys.size();
    }

    /** Deletes static neighbours, all or none (an address that is not a static neighbour is NOT_FOUND). */
    public synchronized int deleteNeighbors(List<String> addresses) {
        List<Prefixes.Key> keys = new ArrayList<>();
        for (int n = 0; n < addresses.size(); n++) {
            Prefixes.Key k = Prefixes.parseAddress("addresses[" + n + "]", addresses.get(n));
            if (!statics.containsKey(k)) {
                throw new NotFoundException("addresses[" + n + "]: no static neighbour " + addresses.get(n));
            }
            keys.add(k);
        }
        int deleted = 0;
        for (Prefixes.Key k : keys) {
            deleted += statics.remove(k) != null ? 1 : 0;
        }
        publish();
        return deleted;
    }

    /**
     * Static neighbours, then the learned ones with their age (against the latest burst's
     * time) and state: reachable, or expired and waiting for the sweep that removes it.
     */
    public synchronized List<Neighbor> listNeighbors() {
        List<Neighbor> out = new ArrayList<>(statics.values());
        for (LearnedNeighbors.Entry e : router.learned().snapshot()) {
            out.add(Neighbor.newBuilder()
                    .setAddress(new Prefixes.Key(e.ipv6(), e.hi(), e.lo(), e.ipv6() ? 128 : 32).address())
                    .setMac(NetBytes.macToString(e.mac())).setOutput(e.output()).setIsStatic(false)
                    .setAgeMs(e.ageNs() / 1_000_000)
                    .setState(e.expired() ? NeighborState.NEIGHBOR_STATE_EXPIRED : NeighborState.NEIGHBOR_STATE_REACHABLE)
                    .build());
        }
        return out;
    }

    private long neighbor(boolean ipv6, long hi, long lo) {
        NeighborTable s = router.tables().get().staticNeighbors();
        long mac = ipv6 ? s.lookup6(hi, lo) : s.lookup4((int) lo);
        if (mac == NeighborTable.MISSING) {
            mac = router.learned().find(ipv6, hi, lo);
        }
        return mac;
    }

    /** Compiles the groups and static neighbours into a new immutable table and swaps it in. */
    private void publish() {
        NeighborTable table = new NeighborTable(Math.max(8, statics.size()));
        for (Map.Entry<Prefixes.Key, Neighbor> e : statics.entrySet()) {
            Prefixes.Key k = e.getKey();
            long mac = NetBytes.parseMac(e.getValue().getMac());
            if (k.ipv6()) {
                table.put6(k.hi(), k.lo(), mac, e.getValue().getOutput());
            } else {
                table.put4((int) k.lo(), mac, e.getValue().getOutput());
            }
        }
        router.tables().publish(new RouterTables(Arrays.copyOf(groups, groupCount), table));
    }
}
