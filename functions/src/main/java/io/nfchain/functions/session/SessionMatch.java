package io.nfchain.functions.session;

import io.nfchain.core.packet.FlowKey;

/**
 * Not thread-safe: one per reader (the worker), allocation-free. Finds a packet's session and PDR
 * in a {@link SessionTable} and holds the answer: the matched PDR's FAR, QER and URR slots and the
 * session's slot, read through the accessors until the next lookup. For a simple session (see
 * {@link HotRecords}) and an IPv4 packet the answer comes from the session's one-line hot record;
 * otherwise from its {@link CompiledSession}, as {@link SessionTable#findUeV4} and
 * {@link CompiledSession#matchPdr} would give it. Both give the same answer for the same version
 * of a session; the lookup takes one version whole.
 */
public final class SessionMatch {
    /** A lookup's answer: a PDR matched. */
    public static final int MATCHED = 0;
    /** No session has the key. */
    public static final int NO_SESSION = 1;
    /** The session has no PDR for the packet. */
    public static final int NO_PDR = 2;
    private static final int FALLBACK = 3;

    private final SessionTable table;
    private final HotRecords hot;
    private boolean uplink;
    private int slot;
    // The hot answer: the matched PDR's words (session == null).
    private int rule;
    private int outerTeid;
    private int outerV4;
    private int portDscp;
    private int qerSlot;
    private int urrSlot;
    // The full answer.
    private CompiledSession session;
    private int handle;

    public SessionMatch(SessionTable table) {
        this.table = table;
        this.hot = table.hot();
    }

    // ---- lookups ----

    /** Uplink GTP-U: the session by TEID, its PDR from ACCESS by TEID, QFI ({@link CompiledSession#NO_QFI}) and the inner 5-tuple. */
    public int uplinkTeid(int teid, int qfi, FlowKey inner) {
        uplink = true;
        int slot = table.teidSlot(teid);
        if (slot < 0) {
            return NO_SESSION;
        }
        if (inner.ipVersion() == 4 && teid != 0) {
            int r = hotMatch(slot, false, teid, SessionModel.ACCESS, teid & 0xFFFF_FFFFL, qfi, inner.srcIpv4());
            if (r != FALLBACK) {
                return r;
            }
        }
        CompiledSession s = table.session(slot);
        if (s == null || !s.hasTeid(teid)) {
            return NO_SESSION;
        }
        return full(s, s.matchPdr(SessionModel.ACCESS, teid & 0xFFFF_FFFFL, qfi, inner));
    }

    /** Downlink: the session by destination UE address, its PDR from CORE by the 5-tuple. */
    public int downlink(FlowKey key) {
        uplink = false;
        if (key.ipVersion() == 4) {
            return ueV4(key.dstIpv4(), SessionModel.CORE, CompiledSession.NO_TEID, CompiledSession.NO_QFI, key);
        }
        return ueV6(key.dstHi(), key.dstLo(), SessionModel.CORE, CompiledSession.NO_TEID, CompiledSession.NO_QFI, key);
    }

    /**
     * Either direction, as qos and charging find a packet: the source as a UE address (uplink,
     * PDRs from ACCESS, matched with {@code uplinkTeid} and {@code uplinkQfi}, which may be
     * {@link CompiledSession#NO_TEID} and {@link CompiledSession#NO_QFI}), else the destination
     * (downlink, from CORE, no TEID or QFI). {@link #uplink} says which.
     */
    public int ue(FlowKey key, long uplinkTeid, int uplinkQfi) {
        int v = key.ipVersion();
        if (v != 4 && v != 6) {
            uplink = false;
            return NO_SESSION;
        }
        uplink = true;
        int r = v == 4 ? ueV4(key.srcIpv4(), SessionModel.ACCESS, uplinkTeid, uplinkQfi, key)
                : ueV6(key.srcHi(), key.srcLo(), SessionModel.ACCESS, uplinkTeid, uplinkQfi, key);
        if (r != NO_SESSION) {
            return r;
        }
        return downlink(key);
    }

    private int ueV4(int address, int sourceInterface, long teid, int qfi, FlowKey key) {
        int slot = table.ueV4Slot(address);
        if (slot < 0) {
            return NO_SESSION;
        }
        int r = hotMatch(slot, true, address, sourceInterface, teid, qfi, address);
        if (r != FALLBACK) {
            return r;
        }
        CompiledSession s = table.session(slot);
        if (s == null || !s.hasUeIpv4() || s.ueIpv4() != address) {
            return NO_SESSION;
        }
        return full(s, s.matchPdr(sourceInterface, teid, qfi, key));
    }

    private int ueV6(long hi, long lo, int sourceInterface, long teid, int qfi, FlowKey key) {
        CompiledSession s = table.findUeV6(hi, lo);
        return s == null ? NO_SESSION : full(s, s.matchPdr(sourceInterface, teid, qfi, key));
    }

    private int full(CompiledSession s, int h) {
        session = s;
        handle = h;
        slot = s.slot();
        return h < 0 ? NO_PDR : MATCHED;
    }

    /**
     * The hot record's answer for a session found by UE IPv4 {@code key} ({@code byUe}) or by TEID,
     * matched as {@link CompiledSession#matchPdr} would for an IPv4 packet whose UE address is
     * {@code ue}; FALLBACK when the record is not usable or changed meanwhile.
     */
    private int hotMatch(int slot, boolean byUe, int key, int sourceInterface, long teid, int qfi, int ue) {
        HotRecords r = hot;
        int word = r.acquireWord(slot);
        if (!HotRecords.usable(word)) {
            return FALLBACK;
        }
        int n = HotRecords.pdrCount(word);
        int ueV4 = r.get(slot, HotRecords.UE_V4);
        boolean owner = byUe && (word & HotRecords.HAS_UE_V4) != 0 && ueV4 == key;
        int matched = -1;
        for (int k = 0; k < n; k++) {
            long at = HotRecords.pdr(k);
            int bits = r.get(slot, at + HotRecords.RULE);
            int localTeid = r.get(slot, at + HotRecords.LOCAL_TEID);
            owner |= !byUe && localTeid == key;
            if (matched < 0 && pdrMatches(bits, localTeid, sourceInterface, teid, qfi, ue, ueV4)) {
                matched = k;
            }
        }
        if (matched >= 0) {
            long at = HotRecords.pdr(matched);
            rule = r.get(slot, at + HotRecords.RULE);
            outerTeid = r.get(slot, at + HotRecords.OUTER_TEID);
            outerV4 = r.get(slot, at + HotRecords.OUTER_V4);
            portDscp = r.get(slot, at + HotRecords.PORT_DSCP);
            qerSlot = r.get(slot, at + HotRecords.QER_SLOT);
            urrSlot = r.get(slot, at + HotRecords.URR_SLOT);
        }
        if (!r.unchanged(slot, word)) {
            return FALLBACK;
        }
        if (!owner) {
            return NO_SESSION;
        }
        session = null;
        this.slot = slot;
        return matched < 0 ? NO_PDR : MATCHED;
    }

    /** {@link CompiledSession#matchPdr}'s test of one PDR without SDF filters, for an IPv4 packet. */
    private static boolean pdrMatches(int bits, int localTeid, int sourceInterface, long teid, int qfi, int ue, int ueV4) {
        return (bits & 3) == sourceInterface
                && (localTeid == 0 || teid == CompiledSession.NO_TEID || (int) teid == localTeid)
                && ((bits & 8) == 0 || qfi == CompiledSession.NO_QFI || (bits >>> 4 & 63) == qfi)
                && ((bits & 0xC00) == 0 || (bits & 0x400) != 0 && ue == ueV4);
    }

    // ---- the answer ----

    /** Whether the session was found by the packet's source (uplink, PDRs from ACCESS). */
    public boolean uplink() {
        return uplink;
    }

    /** The session's slot, for per-session state. */
    public int slot() {
        return slot;
    }

    /** Whether the answer came from the session's hot record (for tests and benchmarks). */
    public boolean fromHotRecord() {
        return session == null;
    }

    /** The matched PDR's place in precedence order (0 = lowest precedence value). */
    public int pdrRank() {
        return session != null ? (handle - CompiledSession.HEADER) / CompiledSession.PDR : rule >>> 30 & 1;
    }

    public boolean removeOuterHeader() {
        return session != null ? session.removeOuterHeader(handle) : (rule & 4) != 0;
    }

    /** {@link SessionModel#FORWARD}, {@link SessionModel#DROP} or {@link SessionModel#BUFFER}. */
    public int farAction() {
        return session != null ? session.farAction(handle) : rule >>> 12 & 15;
    }

    /** {@link SessionModel#ACCESS}, {@link SessionModel#CORE} or 0. */
    public int farDestination() {
        return session != null ? session.farDestination(handle) : rule >>> 16 & 15;
    }

    public boolean hasOuterHeader() {
        return session != null ? session.hasOuterHeader(handle) : (rule & HotRecords.HAS_OUTER) != 0;
    }

    public boolean outerPeerIsIpv6() {
        return session != null && session.outerPeerIsIpv6(handle);
    }

    public int outerTeid() {
        return session != null ? session.outerTeid(handle) : outerTeid;
    }

    public int outerPort() {
        return session != null ? session.outerPort(handle) : portDscp & 0xFFFF;
    }

    public int outerPeerIpv4() {
        return session != null ? session.outerPeerIpv4(handle) : outerV4;
    }

    public long outerPeerIpv6Hi() {
        return session != null ? session.outerPeerIpv6Hi(handle) : 0;
    }

    public long outerPeerIpv6Lo() {
        return session != null ? session.outerPeerIpv6Lo(handle) : 0;
    }

    /** DSCP for the outer header, or -1 = leave as is. */
    public int transportDscp() {
        return session != null ? session.transportDscp(handle) : (portDscp >>> 16 & 127) - 1;
    }

    /** As {@link CompiledSession#downlinkQfi}. */
    public int downlinkQfi() {
        return session != null ? session.downlinkQfi(handle) : (rule >>> 23 & 127) - 1;
    }

    public int qerSlotCount() {
        return session != null ? session.qerSlotCount(handle) : rule >>> 21 & 1;
    }

    /** The global slot of the PDR's {@code i}-th QER. */
    public int qerSlot(int i) {
        return session != null ? session.qerSlot(handle, i) : qerSlot;
    }

    public int urrSlotCount() {
        return session != null ? session.urrSlotCount(handle) : rule >>> 22 & 1;
    }

    /** The global slot of the PDR's {@code i}-th URR. */
    public int urrSlot(int i) {
        return session != null ? session.urrSlot(handle, i) : urrSlot;
    }
}
