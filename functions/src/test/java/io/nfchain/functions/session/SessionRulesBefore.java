package io.nfchain.functions.session;

import io.nfchain.api.session.v1.ExhaustionAction;
import io.nfchain.api.session.v1.Far;
import io.nfchain.api.session.v1.GateStatus;
import io.nfchain.api.session.v1.OuterHeaderCreation;
import io.nfchain.api.session.v1.Pdi;
import io.nfchain.api.session.v1.Pdr;
import io.nfchain.api.session.v1.PortRange;
import io.nfchain.api.session.v1.Qer;
import io.nfchain.api.session.v1.ReportingTrigger;
import io.nfchain.api.session.v1.SdfFilter;
import io.nfchain.api.session.v1.Session;
import io.nfchain.api.session.v1.Urr;
import io.nfchain.core.packet.IpAddresses;
import io.nfchain.functions.acl.IpPrefix;
import io.nfchain.functions.rules.InvalidRuleException;
import io.nfchain.functions.session.SessionModel.FarRule;
import io.nfchain.functions.session.SessionModel.OuterHeader;
import io.nfchain.functions.session.SessionModel.PdrRule;
import io.nfchain.functions.session.SessionModel.QerRule;
import io.nfchain.functions.session.SessionModel.SdfRule;
import io.nfchain.functions.session.SessionModel.UrrRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stateless. The validator as it was before installs were made faster (commit 6d133fd), kept as
 * the oracle {@link SessionRulesEquivalenceTest} holds {@link SessionRules} to: same model, same
 * error, for every session. Not used outside tests.
 */
final class SessionRulesBefore {
    static final int MAX_PDRS = 32;
    static final int MAX_FARS = 32;
    static final int MAX_QERS = 16;
    static final int MAX_URRS = 16;
    static final int MAX_SDF_FILTERS = 16;
    static final int MAX_RULE_REFS = 8;
    static final int GTPU_PORT = 2152;

    private SessionRulesBefore() {}

    /**
     * @param session the rules as received
     * @param path    where the session sits in the request, e.g. {@code changes[2].create}
     */
    public static SessionModel validate(Session session, String path) {
        if (session.getSeid() == 0) {
            throw new InvalidRuleException(path + ".seid", "must be nonzero");
        }
        List<FarRule> fars = fars(session, path);
        List<QerRule> qers = qers(session, path);
        List<UrrRule> urrs = urrs(session, path);
        Map<Long, Integer> farIndex = indexes(fars.stream().map(FarRule::id).toList());
        Map<Long, Integer> qerIndex = indexes(qers.stream().map(QerRule::id).toList());
        Map<Long, Integer> urrIndex = indexes(urrs.stream().map(UrrRule::id).toList());
        int count = session.getPdrsCount();
        if (count == 0 || count > MAX_PDRS) {
            throw new InvalidRuleException(path + ".pdrs", "a session needs 1.." + MAX_PDRS + " PDRs, not " + count);
        }
        List<PdrRule> pdrs = new ArrayList<>(count);
        Map<Integer, Integer> seen = new HashMap<>();
        Integer ueV4 = null;
        Long ueV6 = null;
        for (int i = 0; i < count; i++) {
            String at = path + ".pdrs[" + i + "]";
            PdrRule pdr = pdr(session.getPdrs(i), at, farIndex, qerIndex, urrIndex);
            Integer before = seen.put(pdr.id(), i);
            if (before != null) {
                throw new InvalidRuleException(at + ".id", "PDR " + pdr.id() + " is also pdrs[" + before + "]");
            }
            if (pdr.ueIpv4() != null) {
                if (ueV4 != null && !ueV4.equals(pdr.ueIpv4())) {
                    throw new InvalidRuleException(at + ".pdi.ue_ipv4", "a session has one UE IPv4 address; an earlier PDR named "
                            + ipv4(ueV4));
                }
                ueV4 = pdr.ueIpv4();
            }
            if (pdr.hasUeIpv6()) {
                if (ueV6 != null && ueV6 != pdr.ueIpv6()) {
                    throw new InvalidRuleException(at + ".pdi.ue_ipv6", "a session has one UE IPv6 /64; an earlier PDR named another");
                }
                ueV6 = pdr.ueIpv6();
            }
            pdrs.add(pdr);
        }
        return new SessionModel(session.getSeid(), ueV4, ueV6 != null, ueV6 == null ? 0 : ueV6, List.copyOf(pdrs), fars,
                qers, urrs);
    }

    private static String ipv4(int address) {
        return IpAddresses.ipv4ToString(address);
    }

    private static Map<Long, Integer> indexes(List<Long> ids) {
        Map<Long, Integer> index = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            index.put(ids.get(i), i);
        }
        return index;
    }

    private static PdrRule pdr(Pdr pdr, String at, Map<Long, Integer> farIndex, Map<Long, Integer> qerIndex,
            Map<Long, Integer> urrIndex) {
        if (pdr.getId() < 1 || pdr.getId() > 65535) {
            throw new InvalidRuleException(at + ".id", "must be 1..65535, not " + Integer.toUnsignedString(pdr.getId()));
        }
        if (!pdr.hasPdi()) {
            throw new InvalidRuleException(at + ".pdi", "required");
        }
        Pdi pdi = pdr.getPdi();
        int source = switch (pdi.getSourceInterface()) {
            case ACCESS -> SessionModel.ACCESS;
            case CORE -> SessionModel.CORE;
            default -> throw new InvalidRuleException(at + ".pdi.source_interface", "must be ACCESS or CORE");
        };
        if (pdi.getLocalTeid() != 0 && source != SessionModel.ACCESS) {
            throw new InvalidRuleException(at + ".pdi.local_teid", "only ACCESS PDRs match on a TEID");
        }
        Integer ueV4 = pdi.getUeIpv4().isEmpty() ? null : ueIpv4(pdi.getUeIpv4(), at + ".pdi.ue_ipv4");
        long ueV6 = pdi.getUeIpv6().isEmpty() ? 0 : ueIpv6(pdi.getUeIpv6(), at + ".pdi.ue_ipv6");
        int sdfCount = pdi.getSdfFiltersCount();
        if (sdfCount > MAX_SDF_FILTERS) {
            throw new InvalidRuleException(at + ".pdi.sdf_filters", "at most " + MAX_SDF_FILTERS + ", not " + sdfCount);
        }
        List<SdfRule> sdf = new ArrayList<>(sdfCount);
        for (int k = 0; k < sdfCount; k++) {
            sdf.add(sdf(pdi.getSdfFilters(k), at + ".pdi.sdf_filters[" + k + "]"));
        }
        int qfi = -1;
        if (pdi.hasQfi()) {
            qfi = qfi(pdi.getQfi(), at + ".pdi.qfi");
        }
        Integer far = farIndex.get(Integer.toUnsignedLong(pdr.getFarId()));
        if (far == null) {
            throw new InvalidRuleException(at + ".far_id", "no FAR " + Integer.toUnsignedString(pdr.getFarId()) + " in the session");
        }
        List<Integer> qers = refs(pdr.getQerIdsList(), qerIndex, at + ".qer_ids", "QER");
        List<Integer> urrs = refs(pdr.getUrrIdsList(), urrIndex, at + ".urr_ids", "URR");
        return new PdrRule(pdr.getId(), Integer.toUnsignedLong(pdr.getPrecedence()), source, pdi.getLocalTeid(), ueV4,
                !pdi.getUeIpv6().isEmpty(), ueV6, List.copyOf(sdf), qfi, pdr.getRemoveOuterHeader(), far, qers, urrs);
    }

    private static List<Integer> refs(List<Integer> ids, Map<Long, Integer> index, String at, String what) {
        if (ids.size() > MAX_RULE_REFS) {
            throw new InvalidRuleException(at, "at most " + MAX_RULE_REFS + " " + what + "s per PDR, not " + ids.size());
        }
        List<Integer> out = new ArrayList<>(ids.size());
        for (int k = 0; k < ids.size(); k++) {
            Integer i = index.get(Integer.toUnsignedLong(ids.get(k)));
            if (i == null) {
                throw new InvalidRuleException(at + "[" + k + "]", "no " + what + " " + Integer.toUnsignedString(ids.get(k))
                        + " in the session");
            }
            if (out.contains(i)) {
                throw new InvalidRuleException(at + "[" + k + "]", what + " " + Integer.toUnsignedString(ids.get(k)) + " listed twice");
            }
            out.add(i);
        }
        return List.copyOf(out);
    }

    private static int ueIpv4(String text, String at) {
        IpPrefix p = prefix(text, at);
        if (p.version() != 4 || p.length() != 32) {
            throw new InvalidRuleException(at, "'" + text + "' is not an IPv4 address");
        }
        return p.ipv4();
    }

    private static long ueIpv6(String text, String at) {
        IpPrefix p = prefix(text, at);
        if (p.version() != 6 || (p.length() != 64 && p.length() != 128)) {
            throw new InvalidRuleException(at, "'" + text + "' is not an IPv6 address or /64 prefix");
        }
        return p.hi();
    }

    private static IpPrefix prefix(String text, String at) {
        try {
            return IpPrefix.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidRuleException(at, e.getMessage());
        }
    }

    private static int qfi(int qfi, String at) {
        if (qfi < 0 || qfi > 63) {
            throw new InvalidRuleException(at, "must be 0..63, not " + Integer.toUnsignedString(qfi));
        }
        return qfi;
    }

    private static SdfRule sdf(SdfFilter f, String at) {
        IpPrefix remote = f.getRemotePrefix().isEmpty() ? null : prefix(f.getRemotePrefix(), at + ".remote_prefix");
        int protocol = -1;
        if (f.hasProtocol()) {
            if (f.getProtocol() < 0 || f.getProtocol() > 255) {
                throw new InvalidRuleException(at + ".protocol", "must be 0..255, not " + Integer.toUnsignedString(f.getProtocol()));
            }
            protocol = f.getProtocol();
        }
        boolean ports = f.hasRemotePorts() || f.hasUePorts();
        if (ports && protocol != 6 && protocol != 17 && protocol != 132) {
            throw new InvalidRuleException(at + (f.hasRemotePorts() ? ".remote_ports" : ".ue_ports"),
                    "ports need protocol 6 (TCP), 17 (UDP) or 132 (SCTP)");
        }
        int[] remote2 = ports(f.hasRemotePorts() ? f.getRemotePorts() : null, at + ".remote_ports");
        int[] ue2 = ports(f.hasUePorts() ? f.getUePorts() : null, at + ".ue_ports");
        return new SdfRule(remote, protocol, remote2[0], remote2[1], ue2[0], ue2[1]);
    }

    private static int[] ports(PortRange range, String at) {
        if (range == null) {
            return new int[] {0, 65535};
        }
        if (range.getFirst() < 0 || range.getFirst() > 65535 || range.getLast() < 0 || range.getLast() > 65535) {
            throw new InvalidRuleException(at, "ports are 0..65535: " + Integer.toUnsignedString(range.getFirst()) + ".."
                    + Integer.toUnsignedString(range.getLast()));
        }
        if (range.getFirst() > range.getLast()) {
            throw new InvalidRuleException(at, "first " + range.getFirst() + " is after last " + range.getLast());
        }
        return new int[] {range.getFirst(), range.getLast()};
    }

    private static List<FarRule> fars(Session session, String path) {
        int count = session.getFarsCount();
        if (count > MAX_FARS) {
            throw new InvalidRuleException(path + ".fars", "at most " + MAX_FARS + ", not " + count);
        }
        List<FarRule> out = new ArrayList<>(count);
        Map<Long, Integer> seen = new HashMap<>();
        for (int i = 0; i < count; i++) {
            String at = path + ".fars[" + i + "]";
            Far far = session.getFars(i);
            long id = id(far.getId(), at, seen, i, "FAR");
            int action = switch (far.getAction()) {
                case FORWARD -> SessionModel.FORWARD;
                case DROP -> SessionModel.DROP;
                case BUFFER -> SessionModel.BUFFER;
                default -> throw new InvalidRuleException(at + ".action", "must be FORWARD, DROP or BUFFER");
            };
            int destination = switch (far.getDestinationInterface()) {
                case ACCESS -> SessionModel.ACCESS;
                case CORE -> SessionModel.CORE;
                case INTERFACE_UNSPECIFIED -> 0;
                default -> throw new InvalidRuleException(at + ".destination_interface", "unknown interface");
            };
            if (action == SessionModel.FORWARD && destination == 0) {
                throw new InvalidRuleException(at + ".destination_interface", "a forwarding FAR needs ACCESS or CORE");
            }
            OuterHeader outer = null;
            if (far.hasOuterHeaderCreation()) {
                if (destination != SessionModel.ACCESS) {
                    throw new InvalidRuleException(at + ".outer_header_creation", "only FARs toward ACCESS encapsulate");
                }
                outer = outerHeader(far.getOuterHeaderCreation(), at + ".outer_header_creation");
            } else if (action == SessionModel.FORWARD && destination == SessionModel.ACCESS) {
                throw new InvalidRuleException(at + ".outer_header_creation", "required when forwarding to ACCESS");
            }
            int dscp = -1;
            if (far.hasTransportDscp()) {
                if (far.getTransportDscp() < 0 || far.getTransportDscp() > 63) {
                    throw new InvalidRuleException(at + ".transport_dscp", "must be 0..63, not "
                            + Integer.toUnsignedString(far.getTransportDscp()));
                }
                dscp = far.getTransportDscp();
            }
            out.add(new FarRule(id, action, destination, outer, dscp));
        }
        return List.copyOf(out);
    }

    private static OuterHeader outerHeader(OuterHeaderCreation o, String at) {
        if (o.getTeid() == 0) {
            throw new InvalidRuleException(at + ".teid", "must be nonzero (TEID 0 is for path management)");
        }
        IpPrefix peer = prefix(o.getPeerAddress(), at + ".peer_address");
        if (peer.length() != (peer.version() == 4 ? 32 : 128)) {
            throw new InvalidRuleException(at + ".peer_address", "an address, not a prefix: '" + o.getPeerAddress() + "'");
        }
        if (o.getPort() < 0 || o.getPort() > 65535) {
            throw new InvalidRuleException(at + ".port", "must be 0..65535, not " + Integer.toUnsignedString(o.getPort()));
        }
        int qfi = o.hasQfi() ? qfi(o.getQfi(), at + ".qfi") : -1;
        return new OuterHeader(o.getTeid(), peer, o.getPort() == 0 ? GTPU_PORT : o.getPort(), qfi);
    }

    private static long id(int raw, String at, Map<Long, Integer> seen, int i, String what) {
        long id = Integer.toUnsignedLong(raw);
        if (id == 0) {
            throw new InvalidRuleException(at + ".id", "must be nonzero");
        }
        Integer before = seen.put(id, i);
        if (before != null) {
            throw new InvalidRuleException(at + ".id", what + " " + id + " is also at index " + before);
        }
        return id;
    }

    private static List<QerRule> qers(Session session, String path) {
        int count = session.getQersCount();
        if (count > MAX_QERS) {
            throw new InvalidRuleException(path + ".qers", "at most " + MAX_QERS + ", not " + count);
        }
        List<QerRule> out = new ArrayList<>(count);
        Map<Long, Integer> seen = new HashMap<>();
        for (int i = 0; i < count; i++) {
            String at = path + ".qers[" + i + "]";
            Qer q = session.getQers(i);
            long id = id(q.getId(), at, seen, i, "QER");
            gate(q.getGateUplink(), at + ".gate_uplink");
            gate(q.getGateDownlink(), at + ".gate_downlink");
            bitRates(q.getMbrUplinkBps(), q.getGbrUplinkBps(), at, "uplink");
            bitRates(q.getMbrDownlinkBps(), q.getGbrDownlinkBps(), at, "downlink");
            int qfi = q.hasQfi() ? qfi(q.getQfi(), at + ".qfi") : -1;
            out.add(new QerRule(id, q.getGateUplink() == GateStatus.OPEN, q.getGateDownlink() == GateStatus.OPEN,
                    q.getMbrUplinkBps(), q.getMbrDownlinkBps(), q.getGbrUplinkBps(), q.getGbrDownlinkBps(), qfi));
        }
        return List.copyOf(out);
    }

    private static void gate(GateStatus gate, String at) {
        if (gate == GateStatus.UNRECOGNIZED) {
            throw new InvalidRuleException(at, "must be OPEN or CLOSED");
        }
    }

    private static void bitRates(long mbr, long gbr, String at, String direction) {
        if (mbr < 0 || gbr < 0) {
            throw new InvalidRuleException(at + (mbr < 0 ? ".mbr_" : ".gbr_") + direction + "_bps", "beyond 2^63-1 bits per second");
        }
        if (mbr != 0 && gbr > mbr) {
            throw new InvalidRuleException(at + ".gbr_" + direction + "_bps", "GBR " + gbr + " exceeds MBR " + mbr);
        }
    }

    private static List<UrrRule> urrs(Session session, String path) {
        int count = session.getUrrsCount();
        if (count > MAX_URRS) {
            throw new InvalidRuleException(path + ".urrs", "at most " + MAX_URRS + ", not " + count);
        }
        List<UrrRule> out = new ArrayList<>(count);
        Map<Long, Integer> seen = new HashMap<>();
        for (int i = 0; i < count; i++) {
            String at = path + ".urrs[" + i + "]";
            out.add(urr(session.getUrrs(i), at, id(session.getUrrs(i).getId(), at, seen, i, "URR")));
        }
        return List.copyOf(out);
    }

    private static UrrRule urr(Urr u, String at, long id) {
        List<Integer> triggers = new ArrayList<>();
        for (int k = 0; k < u.getTriggersCount(); k++) {
            ReportingTrigger t = u.getTriggers(k);
            if (t == ReportingTrigger.REPORTING_TRIGGER_UNSPECIFIED || t == ReportingTrigger.UNRECOGNIZED) {
                throw new InvalidRuleException(at + ".triggers[" + k + "]", "not a reporting trigger");
            }
            if (triggers.contains(t.getNumber())) {
                throw new InvalidRuleException(at + ".triggers[" + k + "]", t + " listed twice");
            }
            triggers.add(t.getNumber());
            requirePositive(t, u, at);
        }
        if (u.getVolumeThresholdBytes() < 0 || u.getVolumeQuotaBytes() < 0) {
            throw new InvalidRuleException(at + (u.getVolumeThresholdBytes() < 0 ? ".volume_threshold_bytes" : ".volume_quota_bytes"),
                    "beyond 2^63-1 bytes");
        }
        boolean redirect = u.getExhaustionAction() == ExhaustionAction.REDIRECT;
        if (u.getExhaustionAction() == ExhaustionAction.UNRECOGNIZED) {
            throw new InvalidRuleException(at + ".exhaustion_action", "must be BLOCK or REDIRECT");
        }
        IpPrefix target = null;
        if (redirect) {
            target = prefix(u.getRedirectAddress(), at + ".redirect_address");
            if (target.length() != (target.version() == 4 ? 32 : 128)) {
                throw new InvalidRuleException(at + ".redirect_address", "an address, not a prefix");
            }
        } else if (!u.getRedirectAddress().isEmpty()) {
            throw new InvalidRuleException(at + ".redirect_address", "only with exhaustion_action REDIRECT");
        }
        return new UrrRule(id, u.getMeasureVolume(), u.getMeasureDuration(), List.copyOf(triggers),
                u.getVolumeThresholdBytes(), u.getVolumeQuotaBytes(), Integer.toUnsignedLong(u.getTimeThresholdS()),
                Integer.toUnsignedLong(u.getTimeQuotaS()), Integer.toUnsignedLong(u.getMeasurementPeriodS()), redirect, target);
    }

    private static void requirePositive(ReportingTrigger t, Urr u, String at) {
        String field = switch (t) {
            case VOLUME_THRESHOLD -> u.getVolumeThresholdBytes() == 0 ? "volume_threshold_bytes" : null;
            case VOLUME_QUOTA -> u.getVolumeQuotaBytes() == 0 ? "volume_quota_bytes" : null;
            case TIME_THRESHOLD -> u.getTimeThresholdS() == 0 ? "time_threshold_s" : null;
            case TIME_QUOTA -> u.getTimeQuotaS() == 0 ? "time_quota_s" : null;
            case PERIODIC -> u.getMeasurementPeriodS() == 0 ? "measurement_period_s" : null;
            default -> null;
        };
        if (field != null) {
            throw new InvalidRuleException(at + "." + field, "must be nonzero with trigger " + t);
        }
    }
}
