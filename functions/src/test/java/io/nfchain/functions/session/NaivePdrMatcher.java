package io.nfchain.functions.session;

import io.nfchain.functions.acl.IpPrefix;
import io.nfchain.functions.session.SessionModel.PdrRule;
import io.nfchain.functions.session.SessionModel.SdfRule;
import java.math.BigInteger;

/** Stateless. The PDR rules read straight from the model, one comparison per field: the reference the compiled matcher is checked against. */
final class NaivePdrMatcher {
    private NaivePdrMatcher() {}

    /** The id of the matching PDR with the lowest (precedence, id), or -1. Addresses as 128-bit numbers. */
    static int match(SessionModel m, int sourceInterface, long teid, int qfi, int ipVersion, BigInteger remote,
            BigInteger ue, int protocol, int remotePort, int uePort) {
        PdrRule best = null;
        for (PdrRule p : m.pdrs()) {
            if (p.sourceInterface() != sourceInterface) {
                continue;
            }
            if (p.localTeid() != 0 && teid >= 0 && Integer.toUnsignedLong(p.localTeid()) != teid) {
                continue;
            }
            if (p.qfi() >= 0 && qfi >= 0 && p.qfi() != qfi) {
                continue;
            }
            if (p.ueIpv4() != null || p.hasUeIpv6()) {
                boolean v4 = ipVersion == 4 && p.ueIpv4() != null
                        && ue.equals(BigInteger.valueOf(Integer.toUnsignedLong(m.ueIpv4())));
                boolean v6 = ipVersion == 6 && p.hasUeIpv6()
                        && ue.shiftRight(64).equals(new BigInteger(Long.toUnsignedString(m.ueIpv6())));
                if (!v4 && !v6) {
                    continue;
                }
            }
            boolean sdf = p.sdfFilters().isEmpty();
            for (SdfRule f : p.sdfFilters()) {
                sdf |= sdfMatches(f, ipVersion, remote, protocol, remotePort, uePort);
            }
            if (sdf && (best == null || p.precedence() < best.precedence()
                    || p.precedence() == best.precedence() && p.id() < best.id())) {
                best = p;
            }
        }
        return best == null ? -1 : best.id();
    }

    private static boolean sdfMatches(SdfRule f, int ipVersion, BigInteger remote, int protocol, int remotePort, int uePort) {
        if (f.protocol() >= 0 && f.protocol() != protocol) {
            return false;
        }
        if (f.remote() != null && !inPrefix(f.remote(), ipVersion, remote)) {
            return false;
        }
        return remotePort >= f.remotePortFirst() && remotePort <= f.remotePortLast() && uePort >= f.uePortFirst()
                && uePort <= f.uePortLast();
    }

    private static boolean inPrefix(IpPrefix p, int ipVersion, BigInteger address) {
        if (p.version() != ipVersion) {
            return false;
        }
        int bits = ipVersion == 4 ? 32 : 128;
        BigInteger net = ipVersion == 4 ? BigInteger.valueOf(p.lo())
                : new BigInteger(Long.toUnsignedString(p.hi())).shiftLeft(64).or(new BigInteger(Long.toUnsignedString(p.lo())));
        int host = bits - p.length();
        return address.shiftRight(host).equals(net.shiftRight(host));
    }
}
