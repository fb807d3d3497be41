package io.nfchain.core.os;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.nio.ByteOrder;

/**
 * {@code struct sockaddr_ll}, the link-layer address of {@code AF_PACKET} (20 bytes):
 *
 * <pre>
 *  0          2          4                     8          10   11   12                 20
 *  +----------+----------+---------------------+----------+----+----+------------------+
 *  | family   | protocol | ifindex (s32)       | hatype   |pkt |hal | addr[8]          |
 *  | (u16=17) | (be16)   |                     | (u16)    |type|en  | (MAC, halen used)|
 *  +----------+----------+---------------------+----------+----+----+------------------+
 * </pre>
 *
 * {@code protocol} is an EtherType in network byte order; the rest is host order.
 */
final class SockAddrLlLayout {
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sll_family"),
            JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN).withName("sll_protocol"),
            JAVA_INT.withName("sll_ifindex"),
            JAVA_SHORT.withName("sll_hatype"),
            JAVA_BYTE.withName("sll_pkttype"),
            JAVA_BYTE.withName("sll_halen"),
            MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("sll_addr"));

    static final long FAMILY_OFFSET = 0;
    static final long PROTOCOL_OFFSET = 2;
    static final long IFINDEX_OFFSET = 4;
    static final long SIZE = 20;

    static {
        if (LAYOUT.byteSize() != SIZE) {
            throw new AssertionError("sockaddr_ll layout drifted: " + LAYOUT);
        }
    }

    private SockAddrLlLayout() {}

    /** A zeroed {@code sockaddr_ll} for binding to {@code ifindex} and {@code etherType}. */
    static MemorySegment allocateForBind(Arena arena, int ifindex, int etherType) {
        MemorySegment address = arena.allocate(LAYOUT);
        address.set(JAVA_SHORT, FAMILY_OFFSET, (short) Sockets.AF_PACKET);
        address.set(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), PROTOCOL_OFFSET, (short) etherType);
        address.set(JAVA_INT, IFINDEX_OFFSET, ifindex);
        return address;
    }
}
