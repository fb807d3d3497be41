package io.nfchain.functions.acl;

import io.nfchain.core.packet.IpAddresses;
import io.nfchain.functions.acl.AclRuleSpec.PortRange;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random rule sets and packets for property tests: prefixes nest and overlap (drawn around a
 * few shared networks), port ranges share edges, wildcards are common, IPv4, IPv6 and
 * version-less rules mix, and packets land inside rules, on their edges or anywhere.
 */
final class RandomAcl {
    private final SplittableRandom random;
    private final long[][] v4Networks;
    private final long[][] v6Networks;
    private final int[] portEdges;
    private final boolean narrow;

    RandomAcl(SplittableRandom random) {
        this(random, false);
    }

    /**
     * @param narrow rules rarely wildcard an address or the protocol and prefixes are mostly
     *               long, so in a large set rules far down the list still match packets
     */
    RandomAcl(SplittableRandom random, boolean narrow) {
        this.random = random;
        this.narrow = narrow;
        v4Networks = new long[12][];
        for (int i = 0; i < v4Networks.length; i++) {
            v4Networks[i] = new long[] {0, random.nextInt() & 0xFFFF_FFFFL};
        }
        v6Networks = new long[12][];
        for (int i = 0; i < v6Networks.length; i++) {
            v6Networks[i] = new long[] {0x2001_0db8_0000_0000L | random.nextInt(16) << 16, random.nextLong()};
        }
        portEdges = new int[16];
        for (int i = 0; i < portEdges.length; i++) {
            portEdges[i] = switch (i) {
                case 0 -> 0;
                case 1 -> 65_535;
                case 2 -> 1023;
                case 3 -> 1024;
                default -> random.nextInt(65_536);
            };
        }
    }

    /** {@code count} rule specs, each valid; {@code versions} is 4, 6 or 0 for a mix. */
    List<AclRuleSpec> rules(int count, int versions) {
        List<AclRuleSpec> rules = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            rules.add(rule(versions));
        }
        return rules;
    }

    AclRuleSpec rule(int versions) {
        int roll = random.nextInt(100);
        AclAction action = roll < 40 ? AclAction.PERMIT : roll < 75 ? AclAction.DENY : roll < 90 ? AclAction.COUNT : AclAction.SET_DSCP;
        AclRuleSpec.Builder b = AclRuleSpec.builder(action);
        if (action == AclAction.SET_DSCP) {
            b.setDscp(random.nextInt(64));
        }
        int version = versions != 0 ? versions : random.nextInt(narrow ? 200 : 10) < 1 ? 0 : random.nextBoolean() ? 4 : 6;
        if (version != 0) {
            boolean src = random.nextInt(narrow ? 20 : 4) != 0;
            boolean dst = random.nextInt(narrow ? 20 : 4) != 0;
            if (!src && !dst) {
                src = true;
            }
            b.src(src ? prefix(version) : null).dst(dst ? prefix(version) : null);
        }
        roll = random.nextInt(100);
        int protocol = roll < (narrow ? 5 : 30) ? AclRuleSpec.ANY : roll < 60 ? 6 : roll < 85 ? 17 : roll < 90 ? 1 : random.nextInt(256);
        b.protocol(protocol);
        if (protocol == 6 || protocol == 17) {
            PortRange src = ports(30);
            PortRange dst = ports(65);
            if (src != null) {
                b.srcPorts(src.first(), src.last());
            }
            if (dst != null) {
                b.dstPorts(dst.first(), dst.last());
            }
        }
        if (random.nextInt(5) == 0) {
            b.dscp(random.nextInt(4) * 8 + random.nextInt(2));
        }
        if (protocol == 6 && random.nextInt(8) == 0) {
            int mask = random.nextInt(1, 0x200);
            b.tcpFlags(random.nextInt(0x200) & mask, mask);
        }
        return b.build();
    }

    /** A prefix near one of the shared networks, so prefixes nest and overlap. */
    String prefix(int version) {
        if (version == 4) {
            long[] net = v4Networks[random.nextInt(v4Networks.length)];
            int length = lengthOf(32, new int[] {8, 16, 24, 32});
            long address = perturb(net[1], 32, length) & 0xFFFF_FFFFL;
            long mask = length == 0 ? 0 : (0xFFFF_FFFFL << (32 - length)) & 0xFFFF_FFFFL;
            return IpAddresses.ipv4ToString((int) (address & mask)) + "/" + length;
        }
        long[] net = v6Networks[random.nextInt(v6Networks.length)];
        int length = lengthOf(128, new int[] {32, 48, 64, 128});
        long hi = length > 64 ? net[0] : perturb(net[0], 64, length);
        long lo = length > 64 ? perturb(net[1], 64, length - 64) : net[1];
        long hiMask = length == 0 ? 0 : length >= 64 ? -1L : -1L << (64 - length);
        long loMask = length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
        return IpAddresses.ipv6ToString(hi & hiMask, lo & loMask) + "/" + length;
    }

    private int lengthOf(int max, int[] common) {
        int roll = random.nextInt(10);
        if (narrow) {
            return roll < 5 ? common[random.nextInt(common.length)] : random.nextInt(max / 2, max + 1);
        }
        return roll < 1 ? 0 : roll < 6 ? common[random.nextInt(common.length)] : random.nextInt(max + 1);
    }

    /** Flips a random bit among the first {@code length} of a {@code width}-bit word now and then, so siblings appear. */
    private long perturb(long word, int width, int length) {
        if (length > 0 && random.nextInt(3) == 0) {
            word ^= 1L << (width - 1 - random.nextInt(length));
        }
        return word;
    }

    private PortRange ports(int anyPercent) {
        if (random.nextInt(100) < anyPercent) {
            return null;
        }
        int a = edge();
        if (random.nextBoolean()) {
            return PortRange.of(a);
        }
        int b = edge();
        return new PortRange(Math.min(a, b), Math.max(a, b));
    }

    private int edge() {
        int port = portEdges[random.nextInt(portEdges.length)] + random.nextInt(3) - 1;
        return Math.clamp(port, 0, 65_535);
    }

    /** Fills {@code key} with a packet: inside a rule, on an edge of one, or anywhere. */
    void packet(AclRuleSet set, AclKey key) {
        int roll = random.nextInt(100);
        if (roll < 2) {
            key.set(0, 0, 0, 0, 0, 0, AclKey.NO_PORT, AclKey.NO_PORT, 0, AclKey.NO_TCP_HEADER);
            return;
        }
        AclRule rule = set.size() > 0 && roll < 60 ? set.rule(random.nextInt(set.size())) : null;
        int version = rule != null && rule.version() != 0 ? rule.version() : random.nextBoolean() ? 4 : 6;
        long[] src = address(version, rule == null ? null : rule.src());
        long[] dst = address(version, rule == null ? null : rule.dst());
        int protocol = rule != null && rule.protocol() != AclRuleSpec.ANY && random.nextInt(10) != 0 ? rule.protocol()
                : new int[] {6, 17, 1, 58, random.nextInt(256)}[random.nextInt(5)];
        boolean laterFragment = random.nextInt(25) == 0;
        boolean ports = (protocol == 6 || protocol == 17) && !laterFragment;
        int srcPort = ports ? port(rule == null ? null : rule.srcPorts()) : AclKey.NO_PORT;
        int dstPort = ports ? port(rule == null ? null : rule.dstPorts()) : AclKey.NO_PORT;
        if (ports && random.nextInt(20) == 0) {
            // AclKey takes each port on its own; IPv4 leaves keep a "no port" bit per port.
            if (random.nextBoolean()) {
                srcPort = AclKey.NO_PORT;
            } else {
                dstPort = AclKey.NO_PORT;
            }
        }
        int dscp = rule != null && rule.dscp() != AclRuleSpec.ANY && random.nextInt(4) != 0 ? rule.dscp() : random.nextInt(64);
        int flags = AclKey.NO_TCP_HEADER;
        if (protocol == 6 && !laterFragment) {
            flags = random.nextInt(0x200);
            if (rule != null && rule.tcpFlagsMask() != 0 && random.nextBoolean()) {
                flags = (flags & ~rule.tcpFlagsMask()) | rule.tcpFlagsValue();
            }
        }
        key.set(version, src[0], src[1], dst[0], dst[1], protocol, srcPort, dstPort, dscp, flags);
    }

    private long[] address(int version, IpPrefix prefix) {
        boolean inside = prefix != null && random.nextInt(8) != 0;
        long[] base = inside ? new long[] {prefix.hi(), prefix.lo()}
                : version == 4 ? v4Networks[random.nextInt(v4Networks.length)] : v6Networks[random.nextInt(v6Networks.length)];
        int keep = inside ? prefix.length() : random.nextInt(version == 4 ? 33 : 129);
        if (version == 4) {
            long free = keep >= 32 ? 0 : (1L << (32 - keep)) - 1;
            long host = random.nextBoolean() ? random.nextLong() : random.nextBoolean() ? 0 : -1L; // edges of the prefix
            return new long[] {0, ((base[1] & ~free) | (host & free)) & 0xFFFF_FFFFL};
        }
        long hiFree = keep >= 64 ? 0 : keep == 0 ? -1L : -1L >>> keep;
        long loFree = keep >= 128 ? 0 : keep <= 64 ? -1L : -1L >>> (keep - 64);
        long host = random.nextBoolean() ? random.nextLong() : random.nextBoolean() ? 0 : -1L;
        long host2 = random.nextBoolean() ? random.nextLong() : host;
        return new long[] {(base[0] & ~hiFree) | (host & hiFree), (base[1] & ~loFree) | (host2 & loFree)};
    }

    private int port(PortRange range) {
        int roll = random.nextInt(10);
        if (range != null && roll < 6) {
            return switch (random.nextInt(3)) {
                case 0 -> range.first();
                case 1 -> range.last();
                default -> random.nextInt(range.first(), range.last() + 1);
            };
        }
        if (range != null && roll < 8) {
            return Math.clamp((random.nextBoolean() ? range.first() - 1 : range.last() + 1), 0, 65_535);
        }
        return roll < 9 ? edge() : random.nextInt(65_536);
    }
}
