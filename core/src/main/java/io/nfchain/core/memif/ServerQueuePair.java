package io.nfchain.core.memif;

import io.nfchain.core.os.EventFd;
import java.lang.foreign.MemorySegment;

/**
 * Not thread-safe: one thread receives and transmits. The server end of one memif queue
 * pair, in copy mode: it copies frames out of the client's C2S buffers, and copies frames
 * into the empty buffers the client posted on its S2C ring. Every descriptor is checked
 * against the regions the client registered before any byte is touched.
 *
 * <p>Valid while its {@link MemifServer} connection lasts; the regions are unmapped on
 * disconnect. The burst methods do not allocate.
 */
public final class ServerQueuePair implements InterruptibleReceiveQueue {
    private final int index;
    private final MemifRegions regions;
    private final MemifRing c2s;
    private final MemifRing s2c;
    private final EventFd s2cInterrupt;
    private final EventFd c2sInterrupt;
    private final MemifCounters counters;
    private int c2sTail;
    private int s2cTail;
    /** What the warming loads summed to, kept so that they are not optimised away. */
    private int warmSink;

    ServerQueuePair(int index, MemifRegions regions, MemifRing c2s, MemifRing s2c, EventFd c2sInterrupt,
            EventFd s2cInterrupt, MemifCounters counters) {
        this.index = index;
        this.counters = counters;
        this.regions = regions;
        this.c2s = c2s;
        this.s2c = s2c;
        this.c2sInterrupt = c2sInterrupt;
        this.s2cInterrupt = s2cInterrupt;
        this.c2sTail = c2s.tailPlain();
        this.s2cTail = s2c.tailPlain();
        c2s.maskInterrupts(true); // the server polls, as DPDK's server does
    }

    public int index() {
        return index;
    }

    /** This queue's counters, kept across connections by the {@link MemifServer}. */
    public MemifCounters counters() {
        return counters;
    }

    /** The eventfd the client kicks after producing C2S slots (when unmasked). */
    @Override
    public EventFd receiveInterrupt() {
        return c2sInterrupt;
    }

    @Override
    public boolean armReceiveInterrupt() {
        c2s.unmaskInterruptsThenFence();
        return MemifRing.distance(c2sTail, c2s.headAcquire()) != 0;
    }

    @Override
    public void disarmReceiveInterrupt() {
        c2s.maskInterrupts(true);
    }

    /**
     * Receives up to {@code burst.capacity()} frames from the C2S ring into {@code burst}
     * (sets its count) and returns their slots to the client with one release store of tail.
     *
     * @return frames received; dropped descriptors are counted in {@link #counters()}
     */
    public int rxBurst(PacketBurst burst) {
        return rxBurst(burst, burst.capacity());
    }

    /**
     * As {@link #rxBurst(PacketBurst)}, taking at most {@code maxFrames} frames: a caller that
     * can pass on only that many leaves the rest on the ring, so the client sees its transmit
     * ring fill and holds back instead of doing work that would be dropped further on.
     */
    public int rxBurst(PacketBurst burst, int maxFrames) {
        int available = receivable();
        if (available < 0) {
            burst.setCount(0);
            return 0;
        }
        giveBack(RingReader.read(c2s, c2sTail, available, regions, burst, counters, maxFrames));
        return burst.count();
    }

    /**
     * C2S slots the client produced and this side has not taken, or -1 (counted) when the head is
     * not a cursor the client could have written.
     */
    private int receivable() {
        int available = MemifRing.distance(c2sTail, c2s.headAcquire());
        if (available > c2s.size()) {
            counters.addDrop(MemifDrop.RING_CURSOR_INVALID, 1);
            return -1;
        }
        return available;
    }

    /** Returns the C2S slots before {@code tail} (mod 2^16) to the client with one release store. */
    private void giveBack(int tail) {
        if (tail != c2sTail) {
            c2sTail = tail;
            c2s.tailRelease(tail);
        }
    }

    /**
     * Buffers the client has posted on the S2C ring and this side has not filled: how many
     * single-buffer frames {@link #txBurst} would take now. A ring whose head is not a cursor
     * the client could have written reads as room, so that {@code txBurst} meets it and counts
     * it instead of the caller holding back forever.
     */
    public int transmitRoom() {
        int posted = MemifRing.distance(s2cTail, s2c.headAcquire());
        return posted > s2c.size() ? s2c.size() : posted;
    }

    /**
     * Copies frames {@code 0 .. burst.count()-1} into the buffers the client posted on the
     * S2C ring, chaining buffers when a frame is longer than one, publishes them with one
     * release store of tail and kicks the eventfd unless the client masked interrupts. A
     * posted buffer outside the client's regions is skipped (given back empty, chained into
     * the frame) and counted.
     *
     * @return frames consumed from the burst, in order (sent, or dropped and counted when
     *     empty or longer than every posted buffer together); the rest found no posted
     *     buffers and may be offered again
     */
    public int txBurst(PacketBurst burst) {
        return txBurst(burst, PacketBurst.IDENTITY, burst.count());
    }

    /**
     * As {@link #txBurst(PacketBurst)}, for the frames {@code frames[0 .. count-1]} of
     * {@code burst} in that order: a function transmits the packets bound for this link out of
     * a burst that also holds dropped ones, without moving any.
     *
     * @return entries of {@code frames} consumed, in order
     */
    public int txBurst(PacketBurst burst, int[] frames, int count) {
        int tail = s2cTail;
        int available = MemifRing.distance(tail, s2c.headAcquire());
        if (available > s2c.size()) {
            counters.addDrop(MemifDrop.RING_CURSOR_INVALID, 1);
            return 0;
        }
        int consumed = 0;
        int sent = 0;
        long bytes = 0;
        for (; consumed < count; consumed++) {
            int frame = frames[consumed];
            int length = burst.length(frame);
            if (length == 0) {
                counters.addDrop(MemifDrop.FRAME_EMPTY, 1);
                continue;
            }
            int used = writeFrame(burst, frame, tail, available);
            if (used == 0) {
                if (available == s2c.size()) { // every slot posted and still short: never fits
                    counters.addDrop(MemifDrop.FRAME_TOO_LONG, 1);
                    continue;
                }
                break;
            }
            tail += used;
            available -= used;
            bytes += length;
            sent++;
        }
        publishTransmit(tail, sent, bytes);
        return consumed;
    }

    /**
     * Moves up to {@code maxFrames} frames from this pair's C2S ring straight into the buffers the
     * client of {@code target} posted on its S2C ring: one copy per frame where {@link #rxBurst}
     * then {@link #txBurst} make two, for an agent passing one function's output to the next.
     * Every descriptor on both rings is read once and checked against its own side's regions
     * before any byte moves through it; a bad one drops its frame with a reason, counted on the
     * side it came from (a bad posted buffer is given back empty, as {@link #txBurst} does). A
     * frame that does not fit in what {@code target} has posted stays on this ring, and so does
     * everything after it: the client of this pair sees its transmit ring fill and holds back.
     * Each ring is published with one release store, and {@code target}'s client is kicked unless
     * it masked interrupts.
     *
     * @param maxFrameBytes longer frames are dropped here ({@link MemifDrop#FRAME_TOO_LONG})
     * @return frames taken from this ring and passed on: sent, or dropped by {@code target} and
     *     counted there (frames this side dropped are counted in {@link #counters()} only)
     */
    public int forwardTo(ServerQueuePair target, int maxFrames, int maxFrameBytes) {
        int available = receivable();
        if (available < 0) {
            return 0;
        }
        int outTail = target.s2cTail;
        int room = MemifRing.distance(outTail, target.s2c.headAcquire());
        if (room > target.s2c.size()) {
            target.counters.addDrop(MemifDrop.RING_CURSOR_INVALID, 1);
            return 0;
        }
        warmSink += RingReader.warm(c2s, c2sTail, Math.min(available, maxFrames), regions);
        int cursor = c2sTail;
        int taken = 0;
        int sent = 0;
        long takenBytes = 0;
        long sentBytes = 0;
        while (available > 0 && taken < maxFrames) {
            int chain = (MemifRing.flags(c2s.descriptorWord0(cursor)) & DescriptorLayout.FLAG_NEXT) == 0
                    ? 1 : RingReader.chainLength(c2s, cursor, available);
            if (chain == 0) {
                if (available == c2s.size()) { // NEXT on every slot of a full ring
                    counters.addDrop(MemifDrop.FRAME_TOO_LONG, 1);
                    cursor += available;
                }
                break; // else the rest of the frame is not published yet
            }
            long result = copyFrame(cursor, chain, target, outTail, room, maxFrameBytes);
            if (result == NO_ROOM) {
                break;
            }
            cursor += chain;
            available -= chain;
            if (result == DROPPED) {
                continue;
            }
            int used = (int) (result >>> 32);
            long length = result & 0xFFFF_FFFFL;
            taken++;
            takenBytes += length;
            if (used > 0) {
                sent++;
                sentBytes += length;
                outTail += used;
                room -= used;
            }
        }
        giveBack(cursor & 0xffff);
        counters.addRx(taken, takenBytes);
        target.publishTransmit(outTail, sent, sentBytes);
        return taken;
    }

    /**
     * Takes up to {@code maxFrames} frames off the C2S ring without copying them, for an agent
     * whose next stop keeps nothing (a sink): each descriptor is checked as {@link #rxBurst}
     * checks it, bad ones are dropped with their reason, and what is taken is counted as received.
     *
     * @return frames taken (their bytes are in {@link #counters()})
     */
    public int discard(int maxFrames, int maxFrameBytes) {
        int available = receivable();
        if (available < 0) {
            return 0;
        }
        int cursor = c2sTail;
        int taken = 0;
        long bytes = 0;
        while (available > 0 && taken < maxFrames) {
            int chain = RingReader.chainLength(c2s, cursor, available);
            if (chain == 0) {
                if (available == c2s.size()) {
                    counters.addDrop(MemifDrop.FRAME_TOO_LONG, 1);
                    cursor += available;
                }
                break;
            }
            long total = 0;
            MemifDrop drop = null;
            for (int k = 0; k < chain && drop == null; k++) {
                long w0 = c2s.descriptorWord0(cursor + k);
                long length = MemifRing.length(w0);
                drop = regions.check(MemifRing.region(w0), MemifRing.offset(c2s.descriptorWord1(cursor + k)), length);
                total += length;
                if (drop == null && total > maxFrameBytes) {
                    drop = MemifDrop.FRAME_TOO_LONG;
                }
            }
            if (drop == null && total == 0) {
                drop = MemifDrop.FRAME_EMPTY;
            }
            if (drop != null) {
                counters.addDrop(drop, 1);
            } else {
                taken++;
                bytes += total;
            }
            cursor += chain;
            available -= chain;
        }
        giveBack(cursor & 0xffff);
        counters.addRx(taken, bytes);
        return taken;
    }

    /** {@link #copyFrame}: the frame stays on the ring, {@code target} has too few buffers posted. */
    private static final long NO_ROOM = Long.MIN_VALUE;
    /** {@link #copyFrame}: the frame was dropped on this side, reason counted. */
    private static final long DROPPED = -1;

    /**
     * Copies the frame in C2S slots {@code cursor .. cursor + chain - 1} into {@code target}'s
     * posted buffers from {@code outSlot}, filling their descriptors (nothing is published).
     *
     * @return {@code slotsUsed << 32 | frameBytes} (slots used 0: {@code target} dropped the
     *     frame, too long for all it could ever post), {@link #DROPPED} or {@link #NO_ROOM}
     */
    private long copyFrame(int cursor, int chain, ServerQueuePair target, int outSlot, int room, int maxFrameBytes) {
        MemifRing out = target.s2c;
        MemifRegions outRegions = target.regions;
        int metadata = 0;
        long total = 0;
        int used = 0;
        boolean tooLongForTarget = false;
        int open = -1; // target slot being filled
        int openRegion = 0;
        long openOffset = 0;
        long openCapacity = 0;
        long openFilled = 0;
        for (int k = 0; k < chain; k++) {
            long w0 = c2s.descriptorWord0(cursor + k); // read once: the peer may rewrite it
            long w1 = c2s.descriptorWord1(cursor + k);
            int region = MemifRing.region(w0);
            long offset = MemifRing.offset(w1);
            long length = MemifRing.length(w0);
            if (k == 0) {
                metadata = MemifRing.metadata(w1);
            }
            MemifDrop drop = regions.check(region, offset, length);
            if (drop == null && total + length > maxFrameBytes) {
                drop = MemifDrop.FRAME_TOO_LONG;
            }
            if (drop != null) {
                counters.addDrop(drop, 1);
                return DROPPED;
            }
            total += length;
            while (length > 0 && !tooLongForTarget) {
                if (open < 0 || openFilled == openCapacity) {
                    if (used == room) {
                        if (room < out.size()) {
                            return NO_ROOM; // nothing published: the next call rewrites these slots
                        }
                        tooLongForTarget = true; // every slot posted and still short: never fits
                        break;
                    }
                    if (open >= 0) {
                        out.setDescriptorFill(open, DescriptorLayout.FLAG_NEXT, openRegion, openFilled, metadata);
                    }
                    int s = outSlot + used++;
                    long p0 = out.descriptorWord0(s); // read once: the client may rewrite it
                    int postedRegion = MemifRing.region(p0);
                    long postedOffset = MemifRing.offset(out.descriptorWord1(s));
                    long capacity = MemifRing.length(p0);
                    MemifDrop bad = outRegions.check(postedRegion, postedOffset, capacity);
                    if (bad == null && capacity == 0) {
                        bad = MemifDrop.BUFFER_TOO_SMALL;
                    }
                    if (bad != null) {
                        target.counters.addDrop(bad, 1);
                        out.setDescriptorFill(s, DescriptorLayout.FLAG_NEXT, postedRegion, 0, metadata);
                        open = -1;
                        continue;
                    }
                    open = s;
                    openRegion = postedRegion;
                    openOffset = postedOffset;
                    openCapacity = capacity;
                    openFilled = 0;
                }
                long chunk = Math.min(openCapacity - openFilled, length);
                MemorySegment.copy(regions.segment(region), offset, outRegions.segment(openRegion),
                        openOffset + openFilled, chunk);
                offset += chunk;
                length -= chunk;
                openFilled += chunk;
            }
        }
        if (total == 0) {
            counters.addDrop(MemifDrop.FRAME_EMPTY, 1);
            return DROPPED;
        }
        if (tooLongForTarget) {
            target.counters.addDrop(MemifDrop.FRAME_TOO_LONG, 1);
            return total;
        }
        out.setDescriptorFill(open, 0, openRegion, openFilled, metadata);
        return (long) used << 32 | total;
    }

    /** Publishes S2C slots up to {@code tail} with one release store, kicks the client unless masked, counts. */
    private void publishTransmit(int tail, int frames, long bytes) {
        tail &= 0xffff;
        if (tail != s2cTail) {
            s2cTail = tail;
            s2c.tailRelease(tail);
            if (s2c.interruptWantedAfterPublish()) {
                s2cInterrupt.write(1);
                counters.addInterruptSent();
            }
        }
        counters.addTx(frames, bytes);
    }

    /**
     * At the end of the connection, before the regions are unmapped: counts as lost the C2S
     * frames the client published that were never received. (What this side put on S2C and
     * the client never read is unknowable here: the client's read cursor is private.)
     */
    void countConnectionLoss() {
        int unreceived = MemifRing.distance(c2sTail, c2s.headAcquire());
        if (unreceived <= c2s.size()) {
            counters.addDrop(MemifDrop.CONNECTION_LOST, RingReader.frames(c2s, c2sTail, unreceived));
        }
    }

    /** The S2C ring itself: for tests that play a hostile server. */
    MemifRing transmitRing() {
        return s2c;
    }

    /** Slots frame {@code i} took starting at {@code slot}, or 0 when the posted buffers ran out. */
    private int writeFrame(PacketBurst burst, int i, int slot, int available) {
        MemorySegment src = burst.data();
        long srcOffset = burst.offset(i);
        long remaining = burst.length(i);
        int metadata = burst.metadata(i);
        int used = 0;
        while (remaining > 0) {
            if (used == available) {
                return 0; // nothing published: the next burst rewrites these slots
            }
            int s = slot + used++;
            long word0 = s2c.descriptorWord0(s); // read once: the client may rewrite it
            int region = MemifRing.region(word0);
            long offset = MemifRing.offset(s2c.descriptorWord1(s));
            long capacity = MemifRing.length(word0);
            MemifDrop drop = regions.check(region, offset, capacity);
            if (drop == null && capacity == 0) {
                drop = MemifDrop.BUFFER_TOO_SMALL;
            }
            if (drop != null) {
                counters.addDrop(drop, 1);
                s2c.setDescriptorFill(s, DescriptorLayout.FLAG_NEXT, region, 0, metadata);
                continue;
            }
            long chunk = Math.min(capacity, remaining);
            MemorySegment.copy(src, srcOffset, regions.segment(region), offset, chunk);
            srcOffset += chunk;
            remaining -= chunk;
            s2c.setDescriptorFill(s, remaining > 0 ? DescriptorLayout.FLAG_NEXT : 0, region, chunk, metadata);
        }
        return used;
    }
}
