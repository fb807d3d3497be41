package io.nfchain.bench;

import io.nfchain.core.packet.IpAddresses;
import io.nfchain.functions.acl.AclAction;
import io.nfchain.functions.acl.AclKey;
import io.nfchain.functions.acl.AclRule;
import io.nfchain.functions.acl.AclRuleSet;
import io.nfchain.functions.acl.AclRuleSpec;
import io.nfchain.functions.acl.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random ACLs shaped like real ones (ClassBench's ACL seeds): hosts and /24s inside a number of
 * sites that grows with the rule count, some /16s and wildcards, mostly TCP to well-known ports,
 * some port ranges, one rule in ten IPv6; and traffic for them: packets in flows that rules
 * were written for (70%), the rest between random hosts of the sites. Deterministic per seed.
 * Not thread-safe. Public for the load half ({@code io.nfchain.bench.acl.AclFrames}), which sends
 * the same rules' traffic as frames through the function.
 */
public final class AclWorkload {
    private static final int[] SERVICES = {22, 25, 53, 80, 110, 123, 143, 161, 389, 443, 445, 993, 1433, 1521, 3306,
        3389, 5432, 8080, 8443};

    private final SplittableRandom random;
    private final int[] v4Sites;
    private final long[] v6Sites;

    public AclWorkload(long seed, int ruleCount) {
        random = new SplittableRandom(seed);
        v4Sites = new int[Math.max(4, ruleCount / 16)];
        v6Sites = new long[v4Sites.length];
        for (int i = 0; i < v4Sites.length; i++) {
            v4Sites[i] = (10 << 24) | (random.nextInt(1 << 16) << 8);
            v6Sites[i] = 0x2001_0db8_0000_0000L | (long) random.nextInt(1 << 16) << 16 | random.nextInt(1 << 16);
        }
    }

    public AclRuleSet rules(int count) {
        List<AclRuleSpec> rules = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int roll = random.nextInt(100);
            AclAction action = roll < 60 ? AclAction.PERMIT : roll < 97 ? AclAction.DENY : AclAction.SET_DSCP;
            AclRuleSpec.Builder b = AclRuleSpec.builder(action);
            if (action == AclAction.SET_DSCP) {
                b.setDscp(46);
            }
            boolean v6 = random.nextInt(10) == 0;
            String src = prefix(v6, 50, 20, 10);
            // Real ACLs scope every rule to some hosts: a source wildcard comes with a destination.
            String dst = src == null ? prefix(v6, 65, 25, 10) : prefix(v6, 60, 20, 10);
            b.src(src).dst(dst);
            roll = random.nextInt(100);
            int protocol = roll < 70 ? 6 : roll < 90 ? 17 : roll < 95 ? (v6 ? 58 : 1) : AclRuleSpec.ANY;
            b.protocol(protocol);
            if (protocol == 6 || protocol == 17) {
                roll = random.nextInt(100);
                if (roll < 55) {
                    int port = SERVICES[random.nextInt(SERVICES.length)];
                    b.dstPorts(port, port);
                } else if (roll < 70) {
                    b.dstPorts(1024, 65_535);
                } else if (roll < 80) {
                    int first = random.nextInt(1024, 60_000) & ~63;
                    b.dstPorts(first, first + 63);
                }
                if (random.nextInt(10) == 0) {
                    b.srcPorts(1024, 65_535);
                }
            }
            rules.add(b.build());
        }
        return AclRuleSet.validate(rules, AclAction.DENY);
    }

    /** A host (hostPercent), a /24 or /64, a /16 or /48, or any. */
    private String prefix(boolean v6, int hostPercent, int netPercent, int widePercent) {
        int roll = random.nextInt(100);
        int site = random.nextInt(v4Sites.length);
        if (roll >= hostPercent + netPercent + widePercent) {
            return null;
        }
        if (v6) {
            long hi = v6Sites[site];
            if (roll < hostPercent) {
                return IpAddresses.ipv6ToString(hi, random.nextInt(1, 256)) + "/128";
            }
            return roll < hostPercent + netPercent ? IpAddresses.ipv6ToString(hi, 0) + "/64"
                    : IpAddresses.ipv6ToString(hi & ~0xFFFFL, 0) + "/48";
        }
        int net = v4Sites[site];
        if (roll < hostPercent) {
            return IpAddresses.ipv4ToString(net | random.nextInt(256)) + "/32";
        }
        return roll < hostPercent + netPercent ? IpAddresses.ipv4ToString(net) + "/24"
                : IpAddresses.ipv4ToString(net & 0xFFFF_0000) + "/16";
    }

    /** Packets as columns, so a benchmark fills an {@link AclKey} from primitives only. */
    public static final class Packets {
        public final int[] version;
        public final long[] srcHi;
        public final long[] srcLo;
        public final long[] dstHi;
        public final long[] dstLo;
        public final int[] protocol;
        public final int[] srcPort;
        public final int[] dstPort;
        public final int[] tcpFlags;

        public Packets(int n) {
            version = new int[n];
            srcHi = new long[n];
            srcLo = new long[n];
            dstHi = new long[n];
            dstLo = new long[n];
            protocol = new int[n];
            srcPort = new int[n];
            dstPort = new int[n];
            tcpFlags = new int[n];
        }

        public int size() {
            return version.length;
        }

        public AclKey load(int i, AclKey key) {
            return key.set(version[i], srcHi[i], srcLo[i], dstHi[i], dstLo[i], protocol[i], srcPort[i], dstPort[i], 0, tcpFlags[i]);
        }
    }

    public Packets traffic(AclRuleSet set, int n) {
        Packets p = new Packets(n);
        for (int i = 0; i < n; i++) {
            AclRule rule = set.rule(random.nextInt(set.size()));
            boolean hit = random.nextInt(10) < 7;
            boolean v6 = rule.version() == 6 || (rule.version() == 0 && random.nextInt(10) == 0);
            int site = random.nextInt(v4Sites.length);
            p.version[i] = v6 ? 6 : 4;
            if (v6) {
                p.srcHi[i] = hit && rule.src() != null ? rule.src().hi() : v6Sites[site];
                p.srcLo[i] = address6(hit ? rule.src() : null);
                p.dstHi[i] = hit && rule.dst() != null ? rule.dst().hi() : v6Sites[random.nextInt(v6Sites.length)];
                p.dstLo[i] = address6(hit ? rule.dst() : null);
            } else {
                p.srcLo[i] = address4(hit ? rule.src() : null);
                p.dstLo[i] = address4(hit ? rule.dst() : null);
            }
            int protocol = hit && rule.protocol() != AclRuleSpec.ANY ? rule.protocol() : random.nextInt(10) < 8 ? 6 : 17;
            p.protocol[i] = protocol;
            boolean ports = protocol == 6 || protocol == 17;
            p.srcPort[i] = ports ? random.nextInt(1024, 65_536) : AclKey.NO_PORT;
            p.dstPort[i] = !ports ? AclKey.NO_PORT : hit && rule.dstPorts() != null
                    ? random.nextInt(rule.dstPorts().first(), rule.dstPorts().last() + 1) : SERVICES[random.nextInt(SERVICES.length)];
            p.tcpFlags[i] = protocol == 6 ? 0x10 : AclKey.NO_TCP_HEADER;
        }
        return p;
    }

    private long address4(IpPrefix prefix) {
        if (prefix == null || prefix.version() != 4) {
            return (v4Sites[random.nextInt(v4Sites.length)] | random.nextInt(256)) & 0xFFFF_FFFFL;
        }
        long free = (1L << (32 - prefix.length())) - 1;
        return (prefix.lo() | (random.nextLong() & free)) & 0xFFFF_FFFFL;
    }

    private long address6(IpPrefix prefix) {
        if (prefix == null || prefix.length() <= 64) {
            return random.nextInt(1, 256);
        }
        return prefix.lo();
    }
}
