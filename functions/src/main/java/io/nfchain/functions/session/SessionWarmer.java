package io.nfchain.functions.session;

import io.nfchain.core.packet.FlowKey;

/**
 * Not thread-safe: one per worker, allocation-free. Overlaps the cache misses of a burst's session
 * lookups. A lookup is a chain of dependent loads (index cell, slot array, session object, its rule
 * array), each a miss once the sessions outgrow the caches, so a packet at a time pays them one
 * after the other. A function first adds the keys its packets will be looked up by
 * ({@link #teid}, {@link #ueV4}, {@link #ueV6}), then {@link #run} loads each link of the chain for
 * every key before the next link, so the misses of one stage are independent and the CPU has many
 * in flight at once, as DPDK's bulk hash lookups do. The lookups that decide anything
 * ({@link SessionTable#findUplinkTeid} and the others) run afterwards unchanged and find the lines
 * in cache: warming has no effect on any result, so a stale or wrong warm only costs time.
 * {@link #slot}, {@link #qerSlot} and {@link #urrSlot} hand what was warmed to the function to warm
 * its own per-session state (policers, usage records) the same way; nothing may be decided from it.
 * Most sessions need only two stages, the index cell and the one-line hot record
 * ({@link HotRecords}); the others go on through the slot array, the session and its rules.
 */
public final class SessionWarmer {
    private static final byte TEID = 0;
    private static final byte UE_V4 = 1;
    private static final byte UE_V6 = 2;

    private final SessionTable table;
    private final byte[] kinds;
    private final long[] keys;
    private final int[] slots;
    private final CompiledSession[] found;
    private final int[][] rules;
    private final HotRecords hot;
    private final int[] words;
    private int count;
    /** Where the loaded words go, so that the compiler keeps the loads. */
    private int sink;

    /** @param capacity keys per burst; more are ignored (left cold) */
    public SessionWarmer(SessionTable table, int capacity) {
        this.table = table;
        this.kinds = new byte[capacity];
        this.keys = new long[capacity];
        this.slots = new int[capacity];
        this.found = new CompiledSession[capacity];
        this.rules = new int[capacity][];
        this.hot = table.hot();
        this.words = new int[capacity];
    }

    /** Starts a burst: forgets the keys (and warmed sessions) of the last one. */
    public void clear() {
        for (int k = 0; k < count; k++) {
            found[k] = null;
        }
        count = 0;
    }

    /** The packet will be looked up by uplink TEID. */
    public void teid(int teid) {
        add(TEID, teid);
    }

    /** The packet will be looked up by UE IPv4 address. */
    public void ueV4(int address) {
        add(UE_V4, address);
    }

    /** The packet will be looked up by UE IPv6 address, whose upper 64 bits are {@code hi}. */
    public void ueV6(long hi) {
        add(UE_V6, hi);
    }

    /**
     * The packet will be looked up by its source as a UE address, else its destination (a packet
     * of either direction, as qos and charging find theirs): both are added.
     */
    public void ueSourceOrDestination(FlowKey key) {
        if (key.ipVersion() == 4) {
            ueV4(key.srcIpv4());
            ueV4(key.dstIpv4());
        } else if (key.ipVersion() == 6) {
            ueV6(key.srcHi());
            ueV6(key.dstHi());
        }
    }

    private void add(byte kind, long key) {
        int k = count;
        if (k < kinds.length) {
            kinds[k] = kind;
            keys[k] = key;
            count = k + 1;
        }
    }

    /** Keys added since {@link #clear}. */
    public int count() {
        return count;
    }

    /**
     * Loads what the lookups of the keys added will read, one stage at a time across them all: the
     * index cells, then the hot records ({@link HotRecords}); for sessions whose record is not
     * usable, then the slot array, the sessions and their rule arrays.
     */
    public void run() {
        int n = count;
        SessionTable t = table;
        HotRecords h = hot;
        for (int k = 0; k < n; k++) {
            long key = keys[k];
            slots[k] = switch (kinds[k]) {
                case TEID -> t.firstProbeTeid((int) key);
                case UE_V4 -> t.firstProbeUeV4((int) key);
                default -> t.firstProbeUeV6(key);
            };
        }
        int cold = 0;
        for (int k = 0; k < n; k++) {
            int word = h.wordForWarming(slots[k]);
            words[k] = word;
            cold += slots[k] >= 0 && !HotRecords.usable(word) ? 1 : 0;
        }
        if (cold > 0) {
            warmSessions(n);
        }
    }

    /** The full path's chain, for the keys whose hot record is not usable. */
    private void warmSessions(int n) {
        SessionTable t = table;
        for (int k = 0; k < n; k++) {
            if (!HotRecords.usable(words[k])) {
                found[k] = t.sessionForWarming(slots[k]);
            }
        }
        for (int k = 0; k < n; k++) {
            CompiledSession s = found[k];
            rules[k] = s == null ? null : s.b;
        }
        int acc = 0;
        for (int k = 0; k < n; k++) {
            int[] b = rules[k];
            if (b != null) {
                acc += b[CompiledSession.H_FLAGS] + b[b.length - 1];
                rules[k] = null;
            }
        }
        sink += acc;
    }

    /**
     * After {@link #run}: the session slot key {@code k}'s first index probe named, or -1. Possibly
     * stale or another key's: only for warming the function's own per-session state.
     */
    public int slot(int k) {
        return slots[k];
    }

    /**
     * After {@link #run}, for warming only (like {@link #slot}): the QER slot of the PDR of rank
     * {@code i} (0 or 1) of key {@code k}'s session, or -1; for a session without a usable hot
     * record, its first QER's slot for {@code i} = 0.
     */
    public int qerSlot(int k, int i) {
        return ruleSlot(k, i, true);
    }

    /** As {@link #qerSlot}, for URRs. */
    public int urrSlot(int k, int i) {
        return ruleSlot(k, i, false);
    }

    private int ruleSlot(int k, int i, boolean qer) {
        int word = words[k];
        int slot = slots[k];
        if (slot < 0) {
            return -1;
        }
        if (HotRecords.usable(word)) {
            return i < HotRecords.pdrCount(word)
                    ? hot.get(slot, HotRecords.pdr(i) + (qer ? HotRecords.QER_SLOT : HotRecords.URR_SLOT)) : -1;
        }
        CompiledSession s = found[k];
        if (s == null || i > 0) {
            return -1;
        }
        return qer ? (s.qerCount() > 0 ? s.qerSlotAt(0) : -1) : (s.urrCount() > 0 ? s.urrSlotAt(0) : -1);
    }

    /** What the loads summed to: meaningless, read so that they are not optimised away. */
    public int sink() {
        return sink;
    }
}
