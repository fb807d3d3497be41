package io.nfchain.functions.acl;

import static io.nfchain.functions.acl.AclHarness.ports;
import static io.nfchain.functions.acl.AclHarness.rule;
import static io.nfchain.functions.sdk.PacketVector.DROP;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.api.acl.v1.Action;
import io.nfchain.api.acl.v1.Flow;
import io.nfchain.api.acl.v1.ListFlowsRequest;
import io.nfchain.api.acl.v1.ListFlowsResponse;
import io.nfchain.api.acl.v1.RuleHits;
import io.nfchain.core.packet.ArpPacket;
import io.nfchain.core.packet.Checksums;
import io.nfchain.core.packet.IpAddresses;
import io.nfchain.core.packet.Ipv4Header;
import io.nfchain.core.packet.NetBytes;
import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.core.packet.TcpHeader;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The acl function through a {@link io.nfchain.functions.sdk.PacketVector}: real frames in, outputs, bytes and counters out. */
class AclFunctionTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final int CLIENT = IpAddresses.parseIpv4("10.0.0.1");
    private static final int SERVER = IpAddresses.parseIpv4("192.0.2.1");
    private static final int OUTSIDER = IpAddresses.parseIpv4("172.16.0.9");

    private static MemorySegment tcp(int src, int srcPort, int dst, int dstPort, int flags) {
        return new PacketBuilder().ethernet(2, 1).ipv4(src, dst).tcp(srcPort, dstPort, 1, 1, flags, 1000, false).build();
    }

    private static MemorySegment udp(int src, int srcPort, int dst, int dstPort) {
        return new PacketBuilder().ethernet(2, 1).ipv4(src, dst).udp(srcPort, dstPort).payload(20).build();
    }

    @Test
    void permitsDeniesAndCountsInRuleOrderWithTheDefaultLast() {
        try (AclHarness h = AclHarness.stateless().rules(Action.DENY,
                rule(Action.COUNT).setProtocol(6).build(),
                rule(Action.DENY).setProtocol(6).setDstPorts(ports(23, 23)).build(),
                rule(Action.PERMIT).setSrcPrefix("10.0.0.0/8").build())) {
            int[] out = h.run(tcp(CLIENT, 40_000, SERVER, 23, TcpHeader.SYN), tcp(CLIENT, 40_000, SERVER, 443, TcpHeader.SYN),
                    udp(CLIENT, 5000, SERVER, 53), udp(OUTSIDER, 5000, SERVER, 53));
            assertArrayEquals(new int[] {DROP, 0, 0, DROP}, out);
            assertEquals(1, h.get(AclCounter.ACL_DENY));
            assertEquals(2, h.get(AclCounter.ACL_PERMIT));
            assertEquals(1, h.get(AclCounter.ACL_DEFAULT_DENY));
            assertEquals("acl: drop, ACL deny packets", h.trace(0));
            assertEquals("acl: permit", h.trace(1));
            assertEquals("acl: drop, ACL packets denied by the default action", h.trace(3));
            var rules = h.acl.control().getRules();
            assertEquals(java.util.List.of(2L, 1L, 2L), rules.getRulesList().stream().map(RuleHits::getHits).toList(),
                    "the count rule saw both TCP packets and the search went on");
            assertEquals(1, rules.getDefaultHits());
        }
    }

    @Test
    void setDscpRewritesIpv4WithAValidChecksumAndKeepsEcn() {
        try (AclHarness h = AclHarness.stateless().rules(Action.PERMIT,
                rule(Action.SET_DSCP).setSetDscp(46).setProtocol(17).setDstPorts(ports(5060, 5061)).build())) {
            MemorySegment frame = new PacketBuilder().ethernet(2, 1).ipv4(CLIENT, SERVER)
                    .ipv4Fields(0x0a << 2 | 1, 64, 7, 0, new byte[0]).udp(9, 5060).payload(30).build();
            assertArrayEquals(new int[] {0}, h.run(frame));
            long ip = h.burst.offset(0) + 14;
            assertEquals(46 << 2 | 1, NetBytes.u8(h.burst.data(), ip + 1), "DSCP 46, ECN bits kept");
            assertEquals(Checksums.ipv4Header(h.burst.data(), ip), NetBytes.u16(h.burst.data(), ip + Ipv4Header.CHECKSUM),
                    "the incrementally patched checksum equals a full recomputation");
            assertEquals(1, h.get(AclCounter.ACL_SET_DSCP));
            assertEquals("acl: permit, dscp set to 46", h.trace(0));
        }
    }

    @Test
    void setDscpRewritesTheIpv6TrafficClassAndKeepsTheFlowLabel() {
        try (AclHarness h = AclHarness.stateless().rules(Action.DENY,
                rule(Action.SET_DSCP).setSetDscp(10).setSrcPrefix("2001:db8::/32").build())) {
            MemorySegment frame = new PacketBuilder().ethernet(2, 1).ipv6(0x20010db8_00000000L, 1, 0x20010db8_00000000L, 2)
                    .ipv6Fields(0x2e << 2 | 2, 0xABCDE, 64).udp(1, 2).payload(10).build();
            assertArrayEquals(new int[] {0}, h.run(frame));
            long ip = h.burst.offset(0) + 14;
            int word = NetBytes.u16(h.burst.data(), ip) << 16 | NetBytes.u16(h.burst.data(), ip + 2);
            assertEquals(6, word >>> 28);
            assertEquals(10 << 2 | 2, (word >>> 20) & 0xFF, "traffic class: DSCP 10, ECN kept");
            assertEquals(0xABCDE, word & 0xFFFFF, "flow label kept");
        }
    }

    @Test
    void statefulModeAdmitsReturnTrafficOnlyOfPermittedFlows() {
        try (AclHarness h = AclHarness.stateful(1000, FlowTimeouts.DEFAULT).rules(Action.DENY,
                rule(Action.PERMIT).setSrcPrefix("10.0.0.0/8").setProtocol(6).setDstPorts(ports(443, 443)).build())) {
            assertArrayEquals(new int[] {DROP}, h.run(tcp(SERVER, 443, CLIENT, 40_000, TcpHeader.SYN | TcpHeader.ACK)),
                    "no reply passes before its flow exists");
            h.nowNs = SECOND;
            assertArrayEquals(new int[] {0, 0, DROP}, h.run(tcp(CLIENT, 40_000, SERVER, 443, TcpHeader.SYN),
                    tcp(SERVER, 443, CLIENT, 40_000, TcpHeader.SYN | TcpHeader.ACK),
                    tcp(SERVER, 443, CLIENT, 40_001, TcpHeader.SYN | TcpHeader.ACK)));
            assertEquals(1, h.get(AclCounter.ACL_RETURN_PERMIT), "the reply in the same burst found the flow");
            assertEquals(1, h.get(AclCounter.ACL_FLOW_CREATED));
            h.nowNs = 2 * SECOND;
            ListFlowsResponse flows = h.acl.control().listFlows(ListFlowsRequest.getDefaultInstance());
            assertEquals(1, flows.getFlowsInTable());
            assertEquals(1000, flows.getCapacity());
            Flow f = flows.getFlows(0);
            assertEquals("10.0.0.1", f.getSrc(), "the opener is the source");
            assertEquals("192.0.2.1", f.getDst());
            assertEquals(40_000, f.getSrcPort());
            assertEquals(443, f.getDstPort());
            assertEquals("established", f.getState());
            assertEquals(7440 * SECOND - SECOND, f.getExpiresInNs());
            assertEquals("", flows.getNextPageToken());
        }
    }

    @Test
    void flowsExpireByTheirTimeoutAndRepliesFaceTheRulesAgain() {
        FlowTimeouts timeouts = new FlowTimeouts(100 * SECOND, 10 * SECOND, 5 * SECOND, 2 * SECOND);
        try (AclHarness h = AclHarness.stateful(1000, timeouts).rules(Action.DENY,
                rule(Action.PERMIT).setSrcPrefix("10.0.0.0/8").build())) {
            h.run(udp(CLIENT, 5000, SERVER, 53));
            h.nowNs = 5 * SECOND - 1;
            assertArrayEquals(new int[] {0}, h.run(udp(SERVER, 53, CLIENT, 5000)), "1 ns before the UDP timeout");
            h.nowNs = 10 * SECOND - 1; // the reply refreshed the flow to 5 s after it
            assertArrayEquals(new int[] {DROP}, h.run(udp(SERVER, 53, CLIENT, 5000)), "expired at 5 s idle");
            assertEquals(1, h.get(AclCounter.ACL_FLOW_EXPIRED));
            assertEquals(1, h.get(AclCounter.ACL_DEFAULT_DENY));
        }
    }

    @Test
    void aFullTableEvictsFlowsNotEstablishedAndCountsIt() {
        try (AclHarness h = AclHarness.stateful(4, FlowTimeouts.DEFAULT).rules(Action.DENY,
                rule(Action.PERMIT).setSrcPrefix("10.0.0.0/8").build())) {
            for (int port = 1; port <= 10; port++) {
                assertArrayEquals(new int[] {0}, h.run(udp(CLIENT, port, SERVER, 53)));
            }
            assertEquals(10, h.get(AclCounter.ACL_FLOW_CREATED));
            assertEquals(6, h.get(AclCounter.ACL_FLOW_EVICTED), "each flow beyond four evicted one without a reply");
            assertEquals(4, h.acl.control().listFlows(ListFlowsRequest.getDefaultInstance()).getFlowsInTable());
            assertEquals(6, h.acl.control().listFlows(ListFlowsRequest.getDefaultInstance()).getEvicted());
        }
    }

    @Test
    void aTableFullOfEstablishedFlowsTracksNoMoreButStillPassesThePacket() {
        try (AclHarness h = AclHarness.stateful(4, FlowTimeouts.DEFAULT).rules(Action.DENY,
                rule(Action.PERMIT).setSrcPrefix("10.0.0.0/8").build())) {
            for (int port = 1; port <= 4; port++) {
                h.run(tcp(CLIENT, port, SERVER, 80, TcpHeader.SYN), tcp(SERVER, 80, CLIENT, port, TcpHeader.SYN | TcpHeader.ACK));
            }
            assertArrayEquals(new int[] {0}, h.run(tcp(CLIENT, 5, SERVER, 80, TcpHeader.SYN)), "permitted by its rule");
            assertEquals(1, h.get(AclCounter.ACL_FLOW_NOT_TRACKED));
            assertEquals(0, h.get(AclCounter.ACL_FLOW_EVICTED), "established flows are not evicted");
            assertArrayEquals(new int[] {DROP}, h.run(tcp(SERVER, 80, CLIENT, 5, TcpHeader.SYN | TcpHeader.ACK)),
                    "the untracked flow's reply faces the rules");
        }
    }

    @Test
    void withDropWhenFullAPacketWhoseFlowFindsNoRoomIsDroppedWithThatReason() {
        try (AclHarness h = AclHarness.stateful(4, FlowTimeouts.DEFAULT, true).rules(Action.DENY,
                rule(Action.SET_DSCP).setSetDscp(8).setSrcPrefix("10.0.0.0/8").build())) {
            for (int port = 1; port <= 4; port++) {
                h.run(tcp(CLIENT, port, SERVER, 80, TcpHeader.SYN), tcp(SERVER, 80, CLIENT, port, TcpHeader.SYN | TcpHeader.ACK));
            }
            assertArrayEquals(new int[] {DROP, 0}, h.run(tcp(CLIENT, 5, SERVER, 80, TcpHeader.SYN),
                    tcp(CLIENT, 4, SERVER, 80, TcpHeader.ACK)), "a new flow finds no room; a tracked one passes");
            assertEquals(1, h.get(AclCounter.ACL_FLOW_TABLE_FULL));
            assertEquals(4, h.get(AclCounter.ACL_SET_DSCP), "the dropped packet is not counted as marked");
            assertEquals("acl: drop, " + AclCounter.ACL_FLOW_TABLE_FULL.text(), h.trace(0));
        }
    }

    @Test
    void malformedAndNonIpFramesAreDroppedWithTheirReasonOrGivenTheDefault() {
        try (AclHarness h = AclHarness.stateless().rules(Action.DENY)) {
            MemorySegment truncated = udp(CLIENT, 1, SERVER, 2).asSlice(0, 20);
            MemorySegment arp = new PacketBuilder().ethernet(-1L & 0xFFFF_FFFF_FFFFL, 1)
                    .arp(ArpPacket.OP_REQUEST, 1, CLIENT, 0, SERVER).build();
            assertArrayEquals(new int[] {DROP, DROP}, h.run(truncated, arp));
            assertEquals(1, h.get(AclCounter.ACL_MALFORMED));
            assertEquals(1, h.get(AclCounter.ACL_NON_IP_DENY));
            assertEquals("acl: drop, ACL malformed packets dropped", h.trace(0));
            h.rules(Action.PERMIT);
            assertArrayEquals(new int[] {DROP, 0}, h.run(truncated, arp), "non-IP takes the default action");
            assertEquals(2, h.get(AclCounter.ACL_MALFORMED));
            assertEquals(2, h.get(AclCounter.ACL_NON_IP));
        }
    }

    @Test
    void aRuleChangeTakesEffectAtTheNextBurstAndCanFlushFlows() {
        try (AclHarness h = AclHarness.stateful(100, FlowTimeouts.DEFAULT).rules(Action.DENY,
                rule(Action.PERMIT).setSrcPrefix("10.0.0.0/8").build())) {
            h.run(udp(CLIENT, 5000, SERVER, 53));
            h.rules(Action.DENY); // no rules: flows opened before still pass both ways
            assertArrayEquals(new int[] {0, 0}, h.run(udp(CLIENT, 5000, SERVER, 53), udp(SERVER, 53, CLIENT, 5000)));
            h.acl.control().replaceRules(io.nfchain.api.acl.v1.ReplaceRulesRequest.newBuilder()
                    .setDefaultAction(Action.DENY).setFlushFlows(true).build());
            assertArrayEquals(new int[] {DROP, DROP}, h.run(udp(CLIENT, 5000, SERVER, 53), udp(SERVER, 53, CLIENT, 5000)));
            assertTrue(h.acl.control().listFlows(ListFlowsRequest.getDefaultInstance()).getFlowsList().isEmpty());
        }
    }
}
