package io.nfchain.agent.datapath;

import io.nfchain.agent.spec.ChainSpec;
import io.nfchain.agent.spec.MatchSpec;
import io.nfchain.agent.spec.Prefix;
import io.nfchain.core.packet.FlowKey;
import io.nfchain.core.packet.Layer;
import io.nfchain.core.packet.ParsedPacket;

/**
 * Immutable. A chain's classifier compiled to fields compared per packet: outer VLAN, outer
 * 5-tuple (source and destination prefix, protocol, port ranges). No allocation.
 */
final class ChainMatcher {
    private final int vlan;
    private final int version;
    private final long srcHi, srcLo, srcMaskHi, srcMaskLo;
    private final long dstHi, dstLo, dstMaskHi, dstMaskLo;
    private final boolean anySource, anyDestination;
    private final int protocol;
    private final int srcPortFirst, srcPortLast, dstPortFirst, dstPortLast;
    private final boolean usesPorts;
    private final boolean needsParse;

    ChainMatcher(ChainSpec.Classifier classifier) {
        MatchSpec m = classifier.match();
        vlan = classifier.vlan();
        Prefix s = m.source();
        Prefix d = m.destination();
        version = s != null ? s.version() : d != null ? d.version() : 0;
        anySource = s == null;
        anyDestination = d == null;
        srcHi = s == null ? 0 : s.hi();
        srcLo = s == null ? 0 : s.lo();
        srcMaskHi = s == null ? 0 : s.maskHi();
        srcMaskLo = s == null ? 0 : s.maskLo();
        dstHi = d == null ? 0 : d.hi();
        dstLo = d == null ? 0 : d.lo();
        dstMaskHi = d == null ? 0 : d.maskHi();
        dstMaskLo = d == null ? 0 : d.maskLo();
        protocol = m.protocol();
        srcPortFirst = m.sourcePorts().first();
        srcPortLast = m.sourcePorts().last();
        dstPortFirst = m.destinationPorts().first();
        dstPortLast = m.destinationPorts().last();
        usesPorts = m.usesPorts();
        needsParse = vlan != ChainSpec.Classifier.ANY_VLAN || version != 0 || protocol != MatchSpec.ANY_PROTOCOL
                || usesPorts;
    }

    /** Whether every packet matches, so the ingress need not parse for this chain. */
    boolean matchesAll() {
        return !needsParse;
    }

    boolean matches(ParsedPacket p) {
        if (!needsParse) {
            return true;
        }
        if (vlan != ChainSpec.Classifier.ANY_VLAN) {
            int tagged = p.vlanCount() == 0 ? 0 : p.vlanId(0);
            if (tagged != vlan || (vlan == 0 && p.vlanCount() != 0)) {
                return false;
            }
        }
        if (version == 0 && protocol == MatchSpec.ANY_PROTOCOL && !usesPorts) {
            return true;
        }
        if (!p.has(Layer.IPV4) && !p.has(Layer.IPV6)) {
            return false;
        }
        FlowKey k = p.outer().key();
        if (version != 0 && k.ipVersion() != version) {
            return false;
        }
        if (!anySource && ((k.srcHi() & srcMaskHi) != srcHi || (k.srcLo() & srcMaskLo) != srcLo)) {
            return false;
        }
        if (!anyDestination && ((k.dstHi() & dstMaskHi) != dstHi || (k.dstLo() & dstMaskLo) != dstLo)) {
            return false;
        }
        if (protocol != MatchSpec.ANY_PROTOCOL && k.protocol() != protocol) {
            return false;
        }
        if (usesPorts) {
            if (!p.has(Layer.UDP) && !p.has(Layer.TCP)) {
                return false;
            }
            int sp = k.srcPort();
            int dp = k.dstPort();
            return sp >= srcPortFirst && sp <= srcPortLast && dp >= dstPortFirst && dp <= dstPortLast;
        }
        return true;
    }
}
