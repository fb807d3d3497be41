package io.nfchain.functions.sdk;

import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.packet.PacketParser;
import io.nfchain.core.packet.ParsedPacket;
import java.lang.foreign.MemorySegment;

/**
 * Not thread-safe: the poll thread's. What {@link NetworkFunction#process} works on: the
 * packets of one received burst, each already parsed (offsets and 5-tuples in
 * {@link #packet}), each with an output (0 unless the function chooses), its bytes in place
 * in native memory, its 32-bit metadata word (the chain context carried in memif
 * descriptors), and one timestamp for the whole burst.
 *
 * <p>Nothing here allocates, and no packet moves: outputs are gathered as lists of packet
 * numbers. Methods marked "runner" are called by the runner around {@code process}, not by
 * functions.
 *
 * <p>A runner that hosts several functions as stages of one pipeline (VPP's graph nodes in one
 * process) gives each later stage a <em>stage view</em> of the same burst ({@link #stageView}):
 * packet {@code i} of the view is the burst's packet {@link #position position(i)}, and the view
 * holds only the packets the stage before it sent on (output 0), received or appended, in order.
 * Outputs and parses are the burst's, shared by every view; counters are the stage's own.
 *
 * @param <C> the function's counters
 */
public final class PacketVector<C extends Enum<C> & FunctionCounter> {
    /** The output of a dropped packet. */
    public static final int DROP = -1;

    private final PacketBurst burst;
    private final ParsedPacket[] packets;
    private final int[] output;
    /** Per burst position: its length or start moved since it was last parsed (a stage view reparses it). */
    private final boolean[] moved;
    private final CounterSet<C> counters;
    private final int outputs;
    /** The view's packets as burst positions; null for the vector of the whole burst (the identity). */
    private final int[] map;
    private int viewCount;
    private long nowNs;
    private int input;

    /**
     * @param burst where the runner receives packets; its capacity is the vector's
     * @param outputs how many outputs the function declared, >= 1
     */
    public PacketVector(PacketBurst burst, CounterSet<C> counters, int outputs) {
        if (outputs < 1) {
            throw new IllegalArgumentException("a function needs at least one output: " + outputs);
        }
        this.burst = burst;
        this.counters = counters;
        this.outputs = outputs;
        this.packets = new ParsedPacket[burst.capacity()];
        for (int i = 0; i < packets.length; i++) {
            packets[i] = new ParsedPacket();
        }
        this.output = new int[burst.capacity()];
        this.moved = new boolean[burst.capacity()];
        this.map = null;
    }

    private PacketVector(PacketVector<?> whole, CounterSet<C> counters, int outputs) {
        if (outputs < 1) {
            throw new IllegalArgumentException("a function needs at least one output: " + outputs);
        }
        this.burst = whole.burst;
        this.packets = whole.packets;
        this.output = whole.output;
        this.moved = whole.moved;
        this.counters = counters;
        this.outputs = outputs;
        this.map = new int[burst.capacity()];
    }

    /**
     * Runner: a stage view of {@code whole}'s burst for a later stage of a pipeline, with that
     * stage's counters and outputs; empty until {@link #selectFrom}.
     *
     * @param whole the vector of the whole burst (not a view)
     */
    public static <D extends Enum<D> & FunctionCounter> PacketVector<D> stageView(PacketVector<?> whole,
            CounterSet<D> counters, int outputs) {
        if (whole.map != null) {
            throw new IllegalArgumentException("a stage view is made from the vector of the whole burst, not a view");
        }
        return new PacketVector<>(whole, counters, outputs);
    }

    /**
     * Runner, on a stage view: takes the packets {@code previous} (the stage before) sent to
     * output 0, in order, with its time and input, and parses again those whose length or start
     * moved meanwhile (a tunnel header removed or added). A stage that rewrites header fields in
     * place without moving the packet calls {@link #reparse} itself when a later stage reads them.
     */
    public void selectFrom(PacketVector<?> previous) {
        if (map == null) {
            throw new IllegalStateException("not a stage view");
        }
        nowNs = previous.nowNs;
        input = previous.input;
        int k = 0;
        for (int j = 0, n = previous.count(); j < n; j++) {
            int at = previous.position(j);
            if (output[at] == 0) {
                map[k++] = at;
                if (moved[at]) {
                    moved[at] = false;
                    PacketParser.parse(burst.data(), burst.offset(at), burst.length(at), packets[at]);
                }
            }
        }
        viewCount = k;
    }

    /** Where packet {@code i} of this vector is in the burst: {@code i} itself unless this is a stage view. */
    public int position(int i) {
        return map == null ? i : map[i];
    }

    /** Packets in this burst. */
    public int count() {
        return map == null ? burst.count() : viewCount;
    }

    /** When the burst was received, on the runner's monotonic clock. */
    public long nowNs() {
        return nowNs;
    }

    /**
     * The output (link) index this burst was received on: every packet of a burst arrives by
     * the same link. A router answers ICMP errors from that interface's address.
     */
    public int input() {
        return input;
    }

    /** Packet {@code i}'s parse: layers, offsets (relative to {@link #offset}), 5-tuples, status. */
    public ParsedPacket packet(int i) {
        return packets[position(i)];
    }

    /** The native memory holding every packet. */
    public MemorySegment data() {
        return burst.data();
    }

    /** Where packet {@code i}'s first byte (its Ethernet header) is in {@link #data()}. */
    public long offset(int i) {
        return burst.offset(position(i));
    }

    public int length(int i) {
        return burst.length(position(i));
    }

    /**
     * How long a packet may be made from where the burst received it: every buffer holds at
     * least this many bytes from there (more when the packet was moved forward by
     * {@link #prepend}). A function that turns a short packet into a longer one checks this.
     */
    public int frameBytes() {
        return burst.frameBytes();
    }

    /** Sets packet {@code i}'s length (a trailer cut or added); call {@link #reparse} if headers changed. */
    public void setLength(int i, int lengthBytes) {
        int at = position(i);
        burst.setLength(at, lengthBytes);
        moved[at] = true;
    }

    /** Makes room for a header in front of packet {@code i}; false when the headroom is too small. */
    public boolean prepend(int i, int bytes) {
        int at = position(i);
        moved[at] = true;
        return burst.prepend(at, bytes);
    }

    /** Removes {@code bytes} from the front of packet {@code i}; false when it is shorter. */
    public boolean trimFront(int i, int bytes) {
        int at = position(i);
        moved[at] = true;
        return burst.trimFront(at, bytes);
    }

    /**
     * Adds a packet after the received ones (an echo reply, an end marker, a packet released from
     * a buffer): {@code lengthBytes} from {@link #offset} of the returned number, for the function
     * to write, with the headroom in front; output 0, metadata 0, not parsed until
     * {@link #reparse}. Returns -1, changing nothing, when every buffer of the burst is in use or
     * {@code lengthBytes} is beyond {@link #frameBytes()}.
     */
    public int append(int lengthBytes) {
        int at = burst.count();
        if (at == burst.capacity() || !burst.hasBuffer(at) || lengthBytes < 0 || lengthBytes > burst.frameBytes()) {
            return -1;
        }
        burst.resetForReceive(at);
        burst.put(at, lengthBytes, 0);
        burst.setCount(at + 1);
        output[at] = 0;
        moved[at] = false;
        if (map == null) {
            return at;
        }
        map[viewCount] = at;
        return viewCount++;
    }

    /** Parses packet {@code i} again, after the function changed its headers. */
    public void reparse(int i) {
        int at = position(i);
        moved[at] = false;
        PacketParser.parse(burst.data(), burst.offset(at), burst.length(at), packets[at]);
    }

    public int metadata(int i) {
        return burst.metadata(position(i));
    }

    public void setMetadata(int i, int value) {
        burst.setMetadata(position(i), value);
    }

    /** Sends packet {@code i} out of output {@code index} (0 .. outputs - 1). */
    public void setOutput(int i, int index) {
        if (index < 0 || index >= outputs) {
            throw new IllegalArgumentException("output must be 0.." + (outputs - 1) + ": " + index);
        }
        output[position(i)] = index;
    }

    /** Drops packet {@code i}, counting {@code reason}. */
    public void drop(int i, C reason) {
        output[position(i)] = DROP;
        counters.increment(reason);
    }

    /** Packet {@code i}'s output, or {@link #DROP}. */
    public int output(int i) {
        return output[position(i)];
    }

    /** The function's counters, for counts that are not drops ("forwarded", "ttl expired sent"). */
    public CounterSet<C> counters() {
        return counters;
    }

    /** Runner: after a receive burst, parses every packet and sends each to output 0. */
    public void begin(long receivedAtNs) {
        begin(receivedAtNs, 0);
    }

    /** Runner: {@link #begin(long)} for a burst received on link {@code inputIndex}. */
    public void begin(long receivedAtNs, int inputIndex) {
        if (map != null) {
            throw new IllegalStateException("a stage view begins from the stage before it (selectFrom)");
        }
        nowNs = receivedAtNs;
        input = inputIndex;
        MemorySegment data = burst.data();
        int n = burst.count();
        for (int i = 0; i < n; i++) {
            PacketParser.parse(data, burst.offset(i), burst.length(i), packets[i]);
            output[i] = 0;
            moved[i] = false;
        }
    }

    /**
     * Runner: writes the burst positions of this vector's packets bound for output {@code index},
     * in order, to {@code frames} and returns how many; the runner transmits exactly those.
     *
     * @param frames at least {@link #count()} long
     */
    public int gather(int index, int[] frames) {
        int n = count();
        int k = 0;
        for (int i = 0; i < n; i++) {
            int at = position(i);
            if (output[at] == index) {
                frames[k++] = at;
            }
        }
        return k;
    }
}
