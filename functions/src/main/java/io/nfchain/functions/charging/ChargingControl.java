package io.nfchain.functions.charging;

import static io.nfchain.functions.charging.UsageLayout.*;

import io.grpc.stub.StreamObserver;
import io.nfchain.api.charging.v1.GetUsageResponse;
import io.nfchain.api.charging.v1.GrantQuotaRequest;
import io.nfchain.api.charging.v1.ReportReason;
import io.nfchain.api.charging.v1.Usage;
import io.nfchain.api.charging.v1.UsageReport;
import io.nfchain.api.session.v1.ReportingTrigger;
import io.nfchain.functions.session.SessionModel.UrrRule;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Thread-safe (every method is synchronized; the worker only calls {@link #recordOfSlot}, which
 * takes no lock). The control side of charging: binds URRs of sessions to usage records (the
 * same record again after a restart, found by SEID and URR id in the state file), grants quota,
 * answers usage, and on each {@link #tick} raises reports (thresholds, quota exhaustion, start
 * of traffic, periodic) and writes offline records. The worker never raises a report: it counts
 * and flags blocked packets; this class notices.
 *
 * <p>Reports carry cumulative usage, are numbered from a sequence kept in the state file, and
 * stay queued until acknowledged; a watcher gets every unacknowledged one first.
 */
final class ChargingControl implements AutoCloseable {
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(int[].class);
    /** Unacknowledged reports kept at most; older ones are superseded (usage is cumulative) and dropped. */
    static final int MAX_QUEUED_REPORTS = 65_536;
    static final long UNLIMITED = Long.MAX_VALUE;

    private final UsageStore store;
    private final UsageRecordFile records;
    private final LongSupplier monotonicNs;
    private final long unixMinusMonotonicNs;
    private final long reuseGraceNs;
    private final int[] slotToRecord;
    private final Map<Long, Integer> persisted = new HashMap<>(); // key(seid, urrId) -> record, from the file
    private final Map<Long, Map<Integer, Bound>> sessions = new HashMap<>();
    /** Every bound URR, in no order, for the tick to walk without chasing two levels of map nodes. */
    private final ArrayList<Bound> bound = new ArrayList<>();
    /** The bound URR of each usage record, or null: how the tick finds a record the worker changed. */
    private final Bound[] byRecord;
    /**
     * Most ticks look only at the URRs whose record the worker changed (or a grant or a rule did);
     * every this often a tick looks at every URR, for the triggers time alone moves (PERIODIC, the
     * record interval). Walking 200k URRs every 100 ms took a fifth of a core with nothing to report.
     */
    static final long FULL_TICK_INTERVAL_NS = 1_000_000_000L;
    private long lastFullTickNs = Long.MIN_VALUE / 2;
    private final long recordIntervalNs;
    private final ArrayDeque<Integer> free = new ArrayDeque<>();
    private final ArrayDeque<long[]> quarantine = new ArrayDeque<>(); // {record, freedAtNs}
    private final ArrayDeque<UsageReport> unacked = new ArrayDeque<>();
    private final List<StreamObserver<UsageReport>> watchers = new ArrayList<>();
    private final long[] counters = new long[UsageStore.COUNTERS];
    private long droppedReports;

    /** What this control knows of one bound URR (rules come back when the client re-applies sessions). */
    private static final class Bound {
        final long seid;
        final int record;
        int slot;
        UrrRule rule;
        boolean startReported;
        boolean volumeQuotaReported;
        boolean timeQuotaReported;
        long durationBaseNs;
        long lastPeriodicNs;
        long recordedPackets = -1;
        long lastRecordNs = Long.MIN_VALUE / 2;
        long blockedSeen;
        /** What {@link #due} saw when it last let this URR be evaluated; -1: never. */
        long evaluatedPackets = -1;
        /** The record's version when {@link #due} last looked; -1: look in full next time. */
        long evaluatedVersion = -1;
        long evaluatedVolumeLimit = -1;
        /** Where this URR sits in {@code bound}, the tick's flat list. */
        int index;
        long evaluatedTimeLimit = -1;

        Bound(long seid, int record) {
            this.seid = seid;
            this.record = record;
        }
    }

    /** As the full constructor, with a record at every tick for each URR whose usage changed. */
    ChargingControl(UsageStore store, UsageRecordFile records, int maxUrrSlots, LongSupplier monotonicNs,
            long reuseGraceNs) {
        this(store, records, maxUrrSlots, monotonicNs, reuseGraceNs, 0);
    }

    /**
     * @param records null: no offline records
     * @param maxUrrSlots URR slots of the session table, each mapped to a usage record
     * @param reuseGraceNs how long a freed record waits before reuse: longer than any burst the
     *     worker may still be processing with the old session
     * @param recordIntervalNs the least time between two periodic records of one URR (FINAL records
     *     and the last tick's are written at once); 0: at every tick its usage changed
     */
    ChargingControl(UsageStore store, UsageRecordFile records, int maxUrrSlots, LongSupplier monotonicNs,
            long reuseGraceNs, long recordIntervalNs) {
        this.recordIntervalNs = recordIntervalNs;
        this.byRecord = new Bound[store.layout.recordCapacity];
        this.store = store;
        this.records = records;
        this.monotonicNs = monotonicNs;
        this.reuseGraceNs = reuseGraceNs;
        this.unixMinusMonotonicNs = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
        this.slotToRecord = new int[maxUrrSlots];
        Arrays.fill(slotToRecord, -1);
        for (int r = 0; r < store.layout.recordCapacity; r++) {
            if (store.getInt(r, R_IN_USE) != 0) {
                persisted.put(key(store.getLong(r, R_SEID), store.getInt(r, R_URR_ID)), r);
            } else {
                free.add(r);
            }
        }
    }

    private static long key(long seid, int urrId) {
        return seid * 0x9E3779B97F4A7C15L ^ (urrId & 0xffffffffL) * 0xC2B2AE3D27D4EB4FL ^ seid >>> 29;
    }

    /** Worker, to warm the cache: as {@link #recordOfSlot} by a plain load, -1 for a slot out of range. */
    int recordOfSlotForWarming(int slot) {
        return slot >= 0 && slot < slotToRecord.length ? slotToRecord[slot] : -1;
    }

    /** Worker: the usage record of URR slot {@code slot}, or -1 while unbound. Lock-free. */
    int recordOfSlot(int slot) {
        return (int) SLOTS.getAcquire(slotToRecord, slot);
    }

    /**
     * Binds URR {@code urr} of session {@code seid} to {@code slot}: its usage record from the state
     * file when it has one (a restart: counters, quota left and grant kept), else a fresh record
     * with the quota of the rule. A bound URR re-bound (a replace) keeps its record and counters.
     *
     * @throws IllegalStateException when every record is in use
     */
    synchronized void bind(long seid, UrrRule urr, int slot) {
        int urrId = (int) urr.id();
        Map<Integer, Bound> urrs = sessions.computeIfAbsent(seid, s -> new HashMap<>());
        Bound bound = urrs.get(urrId);
        boolean fresh = false;
        if (bound == null) {
            Integer record = persisted.remove(key(seid, urrId));
            if (record == null || store.getLong(record, R_SEID) != seid || store.getInt(record, R_URR_ID) != urrId) {
                record = allocate(seid, urr);
                fresh = true;
            }
            bound = new Bound(seid, record);
            bound.durationBaseNs = duration(record);
            bound.blockedSeen = store.blockedPackets(record);
            urrs.put(urrId, bound);
            bound.index = this.bound.size();
            this.bound.add(bound);
            byRecord[record] = bound;
        } else if (bound.slot != slot) {
            SLOTS.setRelease(slotToRecord, bound.slot, -1);
        }
        bound.rule = urr;
        if (fresh) {
            // No usage and a quota above 0 (0 means none): nothing is due until traffic (which marks the
            // record changed) or time (the full tick's triggers). Installing 100k sessions made the tick
            // evaluate 100k empty URRs otherwise.
            bound.evaluatedPackets = 0;
            bound.recordedPackets = 0; // an offline record is written once there is usage (docs/charging.md)
            bound.evaluatedVersion = store.version(bound.record);
            bound.evaluatedVolumeLimit = store.getLong(bound.record, R_VOLUME_LIMIT);
            bound.evaluatedTimeLimit = store.getLong(bound.record, R_TIME_LIMIT_NS);
        } else {
            bound.evaluatedPackets = -1; // new thresholds may be due on the usage as it stands
            bound.evaluatedVersion = -1;
            store.markChanged(bound.record);
        }
        bound.slot = slot;
        if (bound.lastPeriodicNs == 0) {
            bound.lastPeriodicNs = monotonicNs.getAsLong();
        }
        SLOTS.setRelease(slotToRecord, slot, bound.record);
    }

    private int allocate(long seid, UrrRule urr) {
        releaseQuarantined(monotonicNs.getAsLong());
        Integer record = free.poll();
        if (record == null) {
            throw new IllegalStateException("charging holds its maximum of " + store.layout.recordCapacity + " URRs");
        }
        store.resetCounters(record);
        store.setLong(record, R_SEID, seid);
        store.setInt(record, R_URR_ID, (int) urr.id());
        store.setLong(record, R_VOLUME_LIMIT, urr.volumeQuotaBytes() > 0 ? urr.volumeQuotaBytes() : UNLIMITED);
        store.setLong(record, R_TIME_LIMIT_NS, urr.timeQuotaS() > 0 ? urr.timeQuotaS() * 1_000_000_000L : UNLIMITED);
        store.setInt(record, R_EXHAUSTION, urr.redirectOnExhaustion() ? 1 : 0);
        // IPv6 redirects are not done: such packets are dropped as CHARGING_REDIRECT_UNSUPPORTED
        store.setInt(record, R_REDIRECT_V4, urr.redirect() != null && urr.redirect().version() == 4
                ? urr.redirect().ipv4() : 0);
        store.setLong(record, R_REPORTED_BYTES, 0);
        store.setInt(record, R_IN_USE, 1);
        return record;
    }

    /**
     * Unbinds one URR of a session (gone from a replace) or, with {@code urrId} null, the whole
     * session: each gets its FINAL report and offline record (fsynced), then its record is freed.
     */
    synchronized void unbind(long seid, Integer urrId) {
        Map<Integer, Bound> urrs = sessions.get(seid);
        if (urrs == null) {
            return;
        }
        long now = monotonicNs.getAsLong();
        for (Iterator<Bound> it = urrs.values().iterator(); it.hasNext();) {
            Bound b = it.next();
            if (urrId != null && (int) b.rule.id() != urrId) {
                continue;
            }
            SLOTS.setRelease(slotToRecord, b.slot, -1);
            Usage usage = usage(b);
            raise(ReportReason.FINAL, usage, now);
            if (records != null) {
                records.append(record(usage, ReportReason.FINAL, now), now);
                records.sync();
            }
            store.setInt(b.record, R_IN_USE, 0);
            quarantine.add(new long[] {b.record, now});
            forget(b);
            it.remove();
        }
        if (urrs.isEmpty()) {
            sessions.remove(seid);
        }
    }

    /** Takes {@code b} out of the flat list: the last one moves into its place. */
    private void forget(Bound b) {
        if (byRecord[b.record] == b) {
            byRecord[b.record] = null;
        }
        Bound last = bound.removeLast();
        if (last != b) {
            bound.set(b.index, last);
            last.index = b.index;
        }
    }

    private void releaseQuarantined(long nowNs) {
        while (!quarantine.isEmpty() && nowNs - quarantine.peek()[1] >= reuseGraceNs) {
            free.add((int) quarantine.poll()[0]);
        }
    }

    /** The usage of every URR of {@code seid} by URR id, or null when the session is unknown. */
    synchronized GetUsageResponse usage(long seid) {
        Map<Integer, Bound> urrs = sessions.get(seid);
        if (urrs == null) {
            return null;
        }
        GetUsageResponse.Builder out = GetUsageResponse.newBuilder();
        new TreeMap<>(urrs).values().forEach(b -> out.addUsages(usage(b)));
        return out.build();
    }

    /**
     * Grants quota counted from now (replacing what was left); returns the usage at the grant, or
     * null when the SEID or URR is unknown.
     */
    synchronized Usage grant(GrantQuotaRequest request) {
        Map<Integer, Bound> urrs = sessions.get(request.getSeid());
        Bound b = urrs == null ? null : urrs.get(request.getUrrId());
        if (b == null) {
            return null;
        }
        store.read(b.record, counters);
        long bytes = counters[UsageStore.BYTES_UP] + counters[UsageStore.BYTES_DOWN];
        long duration = duration(counters);
        if (request.getUnlimited()) {
            store.setLong(b.record, R_VOLUME_LIMIT, UNLIMITED);
            store.setLong(b.record, R_TIME_LIMIT_NS, UNLIMITED);
        }
        if (request.hasVolumeBytes()) {
            store.setLong(b.record, R_VOLUME_LIMIT, saturatedAdd(bytes, request.getVolumeBytes()));
            b.volumeQuotaReported = false;
        }
        if (request.hasTimeS()) {
            store.setLong(b.record, R_TIME_LIMIT_NS, saturatedAdd(duration, request.getTimeS() * 1_000_000_000L));
            b.timeQuotaReported = false;
        }
        b.evaluatedPackets = -1; // the next tick looks at this URR again, whatever the grant changed
        b.evaluatedVersion = -1;
        store.markChanged(b.record);
        return usage(b);
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return b < 0 || sum < a ? UNLIMITED : sum;
    }

    /** The offline record file this control appends to. */
    UsageRecordFile records() {
        return records;
    }

    /**
     * Raises the reports due at {@code nowNs} and writes an offline record for every URR whose
     * usage changed since its last one and whose record interval has passed. Called every report
     * interval by the runner's timer.
     */
    synchronized void tick(long nowNs) {
        tick(nowNs, false);
    }

    /**
     * {@link #tick(long)}, writing a record for every URR whose usage changed whatever its record
     * interval: the last tick before the process stops.
     */
    synchronized void finalTick(long nowNs) {
        tick(nowNs, true);
    }

    private void tick(long nowNs, boolean allRecords) {
        releaseQuarantined(nowNs);
        if (allRecords || nowNs - lastFullTickNs >= FULL_TICK_INTERVAL_NS) {
            lastFullTickNs = nowNs;
            for (int w = 0, words = store.changedWords(); w < words; w++) {
                store.takeChanged(w); // every URR is looked at now; a change from here on marks it again
            }
            for (int i = 0, n = bound.size(); i < n; i++) {
                Bound b = bound.get(i);
                if (due(b, nowNs, allRecords)) {
                    tick(b, nowNs, allRecords);
                }
            }
        } else {
            for (int w = 0, words = store.changedWords(); w < words; w++) {
                for (long bits = store.takeChanged(w); bits != 0; bits &= bits - 1) {
                    Bound b = byRecord[(w << 6) + Long.numberOfTrailingZeros(bits)];
                    if (b != null && due(b, nowNs, false)) {
                        tick(b, nowNs, false);
                    }
                }
            }
        }
        if (records != null) {
            records.syncIfDue(nowNs);
        }
    }

    private void tick(Bound b, long nowNs, boolean allRecords) {
        Usage u = usage(b);
        long packets = u.getPacketsUplink() + u.getPacketsDownlink();
        long bytes = u.getBytesUplink() + u.getBytesDownlink();
        UrrRule rule = b.rule;
        if (!b.startReported && packets > 0) {
            b.startReported = true;
            if (rule.triggers().contains(ReportingTrigger.START_OF_TRAFFIC_VALUE)) {
                raise(ReportReason.START_OF_TRAFFIC, u, nowNs);
            }
        }
        long base = store.getLong(b.record, R_REPORTED_BYTES);
        if (rule.volumeThresholdBytes() > 0 && bytes - base >= rule.volumeThresholdBytes()) {
            store.setLong(b.record, R_REPORTED_BYTES, bytes);
            raise(ReportReason.VOLUME_THRESHOLD, u, nowNs);
        }
        if (rule.timeThresholdS() > 0 && u.getDurationNs() - b.durationBaseNs >= rule.timeThresholdS() * 1_000_000_000L) {
            b.durationBaseNs = u.getDurationNs();
            raise(ReportReason.TIME_THRESHOLD, u, nowNs);
        }
        boolean blockedMore = u.getPacketsOverQuota() > b.blockedSeen;
        b.blockedSeen = u.getPacketsOverQuota();
        boolean timeOut = u.hasTimeQuotaLeftNs() && u.getTimeQuotaLeftNs() == 0;
        // a packet is blocked when it would pass the limit, so bytes may be left that no packet fits in
        boolean volumeOut = u.hasVolumeQuotaLeftBytes() && (u.getVolumeQuotaLeftBytes() == 0 || blockedMore && !timeOut);
        if (volumeOut && !b.volumeQuotaReported) {
            b.volumeQuotaReported = true;
            raise(ReportReason.VOLUME_QUOTA_EXHAUSTED, u, nowNs);
        }
        if (timeOut && !b.timeQuotaReported) {
            b.timeQuotaReported = true;
            raise(ReportReason.TIME_QUOTA_EXHAUSTED, u, nowNs);
        }
        long periodNs = rule.measurementPeriodS() * 1_000_000_000L;
        if (periodNs > 0 && nowNs - b.lastPeriodicNs >= periodNs) {
            b.lastPeriodicNs = nowNs;
            raise(ReportReason.PERIODIC, u, nowNs);
        }
        if (records != null && packets != b.recordedPackets
                && (allRecords || nowNs - b.lastRecordNs >= recordIntervalNs)) {
            b.recordedPackets = packets;
            b.lastRecordNs = nowNs;
            records.append(record(u, ReportReason.PERIODIC, nowNs), nowNs);
        }
    }

    /**
     * Whether {@code b} can have anything to report or record: every trigger but PERIODIC depends
     * only on its packet counts (bytes, duration and first packet move with them), its blocked
     * count and its quota limits (a grant), so a URR where none of these moved since its last
     * evaluation is skipped without building its usage. With 100k idle sessions this is what keeps
     * the control thread's tick from costing more CPU than the traffic.
     */
    private boolean due(Bound b, long nowNs, boolean allRecords) {
        long periodNs = b.rule.measurementPeriodS() * 1_000_000_000L;
        boolean timed = periodNs > 0 && nowNs - b.lastPeriodicNs >= periodNs
                || records != null && b.recordedPackets != b.evaluatedPackets
                        && (allRecords || nowNs - b.lastRecordNs >= recordIntervalNs); // a record waits for its interval
        // The worker moves the version with every write of the counters, and only this thread changes
        // the limits (a grant, which resets evaluatedVersion): two loads tell an idle URR.
        long version = store.version(b.record);
        if (!timed && version == b.evaluatedVersion && store.blockedPackets(b.record) == b.blockedSeen) {
            return false;
        }
        if ((version & 1) == 0) {
            b.evaluatedVersion = version; // an odd one is mid-write: look in full again next time
        }
        store.read(b.record, counters);
        long packets = counters[UsageStore.PKTS_UP] + counters[UsageStore.PKTS_DOWN];
        long blocked = store.blockedPackets(b.record);
        long volumeLimit = store.getLong(b.record, R_VOLUME_LIMIT);
        long timeLimit = store.getLong(b.record, R_TIME_LIMIT_NS);
        if (!timed && packets == b.evaluatedPackets && blocked == b.blockedSeen
                && volumeLimit == b.evaluatedVolumeLimit && timeLimit == b.evaluatedTimeLimit) {
            return false;
        }
        b.evaluatedPackets = packets;
        b.evaluatedVolumeLimit = volumeLimit;
        b.evaluatedTimeLimit = timeLimit;
        return true;
    }

    private Usage usage(Bound b) {
        store.read(b.record, counters);
        long bytes = counters[UsageStore.BYTES_UP] + counters[UsageStore.BYTES_DOWN];
        long duration = duration(counters);
        Usage.Builder u = Usage.newBuilder().setSeid(b.seid).setUrrId(store.getInt(b.record, R_URR_ID))
                .setBytesUplink(counters[UsageStore.BYTES_UP]).setBytesDownlink(counters[UsageStore.BYTES_DOWN])
                .setPacketsUplink(counters[UsageStore.PKTS_UP]).setPacketsDownlink(counters[UsageStore.PKTS_DOWN])
                .setFirstPacketUnixNs(unix(counters[UsageStore.FIRST_NS]))
                .setLastPacketUnixNs(unix(counters[UsageStore.LAST_NS])).setDurationNs(duration)
                .setPacketsOverQuota(store.blockedPackets(b.record));
        long volumeLimit = store.getLong(b.record, R_VOLUME_LIMIT);
        if (volumeLimit != UNLIMITED) {
            u.setVolumeQuotaLeftBytes(Math.max(0, volumeLimit - bytes));
        }
        long timeLimit = store.getLong(b.record, R_TIME_LIMIT_NS);
        if (timeLimit != UNLIMITED) {
            u.setTimeQuotaLeftNs(Math.max(0, timeLimit - duration));
        }
        return u.build();
    }

    private long duration(int record) {
        store.read(record, counters);
        return duration(counters);
    }

    private static long duration(long[] c) {
        return c[UsageStore.FIRST_NS] == 0 ? 0 : c[UsageStore.LAST_NS] - c[UsageStore.FIRST_NS];
    }

    private long unix(long monotonicNs) {
        return monotonicNs == 0 ? 0 : monotonicNs + unixMinusMonotonicNs;
    }

    private UsageRecord record(Usage u, ReportReason reason, long nowNs) {
        return new UsageRecord(store.nextSequence(H_RECORD_SEQ), u.getSeid(), u.getUrrId(), reason.getNumber(),
                unix(nowNs), u.getBytesUplink(), u.getBytesDownlink(), u.getPacketsUplink(), u.getPacketsDownlink(),
                u.getFirstPacketUnixNs(), u.getLastPacketUnixNs(), u.getPacketsOverQuota());
    }

    private void raise(ReportReason reason, Usage usage, long nowNs) {
        UsageReport report = UsageReport.newBuilder().setSeq(store.nextSequence(H_REPORT_SEQ)).setReason(reason)
                .setRaisedUnixNs(unix(nowNs)).setUsage(usage).build();
        if (unacked.size() == MAX_QUEUED_REPORTS) {
            unacked.poll();
            droppedReports++;
        }
        unacked.add(report);
        for (Iterator<StreamObserver<UsageReport>> it = watchers.iterator(); it.hasNext();) {
            StreamObserver<UsageReport> w = it.next();
            try {
                w.onNext(report);
            } catch (RuntimeException e) { // the client went away
                it.remove();
            }
        }
    }

    /** Sends every unacknowledged report to {@code watcher}, then each new one as it is raised. */
    synchronized void watch(StreamObserver<UsageReport> watcher) {
        for (UsageReport r : unacked) {
            watcher.onNext(r);
        }
        watchers.add(watcher);
    }

    synchronized void unwatch(StreamObserver<UsageReport> watcher) {
        watchers.remove(watcher);
    }

    /** Acknowledges reports up to {@code seq}; returns how many stay unacknowledged. */
    synchronized int ack(long seq) {
        while (!unacked.isEmpty() && unacked.peek().getSeq() <= seq) {
            unacked.poll();
        }
        return unacked.size();
    }

    synchronized long droppedReports() {
        return droppedReports;
    }

    @Override
    public synchronized void close() {
        for (StreamObserver<UsageReport> w : watchers) {
            try {
                w.onCompleted();
            } catch (RuntimeException ignored) { // the client went away
            }
        }
        watchers.clear();
        if (records != null) {
            records.close();
        }
    }
}
