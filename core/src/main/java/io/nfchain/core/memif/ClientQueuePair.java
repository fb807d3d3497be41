package io.nfchain.core.memif;

import io.nfchain.core.os.EventFd;
import java.lang.foreign.MemorySegment;

/**
 * Not thread-safe: one thread transmits and receives. The client end of one memif queue
 * pair: it produces frames on its C2S ring and receives frames on its S2C ring, always in
 * buffers of its own region at offsets it computes itself (a descriptor the server rewrote
 * is never trusted for where to write).
 *
 * <p>Valid while its {@link MemifClient} is connected; its memory is unmapped on disconnect.
 * The burst methods do not allocate.
 */
public final class ClientQueuePair implements InterruptibleReceiveQueue {
    private final int index;
    private final RegionLayout layout;
    private final MemorySegment region;
    private final MemifRegions ownRegions;
    private final MemifRing c2s;
    private final MemifRing s2c;
    private final EventFd c2sInterrupt;
    private final EventFd s2cInterrupt;
    private final MemifCounters counters;
    private final int bufferBytes;
    private final int log2RingSize;
    private int c2sHead;
    private int s2cTail;

    ClientQueuePair(int index, RegionLayout layout, MemorySegment region, MemifRing c2s, MemifRing s2c,
            EventFd c2sInterrupt, EventFd s2cInterrupt, MemifCounters counters) {
        this.index = index;
        this.counters = counters;
        this.layout = layout;
        this.region = region;
        this.ownRegions = new MemifRegions(1);
        this.ownRegions.add(region);
        this.c2s = c2s;
        this.s2c = s2c;
        this.c2sInterrupt = c2sInterrupt;
        this.s2cInterrupt = s2cInterrupt;
        this.bufferBytes = layout.bufferBytes();
        this.log2RingSize = layout.log2RingSize();
        this.c2sHead = c2s.headPlain();
        this.s2cTail = s2c.tailPlain();
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
            for (int remaining = length; remaining > 0; head++) {
                int chunk = Math.min(remaining, bufferBytes);
                remaining -= chunk;
                long buffer = bufferOffset(true, head);
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
        int tail = s2c.tailAcquire();
        int available = MemifRing.distance(s2cTail, tail);
        if (available > MemifRing.distance(s2cTail, s2c.headPlain())) { // beyond what was posted
            counters.addDrop(MemifDrop.RING_CURSOR_INVALID, 1);
            burst.setCount(0);
            return 0;
        }
        s2cTail = RingReader.read(s2c, s2cTail, available, ownRegions, burst, counters, maxFrames);
        postReceiveBuffers();
        return burst.count();
    }

    /** Posts every free S2C slot with a full-size buffer, rewriting the whole descriptor. */
    private void postReceiveBuffers() {
        int head = s2c.headPlain();
        int free = s2c.freeSlots(head, s2cTail);
        if (free <= 0) {
            return;
        }
        for (int i = 0; i < free; i++, head++) {
            s2c.setDescriptor(head, 0, 0, bufferOffset(false, head), bufferBytes, 0);
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

    private long bufferOffset(boolean clientToServer, int slot) {
        return layout.bufferOffset(clientToServer, index, slot & ((1 << log2RingSize) - 1));
    }
}
