package io.nfchain.functions.acl;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.nfchain.functions.rules.InvalidRuleException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random rule specs, from well-formed to garbage: the validator either accepts a set, which then
 * compiles and classifies, or refuses it with an {@link InvalidRuleException} naming a field of
 * the rule it stopped at. Nothing else ever comes out.
 */
class AclRuleValidatorFuzzTest {
    private static final String[] FIELDS = {"srcPrefix", "dstPrefix", "protocol", "srcPorts", "dstPorts", "dscp", "tcpFlags",
        "action", "setDscp"};

    @Test
    void refusesOnlyWithInvalidRuleException() {
        SplittableRandom random = new SplittableRandom(0xF022);
        RandomAcl valid = new RandomAcl(random.split());
        int accepted = 0;
        int refused = 0;
        AclKey key = new AclKey();
        for (int round = 0; round < 40_000; round++) {
            List<AclRuleSpec> specs = new ArrayList<>();
            int n = random.nextInt(1, 6);
            for (int i = 0; i < n; i++) {
                specs.add(random.nextInt(40) == 0 ? null : mutate(random, valid.rule(0)));
            }
            try {
                AclRuleSet set = AclRuleSet.validate(specs, random.nextInt(50) == 0 ? AclAction.COUNT : AclAction.DENY);
                AclClassifier classifier = AclClassifier.compile(set);
                key.set(4, 0, random.nextInt() & 0xFFFF_FFFFL, 0, random.nextInt() & 0xFFFF_FFFFL, 6, 1, 2, 0, 0x10);
                int rule = classifier.classify(key);
                assertTrue(rule == LinearScanReference.classify(set, key, null), "accepted sets classify as the reference");
                accepted++;
            } catch (InvalidRuleException e) {
                checkField(e.field(), n);
                refused++;
            } catch (RuntimeException e) {
                fail("validating " + specs + " threw " + e, e);
            }
        }
        assertTrue(accepted > 2_000 && refused > 2_000, accepted + " accepted, " + refused + " refused");
    }

    private static void checkField(String field, int rules) {
        if (field.equals("defaultAction")) {
            return;
        }
        assertTrue(field.matches("rules\\[\\d+\\](\\.\\w+)?"), field);
        int index = Integer.parseInt(field.substring(6, field.indexOf(']')));
        assertTrue(index < rules, field);
        if (field.contains(".")) {
            assertTrue(List.of(FIELDS).contains(field.substring(field.indexOf('.') + 1)), field);
        }
    }

    /** A valid spec with none, one or several fields replaced by random values, garbage or not. */
    private static AclRuleSpec mutate(SplittableRandom random, AclRuleSpec s) {
        if (random.nextInt(3) == 0) {
            return s;
        }
        AclAction[] actions = AclAction.values();
        int changes = random.nextInt(1, 4);
        for (int c = 0; c < changes; c++) {
            s = switch (random.nextInt(FIELDS.length)) {
                case 0 -> new AclRuleSpec(prefix(random), s.dstPrefix(), s.protocol(), s.srcPorts(), s.dstPorts(), s.dscp(),
                        s.tcpFlagsValue(), s.tcpFlagsMask(), s.action(), s.setDscp());
                case 1 -> new AclRuleSpec(s.srcPrefix(), prefix(random), s.protocol(), s.srcPorts(), s.dstPorts(), s.dscp(),
                        s.tcpFlagsValue(), s.tcpFlagsMask(), s.action(), s.setDscp());
                case 2 -> new AclRuleSpec(s.srcPrefix(), s.dstPrefix(), number(random, 256), s.srcPorts(), s.dstPorts(), s.dscp(),
                        s.tcpFlagsValue(), s.tcpFlagsMask(), s.action(), s.setDscp());
                case 3 -> new AclRuleSpec(s.srcPrefix(), s.dstPrefix(), s.protocol(), ports(random), s.dstPorts(), s.dscp(),
                        s.tcpFlagsValue(), s.tcpFlagsMask(), s.action(), s.setDscp());
                case 4 -> new AclRuleSpec(s.srcPrefix(), s.dstPrefix(), s.protocol(), s.srcPorts(), ports(random), s.dscp(),
                        s.tcpFlagsValue(), s.tcpFlagsMask(), s.action(), s.setDscp());
                case 5 -> new AclRuleSpec(s.srcPrefix(), s.dstPrefix(), s.protocol(), s.srcPorts(), s.dstPorts(), number(random, 64),
                        s.tcpFlagsValue(), s.tcpFlagsMask(), s.action(), s.setDscp());
                case 6 -> new AclRuleSpec(s.srcPrefix(), s.dstPrefix(), s.protocol(), s.srcPorts(), s.dstPorts(), s.dscp(),
                        number(random, 0x200), number(random, 0x200), s.action(), s.setDscp());
                case 7 -> new AclRuleSpec(s.srcPrefix(), s.dstPrefix(), s.protocol(), s.srcPorts(), s.dstPorts(), s.dscp(),
                        s.tcpFlagsValue(), s.tcpFlagsMask(), random.nextInt(8) == 0 ? null : actions[random.nextInt(actions.length)],
                        s.setDscp());
                default -> new AclRuleSpec(s.srcPrefix(), s.dstPrefix(), s.protocol(), s.srcPorts(), s.dstPorts(), s.dscp(),
                        s.tcpFlagsValue(), s.tcpFlagsMask(), s.action(), number(random, 64));
            };
        }
        return s;
    }

    /** Mostly in range, sometimes any, sometimes just outside, sometimes anything. */
    private static int number(SplittableRandom random, int bound) {
        return switch (random.nextInt(8)) {
            case 0 -> -1;
            case 1 -> bound;
            case 2 -> random.nextInt();
            case 3 -> 0;
            default -> random.nextInt(bound);
        };
    }

    private static AclRuleSpec.PortRange ports(SplittableRandom random) {
        return random.nextInt(3) == 0 ? null : new AclRuleSpec.PortRange(number(random, 65_536), number(random, 65_536));
    }

    private static final String ALPHABET = "0123456789abcdefABCDEF:./%- xgz\u0661\u00e9";

    private static String prefix(SplittableRandom random) {
        switch (random.nextInt(10)) {
            case 0:
                return null;
            case 1:
                return "any";
            case 2: {
                StringBuilder sb = new StringBuilder();
                int length = random.nextInt(0, 45);
                for (int i = 0; i < length; i++) {
                    sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                }
                return sb.toString();
            }
            case 3, 4, 5: {
                int length = random.nextInt(-1, 35);
                int address = random.nextInt(4) == 0 ? random.nextInt() : random.nextInt() & (length <= 0 ? 0 : length >= 32 ? -1 : -1 << (32 - length));
                return io.nfchain.core.packet.IpAddresses.ipv4ToString(address) + (random.nextInt(5) == 0 ? "" : "/" + length);
            }
            default: {
                int length = random.nextInt(-1, 131);
                long hi = random.nextLong();
                long lo = random.nextBoolean() ? 0 : random.nextLong();
                if (random.nextBoolean()) {
                    hi &= length <= 0 ? 0 : length >= 64 ? -1L : -1L << (64 - length);
                    lo &= length <= 64 ? 0 : length >= 128 ? -1L : -1L << (128 - length);
                }
                String text = io.nfchain.core.packet.IpAddresses.ipv6ToString(hi, lo);
                if (random.nextInt(6) == 0) {
                    StringBuilder sb = new StringBuilder(text);
                    sb.setCharAt(random.nextInt(sb.length()), ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                    text = sb.toString();
                }
                return text + (random.nextInt(5) == 0 ? "" : "/" + length);
            }
        }
    }
}
