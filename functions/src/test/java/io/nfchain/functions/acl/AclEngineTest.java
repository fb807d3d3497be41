package io.nfchain.functions.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.core.packet.ArpPacket;
import io.nfchain.core.packet.IpAddresses;
import io.nfchain.core.packet.Ipv4Header;
import io.nfchain.core.packet.Ipv6Header;
import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.core.packet.PacketParser;
import io.nfchain.core.packet.ParsedPacket;
import io.nfchain.core.packet.TcpHeader;
import io.nfchain.functions.rules.InvalidRuleException;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-packet decision on real frames, parsed as the function will parse them, with time passed in. */
class AclEngineTest {
    private static final long SECOND = 1_000_000_000L;
    private static final int CLIENT = IpAddresses.parseIpv4("10.0.0.1");
    private static final int SERVER = IpAddresses.parseIpv4("192.0.2.1");

    private final ParsedPacket parsed = new ParsedPacket();

    private static AclClassifier compile(AclAction defaultAction, AclRuleSpec... rules) {
        return AclClassifier.compile(AclRuleSet.validate(List.of(rules), defaultAction));
    }

    private ParsedPacket parse(MemorySegment frame) {
        PacketParser.parse(frame, parsed);
        return parsed;
    }

    private ParsedPacket tcp(int src, int srcPort, int dst, int dstPort, int flags) {
        return parse(new PacketBuilder().ethernet(2, 1).ipv4(src, dst).tcp(srcPort, dstPort, 1, 1, flags, 1000, false).build());
    }

    private static long count(AclEngine engine, AclCounter counter) {
        return engine.counters()[counter.ordinal()];
    }

    @Test
    void firstTerminalMatchDecidesAndCountRulesCountOnTheWay() {
        AclEngine engine = AclEngine.stateless(compile(AclAction.DENY,
                AclRuleSpec.builder(AclAction.COUNT).protocol(6).build(),
                AclRuleSpec.builder(AclAction.DENY).src("10.0.0.0/8").protocol(6).dstPorts(23, 23).build(),
                AclRuleSpec.builder(AclAction.COUNT).dst("192.0.2.0/24").build(),
                AclRuleSpec.builder(AclAction.SET_DSCP).setDscp(46).protocol(17).dstPorts(5060, 5061).build(),
                AclRuleSpec.builder(AclAction.PERMIT).src("10.0.0.0/8").build()));
        engine.beginBurst(0);
        assertEquals(AclEngine.DROP, engine.decide(tcp(CLIENT, 40_000, SERVER, 23, TcpHeader.SYN)));
        assertEquals(AclEngine.PASS, engine.decide(tcp(CLIENT, 40_000, SERVER, 443, TcpHeader.SYN)));
        assertEquals(46, engine.decide(parse(new PacketBuilder().ethernet(2, 1).ipv4(SERVER, CLIENT).udp(9, 5061).build())));
        assertEquals(AclEngine.DROP, engine.decide(parse(new PacketBuilder().ethernet(2, 1).ipv4(SERVER, CLIENT).udp(9, 5062).build())));
        // Hits: the TCP count rule saw both TCP packets, the /24 count rule only the packet that got past rule 1.
        assertEquals(List.of(2L, 1L, 1L, 1L, 1L, 1L), java.util.Arrays.stream(engine.ruleHits()).boxed().toList());
        assertEquals(1, count(engine, AclCounter.ACL_DENY));
        assertEquals(1, count(engine, AclCounter.ACL_PERMIT));
        assertEquals(1, count(engine, AclCounter.ACL_SET_DSCP));
        assertEquals(1, count(engine, AclCounter.ACL_DEFAULT_DENY));
    }

    @Test
    void statefulModeAdmitsRepliesOfPermittedFlowsUntilTheyExpire() {
        AclEngine engine = AclEngine.stateful(compile(AclAction.DENY,
                AclRuleSpec.builder(AclAction.PERMIT).src("10.0.0.0/8").protocol(6).dstPorts(443, 443).build()),
                1000, FlowTimeouts.DEFAULT);
        engine.beginBurst(0);
        assertEquals(AclEngine.DROP, engine.decide(tcp(SERVER, 443, CLIENT, 40_000, TcpHeader.SYN | TcpHeader.ACK)),
                "no reply before the flow exists");
        assertEquals(AclEngine.PASS, engine.decide(tcp(CLIENT, 40_000, SERVER, 443, TcpHeader.SYN)));
        assertEquals(AclEngine.PASS, engine.decide(tcp(SERVER, 443, CLIENT, 40_000, TcpHeader.SYN | TcpHeader.ACK)));
        assertEquals(AclEngine.DROP, engine.decide(tcp(SERVER, 443, CLIENT, 40_001, TcpHeader.SYN | TcpHeader.ACK)),
                "another port is another flow");
        engine.beginBurst(3600 * SECOND);
        assertEquals(AclEngine.PASS, engine.decide(tcp(SERVER, 443, CLIENT, 40_000, TcpHeader.ACK)), "established for 2 h");
        engine.beginBurst(3600 * SECOND + 7440 * SECOND);
        assertEquals(AclEngine.DROP, engine.decide(tcp(SERVER, 443, CLIENT, 40_000, TcpHeader.ACK)), "expired");
        assertEquals(2, count(engine, AclCounter.ACL_RETURN_PERMIT));
        assertEquals(1, count(engine, AclCounter.ACL_FLOW_CREATED));
        assertEquals(1, count(engine, AclCounter.ACL_FLOW_EXPIRED));
        assertEquals(3, count(engine, AclCounter.ACL_DEFAULT_DENY));
    }

    @Test
    void aTrackedFlowKeepsItsMarkAndAFlushMakesItPassTheNewRules() {
        AclClassifier marking = compile(AclAction.DENY,
                AclRuleSpec.builder(AclAction.SET_DSCP).setDscp(10).protocol(17).dstPorts(53, 53).build());
        AclEngine engine = AclEngine.stateful(marking, 1000, FlowTimeouts.DEFAULT);
        engine.beginBurst(0);
        MemorySegment query = new PacketBuilder().ethernet(2, 1).ipv4(CLIENT, SERVER).udp(5000, 53).build();
        assertEquals(10, engine.decide(parse(query)));
        assertEquals(10, engine.decide(parse(query)));
        assertEquals(1, count(engine, AclCounter.ACL_FLOW_PERMIT));
        AclClassifier denying = compile(AclAction.DENY);
        engine.publish(denying, false);
        assertSame(marking, engine.classifier(), "the new rules wait for the next burst");
        engine.beginBurst(1);
        assertSame(denying, engine.classifier());
        assertEquals(10, engine.decide(parse(query)), "flows outlive a rule change");
        engine.publish(denying, true);
        engine.beginBurst(2);
        assertEquals(AclEngine.DROP, engine.decide(parse(query)), "flushed flows pass the new rules again");
        assertEquals(1, engine.ruleHits().length, "hits restart with the new rule set");
    }

    @Test
    void aRefusedRuleSetLeavesTheEngineAsItWas() {
        AclClassifier current = compile(AclAction.PERMIT);
        AclEngine engine = AclEngine.stateless(current);
        assertThrows(InvalidRuleException.class, () -> AclRuleSet.validate(List.of(
                AclRuleSpec.builder(AclAction.DENY).build(),
                AclRuleSpec.builder(AclAction.DENY).src("10.0.0.0/33").build()), AclAction.DENY));
        engine.beginBurst(0);
        assertSame(current, engine.classifier());
    }

    @Test
    void setDscpRewritesTheHeaderAndKeepsItValid() {
        AclEngine engine = AclEngine.stateless(compile(AclAction.DENY,
                AclRuleSpec.builder(AclAction.SET_DSCP).setDscp(46).build()));
        engine.beginBurst(0);
        MemorySegment v4 = new PacketBuilder().ethernet(2, 1).ipv4(CLIENT, SERVER).ipv4Fields(0x03, 64, 7, 0, new byte[0])
                .udp(1, 2).build();
        int verdict = engine.decide(parse(v4));
        assertEquals(46, verdict);
        engine.rewriteDscp(v4, 0, parsed.outer(), verdict);
        Ipv4Header ip = new Ipv4Header().wrap(v4, parsed.outer().l3Offset());
        assertEquals(46 << 2 | 3, ip.tos(), "DSCP written, ECN kept");
        assertTrue(ip.checksumValid(), "incremental checksum update");
        assertEquals(46, parse(v4).outer().dscp());

        MemorySegment v6 = new PacketBuilder().ethernet(2, 1).ipv6(0x2001_0db8_0000_0000L, 1, 0x2001_0db8_0000_0000L, 2)
                .ipv6Fields(0x01, 0xABCDE, 64).udp(1, 2).build();
        engine.rewriteDscp(v6, 0, parse(v6).outer(), engine.decide(parsed));
        Ipv6Header ip6 = new Ipv6Header().wrap(v6, parsed.outer().l3Offset());
        assertEquals(46 << 2 | 1, ip6.trafficClass());
        assertEquals(0xABCDE, ip6.flowLabel());
        assertEquals(6, ip6.version());
    }

    @Test
    void laterFragmentsAreClassifiedWithoutPortsAndNotTracked() {
        AclEngine engine = AclEngine.stateful(compile(AclAction.DENY,
                AclRuleSpec.builder(AclAction.PERMIT).protocol(17).dstPorts(0, 65_535).build(),
                AclRuleSpec.builder(AclAction.PERMIT).src("10.0.0.0/8").protocol(17).build()),
                1000, FlowTimeouts.DEFAULT);
        engine.beginBurst(0);
        // The second fragment of a datagram from 10/8: no ports, so only the rule without ports matches.
        MemorySegment fragment = new PacketBuilder().ethernet(2, 1).ipv4(CLIENT, SERVER)
                .ipv4Fields(0, 64, 9, 185, new byte[0]).udp(1, 2).build();
        ParsedPacket p = parse(fragment);
        assertTrue(p.outer().isLaterFragment());
        assertEquals(AclEngine.PASS, engine.decide(p));
        assertEquals(List.of(0L, 1L, 0L), java.util.Arrays.stream(engine.ruleHits()).boxed().toList());
        MemorySegment fromElsewhere = new PacketBuilder().ethernet(2, 1).ipv4(SERVER, CLIENT)
                .ipv4Fields(0, 64, 9, 185, new byte[0]).udp(1, 2).build();
        assertEquals(AclEngine.DROP, engine.decide(parse(fromElsewhere)));
        assertEquals(2, count(engine, AclCounter.ACL_FRAGMENT_UNTRACKED));
        assertEquals(0, count(engine, AclCounter.ACL_FLOW_CREATED));
    }

    @Test
    void malformedAndNonIpPacketsAreCountedWithTheirReason() {
        AclEngine engine = AclEngine.stateless(compile(AclAction.DENY));
        engine.beginBurst(0);
        byte[] truncated = new PacketBuilder().ethernet(2, 1).ipv4(CLIENT, SERVER).udp(1, 2).toBytes();
        PacketParser.parse(MemorySegment.ofArray(truncated), 0, 20, parsed);
        assertEquals(AclEngine.DROP, engine.decide(parsed));
        assertEquals(1, count(engine, AclCounter.ACL_MALFORMED));
        MemorySegment arp = new PacketBuilder().ethernet(-1L & 0xFFFF_FFFF_FFFFL, 1).arp(ArpPacket.OP_REQUEST, 1, CLIENT, 0, SERVER).build();
        assertEquals(AclEngine.DROP, engine.decide(parse(arp)));
        assertEquals(1, count(engine, AclCounter.ACL_NON_IP));
        AclEngine permissive = AclEngine.stateless(compile(AclAction.PERMIT));
        permissive.beginBurst(0);
        assertEquals(AclEngine.PASS, permissive.decide(parse(arp)), "non-IP takes the default action");
    }
}
