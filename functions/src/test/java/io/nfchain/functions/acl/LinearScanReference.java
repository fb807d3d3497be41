package io.nfchain.functions.acl;

/**
 * The ACL's meaning, written as plainly as possible: every rule in order, each field compared
 * the way the rule text reads. The classifier must agree with it on every packet. Shares no
 * code with the classifier but {@link AclKey}'s accessors.
 */
final class LinearScanReference {
    private LinearScanReference() {}

    /** The first terminal rule that matches, or -1; counts every count rule matched before it into hits. */
    static int classify(AclRuleSet set, AclKey key, long[] hits) {
        for (int i = 0; i < set.size(); i++) {
            AclRule rule = set.rule(i);
            if (matches(rule, key)) {
                if (rule.action() != AclAction.COUNT) {
                    return i;
                }
                if (hits != null) {
                    hits[i]++;
                }
            }
        }
        return -1;
    }

    static boolean matches(AclRule rule, AclKey key) {
        int version = key.version();
        if (version != 4 && version != 6) {
            return false;
        }
        if (rule.version() != 0 && rule.version() != version) {
            return false;
        }
        if (!inPrefix(rule.src(), key.value(AclKey.DIM_SRC_HI), key.value(AclKey.DIM_SRC_LO))
                || !inPrefix(rule.dst(), key.value(AclKey.DIM_DST_HI), key.value(AclKey.DIM_DST_LO))) {
            return false;
        }
        if (rule.protocol() != AclRuleSpec.ANY && rule.protocol() != key.protocol()) {
            return false;
        }
        if (!inPorts(rule.srcPorts(), key.srcPort()) || !inPorts(rule.dstPorts(), key.dstPort())) {
            return false;
        }
        if (rule.dscp() != AclRuleSpec.ANY && rule.dscp() != key.dscp()) {
            return false;
        }
        if (rule.tcpFlagsMask() != 0) {
            if (key.tcpFlags() == AclKey.NO_TCP_HEADER) {
                return false;
            }
            return (key.tcpFlags() & rule.tcpFlagsMask()) == rule.tcpFlagsValue();
        }
        return true;
    }

    private static boolean inPorts(AclRuleSpec.PortRange range, int port) {
        if (range == null) {
            return true;
        }
        return port != AclKey.NO_PORT && port >= range.first() && port <= range.last();
    }

    /** Masks compared per word: a different route from the classifier's ranges and trees. */
    private static boolean inPrefix(IpPrefix prefix, long hi, long lo) {
        if (prefix == null) {
            return true;
        }
        int n = prefix.length();
        if (prefix.version() == 4) {
            long mask = n == 0 ? 0 : (0xFFFF_FFFFL << (32 - n)) & 0xFFFF_FFFFL;
            return hi == 0 && (lo >>> 32) == 0 && ((lo ^ prefix.lo()) & mask) == 0;
        }
        long hiMask = n == 0 ? 0 : n >= 64 ? -1L : -1L << (64 - n);
        long loMask = n <= 64 ? 0 : n == 128 ? -1L : -1L << (128 - n);
        return ((hi ^ prefix.hi()) & hiMask) == 0 && ((lo ^ prefix.lo()) & loMask) == 0;
    }
}
