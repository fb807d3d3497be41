package io.nfchain.functions.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.functions.acl.AclRuleSpec.PortRange;
import io.nfchain.functions.rules.InvalidRuleException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every refusal the validator makes, with the field it names and words of its message; and what it accepts. */
class AclRuleValidationTest {
    private static final AclRuleSpec GOOD = AclRuleSpec.builder(AclAction.PERMIT).src("10.0.0.0/8").dst("192.0.2.1")
            .protocol(6).dstPorts(443, 443).build();

    /** A spec that differs from {@link #GOOD} in one way, placed at index 3 of a list of good rules. */
    static Stream<Arguments> refusals() {
        return Stream.of(
                refused("v4 length 33", s -> with(s, "10.0.0.0/33", null), "rules[3].srcPrefix", "33", "32 bits"),
                refused("v6 length 129", s -> with(s, null, "2001:db8::/129"), "rules[3].dstPrefix", "129", "128 bits"),
                refused("v4 host bits", s -> with(s, "10.1.2.3/8", null), "rules[3].srcPrefix", "host bits", "10.0.0.0/8"),
                refused("v6 host bits", s -> with(s, null, "2001:db8::1/32"), "rules[3].dstPrefix", "host bits", "2001:db8::/32"),
                refused("not an address", s -> with(s, "10.0.0.300/8", null), "rules[3].srcPrefix", "not an IPv4"),
                refused("a name", s -> with(s, "example.com", null), "rules[3].srcPrefix", "not an IPv4"),
                refused("bad v6", s -> with(s, "2001:db8:::1/64", null), "rules[3].srcPrefix", "not an IPv6"),
                refused("v6 with zone", s -> with(s, "fe80::1%eth0", null), "rules[3].srcPrefix", "not an IPv6"),
                refused("no length", s -> with(s, "10.0.0.0/", null), "rules[3].srcPrefix", "no prefix length"),
                refused("negative length", s -> with(s, "10.0.0.0/-1", null), "rules[3].srcPrefix", "no prefix length"),
                refused("mixed versions", s -> with(s, "10.0.0.0/8", "2001:db8::/32"), "rules[3].dstPrefix", "IPv6 but srcPrefix is IPv4"),
                refused("protocol 256", s -> copy(s, b -> b.protocol(256)), "rules[3].protocol", "256"),
                refused("protocol -2", s -> copy(s, b -> b.protocol(-2)), "rules[3].protocol", "-2"),
                refused("port range reversed", s -> copy(s, b -> b.dstPorts(443, 80)), "rules[3].dstPorts", "443-80", "reversed"),
                refused("port above 65535", s -> copy(s, b -> b.srcPorts(1, 65_536)), "rules[3].srcPorts", "65536"),
                refused("negative port", s -> copy(s, b -> b.srcPorts(-1, 5)), "rules[3].srcPorts", "-1"),
                refused("ports with icmp", s -> copy(s, b -> b.protocol(1)), "rules[3].dstPorts", "tcp (6) or udp (17)", "1"),
                refused("ports with any protocol", s -> copy(s, b -> b.protocol(AclRuleSpec.ANY)), "rules[3].dstPorts", "any"),
                refused("dscp 64", s -> copy(s, b -> b.dscp(64)), "rules[3].dscp", "64", "0..63"),
                refused("dscp -5", s -> copy(s, b -> b.dscp(-5)), "rules[3].dscp", "-5"),
                refused("flags beyond 9 bits", s -> copy(s, b -> b.tcpFlags(0, 0x400)), "rules[3].tcpFlags", "0x400"),
                refused("flags value outside mask", s -> copy(s, b -> b.tcpFlags(0x12, 0x02)), "rules[3].tcpFlags", "0x12", "0x2"),
                refused("flags with udp", s -> copy(s, b -> b.protocol(17).tcpFlags(2, 2)), "rules[3].tcpFlags", "tcp (6)"),
                refused("no action", s -> new AclRuleSpec(s.srcPrefix(), s.dstPrefix(), s.protocol(), s.srcPorts(), s.dstPorts(),
                        s.dscp(), 0, 0, null, AclRuleSpec.NONE), "rules[3].action", "missing"),
                refused("set-dscp without a value", s -> new AclRuleSpec(s.srcPrefix(), s.dstPrefix(), s.protocol(), s.srcPorts(),
                        s.dstPorts(), s.dscp(), 0, 0, AclAction.SET_DSCP, AclRuleSpec.NONE), "rules[3].setDscp", "needs the DSCP"),
                refused("set-dscp 64", s -> new AclRuleSpec(s.srcPrefix(), s.dstPrefix(), s.protocol(), s.srcPorts(),
                        s.dstPorts(), s.dscp(), 0, 0, AclAction.SET_DSCP, 64), "rules[3].setDscp", "64"),
                refused("a DSCP on a permit", s -> new AclRuleSpec(s.srcPrefix(), s.dstPrefix(), s.protocol(), s.srcPorts(),
                        s.dstPorts(), s.dscp(), 0, 0, AclAction.PERMIT, 10), "rules[3].setDscp", "permit"),
                refused("a missing rule", s -> null, "rules[3]", "missing"));
    }

    private static Arguments refused(String name, UnaryOperator<AclRuleSpec> change, String field, String... words) {
        return Arguments.of(name, change, field, words);
    }

    private static AclRuleSpec with(AclRuleSpec s, String src, String dst) {
        return new AclRuleSpec(src != null ? src : s.srcPrefix(), dst != null ? dst : s.dstPrefix(), s.protocol(),
                s.srcPorts(), s.dstPorts(), s.dscp(), s.tcpFlagsValue(), s.tcpFlagsMask(), s.action(), s.setDscp());
    }

    /** A copy of a TCP rule to port 443 from 10/8, changed by {@code change}. */
    private static AclRuleSpec copy(AclRuleSpec s, UnaryOperator<AclRuleSpec.Builder> change) {
        return change.apply(AclRuleSpec.builder(s.action()).src(s.srcPrefix()).dst(s.dstPrefix()).protocol(s.protocol())
                .dstPorts(s.dstPorts().first(), s.dstPorts().last())).build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesTheWholeSetNamingTheField(String name, UnaryOperator<AclRuleSpec> change, String field, String[] words) {
        List<AclRuleSpec> specs = new ArrayList<>(Arrays.asList(GOOD, GOOD, GOOD, change.apply(GOOD), GOOD));
        InvalidRuleException e = assertThrows(InvalidRuleException.class, () -> AclRuleSet.validate(specs, AclAction.DENY));
        assertEquals(field, e.field());
        for (String word : words) {
            assertTrue(e.getMessage().contains(word), "'" + e.getMessage() + "' mentions " + word + " (" + Arrays.toString(words) + ")");
        }
        assertTrue(e.getMessage().startsWith(field + ": "), e.getMessage());
    }

    @Test
    void refusesTheSetsOwnFields() {
        assertEquals("rules", assertThrows(InvalidRuleException.class, () -> AclRuleSet.validate(null, AclAction.DENY)).field());
        assertEquals("defaultAction", assertThrows(InvalidRuleException.class,
                () -> AclRuleSet.validate(List.of(GOOD), AclAction.COUNT)).field());
        assertEquals("defaultAction", assertThrows(InvalidRuleException.class,
                () -> AclRuleSet.validate(List.of(GOOD), null)).field());
        List<AclRuleSpec> tooMany = java.util.Collections.nCopies(AclRuleSet.MAX_RULES + 1, GOOD);
        assertEquals("rules", assertThrows(InvalidRuleException.class, () -> AclRuleSet.validate(tooMany, AclAction.DENY)).field());
    }

    @Test
    void acceptsWhatRulesAreWrittenWith() {
        AclRuleSet set = AclRuleSet.validate(List.of(
                GOOD,
                AclRuleSpec.builder(AclAction.DENY).src("any").dst("").build(),
                AclRuleSpec.builder(AclAction.COUNT).src("2001:db8::/32").dst("::ffff:192.0.2.0/120").protocol(17)
                        .srcPorts(0, 65535).dstPorts(53, 53).dscp(46).build(),
                AclRuleSpec.builder(AclAction.SET_DSCP).setDscp(0).dst("::/0").protocol(6).tcpFlags(0x002, 0x012).build(),
                AclRuleSpec.builder(AclAction.PERMIT).src("0.0.0.0/0").dst("255.255.255.255").build(),
                AclRuleSpec.builder(AclAction.PERMIT).src("::").protocol(0).build()), AclAction.PERMIT);
        assertEquals(6, set.size());
        assertEquals(new IpPrefix(4, 0, 0x0A00_0000L, 8), set.rule(0).src());
        assertEquals(4, set.rule(0).version());
        assertNull(set.rule(1).src());
        assertEquals(0, set.rule(1).version());
        assertEquals(new IpPrefix(6, 0x2001_0db8_0000_0000L, 0, 32), set.rule(2).src());
        assertEquals(new IpPrefix(6, 0, 0xFFFF_C000_0200L, 120), set.rule(2).dst());
        assertEquals(new PortRange(53, 53), set.rule(2).dstPorts());
        assertEquals(new IpPrefix(6, 0, 0, 0), set.rule(3).dst());
        assertEquals(new IpPrefix(4, 0, 0xFFFF_FFFFL, 32), set.rule(4).dst());
        assertEquals(new IpPrefix(6, 0, 0, 128), set.rule(5).src());
        assertEquals("permit src 10.0.0.0/8 dst 192.0.2.1/32 proto 6 dport 443", set.rule(0).text());
        assertEquals("set-dscp 0 dst ::/0 proto 6 tcp-flags 0x002/0x012", set.rule(3).text());
        assertEquals("deny any", set.rule(1).text());
    }

    @Test
    void parsesIpv6TextAsRfc4291WritesIt() {
        assertEquals(new IpPrefix(6, 0x2001_0db8_0000_0000L, 1, 128), IpPrefix.parse("2001:DB8::1"));
        assertEquals(new IpPrefix(6, 0x2001_0db8_0001_0002L, 0x0003_0004_0005_0006L, 128), IpPrefix.parse("2001:db8:1:2:3:4:5:6"));
        assertEquals(new IpPrefix(6, 0, 0, 0), IpPrefix.parse("::/0"));
        assertEquals(new IpPrefix(6, 0x0001_0000_0000_0000L, 0, 16), IpPrefix.parse("1::/16"));
        assertEquals(new IpPrefix(6, 0, 0x0000_FFFF_0102_0304L, 128), IpPrefix.parse("::ffff:1.2.3.4"));
        for (String bad : new String[] {":", ":::", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "1:2:3:4:5:6:7::8:9", "g::",
                "::1.2.3", "1:2:3:4:5:6:7:1.2.3.4", ":1::", "1::2:", "\u0661::"}) {
            assertNull(IpPrefix.parseIpv6(bad), bad);
        }
    }
}
