package io.nfchain.agent.port;

import io.nfchain.agent.spec.PortSpec;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.packet.PacketBuilder;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;

/**
 * Not thread-safe (see {@link Port}). Synthetic traffic, open loop: every {@link #rxBurst} makes
 * the frames the configured rate owes since the last call (a full burst when the rate is 0), so
 * the source never slows down for the chain behind it; whatever the chain cannot take is dropped
 * and counted there. Flows differ in source port and destination address (spread over the
 * destination prefix), frame sizes cycle through the mix.
 *
 * <p>Headers (L2..L4, checksums over a zero payload included) are built once per flow and size
 * when the port is made. Frames are made in a burst the port keeps ({@link #receiveBurst}): its
 * payloads are zero from the start and nobody writes them, so making a frame is one copy of its
 * header, whatever its size (an IMIX frame averages 353 bytes, its header 42). Into any other
 * burst the payload is zeroed first. Nothing is allocated per burst. A worker that falls more
 * than {@link #MAX_LAG_NS} behind the schedule skips ahead and counts what it skipped as
 * {@code behind}: those packets were never made, and the report says so instead of hiding it.
 *
 * <p>At a set rate, frames leave in bursts of at least {@code ratePps / }{@value #MAX_BURSTS_PER_S}
 * (at most a full burst): no more than {@value #MAX_BURSTS_PER_S} bursts a second, as a NIC that
 * coalesces its interrupts over 10 µs delivers them. Released one by one as each falls due, a
 * busy worker would hand every hop bursts of one or two frames, and the chain would pay its
 * per-burst costs (ring cursors crossing cores, wake-ups) per frame. Below 100,000 pps every
 * frame still leaves on its own schedule.
 */
public final class GenPort implements Port {
    /** The most flows x sizes the templates may hold. */
    public static final int MAX_TEMPLATES = 1 << 20;
    static final long MAX_LAG_NS = 20_000_000;
    static final long MAX_BURSTS_PER_S = 100_000;
    private static final int HEADER_SLOT = 128;
    private static final long SOURCE_MAC = 0x02_00_00_00_00_01L;
    private static final long DESTINATION_MAC = 0x02_00_00_00_00_02L;

    private final String name;
    private final long ratePps;
    private final long limitPackets;
    private final int[] sizes;
    private final int[] sizeIndexOf;
    private final int[] headerBytes;
    private final int flows;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment headers;
    private final MemorySegment zeros;
    private final PortCounters counters = new PortCounters();
    /** Made at the first receive, the worker's burst's shape; payloads stay zero. */
    private PacketBurst own;
    private long startNs = -1;
    private long made;
    private long behind;
    private int nextFlow;
    private int nextSize;

    public GenPort(PortSpec.Gen spec) {
        this.name = spec.name();
        this.ratePps = spec.ratePps();
        this.limitPackets = spec.limitPackets();
        this.flows = spec.flows();
        List<Integer> distinct = spec.frameBytes().stream().distinct().toList();
        if ((long) distinct.size() * flows > MAX_TEMPLATES) {
            throw new IllegalArgumentException("gen " + name + ": " + flows + " flows x " + distinct.size()
                    + " sizes is more than " + MAX_TEMPLATES + " templates");
        }
        this.sizes = distinct.stream().mapToInt(Integer::intValue).toArray();
        this.sizeIndexOf = spec.frameBytes().stream().mapToInt(distinct::indexOf).toArray();
        this.headerBytes = new int[sizes.length];
        this.headers = arena.allocate((long) sizes.length * flows * HEADER_SLOT, 64);
        this.zeros = arena.allocate(9216, 64);
        for (int s = 0; s < sizes.length; s++) {
            for (int f = 0; f < flows; f++) {
                headerBytes[s] = build(spec, f, sizes[s], headers.asSlice(((long) s * flows + f) * HEADER_SLOT,
                        HEADER_SLOT));
            }
        }
    }

    /** Writes flow {@code f}'s headers for a {@code frameBytes} frame; returns the header length. */
    private static int build(PortSpec.Gen spec, int f, int frameBytes, MemorySegment slot) {
        PacketBuilder b = new PacketBuilder().ethernet(DESTINATION_MAC, SOURCE_MAC);
        long span = spec.destination().version() == 4 ? 1L << (32 - spec.destination().length())
                : spec.destination().length() >= 64 ? 1L << Math.min(62, 128 - spec.destination().length()) : 1L << 62;
        long host = span <= 2 ? 0 : 1 + (f * 0x9E3779B1L & 0xFFFFFFFFL) % (span - 2);
        long sourceHost = spec.source().version() == 4 && spec.source().length() < 31 ? 1 + f % ((1L << (32
                - spec.source().length())) - 2) : 0;
        if (spec.destination().version() == 4) {
            b.ipv4((int) (spec.source().lo() + sourceHost), (int) (spec.destination().lo() + host));
        } else {
            b.ipv6(spec.source().hi(), spec.source().lo() + 1 + f, spec.destination().hi(),
                    spec.destination().lo() + host);
        }
        int portSpan = spec.sourcePorts().last() - spec.sourcePorts().first() + 1;
        int sourcePort = spec.sourcePorts().first() + f % portSpan;
        if (spec.protocol() == 6) {
            b.tcp(sourcePort, spec.destinationPort());
        } else {
            b.udp(sourcePort, spec.destinationPort());
        }
        int header = b.length();
        if (frameBytes < header) {
            throw new IllegalArgumentException("gen " + spec.name() + ": " + frameBytes + "-byte frames cannot hold "
                    + header + " bytes of headers");
        }
        b.payload(new byte[frameBytes - header]);
        MemorySegment whole = b.build();
        MemorySegment.copy(whole, 0, slot, 0, header);
        return header;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "gen";
    }

    @Override
    public boolean isUp() {
        return limitPackets == 0 || made < limitPackets;
    }

    @Override
    public PacketBurst receiveBurst(PacketBurst workerBurst) {
        PacketBurst b = own;
        if (b == null || b.capacity() != workerBurst.capacity() || b.frameBytes() != workerBurst.frameBytes()) {
            if (b != null) {
                b.close();
            }
            b = new PacketBurst(workerBurst.capacity(), workerBurst.frameBytes());
            own = b;
        }
        return b;
    }

    @Override
    public int rxBurst(PacketBurst burst, long nowNs) {
        int n = owed(burst.capacity(), nowNs);
        if (n == 0) {
            burst.setCount(0);
            return 0;
        }
        MemorySegment data = burst.data();
        boolean zeroPayloads = burst != own;
        int flow = nextFlow;
        int size = nextSize;
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            int s = sizeIndexOf[size];
            int frameBytes = sizes[s];
            int header = headerBytes[s];
            long at = burst.offset(i);
            if (zeroPayloads) {
                MemorySegment.copy(zeros, 0, data, at + header, frameBytes - header);
            }
            MemorySegment.copy(headers, ((long) s * flows + flow) * HEADER_SLOT, data, at, header);
            burst.setLength(i, frameBytes);
            bytes += frameBytes;
            if (++flow == flows) {
                flow = 0;
            }
            if (++size == sizeIndexOf.length) {
                size = 0;
            }
        }
        nextFlow = flow;
        nextSize = size;
        burst.setCount(n);
        made += n;
        counters.addRx(n, bytes);
        return n;
    }

    /** Frames due now: the rate's schedule, at most a burst, never past the limit. */
    private int owed(int capacity, long nowNs) {
        if (limitPackets > 0 && made >= limitPackets) {
            return 0; // done: nothing is owed, so nothing can fall behind
        }
        long n = capacity;
        if (ratePps > 0) {
            if (startNs < 0) {
                startNs = nowNs;
            }
            long due = (long) ((double) (nowNs - startNs) * ratePps / 1e9) - made - behind;
            long lagLimit = Math.max(capacity, (long) (MAX_LAG_NS * ratePps / 1e9));
            if (due > lagLimit) {
                behind += due - lagLimit;
                due = lagLimit;
            }
            long least = Math.min(capacity, Math.max(1, ratePps / MAX_BURSTS_PER_S));
            if (limitPackets > 0) {
                least = Math.min(least, limitPackets - made);
            }
            if (due < least) {
                return 0; // the burst is not full yet: it leaves when it is
            }
            n = Math.min(n, due);
        }
        if (limitPackets > 0) {
            n = Math.min(n, limitPackets - made);
        }
        return (int) n;
    }

    @Override
    public int txBurst(PacketBurst burst, int[] frames, int count) {
        throw new UnsupportedOperationException("gen port " + name + " does not transmit");
    }

    @Override
    public PortCounters counters() {
        return counters;
    }

    /** Frames the schedule owed that were never made because the worker fell behind it. */
    public long behind() {
        return behind;
    }

    @Override
    public Map<String, Long> portDrops() {
        return Map.of("GEN_BEHIND", behind);
    }

    @Override
    public String dropText(String reason) {
        return "packets the schedule owed but never made: the worker fell behind";
    }

    @Override
    public String state() {
        return (ratePps == 0 ? "open loop, as fast as polled" : ratePps + " pps") + ", " + flows + " flows"
                + (isUp() ? "" : ", limit reached");
    }

    @Override
    public void close() {
        if (own != null) {
            own.close();
        }
        arena.close();
    }
}
