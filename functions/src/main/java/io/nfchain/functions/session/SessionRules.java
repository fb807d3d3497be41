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
import java.util.List;

/**
 * Stateless, so thread-safe. Checks one {@link Session} and turns it into a {@link SessionModel},
 * or throws {@link InvalidRuleException} naming the first field at fault under the caller's path:
 * {@code changes[2].create.pdrs[0].far_id: no FAR 7 in the session}. Nothing here looks at other
 * sessions (TEID and UE address clashes are the table's to find).
 *
 * <p>Limits keep a compiled session small and its match loop short: {@value #MAX_PDRS} PDRs,
 * {@value #MAX_FARS} FARs, {@value #MAX_QERS} QERs and {@value #MAX_URRS} URRs per session,
 * {@value #MAX_SDF_FILTERS} SDF filters and {@value #MAX_RULE_REFS} QER or URR references per PDR.
 * A session has at most one UE IPv4 address and one UE IPv6 /64: every PDR naming one names the same.
 */
public final class SessionRules {
    public static final int MAX_PDRS = 32;
    public static final int MAX_FARS = 32;
    public static final int MAX_QERS = 16;
    public static final int MAX_URRS = 16;
    public static final int MAX_SDF_FILTERS = 16;
    public static final int MAX_RULE_REFS = 8;
    public static final int GTPU_PORT = 2152;

    private SessionRules() {}

    /**
     * @param session the rules as received
     * @param path    where the session sits in the request, e.g. {@code changes[2].create}
     */
    public static SessionModel validate(Session session, String path) {
        try {
            return validate(session);
        } catch (InvalidRuleException e) {
            throw under(path, e);
        }
    }

    /**
     * As {@link #validate(Session, String)}, naming fields from the session down
     * ({@code pdrs[0].far_id}). Paths are built only for the error: a good session costs no strings.
     */
    static SessionModel validate(Session session) {
        if (session.getSeid() == 0) {
            throw new InvalidRuleException("seid", "must be nonzero");
        }
        List<FarRule> fars = fars(session);
        List<QerRule> qers = qers(session);
        List<UrrRule> urrs = urrs(session);
        int count = session.getPdrsCount();
        if (count == 0 || count > MAX_PDRS) {
            throw new InvalidRuleException("pdrs", "a session needs 1.." + MAX_PDRS + " PDRs, not " + count);
        }
        PdrRule[] pdrs = new PdrRule[count];
        Integer ueV4 = null;
        boolean hasUeV6 = false;
        long ueV6 = 0;
        for (int i = 0; i < count; i++) {
            PdrRule pdr;
            try {
                pdr = pdr(session.getPdrs(i), fars, qers, urrs);
                for (int k = 0; k < i; k++) {
                    if (pdrs[k].id() == pdr.id()) {
                        throw new InvalidRuleException("id", "PDR " + pdr.id() + " is also pdrs[" + k + "]");
                    }
                }
                if (pdr.ueIpv4() != null) {
                    if (ueV4 != null && !ueV4.equals(pdr.ueIpv4())) {
                        throw new InvalidRuleException("pdi.ue_ipv4", "a session has one UE IPv4 address; an earlier PDR named "
                                + ipv4(ueV4));
                    }
                    ueV4 = pdr.ueIpv4();
                }
                if (pdr.hasUeIpv6()) {
                    if (hasUeV6 && ueV6 != pdr.ueIpv6()) {
                        throw new InvalidRuleException("pdi.ue_ipv6", "a session has one UE IPv6 /64; an earlier PDR named another");
                    }
                    hasUeV6 = true;
                    ueV6 = pdr.ueIpv6();
                }
            } catch (InvalidRuleException e) {
                throw under("pdrs[" + i + "]", e);
            }
            pdrs[i] = pdr;
        }
        return new SessionModel(session.getSeid(), ueV4, hasUeV6, ueV6, List.of(pdrs), fars, qers, urrs);
    }

    /** {@code e} with its field under {@code path} ({@code path.field}); {@code e} itself when the path is empty. */
    static InvalidRuleException under(String path, InvalidRuleException e) {
        if (path.isEmpty()) {
            return e;
        }
        String reason = e.getMessage().substring(e.field().length() + 2);
        return new InvalidRuleException(path + "." + e.field(), reason);
    }

    private static String ipv4(int address) {
        return IpAddresses.ipv4ToString(address);
    }

    private static PdrRule pdr(Pdr pdr, List<FarRule> fars, List<QerRule> qers, List<UrrRule> urrs) {
        if (pdr.getId() < 1 || pdr.getId() > 65535) {
            throw new InvalidRuleException("id", "must be 1..65535, not " + Integer.toUnsignedString(pdr.getId()));
        }
        if (!pdr.hasPdi()) {
            throw new InvalidRuleException("pdi", "required");
        }
        Pdi pdi = pdr.getPdi();
        int source = switch (pdi.getSourceInterface()) {
            case ACCESS -> SessionModel.ACCESS;
            case CORE -> SessionModel.CORE;
            default -> throw new InvalidRuleException("pdi.source_interface", "must be ACCESS or CORE");
        };
        if (pdi.getLocalTeid() != 0 && source != SessionModel.ACCESS) {
            throw new InvalidRuleException("pdi.local_teid", "only ACCESS PDRs match on a TEID");
        }
        Integer ueV4 = pdi.getUeIpv4().isEmpty() ? null : ueIpv4(pdi.getUeIpv4(), "pdi.ue_ipv4");
        long ueV6 = pdi.getUeIpv6().isEmpty() ? 0 : ueIpv6(pdi.getUeIpv6(), "pdi.ue_ipv6");
        List<SdfRule> sdf = sdfs(pdi);
        int qfi = -1;
        if (pdi.hasQfi()) {
            qfi = qfi(pdi.getQfi(), "pdi.qfi");
        }
        int far = -1;
        long farId = Integer.toUnsignedLong(pdr.getFarId());
        for (int k = 0; k < fars.size() && far < 0; k++) {
            far = fars.get(k).id() == farId ? k : -1;
        }
        if (far < 0) {
            throw new InvalidRuleException("far_id", "no FAR " + Integer.toUnsignedString(pdr.getFarId()) + " in the session");
        }
        int[] qerRefs = new int[Math.min(pdr.getQerIdsCount(), MAX_RULE_REFS)];
        refs(pdr.getQerIdsList(), qerRefs, "qer_ids", "QER", qers, null);
        int[] urrRefs = new int[Math.min(pdr.getUrrIdsCount(), MAX_RULE_REFS)];
        refs(pdr.getUrrIdsList(), urrRefs, "urr_ids", "URR", null, urrs);
        return new PdrRule(pdr.getId(), Integer.toUnsignedLong(pdr.getPrecedence()), source, pdi.getLocalTeid(), ueV4,
                !pdi.getUeIpv6().isEmpty(), ueV6, sdf, qfi, pdr.getRemoveOuterHeader(), far, smallInts(qerRefs),
                smallInts(urrRefs));
    }

    private static List<SdfRule> sdfs(Pdi pdi) {
        int count = pdi.getSdfFiltersCount();
        if (count > MAX_SDF_FILTERS) {
            throw new InvalidRuleException("pdi.sdf_filters", "at most " + MAX_SDF_FILTERS + ", not " + count);
        }
        if (count == 0) {
            return List.of();
        }
        SdfRule[] sdf = new SdfRule[count];
        for (int k = 0; k < count; k++) {
            try {
                sdf[k] = sdf(pdi.getSdfFilters(k));
            } catch (InvalidRuleException e) {
                throw under("pdi.sdf_filters[" + k + "]", e);
            }
        }
        return List.of(sdf);
    }

    /**
     * Resolves the ids of a PDR's {@code qer_ids} or {@code urr_ids} (one of {@code qers},
     * {@code urrs} given) into {@code out}, indexes into that list; {@code out} is sized to the
     * ids, at most {@link #MAX_RULE_REFS}.
     */
    private static void refs(List<Integer> ids, int[] out, String field, String what, List<QerRule> qers, List<UrrRule> urrs) {
        if (ids.size() > MAX_RULE_REFS) {
            throw new InvalidRuleException(field, "at most " + MAX_RULE_REFS + " " + what + "s per PDR, not " + ids.size());
        }
        for (int k = 0; k < ids.size(); k++) {
            long id = Integer.toUnsignedLong(ids.get(k));
            int found = -1;
            int n = qers != null ? qers.size() : urrs.size();
            for (int r = 0; r < n && found < 0; r++) {
                found = (qers != null ? qers.get(r).id() : urrs.get(r).id()) == id ? r : -1;
            }
            if (found < 0) {
                throw new InvalidRuleException(field + "[" + k + "]", "no " + what + " " + Long.toString(id) + " in the session");
            }
            for (int r = 0; r < k; r++) {
                if (out[r] == found) {
                    throw new InvalidRuleException(field + "[" + k + "]", what + " " + Long.toString(id) + " listed twice");
                }
            }
            out[k] = found;
        }
    }

    /** Rule indexes or trigger numbers (all below 128, so boxing takes Integer's cache) as an immutable list. */
    static List<Integer> smallInts(int[] values) {
        return switch (values.length) {
            case 0 -> List.of();
            case 1 -> List.of(values[0]);
            case 2 -> List.of(values[0], values[1]);
            default -> {
                Integer[] boxed = new Integer[values.length];
                for (int i = 0; i < values.length; i++) {
                    boxed[i] = values[i];
                }
                yield List.of(boxed);
            }
        };
    }

    private static int ueIpv4(String text, String field) {
        IpPrefix p = prefix(text, field);
        if (p.version() != 4 || p.length() != 32) {
            throw new InvalidRuleException(field, "'" + text + "' is not an IPv4 address");
        }
        return p.ipv4();
    }

    private static long ueIpv6(String text, String field) {
        IpPrefix p = prefix(text, field);
        if (p.version() != 6 || (p.length() != 64 && p.length() != 128)) {
            throw new InvalidRuleException(field, "'" + text + "' is not an IPv6 address or /64 prefix");
        }
        return p.hi();
    }

    private static IpPrefix prefix(String text, String field) {
        try {
            return IpPrefix.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidRuleException(field, e.getMessage());
        }
    }

    private static int qfi(int qfi, String field) {
        if (qfi < 0 || qfi > 63) {
            throw new InvalidRuleException(field, "must be 0..63, not " + Integer.toUnsignedString(qfi));
        }
        return qfi;
    }

    private static SdfRule sdf(SdfFilter f) {
        IpPrefix remote = f.getRemotePrefix().isEmpty() ? null : prefix(f.getRemotePrefix(), "remote_prefix");
        int protocol = -1;
        if (f.hasProtocol()) {
            if (f.getProtocol() < 0 || f.getProtocol() > 255) {
                throw new InvalidRuleException("protocol", "must be 0..255, not " + Integer.toUnsignedString(f.getProtocol()));
            }
            protocol = f.getProtocol();
        }
        boolean ports = f.hasRemotePorts() || f.hasUePorts();
        if (ports && protocol != 6 && protocol != 17 && protocol != 132) {
            throw new InvalidRuleException(f.hasRemotePorts() ? "remote_ports" : "ue_ports",
                    "ports need protocol 6 (TCP), 17 (UDP) or 132 (SCTP)");
        }
        PortRange remotePorts = f.hasRemotePorts() ? ports(f.getRemotePorts(), "remote_ports") : null;
        PortRange uePorts = f.hasUePorts() ? ports(f.getUePorts(), "ue_ports") : null;
        return new SdfRule(remote, protocol, remotePorts == null ? 0 : remotePorts.getFirst(),
                remotePorts == null ? 65535 : remotePorts.getLast(), uePorts == null ? 0 : uePorts.getFirst(),
                uePorts == null ? 65535 : uePorts.getLast());
    }

    /** {@code range} once checked. */
    private static PortRange ports(PortRange range, String field) {
        if (range.getFirst() < 0 || range.getFirst() > 65535 || range.getLast() < 0 || range.getLast() > 65535) {
            throw new InvalidRuleException(field, "ports are 0..65535: " + Integer.toUnsignedString(range.getFirst()) + ".."
                    + Integer.toUnsignedString(range.getLast()));
        }
        if (range.getFirst() > range.getLast()) {
            throw new InvalidRuleException(field, "first " + range.getFirst() + " is after last " + range.getLast());
        }
        return range;
    }

    private static List<FarRule> fars(Session session) {
        int count = session.getFarsCount();
        if (count > MAX_FARS) {
            throw new InvalidRuleException("fars", "at most " + MAX_FARS + ", not " + count);
        }
        FarRule[] out = new FarRule[count];
        for (int i = 0; i < count; i++) {
            try {
                Far far = session.getFars(i);
                long id = id(far.getId());
                for (int k = 0; k < i; k++) {
                    if (out[k].id() == id) {
                        throw duplicate("FAR", id, k);
                    }
                }
                out[i] = far(far, id);
            } catch (InvalidRuleException e) {
                throw under("fars[" + i + "]", e);
            }
        }
        return List.of(out);
    }

    private static FarRule far(Far far, long id) {
        int action = switch (far.getAction()) {
            case FORWARD -> SessionModel.FORWARD;
            case DROP -> SessionModel.DROP;
            case BUFFER -> SessionModel.BUFFER;
            default -> throw new InvalidRuleException("action", "must be FORWARD, DROP or BUFFER");
        };
        int destination = switch (far.getDestinationInterface()) {
            case ACCESS -> SessionModel.ACCESS;
            case CORE -> SessionModel.CORE;
            case INTERFACE_UNSPECIFIED -> 0;
            default -> throw new InvalidRuleException("destination_interface", "unknown interface");
        };
        if (action == SessionModel.FORWARD && destination == 0) {
            throw new InvalidRuleException("destination_interface", "a forwarding FAR needs ACCESS or CORE");
        }
        OuterHeader outer = null;
        if (far.hasOuterHeaderCreation()) {
            if (destination != SessionModel.ACCESS) {
                throw new InvalidRuleException("outer_header_creation", "only FARs toward ACCESS encapsulate");
            }
            try {
                outer = outerHeader(far.getOuterHeaderCreation());
            } catch (InvalidRuleException e) {
                throw under("outer_header_creation", e);
            }
        } else if (action == SessionModel.FORWARD && destination == SessionModel.ACCESS) {
            throw new InvalidRuleException("outer_header_creation", "required when forwarding to ACCESS");
        }
        int dscp = -1;
        if (far.hasTransportDscp()) {
            if (far.getTransportDscp() < 0 || far.getTransportDscp() > 63) {
                throw new InvalidRuleException("transport_dscp", "must be 0..63, not "
                        + Integer.toUnsignedString(far.getTransportDscp()));
            }
            dscp = far.getTransportDscp();
        }
        return new FarRule(id, action, destination, outer, dscp);
    }

    private static OuterHeader outerHeader(OuterHeaderCreation o) {
        if (o.getTeid() == 0) {
            throw new InvalidRuleException("teid", "must be nonzero (TEID 0 is for path management)");
        }
        IpPrefix peer = prefix(o.getPeerAddress(), "peer_address");
        if (peer.length() != (peer.version() == 4 ? 32 : 128)) {
            throw new InvalidRuleException("peer_address", "an address, not a prefix: '" + o.getPeerAddress() + "'");
        }
        if (o.getPort() < 0 || o.getPort() > 65535) {
            throw new InvalidRuleException("port", "must be 0..65535, not " + Integer.toUnsignedString(o.getPort()));
        }
        int qfi = o.hasQfi() ? qfi(o.getQfi(), "qfi") : -1;
        return new OuterHeader(o.getTeid(), peer, o.getPort() == 0 ? GTPU_PORT : o.getPort(), qfi);
    }

    /** A FAR, QER or URR id: nonzero, unsigned 32 bits. */
    private static long id(int raw) {
        long id = Integer.toUnsignedLong(raw);
        if (id == 0) {
            throw new InvalidRuleException("id", "must be nonzero");
        }
        return id;
    }

    private static InvalidRuleException duplicate(String what, long id, int before) {
        return new InvalidRuleException("id", what + " " + id + " is also at index " + before);
    }

    private static List<QerRule> qers(Session session) {
        int count = session.getQersCount();
        if (count > MAX_QERS) {
            throw new InvalidRuleException("qers", "at most " + MAX_QERS + ", not " + count);
        }
        QerRule[] out = new QerRule[count];
        for (int i = 0; i < count; i++) {
            try {
                Qer q = session.getQers(i);
                long id = id(q.getId());
                for (int k = 0; k < i; k++) {
                    if (out[k].id() == id) {
                        throw duplicate("QER", id, k);
                    }
                }
                gate(q.getGateUplink(), "gate_uplink");
                gate(q.getGateDownlink(), "gate_downlink");
                bitRates(q.getMbrUplinkBps(), q.getGbrUplinkBps(), "uplink");
                bitRates(q.getMbrDownlinkBps(), q.getGbrDownlinkBps(), "downlink");
                int qfi = q.hasQfi() ? qfi(q.getQfi(), "qfi") : -1;
                out[i] = new QerRule(id, q.getGateUplink() == GateStatus.OPEN, q.getGateDownlink() == GateStatus.OPEN,
                        q.getMbrUplinkBps(), q.getMbrDownlinkBps(), q.getGbrUplinkBps(), q.getGbrDownlinkBps(), qfi);
            } catch (InvalidRuleException e) {
                throw under("qers[" + i + "]", e);
            }
        }
        return List.of(out);
    }

    private static void gate(GateStatus gate, String field) {
        if (gate == GateStatus.UNRECOGNIZED) {
            throw new InvalidRuleException(field, "must be OPEN or CLOSED");
        }
    }

    private static void bitRates(long mbr, long gbr, String direction) {
        if (mbr < 0 || gbr < 0) {
            throw new InvalidRuleException((mbr < 0 ? "mbr_" : "gbr_") + direction + "_bps", "beyond 2^63-1 bits per second");
        }
        if (mbr != 0 && gbr > mbr) {
            throw new InvalidRuleException("gbr_" + direction + "_bps", "GBR " + gbr + " exceeds MBR " + mbr);
        }
    }

    private static List<UrrRule> urrs(Session session) {
        int count = session.getUrrsCount();
        if (count > MAX_URRS) {
            throw new InvalidRuleException("urrs", "at most " + MAX_URRS + ", not " + count);
        }
        UrrRule[] out = new UrrRule[count];
        for (int i = 0; i < count; i++) {
            try {
                Urr u = session.getUrrs(i);
                long id = id(u.getId());
                for (int k = 0; k < i; k++) {
                    if (out[k].id() == id) {
                        throw duplicate("URR", id, k);
                    }
                }
                out[i] = urr(u, id);
            } catch (InvalidRuleException e) {
                throw under("urrs[" + i + "]", e);
            }
        }
        return List.of(out);
    }

    private static UrrRule urr(Urr u, long id) {
        int count = u.getTriggersCount();
        int[] triggers = new int[count];
        for (int k = 0; k < count; k++) {
            ReportingTrigger t = u.getTriggers(k);
            if (t == ReportingTrigger.REPORTING_TRIGGER_UNSPECIFIED || t == ReportingTrigger.UNRECOGNIZED) {
                throw new InvalidRuleException("triggers[" + k + "]", "not a reporting trigger");
            }
            for (int r = 0; r < k; r++) {
                if (triggers[r] == t.getNumber()) {
                    throw new InvalidRuleException("triggers[" + k + "]", t + " listed twice");
                }
            }
            triggers[k] = t.getNumber();
            requirePositive(t, u);
        }
        if (u.getVolumeThresholdBytes() < 0 || u.getVolumeQuotaBytes() < 0) {
            throw new InvalidRuleException(u.getVolumeThresholdBytes() < 0 ? "volume_threshold_bytes" : "volume_quota_bytes",
                    "beyond 2^63-1 bytes");
        }
        boolean redirect = u.getExhaustionAction() == ExhaustionAction.REDIRECT;
        if (u.getExhaustionAction() == ExhaustionAction.UNRECOGNIZED) {
            throw new InvalidRuleException("exhaustion_action", "must be BLOCK or REDIRECT");
        }
        IpPrefix target = null;
        if (redirect) {
            target = prefix(u.getRedirectAddress(), "redirect_address");
            if (target.length() != (target.version() == 4 ? 32 : 128)) {
                throw new InvalidRuleException("redirect_address", "an address, not a prefix");
            }
        } else if (!u.getRedirectAddress().isEmpty()) {
            throw new InvalidRuleException("redirect_address", "only with exhaustion_action REDIRECT");
        }
        return new UrrRule(id, u.getMeasureVolume(), u.getMeasureDuration(), smallInts(triggers),
                u.getVolumeThresholdBytes(), u.getVolumeQuotaBytes(), Integer.toUnsignedLong(u.getTimeThresholdS()),
                Integer.toUnsignedLong(u.getTimeQuotaS()), Integer.toUnsignedLong(u.getMeasurementPeriodS()), redirect, target);
    }

    private static void requirePositive(ReportingTrigger t, Urr u) {
        String field = switch (t) {
            case VOLUME_THRESHOLD -> u.getVolumeThresholdBytes() == 0 ? "volume_threshold_bytes" : null;
            case VOLUME_QUOTA -> u.getVolumeQuotaBytes() == 0 ? "volume_quota_bytes" : null;
            case TIME_THRESHOLD -> u.getTimeThresholdS() == 0 ? "time_threshold_s" : null;
            case TIME_QUOTA -> u.getTimeQuotaS() == 0 ? "time_quota_s" : null;
            case PERIODIC -> u.getMeasurementPeriodS() == 0 ? "measurement_period_s" : null;
            default -> null;
        };
        if (field != null) {
            throw new InvalidRuleException(field, "must be nonzero with trigger " + t);
        }
    }
}
