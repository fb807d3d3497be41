package io.nfchain.e2e.chainbench;

import io.nfchain.api.acl.v1.Action;
import io.nfchain.api.acl.v1.PortRange;
import io.nfchain.api.acl.v1.ReplaceRulesRequest;
import io.nfchain.api.acl.v1.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Immutable. The bench's ACL: {@code count} IPv4 5-tuple rules, default deny, in two renderings
 * that must decide every packet the same way: the nfchain ACL's gRPC request (first match wins)
 * and an nftables verdict map (one lookup on {@code saddr . daddr . l4proto . sport . dport}).
 *
 * <p>A verdict map has no order, so the generator makes rules that never overlap (no packet
 * matches two of them): then first-match and map lookup agree by construction, and
 * {@link #decide} is the one oracle for both. The mix is an edge router's: permits for the
 * served range 198.18.0.0/16 on UDP 80 in /20../24 blocks with a few port ranges, denies of
 * parts of 198.19.0.0/16 the traffic reaches, and a long tail of TCP/UDP rules on other sources
 * (management ports, blocklists, partner ranges) the traffic never meets but the classifier
 * must still hold.
 */
public final class ChainRules {
    /** One rule; prefixes as int address + length, port ranges inclusive. */
    public record AclRule(int src, int srcLength, int dst, int dstLength, int protocol, int srcPortFirst,
            int srcPortLast, int dstPortFirst, int dstPortLast, boolean permit) {

        boolean matches(int s, int d, int proto, int sport, int dport) {
            return inPrefix(s, src, srcLength) && inPrefix(d, dst, dstLength) && proto == protocol
                    && sport >= srcPortFirst && sport <= srcPortLast && dport >= dstPortFirst && dport <= dstPortLast;
        }

        boolean overlaps(AclRule o) {
            return protocol == o.protocol && prefixesOverlap(src, srcLength, o.src, o.srcLength)
                    && prefixesOverlap(dst, dstLength, o.dst, o.dstLength)
                    && srcPortFirst <= o.srcPortLast && o.srcPortFirst <= srcPortLast
                    && dstPortFirst <= o.dstPortLast && o.dstPortFirst <= dstPortLast;
        }
    }

    private final List<AclRule> rules;

    private ChainRules(List<AclRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** {@code count} rules (at least 64), the same ones for the same seed. */
    public static ChainRules generate(int count, long seed) {
        if (count < 64) {
            throw new IllegalArgumentException("count: at least 64 rules, not " + count);
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<AclRule> out = new ArrayList<>();
        int traffic = ip(10, 0, 0, 0);
        // Permits: 3 of every 4 /20s of 198.18.0.0/16 for UDP 80 (some as 80-88, some split in
        // /22s), so about 3/8 of the traffic (to 198.18.0.0/15) passes.
        for (int block = 0; block < 16; block++) {
            if (block % 4 == 3) {
                continue;
            }
            int base = ip(198, 18, block * 16, 0);
            if (block % 4 == 1) {
                for (int q = 0; q < 4; q++) {
                    out.add(new AclRule(traffic, 16, base + (q << 10), 22, 17, 0, 65535, 80, 80, true));
                }
            } else {
                out.add(new AclRule(traffic, 16, base, 20, 17, 0, 65535, 80, block % 4 == 2 ? 88 : 80, true));
            }
        }
        // Denies the traffic meets: parts of 198.19.0.0/16 (the default would drop them too; the
        // rules make the classifier decide, as a blocklist does).
        for (int i = 0; i < 32; i++) {
            out.add(new AclRule(traffic, 16, ip(198, 19, i * 8, 0), 21, 17, 1024, 65535, 80, 80, false));
        }
        // The long tail on other sources: TCP management ports, UDP services, partner ranges.
        int[][] services = {{6, 22, 22}, {6, 23, 23}, {6, 3389, 3389}, {6, 443, 443}, {6, 8000, 8099}, {17, 53, 53},
            {17, 123, 123}, {17, 161, 162}, {6, 1024, 65535}, {17, 500, 500}};
        while (out.size() < count) {
            int[] service = services[random.nextInt(services.length)];
            int srcLength = 16 + random.nextInt(13);
            int first = 11 + random.nextInt(180); // never 10.x (the traffic's sources)
            int src = mask(first << 24 | random.nextInt(1 << 24), srcLength);
            boolean anyDst = random.nextInt(3) == 0;
            int dstLength = anyDst ? 0 : 8 + random.nextInt(17);
            int dst = anyDst ? 0 : mask((1 + random.nextInt(223)) << 24 | random.nextInt(1 << 24), dstLength);
            boolean srcPorts = random.nextInt(5) == 0;
            int sportFirst = srcPorts ? 1024 * (1 + random.nextInt(32)) : 0;
            int sportLast = srcPorts ? sportFirst + 1023 : 65535;
            AclRule rule = new AclRule(src, srcLength, dst, dstLength, service[0], sportFirst, sportLast, service[1],
                    service[2], random.nextInt(4) == 0);
            if (out.stream().noneMatch(rule::overlaps)) {
                out.add(rule);
            }
        }
        return new ChainRules(out);
    }

    public List<AclRule> rules() {
        return rules;
    }

    /** True when the rules permit the packet (first match; default deny). */
    public boolean decide(int src, int dst, int protocol, int srcPort, int dstPort) {
        for (AclRule r : rules) {
            if (r.matches(src, dst, protocol, srcPort, dstPort)) {
                return r.permit();
            }
        }
        return false;
    }

    /** The nfchain ACL's request: the rules in order, default deny, stateless. */
    public ReplaceRulesRequest request() {
        ReplaceRulesRequest.Builder b = ReplaceRulesRequest.newBuilder().setDefaultAction(Action.DENY);
        for (AclRule r : rules) {
            Rule.Builder rule = Rule.newBuilder().setSrcPrefix(prefix(r.src, r.srcLength)).setProtocol(r.protocol)
                    .setAction(r.permit ? Action.PERMIT : Action.DENY);
            if (r.dstLength > 0) { // empty is any
                rule.setDstPrefix(prefix(r.dst, r.dstLength));
            }
            if (r.srcPortFirst != 0 || r.srcPortLast != 65535) {
                rule.setSrcPorts(PortRange.newBuilder().setFirst(r.srcPortFirst).setLast(r.srcPortLast));
            }
            rule.setDstPorts(PortRange.newBuilder().setFirst(r.dstPortFirst).setLast(r.dstPortLast));
            b.addRules(rule);
        }
        return b.build();
    }

    /**
     * An {@code nft -f} script: table {@code ip TABLE} with a forward chain (policy drop) that
     * makes one lookup in an interval verdict map holding every rule.
     */
    public String nftScript(String table) {
        StringBuilder s = new StringBuilder();
        s.append("table ip ").append(table).append(" {\n");
        s.append("  map acl {\n");
        s.append("    type ipv4_addr . ipv4_addr . inet_proto . inet_service . inet_service : verdict\n");
        s.append("    flags interval\n");
        s.append("    elements = {\n");
        for (int i = 0; i < rules.size(); i++) {
            AclRule r = rules.get(i);
            s.append(String.format(Locale.ROOT, "      %s . %s . %d . %s . %s : %s%s\n", prefix(r.src, r.srcLength),
                    prefix(r.dst, r.dstLength), r.protocol, ports(r.srcPortFirst, r.srcPortLast),
                    ports(r.dstPortFirst, r.dstPortLast), r.permit ? "accept" : "drop",
                    i + 1 < rules.size() ? "," : ""));
        }
        s.append("    }\n  }\n");
        s.append("  chain forward {\n");
        s.append("    type filter hook forward priority filter; policy drop;\n");
        s.append("    ip saddr . ip daddr . meta l4proto . th sport . th dport vmap @acl\n");
        s.append("  }\n}\n");
        return s.toString();
    }

    private static String ports(int first, int last) {
        return first == last ? Integer.toString(first) : first + "-" + last;
    }

    static int ip(int a, int b, int c, int d) {
        return a << 24 | b << 16 | c << 8 | d;
    }

    static int mask(int address, int length) {
        return length == 0 ? 0 : address & (-1 << (32 - length));
    }

    static boolean inPrefix(int address, int prefix, int length) {
        return mask(address, length) == prefix;
    }

    static boolean prefixesOverlap(int a, int aLength, int b, int bLength) {
        int shorter = Math.min(aLength, bLength);
        return mask(a, shorter) == mask(b, shorter);
    }

    static String prefix(int address, int length) {
        return (address >>> 24) + "." + (address >>> 16 & 255) + "." + (address >>> 8 & 255) + "." + (address & 255)
                + "/" + length;
    }
}
