package io.nfchain.core.memif;

import io.nfchain.core.os.EventFd;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Not thread-safe: one thread transmits and receives. The client end of one memif queue
 * pair: it produces frames on its C2S ring and receives frames on its S2C ring, always in
 * buffers of its own region at offsets it keeps itself (a descriptor the server rewrote is
 * never trusted for where to write).
 *
 * <p><b>Receiving in place</b> (when its client was configured {@code withInPlace}): the
 * frames the server wrote stay in their buffers, lent to a {@link PacketBurst} until
 * {@link #releaseReceived()}; a lent frame transmitted back on this queue is not copied: its
 * buffer goes onto the C2S ring as it is, and the C2S slot's previous buffer (which the server
 * has consumed) takes its place on the S2C ring. Buffers thus move between the rings; the
 * queue keeps where each one is in three private tables, never in shared memory, and every
 * buffer is in exactly one place at any time. This is DPDK's memif zero-copy trade: the server
 * (the node's agent) is trusted not to write a buffer after it returned it.
 *
 * <p>Valid while its {@link MemifClient} is connected; its memory is unmapped on disconnect.
 * The burst methods do not allocate.
 */
public final class ClientQueuePair implements InterruptibleReceiveQueue {
    private final int index;
    private final MemorySegment region;
    private final MemifRegions ownRegions;
    private final MemifRing c2s;
    private final MemifRing s2c;
    private final EventFd c2sInterrupt;
    private final EventFd s2cInterrupt;
    private final MemifCounters counters;
    private final int bufferBytes;
    private final int mask;
    /** The buffer at each C2S slot, each S2C slot, and each spare (for frames a function adds). */
    private final long[] c2sBuffers;
    private final long[] s2cBuffers;
    private final long[] spares;
    private final boolean inPlace;
    /** Where posted S2C buffers start receiving: the in-place headroom, else 0. */
    private final int postedHeadroom;
    private int c2sHead;
    private int s2cTail;
    /** S2C slots before this are free to post again; behind {@link #s2cTail} while frames are lent. */
    private int s2cReleased;

    /**
     * @param inPlaceHeadroom -1 to copy received frames out; else receive in place, frames
     *     starting this far into each buffer
     */
    ClientQueuePair(int index, RegionLayout layout, MemorySegment region, MemifRing c2s, MemifRing s2c,
            EventFd c2sInterrupt, EventFd s2cInterrupt, MemifCounters counters, int inPlaceHeadroom) {
        this.index = index;
        this.counters = counters;
        this.region = region;
        this.ownRegions = new MemifRegions(1);
        this.ownRegions.add(region);
        this.c2s = c2s;
        this.s2c = s2c;
        this.c2sInterrupt = c2sInterrupt;
        this.s2cInterrupt = s2cInterrupt;
        this.bufferBytes = layout.bufferBytes();
        this.mask = (1 << layout.log2RingSize()) - 1;
        this.inPlace = inPlaceHeadroom >= 0;
        this.postedHeadroom = Math.max(inPlaceHeadroom, 0);
        this.c2sBuffers = new long[mask + 1];
        this.s2cBuffers = new long[mask + 1];
        for (int s = 0; s <= mask; s++) {
            c2sBuffers[s] = layout.bufferOffset(true, index, s);
            s2cBuffers[s] = layout.bufferOffset(false, index, s);
        }
        this.spares = new long[inPlace ? layout.spareBuffers() : 0];
        for (int k = 0; k < spares.length; k++) {
            spares[k] = layout.spareOffset(index, k);
        }
        this.c2sHead = c2s.headPlain();
        this.s2cTail = s2c.tailPlain();
        this.s2cReleased = s2cTail;
        s2c.maskInterrupts(true); // the client polls; the poll runtime may unmask later
        postReceiveBuffers();
    }

    public int index() {
        return index;
    }

    /**
     * The C2S head this client last published (free-running, 16 bits): a function that must
     * know which frames a transmit published compares it before and after, or, after a crash,
     * with the head left in a {@linkplain MemifClient.Config#regionFile region file}.
     */
    public int transmitHead() {
        return c2sHead;
    }

    /** Bytes per buffer: a frame takes {@code ceil(length / bufferBytes())} transmit slots. */
    public int bufferBytes() {
        return bufferBytes;
    }

    /** This queue's counters, kept across connections by the {@link MemifClient}. */
    public MemifCounters counters() {
        return counters;
    }

    /** The eventfd the server kicks after filling S2C slots (when unmasked). */
    @Override
    public EventFd receiveInterrupt() {
        return s2cInterrupt;
    }

    @Override
    public boolean armReceiveInterrupt() {
        s2c.unmaskInterruptsThenFence();
        return MemifRing.distance(s2cTail, s2c.tailAcquire()) != 0;
    }

    @Override
    public void disarmReceiveInterrupt() {
        s2c.maskInterrupts(true);
    }

    /**
     * Free C2S slots: how many single-buffer frames {@link #txBurst} would take now. A tail the
     * server could not have written reads as a full ring's room, so that {@code txBurst} meets it
     * and counts it instead of the caller holding back forever.
     */
    public int transmitRoom() {
        int free = c2s.freeSlots(c2sHead, c2s.tailAcquire());
        return free < 0 ? c2s.size() : free;
    }

    /**
     * Transmits frames {@code 0 .. burst.count()-1} as far as the C2S ring has room (a frame
     * longer than one buffer takes chained slots), publishes them with one release store of
     * head, and kicks the eventfd unless the server masked interrupts.
     *
     * @return frames consumed from the burst, in order (sent, or dropped and counted when
     *     empty or longer than the whole ring); the rest did not fit and may be offered again
     */
    public int txBurst(PacketBurst burst) {
        return txBurst(burst, PacketBurst.IDENTITY, burst.count());
    }

    /**
     * As {@link #txBurst(PacketBurst)}, for the frames {@code frames[0 .. count-1]} of
     * {@code burst} in that order: a function transmits the packets bound for this link out of
     * a burst that also holds dropped ones, without moving any.
     *
     * <p>Frames of a burst this queue lent ({@link #rxBurstInPlace}) are not copied: each takes
     * one slot with its own buffer (it holds at most one buffer's bytes).
     *
     * @return entries of {@code frames} consumed, in order
     */
    public int txBurst(PacketBurst burst, int[] frames, int count) {
        int head = c2sHead;
        int free = c2s.freeSlots(head, c2s.tailAcquire());
        if (free < 0) {
            counters.addDrop(MemifDrop.RING_CURSOR_INVALID, 1);
            return 0;
        }
        MemorySegment src = burst.data();
        boolean lent = burst.lender() == this;
        int consumed = 0;
        long bytes = 0;
        int sent = 0;
        for (; consumed < count; consumed++) {
            int frame = frames[consumed];
            int length = burst.length(frame);
            if (length == 0) {
                counters.addDrop(MemifDrop.FRAME_EMPTY, 1);
                continue;
            }
            int slots = (length + bufferBytes - 1) / bufferBytes;
            if (slots > free) {
                if (slots > c2s.size()) { // could never fit: waiting would stall the queue
                    counters.addDrop(MemifDrop.FRAME_TOO_LONG, 1);
                    continue;
                }
                break;
            }
            int metadata = burst.metadata(frame);
            long srcOffset = burst.offset(frame);
            int home = lent ? burst.home(frame) : -1;
            if (home >= 0) { // one of this queue's buffers: hand it over, swapping in the slot's consumed one
                int slot = head & mask;
                long returned = c2sBuffers[slot];
                c2sBuffers[slot] = burst.base(frame);
                if (home <= mask) {
                    s2cBuffers[home] = returned;
                } else {
                    spares[home - mask - 1] = returned;
                }
                burst.handedOn(frame);
                c2s.setDescriptor(head++, 0, 0, srcOffset, length, metadata);
                free--;
                bytes += length;
                sent++;
                continue;
            }
            for (int remaining = length; remaining > 0; head++) {
                int chunk = Math.min(remaining, bufferBytes);
                remaining -= chunk;
                long buffer = c2sBuffers[head & mask];
                MemorySegment.copy(src, srcOffset, region, buffer, chunk);
                srcOffset += chunk;
                c2s.setDescriptor(head, remaining > 0 ? DescriptorLayout.FLAG_NEXT : 0, 0, buffer, chunk, metadata);
            }
            free -= slots;
            bytes += length;
            sent++;
        }
        head &= 0xffff;
        if (head != c2sHead) {
            c2sHead = head;
            c2s.headRelease(head);
            if (c2s.interruptWantedAfterPublish()) {
                c2sInterrupt.write(1);
                counters.addInterruptSent();
            }
        }
        counters.addTx(sent, bytes);
        return consumed;
    }

    /**
     * Receives up to {@code burst.capacity()} frames the server produced on the S2C ring into
     * {@code burst} (sets its count), then posts the freed buffers back to the server.
     *
     * @return frames received
     */
    public int rxBurst(PacketBurst burst) {
        return rxBurst(burst, burst.capacity());
    }

    /**
     * As {@link #rxBurst(PacketBurst)}, taking at most {@code maxFrames} frames; the rest stay
     * on the ring for the next call.
     */
    public int rxBurst(PacketBurst burst, int maxFrames) {
        requireReleased();
        int available = receivable();
        if (available < 0) {
            burst.reclaim();
            burst.setCount(0);
            return 0;
        }
        s2cTail = RingReader.read(s2c, s2cTail, available, ownRegions, burst, counters, maxFrames);
        s2cReleased = s2cTail;
        postReceiveBuffers();
        return burst.count();
    }

    /**
     * Receives up to {@code min(burst.capacity(), maxFrames)} frames in place: {@code burst}
     * is lent the buffers the server filled ({@link PacketBurst#data()} becomes this region) and,
     * past the received frames, a spare buffer each for frames the caller adds. Nothing is
     * copied, and nothing is posted back to the server until {@link #releaseReceived()}, which
     * the caller must call before receiving again; until then the caller may rewrite the frames,
     * and {@link #txBurst(PacketBurst, int[], int)} on this queue hands them on without a copy.
     *
     * <p>Only a frame that is exactly what was posted is lent: one slot, not chained, at the
     * posted buffer and headroom, 1 .. posted bytes long. When the first frame waiting is
     * anything else (a chained jumbo frame, a descriptor the server rewrote), this receive copies
     * instead, with every check and counted drop of {@link #rxBurst(PacketBurst, int)}; a later
     * one ends the lent burst before it. Without in-place receive configured, this is
     * {@code rxBurst}.
     *
     * @return frames received
     */
    public int rxBurstInPlace(PacketBurst burst, int maxFrames) {
        if (!inPlace) {
            return rxBurst(burst, maxFrames);
        }
        requireReleased();
        int available = receivable();
        if (available <= 0) { // nothing to lend: an empty poll costs no more than the copy path's
            burst.setCount(0);
            return 0;
        }
        int capacity = burst.capacity();
        int max = Math.min(Math.min(capacity, maxFrames), available);
        int postedBytes = bufferBytes - postedHeadroom;
        int cursor = s2cTail;
        int n = 0;
        long bytes = 0;
        burst.lend(this, region, bufferBytes, postedHeadroom);
        for (; n < max; n++, cursor++) {
            long word0 = s2c.descriptorWord0(cursor); // read once: the server may rewrite it
            long word1 = s2c.descriptorWord1(cursor);
            int slot = cursor & mask;
            long buffer = s2cBuffers[slot];
            long length = MemifRing.length(word0);
            if (MemifRing.flags(word0) != 0 || MemifRing.region(word0) != 0
                    || MemifRing.offset(word1) != buffer + postedHeadroom || length == 0 || length > postedBytes) {
                break;
            }
            burst.putLent(n, buffer, slot, (int) length, MemifRing.metadata(word1));
            bytes += length;
        }
        if (n == 0) { // the first frame needs the copy path's checks
            return rxBurst(burst, maxFrames);
        }
        int touched = 0;
        for (int i = 0; i < n; i++) { // every header line in flight together, as RingReader.warm
            touched += region.get(ValueLayout.JAVA_BYTE, burst.offset(i));
        }
        burst.warmed(touched);
        for (int i = n, k = 0; i < capacity; i++, k++) {
            burst.setSpare(i, k < spares.length ? spares[k] : -1, mask + 1 + k);
        }
        burst.setCount(n);
        s2cTail = cursor & 0xffff;
        counters.addRx(n, bytes);
        return n;
    }

    /**
     * Gives the buffers of the last {@link #rxBurstInPlace} back to the server: every frame
     * not handed on (dropped, or sent on another link) is posted again where it was, and each
     * handed-on frame's slot with the buffer that replaced it. The lent burst's frames must not
     * be touched after this. Does nothing when nothing is lent.
     */
    public void releaseReceived() {
        if (s2cReleased != s2cTail) {
            s2cReleased = s2cTail;
            postReceiveBuffers();
        }
    }

    /** Slots filled and not yet received, or -1 (counted) when the tail is past what was posted. */
    private int receivable() {
        int available = MemifRing.distance(s2cTail, s2c.tailAcquire());
        if (available > MemifRing.distance(s2cTail, s2c.headPlain())) { // beyond what was posted
            counters.addDrop(MemifDrop.RING_CURSOR_INVALID, 1);
            return -1;
        }
        return available;
    }

    private void requireReleased() {
        if (s2cReleased != s2cTail) {
            throw new IllegalStateException("memif queue " + index + ": receive before releaseReceived()");
        }
    }

    /** Posts every free S2C slot with its buffer, after the headroom, rewriting the whole descriptor. */
    private void postReceiveBuffers() {
        int head = s2c.headPlain();
        int free = s2c.freeSlots(head, s2cReleased);
        if (free <= 0) {
            return;
        }
        int length = bufferBytes - postedHeadroom;
        for (int i = 0; i < free; i++, head++) {
            s2c.setDescriptor(head, 0, 0, s2cBuffers[head & mask] + postedHeadroom, length, 0);
        }
        s2c.headRelease(head & 0xffff);
    }

    /**
     * Buffers of this queue the server holds right now: C2S frames it has not consumed plus
     * S2C buffers posted and not yet returned filled. Every other buffer of the queue's two
     * rings is this client's; with one buffer per slot, nothing else exists to leak.
     */
    public int buffersWithPeer() {
        int unconsumed = MemifRing.distance(c2s.tailAcquire(), c2sHead);
        int posted = MemifRing.distance(s2c.tailAcquire(), s2c.headPlain());
        return unconsumed + posted;
    }

    /** Buffers of this queue: one per slot of its C2S and S2C rings. */
    public int buffers() {
        return c2s.size() + s2c.size();
    }

    /**
     * At the end of the connection, before the region is unmapped: counts as lost the C2S
     * frames the server never consumed and the S2C frames it filled that were never received.
     */
    void countConnectionLoss() {
        int unconsumed = MemifRing.distance(c2s.tailAcquire(), c2sHead);
        if (unconsumed <= c2s.size()) {
            counters.addDrop(MemifDrop.CONNECTION_LOST, RingReader.frames(c2s, c2sHead - unconsumed, unconsumed));
        }
        int unreceived = MemifRing.distance(s2cTail, s2c.tailAcquire());
        if (unreceived <= MemifRing.distance(s2cTail, s2c.headPlain())) {
            counters.addDrop(MemifDrop.CONNECTION_LOST, RingReader.frames(s2c, s2cTail, unreceived));
        }
    }

    /** The C2S ring itself: for tests that play a hostile client. */
    MemifRing transmitRing() {
        return c2s;
    }

    /** This side's region: for tests that play a hostile client. */
    MemorySegment regionForTest() {
        return region;
    }

    /** The S2C ring, where this side posts its receive buffers: for tests that play a hostile client. */
    MemifRing receiveRing() {
        return s2c;
    }

    /**
     * Every buffer this queue keeps, wherever it is now: its C2S slots', its S2C slots', its
     * spares'. For tests: each buffer of the queue appears exactly once.
     */
    long[] buffersForTest() {
        long[] all = new long[c2sBuffers.length + s2cBuffers.length + spares.length];
        System.arraycopy(c2sBuffers, 0, all, 0, c2sBuffers.length);
        System.arraycopy(s2cBuffers, 0, all, c2sBuffers.length, s2cBuffers.length);
        System.arraycopy(spares, 0, all, c2sBuffers.length + s2cBuffers.length, spares.length);
        return all;
    }
}
