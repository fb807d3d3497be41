package io.nfchain.functions.acl;

import io.nfchain.core.packet.IpProtocols;
import io.nfchain.core.packet.TcpHeader;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The stateful ACL's flow table: 5-tuples (IPv4 and IPv6) of permitted flows, so their return
 * traffic is admitted. Not thread-safe: one worker owns it. Allocates nothing after construction.
 *
 * <p>Open addressing with linear probing over one {@code long[]}, one slot of 8 longs (64 bytes)
 * per flow, and deletion by backward shift, so there are no tombstones and a probe never runs
 * longer than the cluster it is in. Both directions of a flow share one slot: the key is the
 * two endpoints (address, port) in a canonical order, and the slot remembers which endpoint
 * opened the flow. Load stays at or under 3/4 of the slots.
 *
 * <pre>
 *  word 0  key meta  USED(63) | V6(62) | protocol(32..39) | port A(16..31) | port B(0..15)
 *  word 1  A hi      word 2  A lo       (A is the lower endpoint)
 *  word 3  B hi      word 4  B lo
 *  word 5  expiresAtNs
 *  word 6  state     TCP state(0..1) | REPLIED(2) | OPENED_BY_B(3) | verdict(8..15)
 *  word 7  home hash
 * </pre>
 *
 * <p>Time is passed in (nanoseconds from any fixed origin); the table never reads a clock.
 * Entries expire lazily (a lookup that finds one removes it) and incrementally
 * ({@link #expire} sweeps a bounded number of slots per call). When the table holds
 * {@code maxFlows}, a new flow first reclaims an expired entry near its home slot, else evicts the
 * entry expiring soonest among the not yet established ones there (as conntrack's early drop
 * spares assured flows); if all of them are established the new flow is not tracked. Each case
 * is counted.
 *
 * <p>{@link #list} and {@link #size} are the exceptions to "one thread": the control plane reads
 * the table while the worker runs, without stopping or slowing it (see {@link #list}).
 */
public final class FlowTable {
    /** {@link #lookup} found nothing. */
    public static final int MISS = -1;
    /** The most flows a table can be sized for. */
    public static final int MAX_FLOWS = 1 << 24;
    /** Slots looked at for a victim when the table is full. */
    static final int EVICTION_SAMPLE = 16;

    static final int TCP_OPENING = 0;
    static final int TCP_ESTABLISHED = 1;
    static final int TCP_CLOSING = 2;
    private static final long STATE_MASK = 3;
    private static final long REPLIED = 1 << 2;
    private static final long OPENED_BY_B = 1 << 3;
    private static final int VERDICT_SHIFT = 8;

    private static final int SLOT_LONGS = 8;
    private static final long USED = 1L << 63;
    private static final long V6 = 1L << 62;
    private static final int META = 0;
    private static final int EXPIRES = 5;
    private static final int STATE = 6;
    private static final int HASH = 7;
    /** Reads from other threads: opaque, so two reads of one word are two loads. */
    private static final VarHandle WORD = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int READ_ATTEMPTS = 4;

    private final long[] slots;
    private final int mask;
    private final int maxFlows;
    private final FlowTimeouts timeouts;
    private final long[] counters;
    private int size;
    private int sweepCursor;
    private long prefetchSink;

    /**
     * @param maxFlows the most flows held at once, 1..{@link #MAX_FLOWS}
     * @param counters where created, expired, evicted and untracked flows are counted, indexed
     *                 by {@link AclCounter#ordinal()}
     */
    public FlowTable(int maxFlows, FlowTimeouts timeouts, long[] counters) {
        if (maxFlows < 1 || maxFlows > MAX_FLOWS) {
            throw new IllegalArgumentException("maxFlows " + maxFlows + " is outside 1.." + MAX_FLOWS);
        }
        int wanted = (int) (maxFlows * 4L / 3 + 1);
        int slotCount = Math.max(8, Integer.highestOneBit(wanted - 1) << 1);
        this.slots = new long[slotCount * SLOT_LONGS];
        this.mask = slotCount - 1;
        this.maxFlows = maxFlows;
        this.timeouts = timeouts;
        this.counters = counters;
    }

    /**
     * Finds the flow of {@code key} in either direction and, when found and not expired, updates
     * its state and expiry from this packet. Returns {@link #MISS}, or the verdict stored at
     * {@link #insert} in bits 0..7 with bit 8 set when the packet goes the opposite way to the
     * packet that opened the flow (a reply).
     */
    public int lookup(AclKey key, long nowNs) {
        long[] v = key.values;
        boolean swap = isSwapped(v);
        long meta = meta(key.version, key.protocol(), swap ? port(v, AclKey.DIM_DST_PORT) : port(v, AclKey.DIM_SRC_PORT),
                swap ? port(v, AclKey.DIM_SRC_PORT) : port(v, AclKey.DIM_DST_PORT));
        long aHi = swap ? v[AclKey.DIM_DST_HI] : v[AclKey.DIM_SRC_HI];
        long aLo = swap ? v[AclKey.DIM_DST_LO] : v[AclKey.DIM_SRC_LO];
        long bHi = swap ? v[AclKey.DIM_SRC_HI] : v[AclKey.DIM_DST_HI];
        long bLo = swap ? v[AclKey.DIM_SRC_LO] : v[AclKey.DIM_DST_LO];
        int slot = find(meta, aHi, aLo, bHi, bLo, hash(meta, aHi, aLo, bHi, bLo));
        if (slot < 0) {
            return MISS;
        }
        int at = slot * SLOT_LONGS;
        if (slots[at + EXPIRES] - nowNs <= 0) {
            remove(slot);
            counters[AclCounter.ACL_FLOW_EXPIRED.ordinal()]++;
            return MISS;
        }
        long state = slots[at + STATE];
        boolean reply = ((state & OPENED_BY_B) != 0) != swap;
        state = nextState(state, key.protocol(), key.tcpFlags, reply);
        slots[at + STATE] = state;
        slots[at + EXPIRES] = nowNs + timeoutNs(state, key.protocol());
        return (int) (state >>> VERDICT_SHIFT) & 0xFF | (reply ? 0x100 : 0);
    }

    /**
     * Tracks a new flow opened by {@code key}'s packet, which {@link #lookup} just missed, with
     * {@code verdict} (0..255) to hand back for its later packets. Returns false when the table
     * is full of established flows and the flow is not tracked.
     */
    public boolean insert(AclKey key, long nowNs, int verdict) {
        long[] v = key.values;
        boolean swap = isSwapped(v);
        long meta = meta(key.version, key.protocol(), swap ? port(v, AclKey.DIM_DST_PORT) : port(v, AclKey.DIM_SRC_PORT),
                swap ? port(v, AclKey.DIM_SRC_PORT) : port(v, AclKey.DIM_DST_PORT));
        long aHi = swap ? v[AclKey.DIM_DST_HI] : v[AclKey.DIM_SRC_HI];
        long aLo = swap ? v[AclKey.DIM_DST_LO] : v[AclKey.DIM_SRC_LO];
        long bHi = swap ? v[AclKey.DIM_SRC_HI] : v[AclKey.DIM_DST_HI];
        long bLo = swap ? v[AclKey.DIM_SRC_LO] : v[AclKey.DIM_DST_LO];
        int hash = hash(meta, aHi, aLo, bHi, bLo);
        if (size >= maxFlows && !makeRoom(hash & mask, nowNs)) {
            counters[AclCounter.ACL_FLOW_NOT_TRACKED.ordinal()]++;
            return false;
        }
        int slot = hash & mask;
        while ((slots[slot * SLOT_LONGS + META] & USED) != 0) {
            slot = (slot + 1) & mask;
        }
        long state = nextState((long) (verdict & 0xFF) << VERDICT_SHIFT | (swap ? OPENED_BY_B : 0) | TCP_OPENING,
                key.protocol(), key.tcpFlags, false);
        int at = slot * SLOT_LONGS;
        slots[at + META] = meta;
        slots[at + 1] = aHi;
        slots[at + 2] = aLo;
        slots[at + 3] = bHi;
        slots[at + 4] = bLo;
        slots[at + EXPIRES] = nowNs + timeoutNs(state, key.protocol());
        slots[at + STATE] = state;
        slots[at + HASH] = hash;
        size++;
        counters[AclCounter.ACL_FLOW_CREATED.ordinal()]++;
        return true;
    }

    /**
     * Moves the sweep over up to {@code maxSlots} slots from where the last call stopped and
     * removes the expired flows it finds there, at most {@code maxSlots} of them; returns how many.
     * Called once per burst with a small budget, it passes over the whole table every
     * {@code slotCount() / maxSlots} calls. (A flow that deletion shifts back across the table's
     * end behind the sweep waits for the next pass.)
     */
    public int expire(long nowNs, int maxSlots) {
        int removed = 0;
        int slot = sweepCursor;
        for (int visited = 0; visited < maxSlots && removed < maxSlots && size > 0; ) {
            int at = slot * SLOT_LONGS;
            if ((slots[at + META] & USED) != 0 && slots[at + EXPIRES] - nowNs <= 0) {
                remove(slot); // an entry may shift into this slot: look at it again
                removed++;
            } else {
                slot = (slot + 1) & mask;
                visited++;
            }
        }
        sweepCursor = slot;
        counters[AclCounter.ACL_FLOW_EXPIRED.ordinal()] += removed;
        return removed;
    }

    /**
     * Reads the home slot of every packet in the burst, so the lookups that follow find them in
     * cache: the misses of the whole burst overlap instead of coming one after the other (the
     * table is far larger than the caches). Changes nothing.
     */
    public void prefetch(AclBurst burst) {
        long touched = 0;
        for (int i = 0; i < burst.size(); i++) {
            touched += slots[homeSlot(burst.key(i)) * SLOT_LONGS + META];
        }
        prefetchSink = touched; // a use, so the loads are not optimised away
    }

    /** The slot where the flow of {@code key} would be put first: for tests that build clusters. */
    int homeSlot(AclKey key) {
        long[] v = key.values;
        boolean swap = isSwapped(v);
        long meta = meta(key.version, key.protocol(), swap ? port(v, AclKey.DIM_DST_PORT) : port(v, AclKey.DIM_SRC_PORT),
                swap ? port(v, AclKey.DIM_SRC_PORT) : port(v, AclKey.DIM_DST_PORT));
        return swap ? hash(meta, v[AclKey.DIM_DST_HI], v[AclKey.DIM_DST_LO], v[AclKey.DIM_SRC_HI], v[AclKey.DIM_SRC_LO]) & mask
                : hash(meta, v[AclKey.DIM_SRC_HI], v[AclKey.DIM_SRC_LO], v[AclKey.DIM_DST_HI], v[AclKey.DIM_DST_LO]) & mask;
    }

    /** Forgets every flow (after a rule change that must not let old flows through). */
    public void clear() {
        Arrays.fill(slots, 0);
        size = 0;
        sweepCursor = 0;
    }

    /** One flow as {@link #list} saw it. Immutable. The source is the endpoint that opened the flow. */
    public record Entry(int version, int protocol, long srcHi, long srcLo, int srcPort, long dstHi, long dstLo,
            int dstPort, long expiresAtNs, String state) {}

    /** Flows from a walk over part of the table, and the slot the next walk starts at ({@code slotCount()} at the end). */
    public record Page(List<Entry> entries, int nextSlot) {}

    /**
     * Any thread, while the worker runs: the flows in slots {@code fromSlot} onwards, at most
     * {@code limit} of them. Consistent enough for people and tools, not a transaction: each slot
     * is read twice and kept only when both reads agree (retried a few times, then skipped as
     * busy), so no entry mixes two flows; but the worker keeps going while the walk does, so a
     * flow moved back by a deletion meanwhile may be missed or seen twice, and expired flows
     * not yet reclaimed are listed (their expiry is in the past). Allocates; never on the worker.
     */
    public Page list(int fromSlot, int limit) {
        List<Entry> out = new ArrayList<>(Math.min(limit, 1024));
        int slotCount = mask + 1;
        long[] first = new long[SLOT_LONGS];
        long[] second = new long[SLOT_LONGS];
        int slot = Math.max(0, fromSlot);
        for (; slot < slotCount && out.size() < limit; slot++) {
            for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
                read(slot, first);
                read(slot, second);
                if (Arrays.equals(first, second)) {
                    if ((first[META] & USED) != 0) {
                        out.add(entry(first));
                    }
                    break;
                }
            }
        }
        return new Page(out, slot);
    }

    private void read(int slot, long[] into) {
        int at = slot * SLOT_LONGS;
        for (int w = 0; w < SLOT_LONGS; w++) {
            into[w] = (long) WORD.getOpaque(slots, at + w);
        }
    }

    private static Entry entry(long[] w) {
        long meta = w[META];
        long state = w[STATE];
        int protocol = (int) (meta >>> 32) & 0xFF;
        int portA = (int) (meta >>> 16) & 0xFFFF;
        int portB = (int) meta & 0xFFFF;
        boolean openedByB = (state & OPENED_BY_B) != 0;
        String name;
        if (protocol == IpProtocols.TCP) {
            long tcp = state & STATE_MASK;
            name = tcp == TCP_ESTABLISHED ? "established" : tcp == TCP_CLOSING ? "closing" : "opening";
        } else {
            name = (state & REPLIED) != 0 ? "replied" : "new";
        }
        int version = (meta & V6) != 0 ? 6 : 4;
        return openedByB
                ? new Entry(version, protocol, w[3], w[4], portB, w[1], w[2], portA, w[EXPIRES], name)
                : new Entry(version, protocol, w[1], w[2], portA, w[3], w[4], portB, w[EXPIRES], name);
    }

    /** Flows held now, expired ones not yet reclaimed included. */
    public int size() {
        return size;
    }

    public int maxFlows() {
        return maxFlows;
    }

    /** Slots in the table: a power of two, at least 4/3 of maxFlows. */
    public int slotCount() {
        return mask + 1;
    }

    private boolean makeRoom(int home, long nowNs) {
        int victim = -1;
        long victimExpires = Long.MAX_VALUE;
        int slot = home;
        for (int n = 0; n < EVICTION_SAMPLE; n++, slot = (slot + 1) & mask) {
            int at = slot * SLOT_LONGS;
            if ((slots[at + META] & USED) == 0) {
                continue;
            }
            long expires = slots[at + EXPIRES];
            if (expires - nowNs <= 0) {
                remove(slot);
                counters[AclCounter.ACL_FLOW_EXPIRED.ordinal()]++;
                return true;
            }
            if (evictable(slots[at + STATE], (int) (slots[at + META] >>> 32) & 0xFF)
                    && (victim < 0 || expires - victimExpires < 0)) {
                victim = slot;
                victimExpires = expires;
            }
        }
        if (victim < 0) {
            return false;
        }
        remove(victim);
        counters[AclCounter.ACL_FLOW_EVICTED.ordinal()]++;
        return true;
    }

    /** Not established: a TCP flow opening or closing, or any flow that has not seen a reply. */
    private static boolean evictable(long state, int protocol) {
        if (protocol == IpProtocols.TCP) {
            return (state & STATE_MASK) != TCP_ESTABLISHED;
        }
        return (state & REPLIED) == 0;
    }

    private static long nextState(long state, int protocol, int tcpFlags, boolean reply) {
        if (reply) {
            state |= REPLIED;
        }
        if (protocol != IpProtocols.TCP) {
            return state;
        }
        long tcp = state & STATE_MASK;
        if ((tcpFlags & (TcpHeader.FIN | TcpHeader.RST)) != 0 && (tcpFlags & AclKey.NO_TCP_HEADER) == 0) {
            tcp = TCP_CLOSING;
        } else if (tcp == TCP_OPENING && reply) {
            tcp = TCP_ESTABLISHED;
        }
        return (state & ~STATE_MASK) | tcp;
    }

    private long timeoutNs(long state, int protocol) {
        if (protocol == IpProtocols.TCP) {
            return (state & STATE_MASK) == TCP_ESTABLISHED ? timeouts.tcpEstablishedNs() : timeouts.tcpTransientNs();
        }
        return protocol == IpProtocols.UDP ? timeouts.udpNs() : timeouts.otherNs();
    }

    private int find(long meta, long aHi, long aLo, long bHi, long bLo, int hash) {
        long[] s = slots;
        int slot = hash & mask;
        while (true) {
            int at = slot * SLOT_LONGS;
            long m = s[at + META];
            if ((m & USED) == 0) {
                return -1;
            }
            if (m == meta && s[at + 2] == aLo && s[at + 4] == bLo && s[at + 1] == aHi && s[at + 3] == bHi) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Backward-shift deletion: later entries of the cluster move up so no probe is cut short. */
    private void remove(int slot) {
        long[] s = slots;
        int hole = slot;
        int next = (hole + 1) & mask;
        while ((s[next * SLOT_LONGS + META] & USED) != 0) {
            int home = (int) s[next * SLOT_LONGS + HASH] & mask;
            // The entry at next may fill the hole when its home is not in (hole, next] cyclically.
            boolean homeInRange = hole <= next ? home > hole && home <= next : home > hole || home <= next;
            if (!homeInRange) {
                System.arraycopy(s, next * SLOT_LONGS, s, hole * SLOT_LONGS, SLOT_LONGS);
                hole = next;
            }
            next = (next + 1) & mask;
        }
        s[hole * SLOT_LONGS + META] = 0;
        size--;
    }

    /** True when the destination endpoint sorts before the source, so the canonical order swaps them. */
    private static boolean isSwapped(long[] v) {
        int c = Long.compareUnsigned(v[AclKey.DIM_SRC_HI], v[AclKey.DIM_DST_HI]);
        if (c == 0) {
            c = Long.compareUnsigned(v[AclKey.DIM_SRC_LO], v[AclKey.DIM_DST_LO]);
        }
        if (c == 0) {
            c = Long.compare(v[AclKey.DIM_SRC_PORT], v[AclKey.DIM_DST_PORT]);
        }
        return c > 0;
    }

    /** Ports of a packet without them (NO_PORT) are stored as 0. */
    private static int port(long[] v, int dim) {
        return (int) v[dim] & 0xFFFF;
    }

    private static long meta(int version, int protocol, int portA, int portB) {
        return USED | (version == 6 ? V6 : 0) | (long) (protocol & 0xFF) << 32 | (long) portA << 16 | portB;
    }

    private static int hash(long meta, long aHi, long aLo, long bHi, long bLo) {
        long h = meta * 0x9E3779B97F4A7C15L;
        h = (h ^ aHi) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ aLo) * 0x9E3779B97F4A7C15L;
        h = (h ^ bHi) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ bLo) * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29) ^ (h >>> 47));
    }
}
