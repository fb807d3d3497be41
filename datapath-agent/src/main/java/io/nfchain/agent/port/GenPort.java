package io.nfchain.agent.port;

import io.nfchain.agent.spec.PortSpec;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.packet.Checksums;
import io.nfchain.core.packet.NetBytes;
import io.nfchain.core.packet.PacketBuilder;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;

/**
 * Not thread-safe (see {@link Port}). Synthetic traffic, open loop: every {@link #rxBurst} makes
 * the frames the configured rate owes since the last call (a full burst when the rate is 0), so
 * the source never slows down for the chain behind it; whatever the chain cannot take is dropped
 * and counted there. Flows differ in source port and addresses (the destination spread over its
 * prefix), frame sizes cycle through the mix.
 *
 * <p>Headers (L2..L4, checksums over a zero payload included) are built once per size, for the
 * first flow, when the port is made; a flow differs from it only in its addresses and source
 * port, so each flow keeps those and what they change in the two checksums (RFC 1624's
 * incremental update, the same for every size). Making a frame is one copy of its size's header
 * (42 bytes for UDP over IPv4, the same few lines for every frame) and four stores. A table of
 * whole headers per flow and size was 1.5 MB for 4,096 flows in IMIX, and reading it missed the
 * cache on most frames: 12% of the chain bench's worker. Frames are made in a burst the port
 * keeps ({@link #receiveBurst}): its payloads are zero from the start and nobody writes them, so
 * a frame's size costs nothing (an IMIX frame averages 353 bytes). Into any other burst the
 * payload is zeroed first. Nothing is allocated per burst. A worker that falls more
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
    /** The most flows a gen port makes (28 bytes of state each). */
    public static final int MAX_FLOWS = 1 << 20;
    static final long MAX_LAG_NS = 20_000_000;
    static final long MAX_BURSTS_PER_S = 100_000;
    private static final int HEADER_SLOT = 128;
    private static final int ETHERNET_BYTES = 14;
    private static final int IPV4_BYTES = 20;
    private static final int IPV6_BYTES = 40;
    private static final int IPV4_CHECKSUM = 10;
    private static final int IPV4_SOURCE = 12;
    /** The low halves of the IPv6 addresses, the only halves a flow changes. */
    private static final int IPV6_SOURCE_LOW = 16;
    private static final int IPV6_DESTINATION_LOW = 32;
    private static final int UDP_CHECKSUM = 6;
    private static final int TCP_CHECKSUM = 16;
    private static final long SOURCE_MAC = 0x02_00_00_00_00_01L;
    private static final long DESTINATION_MAC = 0x02_00_00_00_00_02L;

    private final String name;
    private final long ratePps;
    private final long limitPackets;
    private final int[] sizes;
    private final int[] sizeIndexOf;
    private final int[] headerBytes;
    private final int flows;
    private final boolean ipv6;
    private final int l4Offset;
    private final int l4ChecksumOffset;
    private final boolean udp;
    /** Per flow: source and destination address (IPv4 in the low 32 bits; IPv6 the low 64). */
    private final long[] sourceAddress;
    private final long[] destinationAddress;
    private final int[] sourcePort;
    /** Per flow: what its fields add to the IPv4 header sum, and to the L4 sum, against flow 0's. */
    private final int[] ipDelta;
    private final int[] l4Delta;
    /** Per size: flow 0's IPv4 header and L4 checksums, complemented (RFC 1624's ~HC). */
    private final int[] ipSum;
    private final int[] l4Sum;
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
        if (flows < 1 || flows > MAX_FLOWS) {
            throw new IllegalArgumentException("gen " + name + ": flows must be 1.." + MAX_FLOWS + ", not " + flows);
        }
        this.sizes = distinct.stream().mapToInt(Integer::intValue).toArray();
        this.sizeIndexOf = spec.frameBytes().stream().mapToInt(distinct::indexOf).toArray();
        this.headerBytes = new int[sizes.length];
        this.ipv6 = spec.destination().version() == 6;
        this.l4Offset = ETHERNET_BYTES + (ipv6 ? IPV6_BYTES : IPV4_BYTES);
        this.udp = spec.protocol() != 6;
        this.l4ChecksumOffset = l4Offset + (udp ? UDP_CHECKSUM : TCP_CHECKSUM);
        this.headers = arena.allocate((long) sizes.length * HEADER_SLOT, 64);
        this.zeros = arena.allocate(9216, 64);
        this.ipSum = new int[sizes.length];
        this.l4Sum = new int[sizes.length];
        for (int s = 0; s < sizes.length; s++) {
            MemorySegment slot = headers.asSlice((long) s * HEADER_SLOT, HEADER_SLOT);
            headerBytes[s] = build(spec, 0, sizes[s], slot);
            ipSum[s] = ipv6 ? 0 : ~NetBytes.u16(slot, ETHERNET_BYTES + IPV4_CHECKSUM) & 0xFFFF;
            l4Sum[s] = ~NetBytes.u16(slot, l4ChecksumOffset) & 0xFFFF;
        }
        this.sourceAddress = new long[flows];
        this.destinationAddress = new long[flows];
        this.sourcePort = new int[flows];
        this.ipDelta = new int[flows];
        this.l4Delta = new int[flows];
        for (int f = 0; f < flows; f++) {
            sourceAddress[f] = sourceAddress(spec, f);
            destinationAddress[f] = destinationAddress(spec, f);
            sourcePort[f] = sourcePort(spec, f);
            // RFC 1624, eqn. 3: HC' = ~(~HC + ~m + m') for each 16-bit word m that became m'.
            int addresses = delta(sourceAddress[0], sourceAddress[f]) + delta(destinationAddress[0], destinationAddress[f]);
            ipDelta[f] = addresses;
            l4Delta[f] = addresses + (~sourcePort[0] & 0xFFFF) + sourcePort[f];
        }
    }

    /** What changing the 16-bit words of {@code from} to those of {@code to} adds to a ones'-complement sum. */
    private static int delta(long from, long to) {
        int sum = 0;
        for (int shift = 0; shift < 64; shift += 16) {
            sum += (~(int) (from >>> shift) & 0xFFFF) + ((int) (to >>> shift) & 0xFFFF);
        }
        return sum;
    }

    private static long destinationAddress(PortSpec.Gen spec, int f) {
        long span = spec.destination().version() == 4 ? 1L << (32 - spec.destination().length())
                : spec.destination().length() >= 64 ? 1L << Math.min(62, 128 - spec.destination().length()) : 1L << 62;
        long host = span <= 2 ? 0 : 1 + (f * 0x9E3779B1L & 0xFFFFFFFFL) % (span - 2);
        return spec.destination().version() == 4 ? (spec.destination().lo() + host) & 0xFFFF_FFFFL
                : spec.destination().lo() + host;
    }

    private static long sourceAddress(PortSpec.Gen spec, int f) {
        if (spec.destination().version() == 4) {
            long sourceHost = spec.source().version() == 4 && spec.source().length() < 31 ? 1 + f % ((1L << (32
                    - spec.source().length())) - 2) : 0;
            return (spec.source().lo() + sourceHost) & 0xFFFF_FFFFL;
        }
        return spec.source().lo() + 1 + f;
    }

    private static int sourcePort(PortSpec.Gen spec, int f) {
        int portSpan = spec.sourcePorts().last() - spec.sourcePorts().first() + 1;
        return spec.sourcePorts().first() + f % portSpan;
    }

    /**
     * Writes flow {@code f}'s headers for a {@code frameBytes} frame, as a whole packet built
     * field by field would have them; returns the header length. The port builds flow 0's this
     * way and patches the others; tests build any flow's to check the patching.
     */
    static int build(PortSpec.Gen spec, int f, int frameBytes, MemorySegment slot) {
        PacketBuilder b = new PacketBuilder().ethernet(DESTINATION_MAC, SOURCE_MAC);
        if (spec.destination().version() == 4) {
            b.ipv4((int) sourceAddress(spec, f), (int) destinationAddress(spec, f));
        } else {
            b.ipv6(spec.source().hi(), sourceAddress(spec, f), spec.destination().hi(), destinationAddress(spec, f));
        }
        if (spec.protocol() == 6) {
            b.tcp(sourcePort(spec, f), spec.destinationPort());
        } else {
            b.udp(sourcePort(spec, f), spec.destinationPort());
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
            MemorySegment.copy(headers, (long) s * HEADER_SLOT, data, at, header);
            patch(data, at, s, flow);
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

    /** Turns size {@code s}'s header for flow 0, at {@code at}, into flow {@code f}'s. */
    private void patch(MemorySegment data, long at, int s, int f) {
        if (ipv6) {
            NetBytes.put64(data, at + ETHERNET_BYTES + IPV6_SOURCE_LOW, sourceAddress[f]);
            NetBytes.put64(data, at + ETHERNET_BYTES + IPV6_DESTINATION_LOW, destinationAddress[f]);
        } else {
            NetBytes.put64(data, at + ETHERNET_BYTES + IPV4_SOURCE, sourceAddress[f] << 32 | destinationAddress[f]);
            NetBytes.put16(data, at + ETHERNET_BYTES + IPV4_CHECKSUM, Checksums.finish(ipSum[s] + ipDelta[f]));
        }
        NetBytes.put16(data, at + l4Offset, sourcePort[f]);
        int l4 = Checksums.finish(l4Sum[s] + l4Delta[f]);
        NetBytes.put16(data, at + l4ChecksumOffset, l4 == 0 && udp ? 0xFFFF : l4); // UDP sends a zero sum as all ones
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
