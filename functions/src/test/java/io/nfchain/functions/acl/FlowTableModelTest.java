package io.nfchain.functions.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.core.packet.TcpHeader;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random lookups, inserts and sweeps against a plain map that holds the same flows: every lookup
 * answers the same. Few endpoints, so flows collide, clusters wrap around the table end and
 * backward-shift deletion runs all the time; below capacity, so no eviction choice is involved.
 */
class FlowTableModelTest {
    private static final FlowTimeouts TIMEOUTS = new FlowTimeouts(5_000, 700, 900, 400);

    /** What the model keeps per flow. */
    private static final class Flow {
        long expiresAt;
        int verdict;
        String opener;
        boolean replied;
        int tcpState; // 0 opening, 1 established, 2 closing
    }

    @Test
    void agreesWithAMap() {
        agreesWithAMap(700, 2_000_000, 24, 4, 3, 20_000);
    }

    /** 32 slots at up to 23 flows: clusters wrap around the end of the table all the time. */
    @Test
    void agreesWithAMapInATinyTable() {
        agreesWithAMap(23, 1_000_000, 4, 2, 8, 100_000);
    }

    private void agreesWithAMap(int maxFlows, int ops, int addresses, int ports, int maxStep, int minHits) {
        SplittableRandom random = new SplittableRandom(0xF10 + maxFlows);
        long[] counters = AclCounter.newCounts();
        FlowTable table = new FlowTable(maxFlows, TIMEOUTS, counters);
        Map<String, Flow> model = new HashMap<>();
        AclKey key = new AclKey();
        long now = 0;
        long hits = 0;
        for (int op = 0; op < ops; op++) {
            now += random.nextInt(maxStep);
            if (random.nextInt(50) == 0) {
                table.expire(now, random.nextInt(64));
                continue;
            }
            int version = random.nextInt(4) == 0 ? 6 : 4;
            int protocol = new int[] {6, 6, 17, 1}[random.nextInt(4)];
            long a = random.nextInt(addresses);
            long b = random.nextInt(addresses);
            int pa = protocol == 1 ? AclKey.NO_PORT : 1000 + random.nextInt(ports);
            int pb = protocol == 1 ? AclKey.NO_PORT : 1000 + random.nextInt(ports);
            int flags = protocol != 6 ? AclKey.NO_TCP_HEADER : new int[] {TcpHeader.SYN, TcpHeader.ACK, TcpHeader.ACK,
                TcpHeader.ACK | TcpHeader.PSH, TcpHeader.FIN, TcpHeader.RST}[random.nextInt(6)];
            long hi = version == 6 ? 0x2001_0db8_0000_0000L : 0;
            key.set(version, hi, a, hi, b, protocol, pa, pb, 0, flags);
            String from = version + "/" + a + ":" + (pa & 0xFFFF);
            String to = version + "/" + b + ":" + (pb & 0xFFFF);
            String id = protocol + " " + (from.compareTo(to) <= 0 ? from + " " + to : to + " " + from);
            Flow flow = model.get(id);
            if (flow != null && flow.expiresAt <= now) {
                model.remove(id);
                flow = null;
            }
            int expected = FlowTable.MISS;
            if (flow != null) {
                boolean reply = !flow.opener.equals(from);
                advance(flow, protocol, flags, reply, now);
                expected = flow.verdict | (reply ? 0x100 : 0);
            }
            int actual = table.lookup(key, now);
            assertEquals(expected, actual, "op " + op + " " + id + " from " + from + " at " + now);
            if (actual == FlowTable.MISS && model.size() < maxFlows) {
                Flow created = new Flow();
                created.verdict = random.nextInt(256);
                created.opener = from;
                advance(created, protocol, flags, false, now);
                assertTrue(table.insert(key, now, created.verdict));
                model.put(id, created);
            } else if (actual != FlowTable.MISS) {
                hits++;
            }
            if (op % 1000 == 0) {
                // The table may have swept expired flows the model still holds; it holds every live one.
                long t = now;
                long live = model.values().stream().filter(f -> f.expiresAt > t).count();
                assertTrue(table.size() >= live && table.size() <= model.size(), table.size() + " flows, " + live + " live");
            }
        }
        assertTrue(hits > minHits, hits + " hits");
        assertEquals(0, counters[AclCounter.ACL_FLOW_EVICTED.ordinal()] + counters[AclCounter.ACL_FLOW_NOT_TRACKED.ordinal()]);
    }

    private static void advance(Flow flow, int protocol, int flags, boolean reply, long now) {
        flow.replied |= reply;
        long timeout;
        if (protocol == 6) {
            if ((flags & (TcpHeader.FIN | TcpHeader.RST)) != 0) {
                flow.tcpState = 2;
            } else if (flow.tcpState == 0 && reply) {
                flow.tcpState = 1;
            }
            timeout = flow.tcpState == 1 ? TIMEOUTS.tcpEstablishedNs() : TIMEOUTS.tcpTransientNs();
        } else {
            timeout = protocol == 17 ? TIMEOUTS.udpNs() : TIMEOUTS.otherNs();
        }
        flow.expiresAt = now + timeout;
    }
}
