package io.nfchain.functions.session;

import io.nfchain.functions.session.SessionModel.PdrRule;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Single writer (the control thread: {@link #create}, {@link #replace}, {@link #delete}), single
 * reader (the worker: the {@code find*}, {@code lookup*} and {@link #session} methods), lock-free
 * and allocation-free for the reader. Holds up to {@code maxSessions} sessions, each compiled
 * whole into a {@link CompiledSession} and published into its slot with one release store, so the
 * reader sees a session's old rules or its new ones, never a mix.
 *
 * <p>Indexes: uplink TEID, UE IPv4 and UE IPv6 /64 to session slot, each entry one word (see
 * {@link SessionIndex}). A find checks the session it reaches owns the key, so an entry racing a
 * change reads as a miss, never as another session. QERs and URRs get dense global slots
 * ({@link CompiledSession#qerSlot}, {@link CompiledSession#urrSlot}) kept across a replace for
 * rules whose id stays. The {@link SessionListener} hears of every change on the writer thread.
 *
 * <p>Beside each slot's session, a one-line {@link HotRecords hot record} holds what a simple
 * session's packets need; {@link SessionMatch} reads it instead of the session. The writer writes
 * it after the listener and just before the release store of the session, each under its own
 * sequence lock, so a reader sees one version of it whole, or goes to the session.
 */
public final class SessionTable {
    private static final VarHandle SESSIONS = MethodHandles.arrayElementVarHandle(CompiledSession[].class);

    private final CompiledSession[] sessions;
    private final SlotAllocator sessionSlots;
    private final SlotAllocator qerSlots;
    private final SlotAllocator urrSlots;
    private final SessionIndex teids = new SessionIndex();
    private final SessionIndex ueV4 = new SessionIndex();
    private final SessionIndex6 ueV6 = new SessionIndex6();
    private final HotRecords hot;
    private final SeidMap seids = new SeidMap();
    private final SessionListener listener;
    private long[] sortedSeids = new long[0];
    private boolean sortedStale;

    /**
     * @param maxSessions 1 .. 2^24
     * @param maxQers     QER slots shared by all sessions, 0 .. 2^26; 0 = this function keeps no
     *                    per-QER state: QERs are accepted and their slots read -1
     * @param maxUrrs     URR slots shared by all sessions, 0 .. 2^26; 0 likewise for URRs
     */
    public SessionTable(int maxSessions, int maxQers, int maxUrrs, SessionListener listener) {
        if (maxSessions < 1 || maxSessions > 1 << 24) {
            throw new IllegalArgumentException("max sessions must be 1..16777216, not " + maxSessions);
        }
        if (maxQers < 0 || maxQers > 1 << 26 || maxUrrs < 0 || maxUrrs > 1 << 26) {
            throw new IllegalArgumentException("QER and URR slots must be 0..67108864, not " + maxQers + ", " + maxUrrs);
        }
        this.sessions = new CompiledSession[maxSessions];
        this.hot = new HotRecords(maxSessions);
        this.sessionSlots = new SlotAllocator(maxSessions);
        this.qerSlots = new SlotAllocator(maxQers);
        this.urrSlots = new SlotAllocator(maxUrrs);
        this.listener = listener == null ? SessionListener.NONE : listener;
    }

    /** Twice as many QER and URR slots as sessions: room for two of each per session on average. */
    public static SessionTable withCapacity(int maxSessions, SessionListener listener) {
        return new SessionTable(maxSessions, 2 * maxSessions, 2 * maxSessions, listener);
    }

    // ---- reader ----

    /** Reader: the session in {@code slot}, or null. */
    public CompiledSession session(int slot) {
        return (CompiledSession) SESSIONS.getAcquire(sessions, slot);
    }

    /** Reader: the session an ACCESS PDR of which names {@code teid}, or null. */
    public CompiledSession findUplinkTeid(int teid) {
        int slot = teids.get(teid);
        CompiledSession s = slot < 0 ? null : session(slot);
        return s != null && s.hasTeid(teid) ? s : null;
    }

    /** Reader: the session whose UE IPv4 address is {@code address}, or null. */
    public CompiledSession findUeV4(int address) {
        int slot = ueV4.get(address);
        CompiledSession s = slot < 0 ? null : session(slot);
        return s != null && s.hasUeIpv4() && s.ueIpv4() == address ? s : null;
    }

    /** Reader: the session whose UE IPv6 /64 holds the address {@code hi:lo}, or null. */
    public CompiledSession findUeV6(long hi, long lo) {
        int slot = ueV6.get(hi);
        CompiledSession s = slot < 0 ? null : session(slot);
        return s != null && s.hasUeIpv6() && s.ueIpv6Prefix() == hi ? s : null;
    }

    /** Reader, for {@link SessionMatch}: the slot the TEID index names for {@code teid}, or -1; not checked against the session. */
    int teidSlot(int teid) {
        return teids.get(teid);
    }

    /** Reader, for {@link SessionMatch}: as {@link #teidSlot} for a UE IPv4 address. */
    int ueV4Slot(int address) {
        return ueV4.get(address);
    }

    /** The sessions' hot records ({@link SessionMatch} reads them, the writer here writes them). */
    HotRecords hot() {
        return hot;
    }

    /** Reader, for {@link SessionWarmer}: the slot the TEID index's first probe names, or -1. */
    int firstProbeTeid(int teid) {
        return teids.firstCellSlot(teid);
    }

    /** Reader, for {@link SessionWarmer}: as {@link #firstProbeTeid} for a UE IPv4 address. */
    int firstProbeUeV4(int address) {
        return ueV4.firstCellSlot(address);
    }

    /** Reader, for {@link SessionWarmer}: as {@link #firstProbeTeid} for a UE IPv6 /64. */
    int firstProbeUeV6(long hi) {
        return ueV6.firstCellSlot(hi);
    }

    /** Reader, for {@link SessionWarmer}: slot's session by a plain load, or null; it may be stale, so only to warm caches. */
    CompiledSession sessionForWarming(int slot) {
        return slot >= 0 && slot < sessions.length ? sessions[slot] : null;
    }

    /** Reader: {@link #findUplinkTeid}'s slot, or -1. */
    public int lookupUplinkTeid(int teid) {
        CompiledSession s = findUplinkTeid(teid);
        return s == null ? -1 : s.slot();
    }

    public int lookupUeV4(int address) {
        CompiledSession s = findUeV4(address);
        return s == null ? -1 : s.slot();
    }

    public int lookupUeV6(long hi, long lo) {
        CompiledSession s = findUeV6(hi, lo);
        return s == null ? -1 : s.slot();
    }

    public int maxSessions() {
        return sessions.length;
    }

    /** Size of arrays indexed by {@link CompiledSession#qerSlot}. */
    public int qerSlotCapacity() {
        return qerSlots.capacity();
    }

    /** Size of arrays indexed by {@link CompiledSession#urrSlot}. */
    public int urrSlotCapacity() {
        return urrSlots.capacity();
    }

    // ---- writer ----

    /** Writer: the number of sessions. */
    public int size() {
        return seids.size();
    }

    /** Writer: the session with {@code seid}, or null. */
    public CompiledSession get(long seid) {
        int slot = seids.get(seid);
        return slot < 0 ? null : sessions[slot];
    }

    /**
     * Any thread: {@code model} compiled for {@link #createPrepared} or
     * {@link #replacePrepared}, which only bind its slots and publish it.
     * Nothing here depends on the table, so callers compile before they become the writer.
     *
     * @param source the session's serialized form, kept for reads; may be null
     */
    static CompiledSession prepare(SessionModel model, byte[] source) {
        return CompiledSession.compile(model, source);
    }

    /**
     * Writer: installs a new session. Throws {@link SessionException} (ALREADY_EXISTS for a SEID,
     * TEID or UE address in use, RESOURCE_EXHAUSTED when out of slots) and changes nothing then.
     *
     * @param source the session's serialized form, kept for reads; may be null
     */
    public CompiledSession create(SessionModel model, byte[] source) {
        return createPrepared(model, prepare(model, source));
    }

    /** Writer: {@link #create(SessionModel, byte[])} of {@code s}, {@link #prepare prepared} from {@code model} and used once. */
    CompiledSession createPrepared(SessionModel model, CompiledSession s) {
        if (seids.get(model.seid()) >= 0) {
            throw new SessionException(SessionException.ALREADY_EXISTS, "seid: session " + Long.toUnsignedString(model.seid())
                    + " exists");
        }
        checkKeys(model, -1);
        if (sessionSlots.available() == 0 || !qerSlots.has(model.qers().size()) || !urrSlots.has(model.urrs().size())) {
            throw new SessionException(SessionException.RESOURCE_EXHAUSTED, "seid: the function holds " + size()
                    + " sessions (at most " + sessions.length + ") and " + (qerSlots.capacity() - qerSlots.available())
                    + " QERs, " + (urrSlots.capacity() - urrSlots.available()) + " URRs");
        }
        int slot = sessionSlots.allocate();
        int[] qers = fresh(qerSlots, model.qers().size());
        int[] urrs = fresh(urrSlots, model.urrs().size());
        s.bind(slot, qers, urrs);
        listener.created(model, s);
        hot.write(slot, s);
        SESSIONS.setRelease(sessions, slot, s);
        index(s, slot);
        seids.put(model.seid(), slot);
        sortedStale = true;
        return s;
    }

    /** Writer: replaces a session's rules whole; NOT_FOUND, ALREADY_EXISTS, RESOURCE_EXHAUSTED as {@link #create}. */
    public CompiledSession replace(SessionModel model, byte[] source) {
        return replacePrepared(model, prepare(model, source));
    }

    /** Writer: {@link #replace(SessionModel, byte[])} with {@code after}, {@link #prepare prepared} from {@code model} and used once. */
    CompiledSession replacePrepared(SessionModel model, CompiledSession after) {
        int slot = seids.get(model.seid());
        if (slot < 0) {
            throw new SessionException(SessionException.NOT_FOUND, "seid: no session " + Long.toUnsignedString(model.seid()));
        }
        CompiledSession before = sessions[slot];
        checkKeys(model, slot);
        int[] qers = kept(before, model, true);
        int[] urrs = kept(before, model, false);
        if (!qerSlots.has(count(qers, -1)) || !urrSlots.has(count(urrs, -1))) {
            throw new SessionException(SessionException.RESOURCE_EXHAUSTED, "seid: no free QER or URR slots");
        }
        fill(qers, qerSlots);
        fill(urrs, urrSlots);
        after.bind(slot, qers, urrs);
        listener.replaced(before, model, after);
        // New keys first: a reader may find the session by either until the old ones go.
        index(after, slot);
        hot.write(slot, after);
        SESSIONS.setRelease(sessions, slot, after);
        unindexGone(before, after);
        freeGone(before, after);
        return after;
    }

    /** Writer: removes a session; NOT_FOUND when unknown. Returns what it was. */
    public CompiledSession delete(long seid) {
        int slot = seids.get(seid);
        if (slot < 0) {
            throw new SessionException(SessionException.NOT_FOUND, "no session " + Long.toUnsignedString(seid));
        }
        CompiledSession before = sessions[slot];
        unindexGone(before, null);
        hot.write(slot, null);
        SESSIONS.setRelease(sessions, slot, null);
        listener.deleted(before);
        freeGone(before, null);
        sessionSlots.free(slot);
        seids.remove(seid);
        sortedStale = true;
        return before;
    }

    /** Writer: up to {@code limit} SEIDs greater than {@code after} (unsigned), in order. */
    public long[] seidsAfter(long after, int limit) {
        if (sortedStale) {
            long[] all = new long[size()];
            int n = 0;
            for (CompiledSession s : sessions) {
                if (s != null) {
                    all[n++] = s.seid() ^ Long.MIN_VALUE;
                }
            }
            Arrays.sort(all, 0, n);
            sortedSeids = all;
            sortedStale = false;
        }
        int from = Arrays.binarySearch(sortedSeids, after ^ Long.MIN_VALUE);
        from = from >= 0 ? from + 1 : -from - 1;
        int to = (int) Math.min(sortedSeids.length, (long) from + limit);
        long[] out = new long[Math.max(0, to - from)];
        for (int i = 0; i < out.length; i++) {
            out[i] = sortedSeids[from + i] ^ Long.MIN_VALUE;
        }
        return out;
    }

    /** Bytes of the table outside the heap: its hot records, 64 per session slot. */
    public long offHeapBytes() {
        return hot.sizeBytes();
    }

    /**
     * Writer: bytes the table holds for its sessions and indexes (compiled sessions, slot arrays,
     * indexes, hot records off the heap; sources excluded).
     */
    public long sizeBytes() {
        long bytes = hot.sizeBytes() + 16 + 4L * sessions.length + 3 * 16 + 4L * (sessions.length + qerSlots.capacity() + urrSlots.capacity());
        for (CompiledSession s : sessions) {
            if (s != null) {
                bytes += s.sizeBytes();
            }
        }
        return bytes + teids.sizeBytes() + ueV4.sizeBytes() + ueV6.sizeBytes() + seids.sizeBytes();
    }

    private void checkKeys(SessionModel model, int self) {
        if (model.ueIpv4() != null) {
            owner(ueV4.get(model.ueIpv4()), self, "ue_ipv4", "UE IPv4 address");
        }
        if (model.hasUeIpv6()) {
            owner(ueV6.get(model.ueIpv6()), self, "ue_ipv6", "UE IPv6 /64");
        }
        for (int i = 0; i < model.pdrs().size(); i++) {
            PdrRule p = model.pdrs().get(i);
            if (p.localTeid() != 0) {
                int slot = teids.get(p.localTeid());
                if (slot >= 0 && slot != self) {
                    throw new SessionException(SessionException.ALREADY_EXISTS, "pdrs[" + i + "].pdi.local_teid: TEID "
                            + Integer.toUnsignedString(p.localTeid()) + " belongs to session "
                            + Long.toUnsignedString(sessions[slot].seid()));
                }
            }
        }
    }

    private void owner(int slot, int self, String field, String what) {
        if (slot >= 0 && slot != self) {
            throw new SessionException(SessionException.ALREADY_EXISTS, field + ": the " + what + " belongs to session "
                    + Long.toUnsignedString(sessions[slot].seid()));
        }
    }

    private void index(CompiledSession s, int slot) {
        if (s.hasUeIpv4()) {
            ueV4.put(s.ueIpv4(), slot);
        }
        if (s.hasUeIpv6()) {
            ueV6.put(s.ueIpv6Prefix(), slot);
        }
        for (int i = 0; i < s.pdrCount(); i++) {
            int teid = s.localTeid(s.pdrHandle(i));
            if (teid != 0) {
                teids.put(teid, slot);
            }
        }
    }

    /** Removes the keys of {@code before} that {@code after} (null: none) does not have. */
    private void unindexGone(CompiledSession before, CompiledSession after) {
        if (before.hasUeIpv4() && (after == null || !after.hasUeIpv4() || after.ueIpv4() != before.ueIpv4())) {
            ueV4.remove(before.ueIpv4());
        }
        if (before.hasUeIpv6() && (after == null || !after.hasUeIpv6() || after.ueIpv6Prefix() != before.ueIpv6Prefix())) {
            ueV6.remove(before.ueIpv6Prefix());
        }
        for (int i = 0; i < before.pdrCount(); i++) {
            int teid = before.localTeid(before.pdrHandle(i));
            if (teid != 0 && (after == null || !after.hasTeid(teid))) {
                teids.remove(teid);
            }
        }
    }

    private void freeGone(CompiledSession before, CompiledSession after) {
        for (int i = 0; i < before.qerCount(); i++) {
            if (after == null || !hasQer(after, before.qerId(i))) {
                qerSlots.free(before.qerSlotAt(i));
            }
        }
        for (int i = 0; i < before.urrCount(); i++) {
            if (after == null || !hasUrr(after, before.urrId(i))) {
                urrSlots.free(before.urrSlotAt(i));
            }
        }
    }

    private static boolean hasQer(CompiledSession s, long id) {
        for (int i = 0; i < s.qerCount(); i++) {
            if (s.qerId(i) == id) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasUrr(CompiledSession s, long id) {
        for (int i = 0; i < s.urrCount(); i++) {
            if (s.urrId(i) == id) {
                return true;
            }
        }
        return false;
    }

    /** Slots of the model's QERs (or URRs) that {@code before} had by id, -1 for new ones. */
    private static int[] kept(CompiledSession before, SessionModel model, boolean qer) {
        int n = qer ? model.qers().size() : model.urrs().size();
        int[] slots = new int[n];
        Arrays.fill(slots, -1);
        for (int i = 0; i < n; i++) {
            long id = qer ? model.qers().get(i).id() : model.urrs().get(i).id();
            int count = qer ? before.qerCount() : before.urrCount();
            for (int k = 0; k < count; k++) {
                if ((qer ? before.qerId(k) : before.urrId(k)) == id) {
                    slots[i] = qer ? before.qerSlotAt(k) : before.urrSlotAt(k);
                }
            }
        }
        return slots;
    }

    private static int[] fresh(SlotAllocator allocator, int n) {
        int[] slots = new int[n];
        for (int i = 0; i < n; i++) {
            slots[i] = allocator.allocate();
        }
        return slots;
    }

    private static void fill(int[] slots, SlotAllocator allocator) {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] < 0) {
                slots[i] = allocator.allocate();
            }
        }
    }

    private static int count(int[] values, int value) {
        int n = 0;
        for (int v : values) {
            n += v == value ? 1 : 0;
        }
        return n;
    }
}
