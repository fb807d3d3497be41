package io.nfchain.functions.charging;

import static io.nfchain.functions.charging.UsageLayout.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Per-URR usage counters in a file mapped shared ({@link UsageLayout}), so that a kill of the
 * process loses none of them, and the burst intent that makes counting exact: the worker
 * (single writer of the counters) records what a burst is about to publish on the memif ring
 * ({@link #writeIntent}), publishes, then {@link #complete completes} the intent from the
 * ring head it reached. A process killed in between leaves the intent pending; the next
 * process completes it from the head left in the memif region file ({@link #recover}), with the
 * same code. Completing is idempotent: counters are set to the snapshot the intent holds plus
 * what was published, never incremented in place.
 *
 * <p>Thread safety: the worker methods ({@link #beginBurst} .. {@link #complete}) are the poll
 * thread's; {@link #read}, the record allocation and the grant setters are the control thread's.
 * Readers see a record's counters consistently through its version (a seqlock).
 */
final class UsageStore implements AutoCloseable {
    static final String FILE_NAME = "usage.state";
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final VarHandle LONG_HANDLE = LONG.varHandle();
    private static final VarHandle INT_HANDLE = INT.varHandle();
    private static final VarHandle CHANGED = java.lang.invoke.MethodHandles.arrayElementVarHandle(long[].class);
    /** Counters per snapshot and per record, in this order from {@code S_COUNTERS}/{@code R_BYTES_UP}. */
    static final int COUNTERS = 6;
    static final int BYTES_UP = 0;
    static final int BYTES_DOWN = 1;
    static final int PKTS_UP = 2;
    static final int PKTS_DOWN = 3;
    static final int FIRST_NS = 4;
    static final int LAST_NS = 5;

    private final Arena arena;
    private final MemorySegment mem;
    final UsageLayout layout;
    private final Path path;

    // poll thread: the burst being built
    private final int[] snapshotRecord;
    /**
     * The burst's record -> snapshot map: open addressing, keys {@code epoch << 32 | record}, at
     * most half full. A few KiB that stay in L1, where an array by record costs a line a record.
     */
    private final long[] snapshotKeys;
    private final int[] snapshotOfKey;
    private final long[] pendingBytes;
    private final int[] frameLength;
    private final byte[] frameDirection;
    private final byte[] frameRefCount;
    private final short[] frameRefs;
    private final long[] sums;
    /**
     * One bit per record whose counters or blocked count the worker changed since the control
     * thread last took the bit ({@link #takeChanged}): the tick looks at those instead of every
     * record. The worker sets bits with an atomic OR, the control thread takes a word with an
     * atomic swap, so no change is missed.
     */
    private final long[] changed;
    private int snapshotCount;
    private int epoch;
    private int recoveredIntentPackets = -1;
    private int unknownPackets;
    private long nowNs;

    private UsageStore(Path path, Arena arena, MemorySegment mem, UsageLayout layout) {
        this.path = path;
        this.arena = arena;
        this.mem = mem;
        this.layout = layout;
        this.snapshotRecord = new int[layout.snapshotCapacity];
        int cells = Integer.highestOneBit(Math.max(1, layout.snapshotCapacity)) * 4;
        this.snapshotKeys = new long[cells];
        this.snapshotOfKey = new int[cells];
        this.pendingBytes = new long[layout.snapshotCapacity];
        this.frameLength = new int[layout.frameCapacity];
        this.frameDirection = new byte[layout.frameCapacity];
        this.frameRefCount = new byte[layout.frameCapacity];
        this.frameRefs = new short[layout.frameCapacity * layout.urrsPerPacket];
        this.sums = new long[layout.snapshotCapacity * COUNTERS];
        this.changed = new long[(layout.recordCapacity + 63) >>> 6];
    }

    /**
     * Maps {@code dir/usage.state}, creating it for {@code layout} when absent. An existing file
     * must have been made with the same layout (its header says which), else the error says how.
     * Does not recover: call {@link #recover} before the first burst.
     */
    static UsageStore open(Path dir, UsageLayout layout) {
        Path path = dir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dir);
            boolean fresh = !Files.exists(path) || Files.size(path) == 0;
            Arena arena = Arena.ofShared();
            MemorySegment mem;
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                if (!fresh && ch.size() != layout.sizeBytes) {
                    arena.close();
                    throw new IllegalStateException(path + " holds " + ch.size() + " bytes, the configured layout needs "
                            + layout.sizeBytes + ": it was made with other capacities (max-urrs, burst size)");
                }
                mem = ch.map(FileChannel.MapMode.READ_WRITE, 0, layout.sizeBytes, arena);
            }
            UsageStore store = new UsageStore(path, arena, mem, layout);
            if (fresh) {
                store.format();
            } else {
                store.checkHeader();
            }
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("charging state " + path + ": " + e.getMessage(), e);
        }
    }

    private void format() {
        mem.set(INT, H_RECORDS, layout.recordCapacity);
        mem.set(INT, H_FRAMES, layout.frameCapacity);
        mem.set(INT, H_URRS_PER_PACKET, layout.urrsPerPacket);
        mem.set(LONG, H_REPORT_SEQ, 1);
        mem.set(LONG, H_RECORD_SEQ, 1);
        LONG_HANDLE.setRelease(mem, H_MAGIC, MAGIC);
    }

    private void checkHeader() {
        if (mem.get(LONG, H_MAGIC) != MAGIC || mem.get(INT, H_RECORDS) != layout.recordCapacity
                || mem.get(INT, H_FRAMES) != layout.frameCapacity
                || mem.get(INT, H_URRS_PER_PACKET) != layout.urrsPerPacket) {
            throw new IllegalStateException(path + " is not a charging state file of this layout (records "
                    + layout.recordCapacity + ", frames " + layout.frameCapacity + ", urrs per packet "
                    + layout.urrsPerPacket + ")");
        }
    }

    Path path() {
        return path;
    }

    // ---- recovery (before the worker starts) ----

    /** Whether a burst intent is pending: the last process died between writing it and completing it. */
    boolean intentPending() {
        return (int) INT_HANDLE.getAcquire(mem, layout.intentOffset + I_STATE) != 0;
    }

    /** The C2S head the pending intent published from. */
    int intentPrevHead() {
        return mem.get(INT, layout.intentOffset + I_PREV_HEAD);
    }

    /**
     * Completes a pending intent with {@code head}, the C2S ring head the dead process left
     * (read from its region file), and evens out versions a kill left odd. Returns the packets
     * the intent counted as published.
     */
    int recover(int head) {
        boolean pending = intentPending();
        int published = pending ? complete(head) : 0;
        recoveredIntentPackets = pending ? published : -1;
        for (int r = 0; r < layout.recordCapacity; r++) {
            long at = layout.record(r) + R_VERSION;
            long version = mem.get(LONG, at);
            if ((version & 1) != 0) {
                mem.set(LONG, at, version + 1);
            }
        }
        return published;
    }

    /**
     * Recovery without the ring (no region file): completes a pending intent as unpublished and
     * remembers how many packets it held, which may have been forwarded uncounted.
     */
    void recoverWithoutRing() {
        unknownPackets = mem.get(INT, layout.intentOffset + I_FRAME_COUNT);
        recover(intentPrevHead());
    }

    /** Packets of a burst in flight at a crash that {@link #recoverWithoutRing} could not place; 0 when none. */
    int recoveredWithoutRing() {
        return unknownPackets;
    }

    /** What {@link #recover} found: -1 when no intent was pending, else the packets it counted as published. */
    int recoveredIntentPackets() {
        return recoveredIntentPackets;
    }

    // ---- poll thread: one burst ----

    /** Starts a burst received at {@code receivedNs} (monotonic clock): forgets the previous one's work. */
    void beginBurst(long receivedNs) {
        snapshotCount = 0;
        nowNs = receivedNs;
        if (++epoch == 0) { // after 2^32 bursts: stamps could alias, so clear them
            java.util.Arrays.fill(snapshotKeys, 0);
            epoch = 1;
        }
    }

    /**
     * Loads what a burst reads of {@code record} (both lines of its record), to warm the cache
     * before the burst; the value means nothing.
     */
    long touch(int record) {
        if (record < 0 || record >= layout.recordCapacity) {
            return 0;
        }
        long at = layout.record(record);
        return mem.get(LONG, at) + mem.get(LONG, at + 64);
    }

    /** The burst's snapshot index of {@code record}, taken on first use; -1 when the burst has no room left. */
    int snapshot(int record) {
        long key = (long) epoch << 32 | record;
        long[] keys = snapshotKeys;
        int mask = keys.length - 1;
        int i = record * 0x9E3779B9 >>> 16 & mask;
        for (long k = keys[i]; (int) (k >>> 32) == epoch; k = keys[i]) {
            if (k == key) {
                return snapshotOfKey[i];
            }
            i = (i + 1) & mask;
        }
        int s = snapshotCount;
        if (s == snapshotRecord.length) {
            return -1;
        }
        snapshotCount = s + 1;
        keys[i] = key;
        snapshotOfKey[i] = s;
        snapshotRecord[s] = record;
        pendingBytes[s] = 0;
        return s;
    }

    /** Bytes of {@code record} (both directions) counted so far plus those this burst already charged to snapshot {@code s}. */
    long bytesWithPending(int record, int s) {
        long base = layout.record(record);
        return mem.get(LONG, base + R_BYTES_UP) + mem.get(LONG, base + R_BYTES_DOWN) + pendingBytes[s];
    }

    long firstPacketNs(int record) {
        return mem.get(LONG, layout.record(record) + R_FIRST_NS);
    }

    /** Packet {@code packet} of the burst, {@code lengthBytes} long, direction 0 up / 1 down, charges nothing yet. */
    void frame(int packet, int lengthBytes, int direction) {
        frameLength[packet] = lengthBytes;
        frameDirection[packet] = (byte) direction;
        frameRefCount[packet] = 0;
    }

    /** Charges packet {@code packet} to snapshot {@code s} (if published); false when it already has urrsPerPacket. */
    boolean charge(int packet, int s) {
        int n = frameRefCount[packet];
        if (n == layout.urrsPerPacket) {
            return false;
        }
        frameRefs[packet * layout.urrsPerPacket + n] = (short) s;
        frameRefCount[packet] = (byte) (n + 1);
        pendingBytes[s] += frameLength[packet];
        return true;
    }

    /** Counts a packet blocked by an exhausted quota of {@code record}: a flag for the control thread, not usage. */
    void blocked(int record) {
        long at = layout.record(record) + R_BLOCKED;
        LONG_HANDLE.setRelease(mem, at, mem.get(LONG, at) + 1);
        markChanged(record);
    }

    /** Any thread: record {@code record} changed, for the next {@link #takeChanged}; after the change's stores. */
    void markChanged(int record) {
        int w = record >>> 6;
        long bit = 1L << record;
        if (((long) CHANGED.getAcquire(changed, w) & bit) == 0) { // set already: no atomic write
            CHANGED.getAndBitwiseOr(changed, w, bit);
        }
    }

    /** Words of the changed-record bitmap: records {@code 64 * w .. 64 * w + 63} are word {@code w}. */
    int changedWords() {
        return changed.length;
    }

    /** Control thread: takes word {@code w} of the changed-record bitmap, clearing it. */
    long takeChanged(int w) {
        return (long) CHANGED.getAndSet(changed, w, 0L);
    }

    /**
     * Writes the intent for the packets {@code frames[0 .. count-1]} (in transmit order) about to be
     * offered to a ring of {@code ringSlots} slots of {@code bufferBytes} whose head is
     * {@code prevHead}, with a snapshot of every record the burst charges; then marks it pending.
     */
    void writeIntent(int prevHead, int ringSlots, int bufferBytes, int[] frames, int count) {
        long intent = layout.intentOffset;
        for (int s = 0; s < snapshotCount; s++) {
            long snap = layout.snapshot(s);
            long rec = layout.record(snapshotRecord[s]);
            mem.set(INT, snap + S_RECORD, snapshotRecord[s]);
            MemorySegment.copy(mem, rec + R_BYTES_UP, mem, snap + S_COUNTERS, COUNTERS * 8L);
        }
        int urrs = layout.urrsPerPacket;
        for (int k = 0; k < count; k++) {
            int p = frames[k];
            long f = layout.frame(k);
            int refs = frameRefCount[p];
            mem.set(INT, f + F_LENGTH, frameLength[p]);
            mem.set(ValueLayout.JAVA_BYTE, f + F_DIRECTION, frameDirection[p]);
            mem.set(ValueLayout.JAVA_BYTE, f + F_REF_COUNT, (byte) refs);
            for (int j = 0; j < refs; j++) {
                mem.set(ValueLayout.JAVA_SHORT, f + F_REFS + 2L * j, frameRefs[p * urrs + j]);
            }
        }
        mem.set(LONG, intent + I_SEQ, mem.get(LONG, intent + I_SEQ) + 1);
        mem.set(INT, intent + I_PREV_HEAD, prevHead & 0xffff);
        mem.set(INT, intent + I_RING_SLOTS, ringSlots);
        mem.set(INT, intent + I_BUFFER_BYTES, bufferBytes);
        mem.set(INT, intent + I_FRAME_COUNT, count);
        mem.set(INT, intent + I_SNAPSHOT_COUNT, snapshotCount);
        mem.set(LONG, intent + I_NOW_NS, nowNs);
        INT_HANDLE.setRelease(mem, intent + I_STATE, 1); // a kill before this line: nothing was published
    }

    /**
     * Completes the pending intent, given the ring head after the transmit: walks the intent's
     * packets as the memif client's transmit placed them (a packet takes ceil(length /
     * bufferBytes) slots; an empty one or one longer than the ring is skipped; the first that
     * does not fit ends the burst), sets each snapshotted record to its snapshot plus the
     * published packets, then clears the intent. Idempotent until the clear.
     *
     * @return packets published
     */
    int complete(int head) {
        long intent = layout.intentOffset;
        int prevHead = mem.get(INT, intent + I_PREV_HEAD);
        int ringSlots = mem.get(INT, intent + I_RING_SLOTS);
        int bufferBytes = mem.get(INT, intent + I_BUFFER_BYTES);
        int frameCount = mem.get(INT, intent + I_FRAME_COUNT);
        int snapshots = mem.get(INT, intent + I_SNAPSHOT_COUNT);
        long burstNs = mem.get(LONG, intent + I_NOW_NS);
        int budget = (head - prevHead) & 0xffff;
        java.util.Arrays.fill(sums, 0, snapshots * COUNTERS, 0);
        int published = 0;
        for (int k = 0; k < frameCount; k++) {
            long f = layout.frame(k);
            int length = mem.get(INT, f + F_LENGTH);
            int slots = (length + bufferBytes - 1) / bufferBytes;
            if (length == 0 || slots > ringSlots) {
                continue;
            }
            if (slots > budget) {
                break;
            }
            budget -= slots;
            published++;
            int direction = mem.get(ValueLayout.JAVA_BYTE, f + F_DIRECTION);
            int refs = mem.get(ValueLayout.JAVA_BYTE, f + F_REF_COUNT);
            for (int j = 0; j < refs; j++) {
                int s = mem.get(ValueLayout.JAVA_SHORT, f + F_REFS + 2L * j) & 0xffff;
                sums[s * COUNTERS + BYTES_UP + direction] += length;
                sums[s * COUNTERS + PKTS_UP + direction]++;
            }
        }
        for (int s = 0; s < snapshots; s++) {
            apply(s, burstNs);
        }
        INT_HANDLE.setRelease(mem, intent + I_STATE, 0);
        return published;
    }

    private void apply(int s, long burstNs) {
        long snap = layout.snapshot(s) + S_COUNTERS;
        int o = s * COUNTERS;
        long packets = sums[o + PKTS_UP] + sums[o + PKTS_DOWN];
        int record = mem.get(INT, layout.snapshot(s) + S_RECORD);
        long rec = layout.record(record);
        long version = mem.get(LONG, rec + R_VERSION) | 1;
        LONG_HANDLE.setRelease(mem, rec + R_VERSION, version); // odd: readers retry
        VarHandle.storeStoreFence();
        for (int c = BYTES_UP; c <= PKTS_DOWN; c++) {
            mem.set(LONG, rec + R_BYTES_UP + 8L * c, mem.get(LONG, snap + 8L * c) + sums[o + c]);
        }
        long first = mem.get(LONG, snap + 8L * FIRST_NS);
        long last = mem.get(LONG, snap + 8L * LAST_NS);
        mem.set(LONG, rec + R_FIRST_NS, packets > 0 && first == 0 ? burstNs : first);
        mem.set(LONG, rec + R_LAST_NS, packets > 0 ? burstNs : last);
        LONG_HANDLE.setRelease(mem, rec + R_VERSION, version + 1);
        markChanged(record);
    }

    // ---- any thread: reads ----

    /**
     * Copies record {@code record}'s six counters (bytes up, bytes down, packets up, packets down,
     * first and last packet ns) into {@code out}, consistently with each other.
     */
    void read(int record, long[] out) {
        long rec = layout.record(record);
        while (true) {
            long before = (long) LONG_HANDLE.getAcquire(mem, rec + R_VERSION);
            if ((before & 1) == 0) {
                for (int c = 0; c < COUNTERS; c++) {
                    out[c] = mem.get(LONG, rec + R_BYTES_UP + 8L * c);
                }
                VarHandle.loadLoadFence();
                if ((long) LONG_HANDLE.getAcquire(mem, rec + R_VERSION) == before) {
                    return;
                }
            }
            Thread.onSpinWait();
        }
    }

    /** The record's version: even at rest, moved by every write of its counters. */
    long version(int record) {
        return (long) LONG_HANDLE.getAcquire(mem, layout.record(record) + R_VERSION);
    }

        long blockedPackets(int record) {
        return (long) LONG_HANDLE.getAcquire(mem, layout.record(record) + R_BLOCKED);
    }

    // ---- control thread: the fields it owns ----

    long getLong(int record, long field) {
        return (long) LONG_HANDLE.getAcquire(mem, layout.record(record) + field);
    }

    int getInt(int record, long field) {
        return (int) INT_HANDLE.getAcquire(mem, layout.record(record) + field);
    }

    void setLong(int record, long field, long value) {
        LONG_HANDLE.setRelease(mem, layout.record(record) + field, value);
    }

    void setInt(int record, long field, int value) {
        INT_HANDLE.setRelease(mem, layout.record(record) + field, value);
    }

    /** Zeroes record {@code record}'s counters: only for a record no packet can reach (free, quarantined). */
    void resetCounters(int record) {
        long rec = layout.record(record);
        mem.asSlice(rec + R_BYTES_UP, R_SEID - R_BYTES_UP).fill((byte) 0);
    }

    /** Takes the next value of a sequence kept in the header ({@code H_REPORT_SEQ}, {@code H_RECORD_SEQ}). */
    long nextSequence(long headerField) {
        long value = mem.get(LONG, headerField);
        mem.set(LONG, headerField, value + 1);
        return value;
    }

    @Override
    public void close() {
        arena.close();
    }
}
