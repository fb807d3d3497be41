package io.nfchain.functions.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.core.packet.TcpHeader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The flow table with time passed in by hand: return traffic, state timeouts, sweeping, capacity and eviction. */
class FlowTableTest {
    private static final long SECOND = 1_000_000_000L;
    private static final FlowTimeouts TIMEOUTS = new FlowTimeouts(7440 * SECOND, 240 * SECOND, 300 * SECOND, 60 * SECOND);
    private static final int REPLY = 0x100;

    private final long[] counters = AclCounter.newCounts();
    private final AclKey key = new AclKey();

    private AclKey tcp(long src, int srcPort, long dst, int dstPort, int flags) {
        return key.set(4, 0, src, 0, dst, 6, srcPort, dstPort, 0, flags);
    }

    private long count(AclCounter counter) {
        return counters[counter.ordinal()];
    }

    @Test
    void aFlowAdmitsItsRepliesAndRemembersItsVerdict() {
        FlowTable table = new FlowTable(16, TIMEOUTS, counters);
        assertEquals(FlowTable.MISS, table.lookup(tcp(0x0A000001L, 40_000, 0xC0000201L, 443, TcpHeader.SYN), 0));
        assertTrue(table.insert(key, 0, 47));
        assertEquals(47 | REPLY, table.lookup(tcp(0xC0000201L, 443, 0x0A000001L, 40_000, TcpHeader.SYN | TcpHeader.ACK), SECOND));
        assertEquals(47, table.lookup(tcp(0x0A000001L, 40_000, 0xC0000201L, 443, TcpHeader.ACK), 2 * SECOND));
        // Another port, another flow.
        assertEquals(FlowTable.MISS, table.lookup(tcp(0xC0000201L, 443, 0x0A000001L, 40_001, TcpHeader.ACK), 2 * SECOND));
        assertEquals(1, table.size());
        assertEquals(1, count(AclCounter.ACL_FLOW_CREATED));
    }

    @Test
    void ipv6AndPortlessFlowsToo() {
        FlowTable table = new FlowTable(16, TIMEOUTS, counters);
        key.set(6, 0x2001_0db8_0000_0000L, 1, 0x2001_0db8_0000_0001L, 2, 17, 5353, 53, 0, AclKey.NO_TCP_HEADER);
        assertTrue(table.insert(key, 0, 0));
        key.set(6, 0x2001_0db8_0000_0001L, 2, 0x2001_0db8_0000_0000L, 1, 17, 53, 5353, 0, AclKey.NO_TCP_HEADER);
        assertEquals(REPLY, table.lookup(key, 1));
        key.set(4, 0, 0x0A000001L, 0, 0x0A000002L, 1, AclKey.NO_PORT, AclKey.NO_PORT, 0, AclKey.NO_TCP_HEADER);
        assertTrue(table.insert(key, 0, 0));
        key.set(4, 0, 0x0A000002L, 0, 0x0A000001L, 1, AclKey.NO_PORT, AclKey.NO_PORT, 0, AclKey.NO_TCP_HEADER);
        assertEquals(REPLY, table.lookup(key, 1));
        // The same addresses as IPv6 are another flow.
        key.set(6, 0, 0x0A000002L, 0, 0x0A000001L, 1, AclKey.NO_PORT, AclKey.NO_PORT, 0, AclKey.NO_TCP_HEADER);
        assertEquals(FlowTable.MISS, table.lookup(key, 1));
    }

    @Test
    void tcpTimeoutFollowsTheConnectionState() {
        FlowTable table = new FlowTable(16, TIMEOUTS, counters);
        long t = 0;
        table.insert(tcp(1, 1000, 2, 80, TcpHeader.SYN), t, 0);
        // Opening: the transient timeout. Alive one nanosecond before it, gone at it.
        assertEquals(0, table.lookup(tcp(1, 1000, 2, 80, TcpHeader.SYN), t + 240 * SECOND - 1));
        t += 240 * SECOND - 1;
        assertEquals(FlowTable.MISS, table.lookup(tcp(1, 1000, 2, 80, TcpHeader.SYN), t + 240 * SECOND));
        assertEquals(1, count(AclCounter.ACL_FLOW_EXPIRED));

        table.insert(tcp(1, 1000, 2, 80, TcpHeader.SYN), t, 0);
        assertEquals(REPLY, table.lookup(tcp(2, 80, 1, 1000, TcpHeader.SYN | TcpHeader.ACK), t));
        // Established: an hour of silence is fine.
        t += 3600 * SECOND;
        assertEquals(0, table.lookup(tcp(1, 1000, 2, 80, TcpHeader.ACK), t));
        // A FIN moves it to closing, with the transient timeout again.
        assertEquals(REPLY, table.lookup(tcp(2, 80, 1, 1000, TcpHeader.FIN | TcpHeader.ACK), t));
        assertEquals(FlowTable.MISS, table.lookup(tcp(1, 1000, 2, 80, TcpHeader.ACK), t + 240 * SECOND));
    }

    @Test
    void udpAndOtherProtocolsHaveTheirOwnTimeouts() {
        FlowTable table = new FlowTable(16, TIMEOUTS, counters);
        key.set(4, 0, 1, 0, 2, 17, 1000, 53, 0, AclKey.NO_TCP_HEADER);
        table.insert(key, 0, 0);
        assertEquals(0, table.lookup(key, 300 * SECOND - 1));
        assertEquals(FlowTable.MISS, table.lookup(key, 600 * SECOND - 1));
        key.set(4, 0, 1, 0, 2, 47, AclKey.NO_PORT, AclKey.NO_PORT, 0, AclKey.NO_TCP_HEADER);
        table.insert(key, 0, 0);
        assertEquals(0, table.lookup(key, 60 * SECOND - 1));
        assertEquals(FlowTable.MISS, table.lookup(key, 120 * SECOND - 1));
    }

    @Test
    void theSweepReclaimsExpiredFlowsABitAtATime() {
        FlowTable table = new FlowTable(1000, TIMEOUTS, counters);
        for (int i = 0; i < 1000; i++) {
            key.set(4, 0, i, 0, 0xFFFF_0000L + i, 17, 1000 + i, 53, 0, AclKey.NO_TCP_HEADER);
            assertTrue(table.insert(key, i < 500 ? 0 : 100 * SECOND, 0));
        }
        long now = 350 * SECOND; // the first 500 have expired, the others have not
        assertEquals(0, table.expire(now, 0));
        int reclaimed = 0;
        // Two passes: a flow shifted back over the table's end during one pass is found by the next.
        for (int calls = 0; calls < 2 * (table.slotCount() / 16 + 1); calls++) {
            int removed = table.expire(now, 16);
            assertTrue(removed <= 16, removed + " removed in one call");
            reclaimed += removed;
        }
        assertEquals(500, reclaimed);
        assertEquals(500, table.size());
        assertEquals(500, count(AclCounter.ACL_FLOW_EXPIRED));
        for (int i = 500; i < 1000; i++) {
            key.set(4, 0, 0xFFFF_0000L + i, 0, i, 17, 53, 1000 + i, 0, AclKey.NO_TCP_HEADER);
            assertEquals(REPLY, table.lookup(key, now), "flow " + i + " survived the sweep");
        }
    }

    @Test
    void aFullTableEvictsAFlowNotYetEstablishedAndCountsIt() {
        FlowTable table = new FlowTable(64, TIMEOUTS, counters);
        for (int i = 0; i < 64; i++) {
            assertTrue(table.insert(tcp(i, 1000, 0xFFFF, 80, TcpHeader.SYN), i, 0));
        }
        assertTrue(table.insert(tcp(1000, 1000, 0xFFFF, 80, TcpHeader.SYN), 100, 0));
        assertEquals(64, table.size());
        assertEquals(1, count(AclCounter.ACL_FLOW_EVICTED));
        assertEquals(0, table.lookup(tcp(1000, 1000, 0xFFFF, 80, TcpHeader.ACK), 101));
        int present = 0;
        for (int i = 0; i < 64; i++) {
            present += table.lookup(tcp(i, 1000, 0xFFFF, 80, TcpHeader.ACK), 101) == FlowTable.MISS ? 0 : 1;
        }
        assertEquals(63, present, "exactly one old flow made room");
    }

    @Test
    void aTableFullOfEstablishedFlowsTracksNoNewOne() {
        FlowTable table = new FlowTable(64, TIMEOUTS, counters);
        for (int i = 0; i < 64; i++) {
            table.insert(tcp(i, 1000, 0xFFFF, 80, TcpHeader.SYN), 0, 0);
            assertEquals(REPLY, table.lookup(tcp(0xFFFF, 80, i, 1000, TcpHeader.SYN | TcpHeader.ACK), 0));
        }
        assertFalse(table.insert(tcp(1000, 1000, 0xFFFF, 80, TcpHeader.SYN), 1, 0));
        assertEquals(1, count(AclCounter.ACL_FLOW_NOT_TRACKED));
        assertEquals(0, count(AclCounter.ACL_FLOW_EVICTED));
        assertEquals(FlowTable.MISS, table.lookup(tcp(0xFFFF, 80, 1000, 1000, TcpHeader.ACK), 2));
        // Once established flows expire, there is room again, and expiry is counted as such.
        assertTrue(table.insert(tcp(1000, 1000, 0xFFFF, 80, TcpHeader.SYN), 7440 * SECOND, 0));
        assertEquals(1, count(AclCounter.ACL_FLOW_EXPIRED));
        assertEquals(0, count(AclCounter.ACL_FLOW_EVICTED));
    }

    /**
     * A cluster that runs over the end of the table: flows homed at the last slot spill into
     * slot 0 and on, followed by flows homed at slot 0. Removing the flow in the last slot must
     * shift back those that may move and leave the ones homed at 0 where they are.
     */
    @Test
    void deletingInAClusterThatWrapsKeepsEveryOtherFlowFindable() {
        for (int homedAtEnd = 1; homedAtEnd <= 3; homedAtEnd++) {
            FlowTable table = new FlowTable(23, TIMEOUTS, counters);
            int last = table.slotCount() - 1;
            List<Long> atEnd = new ArrayList<>();
            List<Long> atStart = new ArrayList<>();
            for (long src = 1; atEnd.size() < homedAtEnd || atStart.size() < 3; src++) {
                int home = table.homeSlot(udp(src, 0xFFFF));
                if (home == last && atEnd.size() < homedAtEnd) {
                    atEnd.add(src);
                } else if (home == 0 && atStart.size() < 3) {
                    atStart.add(src);
                }
            }
            for (long src : atEnd) {
                table.insert(udp(src, 0xFFFF), src == atEnd.getFirst() ? 0 : SECOND, 0);
            }
            for (long src : atStart) {
                table.insert(udp(src, 0xFFFF), SECOND, 0);
            }
            // The first flow, in the last slot, has expired: looking it up removes it.
            long now = 300 * SECOND;
            assertEquals(FlowTable.MISS, table.lookup(udp(atEnd.getFirst(), 0xFFFF), now));
            List<Long> others = new ArrayList<>(atEnd.subList(1, atEnd.size()));
            others.addAll(atStart);
            for (long src : others) {
                assertEquals(REPLY, table.lookup(udp(0xFFFF, src), now), "flow from " + src + " found after the removal");
            }
            assertEquals(others.size(), table.size());
        }
    }

    /** A UDP packet from port 1000 of {@code src} to port 53 of {@code dst}, or the reverse when src is 0xFFFF. */
    private AclKey udp(long src, long dst) {
        return src == 0xFFFF ? key.set(4, 0, src, 0, dst, 17, 53, 1000, 0, AclKey.NO_TCP_HEADER)
                : key.set(4, 0, src, 0, dst, 17, 1000, 53, 0, AclKey.NO_TCP_HEADER);
    }

    @Test
    void clearForgetsEverything() {
        FlowTable table = new FlowTable(16, TIMEOUTS, counters);
        table.insert(tcp(1, 1, 2, 2, TcpHeader.SYN), 0, 0);
        table.clear();
        assertEquals(0, table.size());
        assertEquals(FlowTable.MISS, table.lookup(tcp(2, 2, 1, 1, TcpHeader.ACK), 0));
    }

    @Test
    void refusesSizesItCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> new FlowTable(0, TIMEOUTS, counters));
        assertThrows(IllegalArgumentException.class, () -> new FlowTable(FlowTable.MAX_FLOWS + 1, TIMEOUTS, counters));
        assertThrows(IllegalArgumentException.class, () -> new FlowTimeouts(0, 1, 1, 1));
        assertEquals(8, new FlowTable(1, TIMEOUTS, counters).slotCount());
        assertTrue(new FlowTable(1_000_000, TIMEOUTS, counters).slotCount() >= 1_333_334);
    }
}
