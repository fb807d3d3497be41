package io.nfchain.functions.qos;

import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.packet.IpLayers;
import io.nfchain.core.packet.ParsedPacket;
import io.nfchain.functions.sdk.CounterSet;
import io.nfchain.functions.sdk.NetworkFunction;
import io.nfchain.functions.sdk.PacketVector;
import io.nfchain.functions.session.CompiledSession;
import io.nfchain.functions.session.SessionAnswers;
import io.nfchain.functions.session.SessionControl;
import io.nfchain.functions.session.SessionHost;
import io.nfchain.functions.session.SessionMatch;
import io.nfchain.functions.session.SessionTable;
import io.nfchain.functions.session.SessionWarmer;
import io.nfchain.functions.session.SharedSessions;

/**
 * Not thread-safe: one poll thread runs {@link #process}; the control thread changes sessions
 * through {@link #sessions()} while it runs. {@code qos}: the QoS enforcement rules (QERs) of
 * per-subscriber sessions (nfchain.session.v1) — gates, MBR and GBR per direction — and DSCP
 * marking by QoS flow.
 *
 * <p>Per packet: the IP packet the rules speak of is the inner one of GTP-U, else the packet.
 * Its source being a UE address makes it uplink (PDRs from ACCESS), its destination downlink
 * (from CORE); the session's PDRs are matched (lowest precedence wins). Then, for the QERs of
 * that PDR: any gate closed in this direction drops ({@link QosCounter#QOS_GATE_CLOSED}); each
 * QER with an MBR or GBR meters the IP packet's bytes with its trTCM (PIR = MBR, CIR = GBR,
 * color-blind). Red under any QER drops ({@link QosCounter#QOS_MBR_EXCEEDED}) unless the packet
 * is green under a QER with a GBR ({@link QosCounter#QOS_GBR_PROTECTED}): within its guaranteed
 * rate a flow is not dropped by an aggregate MBR it shares. A dropped packet takes no tokens
 * from any policer; a protected one is charged in full to the policers that colored it red
 * (their buckets may go into debt), so the aggregate's other flows get that much less. The
 * forwarded packet is marked with the DSCP {@code nfchain.qos.qfi-dscp} gives its QFI (the GTP-U
 * container's, else the PDR's downlink QFI: its FAR's outer header's, else its first QER's).
 *
 * <p>Uses the parse (outer/inner 5-tuple, QFI). Sets the DSCP. Packets leave by output 0
 * ({@code "out"}) or are dropped with one of {@link QosCounter}'s drop reasons; packets of no
 * session pass ({@link QosCounter#QOS_NO_SESSION_PASS}) or, configured so, are dropped
 * ({@link QosCounter#SESSION_UNKNOWN}). Nothing here allocates or locks. Semantics in detail:
 * docs/qos.md; cost per packet: measured in the chain by {@code ./nfchain bench upf}.
 */
public final class QosFunction implements NetworkFunction<QosCounter>, SessionHost {
    public static final String TYPE = "qos";
    private static final int UPLINK = 0;
    private static final int DOWNLINK = 1;
    /** The most QERs a PDR references (the compiled session keeps the count in 8 bits). */
    private static final int MAX_QERS = 255;
    private static final QosCounter[] COUNTERS = QosCounter.values();

    private final SessionTable table;
    private final SessionWarmer warmer;
    private final SessionMatch match;
    /** The first stage's answers when this qos shares its sessions, else null. */
    private final SessionAnswers answers;
    private long warmSink;
    private final SessionControl control;
    private final QerStates qers;
    private final Policers policers;
    private final DscpMarker marker = new DscpMarker();
    private final QfiDscpMap qfiDscp;
    private final boolean markOuter;
    private final boolean dropNoSession;
    private final int[] colors = new int[MAX_QERS];
    private final int[] outcome = new int[PacketBurst.MAX_CAPACITY];
    private final int[] markedDscp = new int[PacketBurst.MAX_CAPACITY];

    /**
     * @param maxSessions   sessions the function holds at most (1 .. 2^24); QER slots are twice that
     * @param bursts        bucket sizes for the rates of QERs
     * @param qfiDscp       DSCP by QFI
     * @param markOuter     mark the outer header of GTP-U too
     * @param dropNoSession drop packets of no session instead of passing them
     */
    public QosFunction(int maxSessions, QosBursts bursts, QfiDscpMap qfiDscp, boolean markOuter, boolean dropNoSession) {
        this(maxSessions, bursts, qfiDscp, markOuter, dropNoSession, null);
    }

    /**
     * qos as a later stage of a pipeline sharing {@code shared}'s sessions (null: a table of its
     * own): its policers are indexed by the shared table's QER slots, and a packet the first stage
     * matched is decided on that answer without a lookup.
     *
     * @param maxSessions sessions of its own table; with {@code shared}, the shared table's size decides
     */
    public QosFunction(int maxSessions, QosBursts bursts, QfiDscpMap qfiDscp, boolean markOuter, boolean dropNoSession,
            SharedSessions shared) {
        if (shared == null && (maxSessions < 1 || maxSessions > 1 << 24)) {
            throw new IllegalArgumentException("max sessions must be 1..16777216, not " + maxSessions);
        }
        if (shared == null) {
            this.qers = new QerStates(2 * maxSessions, bursts);
            this.table = new SessionTable(maxSessions, 2 * maxSessions, 0, qers);
            this.control = new SessionControl(table);
            this.answers = null;
        } else {
            this.qers = new QerStates(shared.table().qerSlotCapacity(), bursts);
            shared.listen(qers);
            this.table = shared.table();
            this.control = shared.control();
            this.answers = shared.answers();
        }
        this.warmer = new SessionWarmer(table, 512);
        this.match = new SessionMatch(table);
        this.policers = qers.policers();
        this.qfiDscp = qfiDscp;
        this.markOuter = markOuter;
        this.dropNoSession = dropNoSession;
    }

    @Override
    public String name() {
        return TYPE;
    }

    @Override
    public Class<QosCounter> counterType() {
        return QosCounter.class;
    }

    /** The session rules (any thread; changes are serialized). */
    @Override
    public SessionControl sessions() {
        return control;
    }

    Policers policers() {
        return policers;
    }

    @Override
    public void process(PacketVector<QosCounter> vector) {
        long nowNs = vector.nowNs();
        CounterSet<QosCounter> counters = vector.counters();
        int n = vector.count();
        warm(vector, n);
        for (int i = 0; i < n; i++) {
            markedDscp[i] = -1;
            QosCounter c = decide(vector, i, nowNs);
            outcome[i] = c.ordinal();
            if (c.isDrop()) {
                vector.drop(i, c);
            } else {
                counters.increment(c);
                if (markedDscp[i] >= 0) {
                    counters.increment(QosCounter.QOS_DSCP_MARKED);
                }
            }
        }
    }

    /**
     * Loads the burst's sessions and their first QER's state before any packet is decided, so their
     * cache misses overlap ({@link SessionWarmer}); the keys are the ones {@link #decide} looks up.
     */
    private void warm(PacketVector<QosCounter> vector, int n) {
        SessionWarmer w = warmer;
        w.clear();
        SessionAnswers a = answers;
        long acc = 0;
        for (int i = 0; i < n; i++) {
            ParsedPacket p = vector.packet(i);
            if (!p.isWellFormed()) {
                continue;
            }
            SessionMatch answer = a == null ? null : a.answer(vector.position(i));
            if (answer != null) {
                acc += answer.qerSlotCount() > 0 ? qers.warm(answer.qerSlot(0)) : 0;
                continue;
            }
            boolean tunnelled = p.tunnelType() == ParsedPacket.TUNNEL_GTPU && p.inner().l3Offset() >= 0;
            w.ueSourceOrDestination(tunnelled ? p.inner().key() : p.outer().key());
        }
        w.run();
        for (int k = 0, keys = w.count(); k < keys; k++) {
            int first = w.qerSlot(k, 0);
            int second = w.qerSlot(k, 1);
            acc += qers.warm(first) + (second != first ? qers.warm(second) : 0);
        }
        warmSink += acc;
    }

    private QosCounter decide(PacketVector<QosCounter> vector, int i, long nowNs) {
        ParsedPacket p = vector.packet(i);
        if (!p.isWellFormed()) {
            return QosCounter.QOS_MALFORMED;
        }
        if (p.isGtpuSignalling()) {
            // the upf's echo replies and end markers, going to a gNB: no subscriber's traffic to police
            return QosCounter.QOS_GTPU_SIGNALLING_PASS;
        }
        boolean tunnelled = p.tunnelType() == ParsedPacket.TUNNEL_GTPU && p.inner().l3Offset() >= 0;
        IpLayers ip = tunnelled ? p.inner() : p.outer();
        SessionMatch s = answers == null ? null : answers.answer(vector.position(i));
        int result = SessionMatch.MATCHED;
        if (s == null) {
            s = match;
            // The TEID and QFI apply when the packet's source is a UE (uplink), as GTP-U.
            result = s.ue(ip.key(), tunnelled ? p.teid() & 0xFFFF_FFFFL : CompiledSession.NO_TEID,
                    tunnelled && p.qfi() >= 0 ? p.qfi() : CompiledSession.NO_QFI);
        }
        if (result == SessionMatch.NO_SESSION) {
            return dropNoSession ? QosCounter.SESSION_UNKNOWN : QosCounter.QOS_NO_SESSION_PASS;
        }
        if (result == SessionMatch.NO_PDR) {
            return QosCounter.SESSION_NO_PDR;
        }
        QosCounter verdict = enforce(s, s.uplink() ? UPLINK : DOWNLINK, ip.l3End() - ip.l3Offset(), nowNs);
        if (!verdict.isDrop()) {
            mark(vector, i, p, s);
        }
        return verdict;
    }

    /** The QERs of the matched PDR: gates, then every policer's color, then the tokens taken. */
    private QosCounter enforce(SessionMatch s, int direction, int bytes, long nowNs) {
        int n = Math.min(s.qerSlotCount(), MAX_QERS);
        int closed = direction == UPLINK ? QerStates.GATE_CLOSED_UPLINK : QerStates.GATE_CLOSED_DOWNLINK;
        int gbr = direction == UPLINK ? QerStates.GBR_UPLINK : QerStates.GBR_DOWNLINK;
        boolean red = false;
        boolean guaranteed = false;
        int policed = direction == UPLINK ? QerStates.POLICED_UPLINK : QerStates.POLICED_DOWNLINK;
        for (int k = 0; k < n; k++) {
            if ((qers.sync(s.qerSlot(k)) & closed) != 0) {
                return QosCounter.QOS_GATE_CLOSED;
            }
        }
        Policers pol = policers;
        int[] c = colors;
        for (int k = 0; k < n; k++) {
            int q = s.qerSlot(k);
            int bits = qers.sync(q);
            // Without a policer the meter answers green and takes nothing: its line is not read.
            int color = (bits & policed) == 0 ? Policers.GREEN
                    : pol.meter(QerStates.policer(q, direction), bytes, nowNs, Policers.GREEN);
            c[k] = color;
            red |= color == Policers.RED;
            guaranteed |= color == Policers.GREEN && (bits & gbr) != 0;
        }
        if (red && !guaranteed) {
            return QosCounter.QOS_MBR_EXCEEDED;
        }
        for (int k = 0; k < n; k++) {
            int q = s.qerSlot(k);
            if ((qers.bits(q) & policed) == 0) {
                continue;
            }
            int slot = QerStates.policer(q, direction);
            if (c[k] == Policers.RED) {
                pol.charge(slot, bytes);
            } else {
                pol.commit(slot, bytes, c[k]);
            }
        }
        return red ? QosCounter.QOS_GBR_PROTECTED : QosCounter.QOS_PASS;
    }

    private void mark(PacketVector<QosCounter> vector, int i, ParsedPacket p, SessionMatch s) {
        int qfi = p.tunnelType() == ParsedPacket.TUNNEL_GTPU && p.qfi() >= 0 ? p.qfi() : s.downlinkQfi();
        int dscp = qfiDscp.dscp(qfi);
        if (dscp >= 0) {
            marker.mark(vector.data(), vector.offset(i), p, dscp, markOuter);
            markedDscp[i] = dscp;
        }
    }

    @Override
    public void trace(PacketVector<QosCounter> vector, int index, StringBuilder out) {
        QosCounter c = COUNTERS[outcome[index]];
        out.append("qos: ").append(c.isDrop() ? "drop, " : "forward, ").append(c.text());
        if (!c.isDrop() && markedDscp[index] >= 0) {
            out.append(", dscp set to ").append(markedDscp[index]);
        }
    }
}
