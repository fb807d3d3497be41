package io.nfchain.functions.upf;

import io.nfchain.core.packet.FlowKey;
import io.nfchain.core.packet.GtpuHeader;
import io.nfchain.core.packet.IpLayers;
import io.nfchain.core.packet.Layer;
import io.nfchain.core.packet.NetBytes;
import io.nfchain.core.packet.PacketParser;
import io.nfchain.core.packet.ParsedPacket;
import io.nfchain.functions.sdk.CounterSet;
import io.nfchain.functions.sdk.NetworkFunction;
import io.nfchain.functions.sdk.PacketVector;
import io.nfchain.functions.session.SessionAnswers;
import io.nfchain.functions.session.SessionMatch;
import io.nfchain.functions.session.SessionControl;
import io.nfchain.functions.session.SessionHost;
import io.nfchain.functions.session.SessionModel;
import io.nfchain.functions.session.SessionTable;
import io.nfchain.functions.session.SessionWarmer;
import io.nfchain.functions.session.SharedSessions;
import java.lang.foreign.MemorySegment;

/**
 * Not thread-safe: one poll thread runs {@link #process}; sessions change through
 * {@link #sessions()} from any thread meanwhile. {@code upf}: the GTP-U user plane (TS 29.281,
 * TS 29.244 rules).
 *
 * <p>Per packet, in place: GTP-U to the upf's N3 address ({@link UpfSettings}) is uplink. A G-PDU
 * finds its session by TEID and its PDR by TEID, QFI (PDU Session Container) and the inner
 * 5-tuple; the FAR forwards (outer IP/UDP/GTP-U removed when the PDR says so), drops or buffers.
 * Echo requests are answered in place with a Recovery IE; echo responses, end markers and error
 * indications are consumed and counted. Anything else is downlink: the session by destination UE
 * address, the PDR by the 5-tuple, and a forwarding FAR's outer header creation prepends IPv4/IPv6 +
 * UDP 2152 + GTP-U (with a container carrying the QFI when the FAR or a QER names one) in the
 * runner's headroom. After the received packets: buffered packets whose FAR now forwards are
 * released, and end markers go to peers a FAR left (handover); both are appended to the burst
 * ({@link PacketVector#append}) as room allows. Drops are counted by reason ({@link UpfCounter}).
 * Nothing here allocates or locks; sessions are read from a {@link SessionTable}.
 */
public final class UpfFunction implements NetworkFunction<UpfCounter>, SessionHost, AutoCloseable {
    public static final String TYPE = "upf";

    private final UpfSettings settings;
    private final SessionTable table;
    private final SessionControl control;
    private final UpfBuffers buffers;
    private final UpfSessionEvents events;
    private final GtpuFrames.Peer peer = new GtpuFrames.Peer();
    private final ParsedPacket scratch = new ParsedPacket();
    private final UpfCounter[] outcome = new UpfCounter[1024];
    private final SessionWarmer warmer;
    private int warmSink;
    private int seenEpoch;
    private boolean releasePending;
    private long notSentSeen;
    private long templateDstMac;
    private long templateSrcMac;
    /** classify()'s answer, beside its drop reason (for packets released from buffers, and without answers). */
    private final SessionMatch match;
    /** Where each packet's answer goes for the stages after this one, or null when the upf has its own table. */
    private final SessionAnswers answers;

    /** A upf with a session table of its own. */
    public UpfFunction(UpfSettings settings) {
        this(settings, null);
    }

    /**
     * A upf as the first stage of a pipeline sharing {@code shared}'s sessions (null: a table of its
     * own, of {@code settings.maxSessions()}): each packet's session and PDR are left in
     * {@link SharedSessions#answers()} for the stages after it.
     */
    public UpfFunction(UpfSettings settings, SharedSessions shared) {
        this.settings = settings;
        this.events = new UpfSessionEvents();
        if (shared == null) {
            this.table = SessionTable.withCapacity(settings.maxSessions(), events);
            this.control = new SessionControl(table);
            this.answers = null;
        } else {
            if (shared.table().maxSessions() != settings.maxSessions()) {
                throw new IllegalArgumentException("the shared table holds " + shared.table().maxSessions()
                        + " sessions, the upf " + settings.maxSessions());
            }
            shared.listen(events);
            this.table = shared.table();
            this.control = shared.control();
            this.answers = shared.answers();
        }
        this.warmer = new SessionWarmer(table, 256);
        this.match = new SessionMatch(table);
        this.buffers = new UpfBuffers(settings.bufferPackets(), settings.bufferPacketsPerSession(), settings.maxSessions());
    }

    @Override
    public String name() {
        return TYPE;
    }

    @Override
    public Class<UpfCounter> counterType() {
        return UpfCounter.class;
    }

    @Override
    public SessionControl sessions() {
        return control;
    }

    @Override
    public void process(PacketVector<UpfCounter> vector) {
        int n = vector.count();
        warm(vector, n);
        SessionAnswers a = answers;
        if (a != null) {
            a.nextBurst();
        }
        for (int i = 0; i < n; i++) {
            outcome[i] = handle(vector, i, a);
        }
        int epoch = events.epoch();
        if (epoch != seenEpoch) {
            seenEpoch = epoch;
            releasePending = true;
        }
        if (releasePending && buffers.slotCount() > 0) {
            releasePending = release(vector);
        }
        if (events.markers().size() > 0) {
            sendEndMarkers(vector);
        }
        long notSent = events.markersNotSent();
        if (notSent != notSentSeen) {
            vector.counters().add(UpfCounter.UPF_END_MARKER_NOT_SENT, notSent - notSentSeen);
            notSentSeen = notSent;
        }
    }

    /**
     * Loads the burst's sessions and their buffer counts before any packet is decided, so their
     * cache misses overlap ({@link SessionWarmer}); the keys are the ones {@link #classify} looks up.
     */
    private void warm(PacketVector<UpfCounter> vector, int n) {
        SessionWarmer w = warmer;
        w.clear();
        for (int i = 0; i < n; i++) {
            ParsedPacket p = vector.packet(i);
            if (!p.isWellFormed()) {
                continue;
            }
            FlowKey outer = p.outer().key();
            if (p.has(Layer.GTPU) && isLocal(outer)) {
                w.teid(p.teid());
            } else if (outer.ipVersion() == 4) {
                w.ueV4(outer.dstIpv4());
            } else if (outer.ipVersion() == 6) {
                w.ueV6(outer.dstHi());
            }
        }
        w.run();
        if (buffers.slotCount() == 0) {
            return; // decide() reads no buffer count while nothing is buffered
        }
        int acc = 0;
        for (int k = 0, keys = w.count(); k < keys; k++) {
            int slot = w.slot(k);
            if (slot >= 0 && slot < settings.maxSessions()) {
                acc += buffers.count(slot);
            }
        }
        warmSink += acc;
    }

    /** Decides packet {@code i}; returns the counter it was counted by. */
    private UpfCounter handle(PacketVector<UpfCounter> vector, int i, SessionAnswers answers) {
        ParsedPacket p = vector.packet(i);
        UpfCounter why;
        if (!p.isWellFormed()) {
            why = UpfCounter.UPF_MALFORMED;
        } else if (p.outer().key().ipVersion() == 0) {
            why = UpfCounter.UPF_NOT_IP;
        } else if (p.has(Layer.GTPU) && isLocal(p.outer().key()) && p.gtpMessageType() != GtpuHeader.G_PDU) {
            why = control(vector, i, p);
        } else {
            // The first stage's vector is the whole burst: packet i is at burst position i. A burst
            // larger than the answers (a worker built with a bigger burst) leaves the rest unanswered.
            boolean answer = answers != null && i < answers.capacity();
            SessionMatch m = answer ? answers.match(i) : match;
            why = classify(p, m);
            if (why == null) {
                UpfCounter done = decide(vector, i, p, m, true);
                if (answer && vector.output(i) == 0) {
                    answers.answered(i);
                }
                return done;
            }
        }
        if (why != UpfCounter.UPF_ECHO_REPLIED) {
            vector.drop(i, why);
        }
        return why;
    }

    /** GTP-U messages other than G-PDUs: the counter of what was done. */
    private UpfCounter control(PacketVector<UpfCounter> vector, int i, ParsedPacket p) {
        return switch (p.gtpMessageType()) {
            case GtpuHeader.ECHO_REQUEST -> echo(vector, i, p);
            case GtpuHeader.ECHO_RESPONSE -> UpfCounter.UPF_ECHO_RESPONSE_RECEIVED;
            case GtpuHeader.END_MARKER -> UpfCounter.UPF_END_MARKER_RECEIVED;
            case GtpuHeader.ERROR_INDICATION -> UpfCounter.UPF_ERROR_INDICATION_RECEIVED;
            default -> UpfCounter.UPF_GTPU_UNSUPPORTED;
        };
    }

    private UpfCounter echo(PacketVector<UpfCounter> vector, int i, ParsedPacket p) {
        long frame = vector.offset(i);
        int length = GtpuFrames.echoResponse(vector.data(), frame, frame + p.l3Offset(),
                p.outer().key().ipVersion() == 6, frame + p.tunnelOffset(), settings.restartCounter());
        vector.setLength(i, length);
        vector.counters().increment(UpfCounter.UPF_ECHO_REPLIED);
        return UpfCounter.UPF_ECHO_REPLIED;
    }

    /**
     * Finds the session and PDR of a G-PDU to this upf (uplink) or of any other IP packet
     * (downlink) into {@code match}; null, or the drop reason.
     */
    private UpfCounter classify(ParsedPacket p, SessionMatch match) {
        FlowKey outer = p.outer().key();
        int result;
        if (p.has(Layer.GTPU) && isLocal(outer)) {
            IpLayers inner = p.inner();
            if (inner.l3Offset() < 0) {
                return UpfCounter.UPF_GTPU_NO_INNER;
            }
            result = match.uplinkTeid(p.teid(), p.qfi(), inner.key());
        } else {
            result = match.downlink(outer);
        }
        return result == SessionMatch.MATCHED ? null
                : result == SessionMatch.NO_PDR ? UpfCounter.SESSION_NO_PDR : UpfCounter.SESSION_UNKNOWN;
    }

    /** Applies the matched PDR's FAR; {@code fromWire} false for a packet released from a buffer. */
    private UpfCounter decide(PacketVector<UpfCounter> vector, int i, ParsedPacket p, SessionMatch s, boolean fromWire) {
        int action = s.farAction();
        if (action == SessionModel.DROP) {
            vector.drop(i, UpfCounter.UPF_FAR_DROP);
            return UpfCounter.UPF_FAR_DROP;
        }
        // Behind packets still buffered, a packet waits its turn so the session's order holds; while
        // nothing is buffered anywhere, the session's count (a line of its own) is not read.
        if (action == SessionModel.BUFFER || fromWire && buffers.slotCount() > 0 && buffers.count(s.slot()) > 0) {
            UpfCounter why = buffers.add(s.slot(), vector.data(), vector.offset(i), vector.length(i))
                    ? UpfCounter.UPF_BUFFERED : UpfCounter.UPF_BUFFER_FULL;
            if (why == UpfCounter.UPF_BUFFERED) {
                releasePending |= action != SessionModel.BUFFER;
            }
            vector.drop(i, why);
            return why;
        }
        return forward(vector, i, p, s);
    }

    private UpfCounter forward(PacketVector<UpfCounter> vector, int i, ParsedPacket p, SessionMatch s) {
        int l2 = p.l3Offset();
        IpLayers ip = p.outer();
        boolean up = s.uplink();
        if (up && s.removeOuterHeader()) {
            decapsulate(vector, i, l2, p.inner());
            ip = p.inner();
        }
        if (s.hasOuterHeader()) {
            UpfCounter why = encapsulate(vector, i, l2, ip.l3End() - ip.l3Offset(), ip.trafficClass(), s);
            if (why != null) {
                vector.drop(i, why);
                return why;
            }
        } else if (s.farDestination() == SessionModel.ACCESS) {
            vector.drop(i, UpfCounter.UPF_NOT_FORWARDABLE);
            return UpfCounter.UPF_NOT_FORWARDABLE;
        }
        UpfCounter done = up ? UpfCounter.UPF_UPLINK_FORWARDED : UpfCounter.UPF_DOWNLINK_FORWARDED;
        vector.counters().increment(done);
        return done;
    }

    /** Removes outer IP, UDP and GTP-U: the L2 header moves up to the inner packet. */
    private static void decapsulate(PacketVector<?> vector, int i, int l2, IpLayers inner) {
        MemorySegment data = vector.data();
        int shift = inner.l3Offset() - l2;
        long frame = vector.offset(i);
        MemorySegment.copy(data, frame, data, frame + shift, l2);
        vector.trimFront(i, shift);
        NetBytes.put16(data, frame + shift + l2 - 2,
                inner.key().ipVersion() == 6 ? GtpuFrames.ETHERTYPE_IPV6 : GtpuFrames.ETHERTYPE_IPV4);
        vector.setLength(i, l2 + inner.l3End() - inner.l3Offset());
    }

    /** Prepends the FAR's tunnel in front of the IP packet at {@code l2}; null, or the drop reason. */
    private UpfCounter encapsulate(PacketVector<?> vector, int i, int l2, int ipBytes, int innerTos, SessionMatch s) {
        if (!peer(s)) {
            return UpfCounter.UPF_NO_LOCAL_ADDRESS;
        }
        int qfi = s.downlinkQfi();
        int tunnel = GtpuFrames.tunnelBytes(peer.ipv6, qfi >= 0);
        long old = vector.offset(i);
        if (!vector.prepend(i, tunnel)) {
            return UpfCounter.UPF_NO_HEADROOM;
        }
        MemorySegment data = vector.data();
        long at = vector.offset(i);
        // Read before the copy, not from the copy: loads over bytes just stored one by one stall
        // until those stores retire (JFR had these two reads at 15% of the upf -> qos path).
        templateDstMac = NetBytes.u48(data, old);
        templateSrcMac = NetBytes.u48(data, old + 6);
        MemorySegment.copy(data, old, data, at, l2);
        NetBytes.put16(data, at + l2 - 2, peer.ipv6 ? GtpuFrames.ETHERTYPE_IPV6 : GtpuFrames.ETHERTYPE_IPV4);
        int dscp = s.transportDscp();
        int tos = dscp >= 0 ? dscp << 2 | innerTos & 3 : innerTos;
        GtpuFrames.writeTunnel(data, at + l2, peer, GtpuHeader.G_PDU, s.outerTeid(), qfi, tos, ipBytes);
        vector.setLength(i, l2 + tunnel + ipBytes);
        return null;
    }

    /** Fills {@link #peer} from the matched FAR; false when the upf has no address of its IP version. */
    private boolean peer(SessionMatch s) {
        GtpuFrames.Peer t = peer;
        t.ipv6 = s.outerPeerIsIpv6();
        if (t.ipv6 ? !settings.hasIpv6() : !settings.hasIpv4()) {
            return false;
        }
        t.hi = t.ipv6 ? s.outerPeerIpv6Hi() : 0;
        t.lo = t.ipv6 ? s.outerPeerIpv6Lo() : s.outerPeerIpv4() & 0xFFFF_FFFFL;
        t.port = s.outerPort();
        localAddress(t);
        return true;
    }

    private void localAddress(GtpuFrames.Peer t) {
        t.localHi = t.ipv6 ? settings.ipv6Hi() : 0;
        t.localLo = t.ipv6 ? settings.ipv6Lo() : settings.ipv4() & 0xFFFF_FFFFL;
    }

    private boolean isLocal(FlowKey key) {
        UpfSettings c = settings;
        if (!c.hasIpv4() && !c.hasIpv6()) {
            return true;
        }
        return key.ipVersion() == 4 ? c.hasIpv4() && key.dstIpv4() == c.ipv4()
                : c.hasIpv6() && key.dstHi() == c.ipv6Hi() && key.dstLo() == c.ipv6Lo();
    }

    /**
     * Sends what buffers hold for sessions whose FAR now forwards, oldest first, appended to the
     * burst. Returns true when the burst ran out of room (try again next burst).
     */
    private boolean release(PacketVector<UpfCounter> vector) {
        for (int k = 0; k < buffers.slotCount(); ) {
            int slot = buffers.slotAt(k);
            int held = buffers.slotCount();
            if (drain(vector, slot)) {
                return true;
            }
            if (buffers.slotCount() == held) {
                k++;
            }
        }
        return false;
    }

    private boolean drain(PacketVector<UpfCounter> vector, int slot) {
        CounterSet<UpfCounter> counters = vector.counters();
        MemorySegment cells = buffers.cells();
        while (buffers.count(slot) > 0) {
            int cell = buffers.first(slot);
            int length = buffers.length(cell);
            PacketParser.parse(cells, buffers.cellOffset(cell), length, scratch);
            UpfCounter why = classify(scratch, match);
            int action = why == null && match.slot() == slot ? match.farAction() : SessionModel.DROP;
            if (action == SessionModel.BUFFER) {
                return false;
            }
            if (action == SessionModel.DROP) {
                buffers.removeFirst(slot);
                counters.increment(UpfCounter.UPF_BUFFER_DISCARDED);
                continue;
            }
            int i = vector.append(length);
            if (i < 0) {
                return true;
            }
            MemorySegment.copy(cells, buffers.cellOffset(cell), vector.data(), vector.offset(i), length);
            buffers.removeFirst(slot);
            vector.reparse(i);
            counters.increment(UpfCounter.UPF_BUFFER_RELEASED);
            outcome[i] = decide(vector, i, vector.packet(i), match, false);
        }
        return false;
    }

    /** Appends an end marker per queued handover, to the peer the FAR left. */
    private void sendEndMarkers(PacketVector<UpfCounter> vector) {
        EndMarkerQueue q = events.markers();
        GtpuFrames.Peer t = peer;
        while (q.size() > 0) {
            int teid = q.peek(t);
            if (t.ipv6 ? !settings.hasIpv6() : !settings.hasIpv4()) {
                q.poll();
                vector.counters().increment(UpfCounter.UPF_END_MARKER_NOT_SENT);
                continue;
            }
            localAddress(t);
            int length = 14 + GtpuFrames.tunnelBytes(t.ipv6, false);
            int i = vector.append(length);
            if (i < 0) {
                return;
            }
            q.poll();
            MemorySegment data = vector.data();
            long at = vector.offset(i);
            NetBytes.put48(data, at, templateDstMac);
            NetBytes.put48(data, at + 6, templateSrcMac);
            NetBytes.put16(data, at + 12, t.ipv6 ? GtpuFrames.ETHERTYPE_IPV6 : GtpuFrames.ETHERTYPE_IPV4);
            GtpuFrames.writeTunnel(data, at + 14, t, GtpuHeader.END_MARKER, teid, -1, 0, 0);
            vector.reparse(i);
            vector.counters().increment(UpfCounter.UPF_END_MARKER_SENT);
            outcome[i] = UpfCounter.UPF_END_MARKER_SENT;
        }
    }

    @Override
    public void trace(PacketVector<UpfCounter> vector, int index, StringBuilder out) {
        UpfCounter c = outcome[index];
        out.append("upf: ").append(c == null ? "?" : c.text());
    }

    /** The session table (reads: the worker's; tests and benchmarks look). */
    public SessionTable table() {
        return table;
    }

    @Override
    public void close() {
        buffers.close();
    }
}
