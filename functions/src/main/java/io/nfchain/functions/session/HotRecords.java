package io.nfchain.functions.session;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Single writer (the table's), single reader (the worker), lock-free and allocation-free. One
 * 64-byte record per session slot, off-heap and 64-byte aligned so that a record is exactly one
 * cache line, holding what the common packet needs: the UE IPv4 address and, for a simple session,
 * every PDR with its match fields, its FAR's action and outer header, and its QER and URR slot. A
 * packet of a simple session then costs two lines of the table, the index cell and this record,
 * where the full path ({@link CompiledSession}) costs the slot array, the session object and three
 * or four lines of its rule array.
 *
 * <p>Simple: at most {@value #PDRS} PDRs, none with SDF filters or more than one QER or URR, every
 * outer header to an IPv4 peer. Other sessions get a record that says "not usable", and readers go
 * to the full path, as they do for IPv6 packets.
 *
 * <pre>
 *  0  word     sequence(28) &lt;&lt; 4 | PDR count(2) &lt;&lt; 2 | has UE IPv4 &lt;&lt; 1 | usable
 *  4  UE IPv4
 *  8  PDR 0 (28 bytes), 36 PDR 1, in precedence order:
 *     +0  rule    srcIf(2) | removeOuter(1) | hasQfi(1) | qfi(6) | ueV4(1) | ueV6(1)      bits 0-11
 *                 FAR action(4) 12 | FAR dstIf(4) 16 | hasOuter 20 | hasQer 21 | hasUrr 22
 *                 downlink QFI + 1 (7) 23 | rank 30 (0 or 1: the PDR's place in precedence order)
 *     +4  local TEID (0: none)    +8  outer TEID    +12 outer peer IPv4
 *     +16 outer UDP port(16) | transport DSCP + 1 (7) &lt;&lt; 16
 *     +20 QER slot (-1: none)     +24 URR slot (-1: none)
 * </pre>
 *
 * Publication is a sequence lock in the word: the writer makes the sequence odd, writes the
 * fields, then stores the word with the sequence even and the new flags by a release store. The
 * reader loads the word by an acquire load, copies what it needs, and checks the word again
 * after a load fence; an odd or moved word sends it to the full path, which is what it would have
 * read without this record. So a reader decides from one version of a session's record or from
 * one {@link CompiledSession}, never a mix.
 */
final class HotRecords {
    static final int BYTES = 64;
    static final int PDRS = 2;
    static final long WORD = 0;
    static final long UE_V4 = 4;
    static final long PDR_AT = 8;
    static final long PDR_BYTES = 28;
    static final long RULE = 0;
    static final long LOCAL_TEID = 4;
    static final long OUTER_TEID = 8;
    static final long OUTER_V4 = 12;
    static final long PORT_DSCP = 16;
    static final long QER_SLOT = 20;
    static final long URR_SLOT = 24;

    static final int USABLE = 1;
    static final int HAS_UE_V4 = 2;
    static final int SEQUENCE_ODD = 16;
    static final int SEQUENCE_STEP = 16;
    static final int FLAGS = 15;

    static final int HAS_OUTER = 1 << 20;
    static final int HAS_QER = 1 << 21;
    static final int HAS_URR = 1 << 22;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final VarHandle WORDS = INT.varHandle();

    private final MemorySegment mem;
    private final int capacity;

    /** @param capacity session slots */
    HotRecords(int capacity) {
        this.capacity = capacity;
        // Auto: freed with the table; aligned so that each record is one line.
        this.mem = Arena.ofAuto().allocate((long) capacity * BYTES, BYTES);
    }

    int capacity() {
        return capacity;
    }

    long sizeBytes() {
        return (long) capacity * BYTES;
    }

    // ---- writer ----

    /** Writer: makes {@code slot}'s record {@code s}'s (usable when {@code s} is simple), or "not usable" for null. */
    void write(int slot, CompiledSession s) {
        long at = (long) slot * BYTES;
        int word = mem.get(INT, at + WORD);
        int sequence = word & ~FLAGS;
        WORDS.setOpaque(mem, at + WORD, sequence + SEQUENCE_ODD | word & FLAGS);
        VarHandle.storeStoreFence();
        int flags = 0;
        if (s != null) {
            flags = fill(at, s);
        }
        WORDS.setRelease(mem, at + WORD, sequence + 2 * SEQUENCE_STEP | flags);
    }

    /** Writes {@code s}'s fields at {@code at}; returns the word's flags. */
    private int fill(long at, CompiledSession s) {
        mem.set(INT, at + UE_V4, s.ueIpv4());
        int n = s.pdrCount();
        boolean usable = n <= PDRS;
        for (int k = 0; k < n && usable; k++) {
            usable = fillPdr(at + PDR_AT + k * PDR_BYTES, s, s.pdrHandle(k), k);
        }
        return (usable ? USABLE | n << 2 : 0) | (s.hasUeIpv4() ? HAS_UE_V4 : 0);
    }

    /** Writes PDR {@code h} of rank {@code rank}; false when it is not simple. */
    private boolean fillPdr(long at, CompiledSession s, int h, int rank) {
        int[] b = s.b;
        int sdfs = b[h + 5] & 0xFF;
        int qers = s.qerSlotCount(h);
        int urrs = s.urrSlotCount(h);
        if (sdfs != 0 || qers > 1 || urrs > 1 || s.hasOuterHeader(h) && s.outerPeerIsIpv6(h)) {
            return false;
        }
        int rule = b[h + 1] >>> 16 & 0xFFF | s.farAction(h) << 12 | s.farDestination(h) << 16
                | (s.hasOuterHeader(h) ? HAS_OUTER : 0) | (qers > 0 ? HAS_QER : 0) | (urrs > 0 ? HAS_URR : 0)
                | (s.downlinkQfi(h) + 1) << 23 | rank << 30;
        mem.set(INT, at + RULE, rule);
        mem.set(INT, at + LOCAL_TEID, s.localTeid(h));
        mem.set(INT, at + OUTER_TEID, s.hasOuterHeader(h) ? s.outerTeid(h) : 0);
        mem.set(INT, at + OUTER_V4, s.hasOuterHeader(h) ? s.outerPeerIpv4(h) : 0);
        mem.set(INT, at + PORT_DSCP, (s.hasOuterHeader(h) ? s.outerPort(h) : 0) | (s.transportDscp(h) + 1) << 16);
        mem.set(INT, at + QER_SLOT, qers > 0 ? s.qerSlot(h, 0) : -1);
        mem.set(INT, at + URR_SLOT, urrs > 0 ? s.urrSlot(h, 0) : -1);
        return true;
    }

    // ---- reader ----

    /** Reader: {@code slot}'s word by an acquire load: check {@link #USABLE} and the sequence, then read, then {@link #unchanged}. */
    int acquireWord(int slot) {
        return (int) WORDS.getAcquire(mem, (long) slot * BYTES + WORD);
    }

    /** Reader: whether {@code slot}'s word is still {@code word} after what was read since {@link #acquireWord}. */
    boolean unchanged(int slot, int word) {
        VarHandle.loadLoadFence();
        return (int) WORDS.getOpaque(mem, (long) slot * BYTES + WORD) == word;
    }

    /** Reader: an int of {@code slot}'s record at {@code offset} (plain load; only valid while {@link #unchanged}). */
    int get(int slot, long offset) {
        return mem.get(INT, (long) slot * BYTES + offset);
    }

    /** Reader, for {@link SessionWarmer}: {@code slot}'s word by a plain load, 0 for a slot out of range. */
    int wordForWarming(int slot) {
        return slot >= 0 && slot < capacity ? mem.get(INT, (long) slot * BYTES + WORD) : 0;
    }

    static boolean usable(int word) {
        return (word & (USABLE | SEQUENCE_ODD)) == USABLE;
    }

    static int pdrCount(int word) {
        return word >>> 2 & 3;
    }

    /** Offset of the PDR of rank {@code k} in a record. */
    static long pdr(int k) {
        return PDR_AT + k * PDR_BYTES;
    }
}
