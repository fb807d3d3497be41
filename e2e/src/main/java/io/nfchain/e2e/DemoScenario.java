package io.nfchain.e2e;

import io.nfchain.api.acl.v1.Action;
import io.nfchain.api.acl.v1.PortRange;
import io.nfchain.api.acl.v1.ReplaceRulesRequest;
import io.nfchain.api.acl.v1.Rule;
import io.nfchain.api.router.v1.AddRoutesRequest;
import io.nfchain.api.router.v1.Neighbor;
import io.nfchain.api.router.v1.NextHop;
import io.nfchain.api.router.v1.Route;
import io.nfchain.api.router.v1.SetNeighborsRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Immutable. The demo's node: a traffic source into an {@code acl -> router} chain into a sink,
 * with rules and routes an edge router might carry. Traffic goes from 10.0.0.0/16 to the
 * benchmarking range 198.18.0.0/15 (RFC 2544), UDP port 80:
 * <ul>
 *   <li>acl (stateless, default deny): permits UDP 80/443 and DNS to 198.18.0.0/16, with a
 *       blocklist of a few /24s in front, marks 198.18.128.0/17 with DSCP AF41; 198.19.0.0/16
 *       meets the default deny, so about half the traffic is dropped here, by reason;
 *   <li>router (one interface, one-armed): {@code routes} prefixes in all, of which
 *       198.18.0.0/16 is split into /20s over two ECMP next hops whose MACs are static
 *       neighbours; 198.18.240.0/20 has no route, so those packets turn into ICMP unreachables
 *       (rate-limited) sent back out.
 * </ul>
 */
public record DemoScenario(long ratePps, int flows, int routes, List<Integer> frameBytes) {
    static final String ROUTER_MAC = "02:00:00:00:01:01";
    static final String ROUTER_IPV4 = "192.0.2.1";
    static final String NEXT_HOP_A = "192.0.2.10";
    static final String NEXT_HOP_B = "192.0.2.11";
    /** Routes per AddRoutes call: well under gRPC's default 4 MiB message limit. */
    static final int ROUTES_PER_REQUEST = 5_000;

    /** The node file: gen0 -> acl -> router -> out. */
    public String nodeYaml() {
        StringBuilder frames = new StringBuilder();
        for (int b : frameBytes) {
            frames.append(frames.isEmpty() ? "" : ", ").append(b);
        }
        return """
                ports:
                  - {name: gen0, type: gen, ratePps: %d, flows: %d, frameBytes: [%s],
                     source: 10.0.0.0/16, destination: 198.18.0.0/15, protocol: udp, destinationPort: 80}
                  - {name: out, type: sink}
                functions:
                  - {name: acl, type: acl, failurePolicy: fail-closed, grpc: "${grpc:acl}"}
                  - {name: router, type: router, failurePolicy: fail-closed, grpc: "${grpc:router}"}
                chains:
                  - name: edge
                    classifier: {ingressPort: gen0}
                    hops: [{function: acl}, {function: router}]
                    egressPort: out
                """.formatted(ratePps, flows, frames);
    }

    /** Runner configuration of each NF. */
    public List<LocalNode.Nf> functions() {
        return List.of(
                new LocalNode.Nf("acl", "acl", Map.of("nfchain.acl.default-action", "deny")),
                new LocalNode.Nf("router", "router", Map.of(
                        "nfchain.router.interfaces[0].name", "edge",
                        "nfchain.router.interfaces[0].mac", ROUTER_MAC,
                        "nfchain.router.interfaces[0].ipv4", ROUTER_IPV4)));
    }

    /** The ACL: a blocklist, then what the edge serves, then marking; default deny. */
    public ReplaceRulesRequest aclRules() {
        ReplaceRulesRequest.Builder r = ReplaceRulesRequest.newBuilder().setDefaultAction(Action.DENY);
        for (int i = 0; i < 8; i++) {
            r.addRules(Rule.newBuilder().setDstPrefix("198.18." + (16 * i + 7) + ".0/24").setAction(Action.DENY));
        }
        r.addRules(Rule.newBuilder().setDstPrefix("198.18.128.0/17").setProtocol(17)
                .setDstPorts(PortRange.newBuilder().setFirst(80).setLast(80)).setAction(Action.SET_DSCP).setSetDscp(34));
        for (int port : new int[] {53, 80, 443}) {
            r.addRules(Rule.newBuilder().setDstPrefix("198.18.0.0/16").setProtocol(17)
                    .setDstPorts(PortRange.newBuilder().setFirst(port).setLast(port)).setAction(Action.PERMIT));
        }
        // The rest of a realistic table: many specific denies the traffic never meets.
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            r.addRules(Rule.newBuilder().setSrcPrefix("172." + (16 + random.nextInt(16)) + "." + random.nextInt(256)
                    + ".0/24").setProtocol(6).setDstPorts(PortRange.newBuilder().setFirst(22).setLast(22))
                    .setAction(Action.DENY));
        }
        return r.build();
    }

    /** The next hops' MACs: static, so the router needs no ARP here. */
    public SetNeighborsRequest neighbors() {
        return SetNeighborsRequest.newBuilder()
                .addNeighbors(Neighbor.newBuilder().setAddress(NEXT_HOP_A).setMac("02:00:00:00:0a:0a").setOutput(0))
                .addNeighbors(Neighbor.newBuilder().setAddress(NEXT_HOP_B).setMac("02:00:00:00:0b:0b").setOutput(0))
                .build();
    }

    /** Route batches (the gRPC message limit): the demo's /20s, a route back to the sources, and filler. */
    public List<AddRoutesRequest> routeBatches() {
        List<Route> all = new ArrayList<>();
        for (int i = 0; i < 15; i++) { // 198.18.240.0/20 left out: no route
            all.add(Route.newBuilder().setPrefix("198.18." + (16 * i) + ".0/20")
                    .addNextHops(NextHop.newBuilder().setVia(NEXT_HOP_A).setOutput(0).setWeight(1))
                    .addNextHops(NextHop.newBuilder().setVia(NEXT_HOP_B).setOutput(0).setWeight(1)).build());
        }
        all.add(Route.newBuilder().setPrefix("10.0.0.0/16")
                .addNextHops(NextHop.newBuilder().setVia(NEXT_HOP_A).setOutput(0).setWeight(1)).build());
        SplittableRandom random = new SplittableRandom(11);
        while (all.size() < routes) {
            int first = 1 + random.nextInt(223);
            if (first == 10 || first == 127 || first == 198) {
                continue;
            }
            int length = 16 + random.nextInt(9);
            int address = first << 24 | random.nextInt(1 << 24);
            address &= length == 0 ? 0 : -1 << (32 - length);
            all.add(Route.newBuilder().setPrefix((address >>> 24) + "." + (address >>> 16 & 255) + "."
                    + (address >>> 8 & 255) + "." + (address & 255) + "/" + length)
                    .addNextHops(NextHop.newBuilder().setVia(random.nextBoolean() ? NEXT_HOP_A : NEXT_HOP_B)
                            .setOutput(0).setWeight(1)).build());
        }
        List<AddRoutesRequest> batches = new ArrayList<>();
        for (int i = 0; i < all.size(); i += ROUTES_PER_REQUEST) {
            batches.add(AddRoutesRequest.newBuilder().addAllRoutes(all.subList(i, Math.min(all.size(), i + ROUTES_PER_REQUEST)))
                    .build());
        }
        return batches;
    }
}
