package io.nfchain.functions.session;

import io.nfchain.core.packet.FlowKey;
import io.nfchain.functions.acl.IpPrefix;
import io.nfchain.functions.session.SessionModel.FarRule;
import io.nfchain.functions.session.SessionModel.PdrRule;
import io.nfchain.functions.session.SessionModel.SdfRule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Immutable once published, so any thread may read it: it is compiled on the thread that sent the
 * change, outside the table's writer section, and the table writes its slots ({@link #bind}) before
 * the one release store that publishes it; a reader that holds it sees one version of the session whole. One session's rules
 * in one {@code int[]}, laid out for the match loop: PDRs sorted by precedence, each pointing at
 * its FAR record, SDF filters and QER/URR references by offset. No objects per rule.
 *
 * <pre>
 * header   0 seid hi | 1 seid lo | 2 flags (1 UE v4, 2 UE v6) | 3 UE v4 | 4,5 UE v6 /64 hi,lo words
 *          6 PDR count | 7 FAR count | 8 QER table offset | 9 QER count | 10 URR table offset | 11 URR count
 *          12 session slot
 * PDR      (7 ints, lowest precedence first, ties by id; a handle is the offset of one)
 *          0 precedence (unsigned) | 1 id(16) srcIf(2) removeOuter(1) hasQfi(1) qfi(6) ueV4(1) ueV6(1)
 *          2 local TEID | 3 FAR offset | 4 SDF offset | 5 SDF count(8) QER refs(8) URR refs(8) | 6 refs offset
 * FAR      (8 ints) 0 id | 1 action(4) dstIf(4) hasOuter(1) peerV6(1) dscp+1(7) qfi+1(7) | 2 TEID | 3 UDP port
 *          4..7 peer address (IPv4 in 4; IPv6 as four words, high first)
 * QER      (3 ints) id | qerSlot | qfi or -1            URR (2 ints) id | urrSlot
 * SDF      (8 ints) 0 protocol+1 (0 any) | 1 prefix version(4) length(8), 0 = any | 2..5 prefix words
 *          6 remote ports first<<16|last | 7 UE ports first<<16|last
 * refs     per PDR: offsets of its QER entries, then of its URR entries
 * </pre>
 */
public final class CompiledSession {
    static final int H_SEID_HI = 0;
    static final int H_SEID_LO = 1;
    static final int H_FLAGS = 2;
    static final int H_UE_V4 = 3;
    static final int H_UE_V6 = 4;
    static final int H_PDR_COUNT = 6;
    static final int H_FAR_COUNT = 7;
    static final int H_QER_AT = 8;
    static final int H_QER_COUNT = 9;
    static final int H_URR_AT = 10;
    static final int H_URR_COUNT = 11;
    static final int H_SLOT = 12;
    static final int HEADER = 13;
    static final int PDR = 7;
    static final int FAR = 8;
    static final int QER = 3;
    static final int URR = 2;
    static final int SDF = 8;
    static final int FLAG_UE_V4 = 1;
    static final int FLAG_UE_V6 = 2;

    /** The packet carries no TEID (plain IP, or already decapsulated): PDRs match whatever their TEID. */
    public static final long NO_TEID = -1;
    /** The packet carries no QFI: PDRs match whatever their QFI. */
    public static final int NO_QFI = -1;

    final int[] b;
    /** The session as the control plane sent it, serialized; for GetSession. Never read by the datapath. */
    final byte[] source;

    private CompiledSession(int[] b, byte[] source) {
        this.b = b;
        this.source = source;
    }

    /**
     * Lays {@code model} out with every slot -1 until {@link #bind}: the slots are the table's to
     * hand out, under its writer section, and the layout is most of the work, so it can be done
     * before, on any thread.
     */
    static CompiledSession compile(SessionModel model, byte[] source) {
        List<PdrRule> pdrs = new ArrayList<>(model.pdrs());
        pdrs.sort(Comparator.comparingLong(PdrRule::precedence).thenComparingInt(PdrRule::id));
        int sdfs = 0;
        int refs = 0;
        for (PdrRule p : pdrs) {
            sdfs += p.sdfFilters().size();
            refs += p.qerIndexes().size() + p.urrIndexes().size();
        }
        int farAt = HEADER + PDR * pdrs.size();
        int qerAt = farAt + FAR * model.fars().size();
        int urrAt = qerAt + QER * model.qers().size();
        int sdfAt = urrAt + URR * model.urrs().size();
        int refAt = sdfAt + SDF * sdfs;
        int[] b = new int[refAt + refs];
        b[H_SEID_HI] = (int) (model.seid() >>> 32);
        b[H_SEID_LO] = (int) model.seid();
        b[H_FLAGS] = (model.ueIpv4() != null ? FLAG_UE_V4 : 0) | (model.hasUeIpv6() ? FLAG_UE_V6 : 0);
        b[H_UE_V4] = model.ueIpv4() != null ? model.ueIpv4() : 0;
        b[H_UE_V6] = (int) (model.ueIpv6() >>> 32);
        b[H_UE_V6 + 1] = (int) model.ueIpv6();
        b[H_PDR_COUNT] = pdrs.size();
        b[H_FAR_COUNT] = model.fars().size();
        b[H_QER_AT] = qerAt;
        b[H_QER_COUNT] = model.qers().size();
        b[H_URR_AT] = urrAt;
        b[H_URR_COUNT] = model.urrs().size();
        b[H_SLOT] = -1;
        for (int i = 0; i < model.fars().size(); i++) {
            far(b, farAt + FAR * i, model.fars().get(i));
        }
        for (int i = 0; i < model.qers().size(); i++) {
            b[qerAt + QER * i] = (int) model.qers().get(i).id();
            b[qerAt + QER * i + 1] = -1;
            b[qerAt + QER * i + 2] = model.qers().get(i).qfi();
        }
        for (int i = 0; i < model.urrs().size(); i++) {
            b[urrAt + URR * i] = (int) model.urrs().get(i).id();
            b[urrAt + URR * i + 1] = -1;
        }
        for (int k = 0; k < pdrs.size(); k++) {
            PdrRule p = pdrs.get(k);
            int at = HEADER + PDR * k;
            b[at] = (int) p.precedence();
            b[at + 1] = p.id() | p.sourceInterface() << 16 | (p.removeOuterHeader() ? 1 << 18 : 0)
                    | (p.qfi() >= 0 ? 1 << 19 | p.qfi() << 20 : 0) | (p.ueIpv4() != null ? 1 << 26 : 0)
                    | (p.hasUeIpv6() ? 1 << 27 : 0);
            b[at + 2] = p.localTeid();
            b[at + 3] = farAt + FAR * p.farIndex();
            b[at + 4] = sdfAt;
            b[at + 5] = p.sdfFilters().size() | p.qerIndexes().size() << 8 | p.urrIndexes().size() << 16;
            b[at + 6] = refAt;
            for (SdfRule f : p.sdfFilters()) {
                sdf(b, sdfAt, f);
                sdfAt += SDF;
            }
            for (int q : p.qerIndexes()) {
                b[refAt++] = qerAt + QER * q;
            }
            for (int u : p.urrIndexes()) {
                b[refAt++] = urrAt + URR * u;
            }
        }
        return new CompiledSession(b, source);
    }

    /**
     * The table's writer, before publishing: the session's slot, its QERs' slots and its URRs'
     * (same order as the model's lists).
     */
    void bind(int slot, int[] qerSlots, int[] urrSlots) {
        b[H_SLOT] = slot;
        int qerAt = b[H_QER_AT];
        for (int i = 0; i < qerSlots.length; i++) {
            b[qerAt + QER * i + 1] = qerSlots[i];
        }
        int urrAt = b[H_URR_AT];
        for (int i = 0; i < urrSlots.length; i++) {
            b[urrAt + URR * i + 1] = urrSlots[i];
        }
    }

    private static void far(int[] b, int at, FarRule f) {
        b[at] = (int) f.id();
        int flags = f.action() | f.destinationInterface() << 4 | (f.transportDscp() + 1) << 10;
        if (f.outerHeader() != null) {
            IpPrefix peer = f.outerHeader().peer();
            flags |= 1 << 8 | (peer.version() == 6 ? 1 << 9 : 0) | (f.outerHeader().qfi() + 1) << 17;
            b[at + 2] = f.outerHeader().teid();
            b[at + 3] = f.outerHeader().port();
            words(b, at + 4, peer);
        }
        b[at + 1] = flags;
    }

    private static void words(int[] b, int at, IpPrefix p) {
        if (p.version() == 4) {
            b[at] = (int) p.lo();
        } else {
            b[at] = (int) (p.hi() >>> 32);
            b[at + 1] = (int) p.hi();
            b[at + 2] = (int) (p.lo() >>> 32);
            b[at + 3] = (int) p.lo();
        }
    }

    private static void sdf(int[] b, int at, SdfRule f) {
        b[at] = f.protocol() + 1;
        if (f.remote() != null) {
            b[at + 1] = f.remote().version() | f.remote().length() << 4;
            words(b, at + 2, f.remote());
        }
        b[at + 6] = f.remotePortFirst() << 16 | f.remotePortLast();
        b[at + 7] = f.uePortFirst() << 16 | f.uePortLast();
    }

    // ---- session ----

    public long seid() {
        return (long) b[H_SEID_HI] << 32 | (b[H_SEID_LO] & 0xFFFF_FFFFL);
    }

    /** The session's slot in its table: fixed from create to delete, so per-session state may be kept by it. */
    public int slot() {
        return b[H_SLOT];
    }

    public boolean hasUeIpv4() {
        return (b[H_FLAGS] & FLAG_UE_V4) != 0;
    }

    public int ueIpv4() {
        return b[H_UE_V4];
    }

    public boolean hasUeIpv6() {
        return (b[H_FLAGS] & FLAG_UE_V6) != 0;
    }

    /** The upper 64 bits of the UE's IPv6 /64. */
    public long ueIpv6Prefix() {
        return (long) b[H_UE_V6] << 32 | (b[H_UE_V6 + 1] & 0xFFFF_FFFFL);
    }

    public int pdrCount() {
        return b[H_PDR_COUNT];
    }

    /** The handle of the PDR of rank {@code i} in precedence order (0 = lowest precedence value). */
    public int pdrHandle(int i) {
        return HEADER + PDR * i;
    }

    /** Whether some ACCESS PDR of this session names {@code teid}. */
    public boolean hasTeid(int teid) {
        int n = b[H_PDR_COUNT];
        for (int at = HEADER; at < HEADER + PDR * n; at += PDR) {
            if (b[at + 2] == teid && teid != 0) {
                return true;
            }
        }
        return false;
    }

    /** QERs of the session in the order the control plane listed them: ids and slots. */
    public int qerCount() {
        return b[H_QER_COUNT];
    }

    public long qerId(int i) {
        return b[b[H_QER_AT] + QER * i] & 0xFFFF_FFFFL;
    }

    public int qerSlotAt(int i) {
        return b[b[H_QER_AT] + QER * i + 1];
    }

    public int urrCount() {
        return b[H_URR_COUNT];
    }

    public long urrId(int i) {
        return b[b[H_URR_AT] + URR * i] & 0xFFFF_FFFFL;
    }

    public int urrSlotAt(int i) {
        return b[b[H_URR_AT] + URR * i + 1];
    }

    /** Bytes this object and its array take on a 64-bit JVM with compressed references (source excluded). */
    public long sizeBytes() {
        return 16 + 16 + 4L * b.length;
    }

    byte[] source() {
        return source;
    }

    // ---- matching ----

    /**
     * The handle of the PDR with the lowest precedence whose PDI matches, or -1. Direction comes
     * from {@code sourceInterface}: from ACCESS the UE is the packet's source (uplink), from CORE
     * its destination. Fields the packet does not carry are not checked: {@code teid}
     * {@link #NO_TEID}, {@code qfi} {@link #NO_QFI}. Allocation-free.
     *
     * @param key the packet's IP 5-tuple: the inner one of GTP-U, else the outer
     */
    public int matchPdr(int sourceInterface, long teid, int qfi, FlowKey key) {
        boolean uplink = sourceInterface == SessionModel.ACCESS;
        return matchPdr(sourceInterface, teid, qfi, key.ipVersion(),
                uplink ? key.dstHi() : key.srcHi(), uplink ? key.dstLo() : key.srcLo(),
                uplink ? key.srcHi() : key.dstHi(), uplink ? key.srcLo() : key.dstLo(), key.protocol(),
                uplink ? key.dstPort() : key.srcPort(), uplink ? key.srcPort() : key.dstPort());
    }

    /**
     * {@link #matchPdr(int, long, int, FlowKey)} with the tuple seen from the UE: remote and UE
     * addresses as {@link FlowKey} keeps them (IPv4 in the low 32 bits of {@code lo}).
     */
    public int matchPdr(int sourceInterface, long teid, int qfi, int ipVersion, long remoteHi, long remoteLo,
            long ueHi, long ueLo, int protocol, int remotePort, int uePort) {
        int[] s = b;
        int end = HEADER + PDR * s[H_PDR_COUNT];
        for (int at = HEADER; at < end; at += PDR) {
            int bits = s[at + 1];
            if ((bits >>> 16 & 3) != sourceInterface
                    || (s[at + 2] != 0 && teid != NO_TEID && (int) teid != s[at + 2])
                    || ((bits & 1 << 19) != 0 && qfi != NO_QFI && (bits >>> 20 & 63) != qfi)
                    || !ueMatches(s, bits, ipVersion, ueHi, ueLo)) {
                continue;
            }
            int sdfCount = s[at + 5] & 0xFF;
            if (sdfCount == 0 || anySdf(s, s[at + 4], sdfCount, ipVersion, remoteHi, remoteLo, protocol, remotePort, uePort)) {
                return at;
            }
        }
        return -1;
    }

    private static boolean ueMatches(int[] s, int bits, int ipVersion, long ueHi, long ueLo) {
        if ((bits & 3 << 26) == 0) {
            return true;
        }
        if (ipVersion == 4) {
            return (bits & 1 << 26) != 0 && (int) ueLo == s[H_UE_V4];
        }
        return ipVersion == 6 && (bits & 1 << 27) != 0
                && ueHi == ((long) s[H_UE_V6] << 32 | (s[H_UE_V6 + 1] & 0xFFFF_FFFFL));
    }

    private static boolean anySdf(int[] s, int at, int count, int ipVersion, long remoteHi, long remoteLo, int protocol,
            int remotePort, int uePort) {
        for (int k = 0; k < count; k++, at += SDF) {
            int p = s[at];
            if (p != 0 && p - 1 != protocol) {
                continue;
            }
            int prefix = s[at + 1];
            if (prefix != 0 && !prefixMatches(s, at + 2, prefix, ipVersion, remoteHi, remoteLo)) {
                continue;
            }
            int r = s[at + 6];
            int u = s[at + 7];
            if (remotePort >= r >>> 16 && remotePort <= (r & 0xFFFF) && uePort >= u >>> 16 && uePort <= (u & 0xFFFF)) {
                return true;
            }
        }
        return false;
    }

    private static boolean prefixMatches(int[] s, int at, int prefix, int ipVersion, long hi, long lo) {
        int length = prefix >>> 4;
        if ((prefix & 15) != ipVersion) {
            return false;
        }
        if (ipVersion == 4) {
            return length == 0 || (((int) lo ^ s[at]) & (-1 << (32 - length))) == 0;
        }
        long netHi = (long) s[at] << 32 | (s[at + 1] & 0xFFFF_FFFFL);
        long netLo = (long) s[at + 2] << 32 | (s[at + 3] & 0xFFFF_FFFFL);
        if (length <= 64) {
            return length == 0 || ((hi ^ netHi) & (-1L << (64 - length))) == 0;
        }
        return hi == netHi && ((lo ^ netLo) & (-1L << (128 - length))) == 0;
    }

    // ---- the matched PDR (h from matchPdr or pdrHandle) ----

    public int pdrId(int h) {
        return b[h + 1] & 0xFFFF;
    }

    public long precedence(int h) {
        return b[h] & 0xFFFF_FFFFL;
    }

    /** {@link SessionModel#ACCESS} or {@link SessionModel#CORE}. */
    public int sourceInterface(int h) {
        return b[h + 1] >>> 16 & 3;
    }

    public boolean removeOuterHeader(int h) {
        return (b[h + 1] & 1 << 18) != 0;
    }

    /** The PDR's local TEID, 0 when it matches on none. */
    public int localTeid(int h) {
        return b[h + 2];
    }

    public long farId(int h) {
        return b[b[h + 3]] & 0xFFFF_FFFFL;
    }

    /** {@link SessionModel#FORWARD}, {@link SessionModel#DROP} or {@link SessionModel#BUFFER}. */
    public int farAction(int h) {
        return b[b[h + 3] + 1] & 15;
    }

    /** {@link SessionModel#ACCESS}, {@link SessionModel#CORE} or 0. */
    public int farDestination(int h) {
        return b[b[h + 3] + 1] >>> 4 & 15;
    }

    public boolean hasOuterHeader(int h) {
        return (b[b[h + 3] + 1] & 1 << 8) != 0;
    }

    public boolean outerPeerIsIpv6(int h) {
        return (b[b[h + 3] + 1] & 1 << 9) != 0;
    }

    public int outerTeid(int h) {
        return b[b[h + 3] + 2];
    }

    public int outerPort(int h) {
        return b[b[h + 3] + 3];
    }

    public int outerPeerIpv4(int h) {
        return b[b[h + 3] + 4];
    }

    public long outerPeerIpv6Hi(int h) {
        int at = b[h + 3] + 4;
        return (long) b[at] << 32 | (b[at + 1] & 0xFFFF_FFFFL);
    }

    public long outerPeerIpv6Lo(int h) {
        int at = b[h + 3] + 6;
        return (long) b[at] << 32 | (b[at + 1] & 0xFFFF_FFFFL);
    }

    /** The QFI the FAR's outer header names, or -1. */
    public int outerQfi(int h) {
        return (b[b[h + 3] + 1] >>> 17 & 127) - 1;
    }

    /** DSCP for the outer header, or -1 = leave as is. */
    public int transportDscp(int h) {
        return (b[b[h + 3] + 1] >>> 10 & 127) - 1;
    }

    /** The QFI to carry downlink: the FAR's outer header QFI, else the first of the PDR's QERs that names one, else -1. */
    public int downlinkQfi(int h) {
        int qfi = outerQfi(h);
        for (int i = 0, n = qerSlotCount(h); qfi < 0 && i < n; i++) {
            qfi = b[b[b[h + 6] + i] + 2];
        }
        return qfi;
    }

    public int qerSlotCount(int h) {
        return b[h + 5] >>> 8 & 0xFF;
    }

    /** The global slot of the PDR's {@code i}-th QER: index of qos state arrays. */
    public int qerSlot(int h, int i) {
        return b[b[b[h + 6] + i] + 1];
    }

    public int urrSlotCount(int h) {
        return b[h + 5] >>> 16 & 0xFF;
    }

    /** The global slot of the PDR's {@code i}-th URR: index of charging state arrays. */
    public int urrSlot(int h, int i) {
        return b[b[b[h + 6] + qerSlotCount(h) + i] + 1];
    }
}
