package io.nfchain.functions.charging;

import static io.nfchain.functions.charging.UsageLayout.R_EXHAUSTION;
import static io.nfchain.functions.charging.UsageLayout.R_REDIRECT_V4;
import static io.nfchain.functions.charging.UsageLayout.R_TIME_LIMIT_NS;
import static io.nfchain.functions.charging.UsageLayout.R_VOLUME_LIMIT;

import io.nfchain.core.memif.ClientQueuePair;
import io.nfchain.core.packet.Checksums;
import io.nfchain.core.packet.Ipv4Header;
import io.nfchain.core.packet.IpLayers;
import io.nfchain.core.packet.ParsedPacket;
import io.nfchain.functions.sdk.NetworkFunction;
import io.nfchain.functions.sdk.PacketVector;
import io.nfchain.functions.sdk.TransmitObserver;
import io.nfchain.functions.session.SessionControl;
import io.nfchain.functions.session.SessionHost;
import io.nfchain.functions.session.SessionTable;
import io.nfchain.functions.session.SharedSessions;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Not thread-safe: the poll thread runs {@link #process} and the transmit callbacks. The
 * charging function: counts bytes and packets per URR and direction, and blocks (or redirects)
 * packets of a URR whose volume or time quota is used up.
 *
 * <p>{@code process} uses the resolver (session + PDR -> usage records) and each record's quota
 * fields; it sets nothing in the packet (except a redirect's destination address and checksums)
 * and sends every packet it keeps to output 0. It counts nothing yet: it notes which records
 * each packet charges. Counting happens around the transmit ({@link TransmitObserver}): before,
 * the burst's intent goes to the usage store; after, the store completes it from the ring head,
 * so a packet is counted if and only if the ring published it (see {@link UsageStore}). Reports
 * are raised by the control thread, which reads the counters; the worker only counts and flags
 * blocked packets.
 */
public final class ChargingFunction implements NetworkFunction<ChargingCounter>, TransmitObserver, SessionHost {
    public static final String TYPE = "charging";

    private static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort BE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ChargingCounter[] COUNTERS = ChargingCounter.values();

    private final UsageStore store;
    private final UrrResolver resolver;
    private final SessionControl sessions;
    private final ChargingControl control;
    private final int[] records;
    private long warmSink;

    /**
     * @param sessions the sessions {@code resolver} reads, served over gRPC; null outside a runner
     * @param control the charging control the gRPC service uses; null outside a runner
     */
    ChargingFunction(UsageStore store, UrrResolver resolver, SessionControl sessions, ChargingControl control) {
        this.store = store;
        this.resolver = resolver;
        this.sessions = sessions;
        this.control = control;
        this.records = new int[store.layout.urrsPerPacket + 1]; // one more, to see "too many"
    }

    /**
     * Charging as the runner builds it, for a runner or a tool (benchmarks): the usage store in
     * {@code stateDir} (recovered if one is there), offline records appended to {@code recordsFile},
     * sessions and charging control. Values are not checked here; the runner checks its configuration
     * first.
     *
     * @param regionFile link 0's memif region file, or null (then a crash mid-burst may lose that burst's usage)
     */
    public static ChargingFunction assemble(Path stateDir, Path regionFile, Path recordsFile, int maxUrrs,
            int maxSessions, int urrsPerPacket, int fsyncEveryRecords, long fsyncIntervalNs, long reportIntervalNs,
            long recordIntervalNs, int burstSize) {
        return assemble(stateDir, regionFile, recordsFile, maxUrrs, maxSessions, urrsPerPacket, fsyncEveryRecords,
                fsyncIntervalNs, reportIntervalNs, recordIntervalNs, burstSize, null);
    }

    /**
     * As above, as a later stage of a pipeline sharing {@code shared}'s sessions (null: a table of
     * its own): usage records are mapped from the shared table's URR slots (its URR slot capacity
     * must be {@code maxUrrs}), and a packet the first stage matched is charged on that answer
     * without a lookup.
     */
    public static ChargingFunction assemble(Path stateDir, Path regionFile, Path recordsFile, int maxUrrs,
            int maxSessions, int urrsPerPacket, int fsyncEveryRecords, long fsyncIntervalNs, long reportIntervalNs,
            long recordIntervalNs, int burstSize, SharedSessions shared) {
        if (shared != null && shared.table().urrSlotCapacity() != maxUrrs) {
            throw new IllegalArgumentException("the shared table has " + shared.table().urrSlotCapacity()
                    + " URR slots, charging " + maxUrrs);
        }
        // records beyond the URR slots: a deleted URR's record waits out a grace period before reuse
        UsageLayout layout = new UsageLayout(maxUrrs + maxUrrs / 4 + 16, burstSize, urrsPerPacket);
        UsageStore store = ChargingState.openAndRecover(stateDir, layout, regionFile);
        UsageRecordFile records = new UsageRecordFile(recordsFile, fsyncEveryRecords, fsyncIntervalNs);
        ChargingControl control = new ChargingControl(store, records, maxUrrs, System::nanoTime,
                Math.max(1_000_000_000L, 2 * reportIntervalNs), recordIntervalNs);
        if (shared == null) {
            SessionTable table = new SessionTable(maxSessions, 2 * maxSessions, maxUrrs, new ChargingSessions(control));
            return new ChargingFunction(store, new SessionUrrResolver(table, control, null), new SessionControl(table),
                    control);
        }
        shared.listen(new ChargingSessions(control));
        return new ChargingFunction(store, new SessionUrrResolver(shared.table(), control, shared.answers()),
                shared.control(), control);
    }

    @Override
    public String name() {
        return TYPE;
    }

    @Override
    public SessionControl sessions() {
        return sessions;
    }

    /** Usage, quota and reports: what {@code nfchain.charging.v1.ChargingService} serves. */
    ChargingControl control() {
        return control;
    }

    @Override
    public Class<ChargingCounter> counterType() {
        return ChargingCounter.class;
    }

    @Override
    public void process(PacketVector<ChargingCounter> vector) {
        UsageStore s = store;
        s.beginBurst(vector.nowNs());
        warmSink += resolver.warm(vector, s);
        int n = vector.count();
        for (int i = 0; i < n; i++) {
            processOne(vector, i, s);
        }
    }

    /** Packet {@code i}; the store knows it by its burst position, as the transmit names it. */
    private void processOne(PacketVector<ChargingCounter> vector, int i, UsageStore s) {
        int length = vector.length(i);
        if (length == 0 || !vector.packet(i).isWellFormed()) {
            vector.drop(i, ChargingCounter.CHARGING_MALFORMED);
            return;
        }
        if (vector.packet(i).isGtpuSignalling()) {
            // the upf's echo replies and end markers, going to a gNB: forwarded, no subscriber's usage
            vector.counters().increment(ChargingCounter.CHARGING_GTPU_SIGNALLING);
            s.frame(vector.position(i), length, UrrResolver.UPLINK);
            return;
        }
        int result = resolver.resolve(vector, i, records);
        if (result < 0) {
            vector.drop(i, COUNTERS[-1 - result]);
            return;
        }
        int count = result >>> 1;
        if (count > s.layout.urrsPerPacket) {
            vector.drop(i, ChargingCounter.CHARGING_TOO_MANY_URRS);
            return;
        }
        int exhausted = exhaustedRecord(vector.nowNs(), length, count, s);
        if (exhausted >= 0) {
            overQuota(vector, i, exhausted, s);
            return;
        }
        int at = vector.position(i);
        s.frame(at, length, result & 1);
        for (int k = 0; k < count; k++) {
            s.charge(at, s.snapshot(records[k]));
        }
    }

    /** The first record whose quota this packet would exceed, or -1; takes every record's snapshot. */
    private int exhaustedRecord(long nowNs, int length, int count, UsageStore s) {
        for (int k = 0; k < count; k++) {
            int record = records[k];
            int snap = s.snapshot(record);
            if (snap < 0) {
                return record; // cannot happen: snapshots hold frames * urrsPerPacket
            }
            if (s.bytesWithPending(record, snap) + length > s.getLong(record, R_VOLUME_LIMIT)) {
                return record;
            }
            long first = s.firstPacketNs(record);
            if (first != 0 && nowNs - first > s.getLong(record, R_TIME_LIMIT_NS)) {
                return record;
            }
        }
        return -1;
    }

    private void overQuota(PacketVector<ChargingCounter> vector, int i, int record, UsageStore s) {
        s.blocked(record);
        if (s.getInt(record, R_EXHAUSTION) == 0) {
            vector.drop(i, ChargingCounter.CHARGING_QUOTA_EXHAUSTED);
            return;
        }
        int target = s.getInt(record, R_REDIRECT_V4);
        ParsedPacket p = vector.packet(i);
        IpLayers ip = p.tunnelType() == ParsedPacket.TUNNEL_NONE ? p.outer() : p.inner();
        if (target == 0 || ip.key().ipVersion() != 4 || ip.isLaterFragment()) {
            vector.drop(i, ChargingCounter.CHARGING_REDIRECT_UNSUPPORTED);
            return;
        }
        redirect(vector.data(), vector.offset(i), ip, target);
        vector.counters().increment(ChargingCounter.CHARGING_REDIRECTED);
        s.frame(vector.position(i), vector.length(i), UrrResolver.UPLINK); // forwarded to the portal, charged to no URR
    }

    /** Rewrites the IPv4 destination to {@code target}, fixing the IP and TCP/UDP checksums (RFC 1624). */
    private static void redirect(MemorySegment data, long base, IpLayers ip, int target) {
        long l3 = base + ip.l3Offset();
        int old = data.get(BE_INT, l3 + Ipv4Header.DST);
        data.set(BE_INT, l3 + Ipv4Header.DST, target);
        int ipSum = data.get(BE_SHORT, l3 + Ipv4Header.CHECKSUM) & 0xffff;
        data.set(BE_SHORT, l3 + Ipv4Header.CHECKSUM, (short) Checksums.update32(ipSum, old, target));
        int protocol = ip.key().protocol();
        int field = protocol == 6 || protocol == 17 ? Checksums.checksumField(protocol) : -1; // pseudo-header sums
        if (field >= 0 && ip.l4Offset() > 0) {
            long at = base + ip.l4Offset() + field;
            int l4Sum = data.get(BE_SHORT, at) & 0xffff;
            if (l4Sum != 0 || ip.key().protocol() != 17) { // a zero UDP checksum means "none"
                data.set(BE_SHORT, at, (short) Checksums.update32(l4Sum, old, target));
            }
        }
    }

    @Override
    public void beforeTransmit(int output, ClientQueuePair queue, int[] frames, int count) {
        store.writeIntent(queue.transmitHead(), queue.buffers() / 2, queue.bufferBytes(), frames, count);
    }

    @Override
    public void afterTransmit(int output, ClientQueuePair queue, int[] frames, int count) {
        store.complete(queue.transmitHead());
    }

    UsageStore store() {
        return store;
    }
}
