package io.nfchain.functions.acl;

import io.nfchain.core.packet.IpProtocols;
import io.nfchain.functions.acl.AclRuleSpec.PortRange;
import io.nfchain.functions.rules.InvalidRuleException;
import java.util.ArrayList;
import java.util.List;

/**
 * An ordered, validated list of ACL rules and the action for packets no terminal rule matches.
 * Immutable, so safe to share between threads.
 *
 * <p>The position in the list is the priority: rule 0 is looked at first, and the first terminal
 * rule that matches decides (see {@link AclAction}). A rule set is validated as a whole by
 * {@link #validate}: either every rule is accepted or the call throws, so a bad update never
 * leaves half of its rules applied.
 */
public record AclRuleSet(List<AclRule> rules, AclAction defaultAction) {
    /** The most rules one set may hold; far beyond what the classifier is measured at (10,000). */
    public static final int MAX_RULES = 65_536;
    /** TCP flags: FIN 0x001 up to NS 0x100, as {@link io.nfchain.core.packet.IpLayers#tcpFlags()} reports them. */
    public static final int TCP_FLAG_BITS = 0x1FF;

    public AclRuleSet {
        rules = List.copyOf(rules);
    }

    /**
     * Validates {@code specs} in order and returns them as a rule set, or throws
     * {@link InvalidRuleException} for the first field at fault, named as {@code rules[i].field}
     * ({@code rules} or {@code defaultAction} for the set's own fields). Throws nothing else, for
     * any input.
     */
    public static AclRuleSet validate(List<AclRuleSpec> specs, AclAction defaultAction) {
        if (specs == null) {
            throw new InvalidRuleException("rules", "the rule list is missing");
        }
        if (specs.size() > MAX_RULES) {
            throw new InvalidRuleException("rules", specs.size() + " rules are more than the limit of " + MAX_RULES);
        }
        if (defaultAction != AclAction.PERMIT && defaultAction != AclAction.DENY) {
            throw new InvalidRuleException("defaultAction", "must be permit or deny, not "
                    + (defaultAction == null ? "missing" : defaultAction.text()));
        }
        List<AclRule> rules = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            rules.add(validate(specs.get(i), "rules[" + i + "]"));
        }
        return new AclRuleSet(rules, defaultAction);
    }

    /** Validates one rule; {@code name} prefixes the field in errors ({@code rules[3]}). */
    public static AclRule validate(AclRuleSpec spec, String name) {
        if (spec == null) {
            throw new InvalidRuleException(name, "the rule is missing");
        }
        IpPrefix src = prefix(spec.srcPrefix(), name + ".srcPrefix");
        IpPrefix dst = prefix(spec.dstPrefix(), name + ".dstPrefix");
        if (src != null && dst != null && src.version() != dst.version()) {
            throw new InvalidRuleException(name + ".dstPrefix", "is IPv" + dst.version() + " but srcPrefix is IPv"
                    + src.version() + "; a rule matches one IP version");
        }
        int version = src != null ? src.version() : dst != null ? dst.version() : 0;
        int protocol = spec.protocol();
        if (protocol != AclRuleSpec.ANY && (protocol < 0 || protocol > 255)) {
            throw new InvalidRuleException(name + ".protocol", protocol + " is not an IP protocol number (0..255)");
        }
        PortRange srcPorts = ports(spec.srcPorts(), protocol, name + ".srcPorts");
        PortRange dstPorts = ports(spec.dstPorts(), protocol, name + ".dstPorts");
        int dscp = spec.dscp();
        if (dscp != AclRuleSpec.ANY && (dscp < 0 || dscp > 63)) {
            throw new InvalidRuleException(name + ".dscp", "DSCP " + dscp + " is outside 0..63");
        }
        checkTcpFlags(spec, protocol, name);
        AclAction action = spec.action();
        if (action == null) {
            throw new InvalidRuleException(name + ".action", "the action is missing (permit, deny, count or set-dscp)");
        }
        checkSetDscp(spec.setDscp(), action, name + ".setDscp");
        return new AclRule(version, src, dst, protocol, srcPorts, dstPorts, dscp,
                spec.tcpFlagsValue(), spec.tcpFlagsMask(), action, spec.setDscp());
    }

    private static IpPrefix prefix(String text, String field) {
        if (text == null || text.isEmpty() || text.equals("any")) {
            return null;
        }
        try {
            return IpPrefix.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidRuleException(field, e.getMessage());
        }
    }

    private static PortRange ports(PortRange ports, int protocol, String field) {
        if (ports == null) {
            return null;
        }
        int first = ports.first();
        int last = ports.last();
        if (first < 0 || last < 0 || first > 65_535 || last > 65_535) {
            throw new InvalidRuleException(field, "port " + (first < 0 || first > 65_535 ? first : last)
                    + " is outside 0..65535");
        }
        if (first > last) {
            throw new InvalidRuleException(field, "range " + first + "-" + last + " is reversed (first above last)");
        }
        if (protocol != IpProtocols.TCP && protocol != IpProtocols.UDP) {
            throw new InvalidRuleException(field, "ports need protocol tcp (6) or udp (17); the protocol is "
                    + (protocol == AclRuleSpec.ANY ? "any" : protocol));
        }
        return ports;
    }

    private static void checkTcpFlags(AclRuleSpec spec, int protocol, String name) {
        int value = spec.tcpFlagsValue();
        int mask = spec.tcpFlagsMask();
        String field = name + ".tcpFlags";
        if ((mask & ~TCP_FLAG_BITS) != 0) {
            throw new InvalidRuleException(field, String.format("mask 0x%x has bits beyond the 9 TCP flags (0x1ff)", mask));
        }
        if ((value & ~mask) != 0) {
            throw new InvalidRuleException(field, String.format("value 0x%x sets bits outside mask 0x%x", value, mask));
        }
        if (mask != 0 && protocol != IpProtocols.TCP) {
            throw new InvalidRuleException(field, "TCP flags need protocol tcp (6); the protocol is "
                    + (protocol == AclRuleSpec.ANY ? "any" : protocol));
        }
    }

    private static void checkSetDscp(int setDscp, AclAction action, String field) {
        if (action == AclAction.SET_DSCP) {
            if (setDscp < 0 || setDscp > 63) {
                throw new InvalidRuleException(field, setDscp == AclRuleSpec.NONE
                        ? "set-dscp needs the DSCP to write (0..63)" : "DSCP " + setDscp + " is outside 0..63");
            }
        } else if (setDscp != AclRuleSpec.NONE) {
            throw new InvalidRuleException(field, "only a set-dscp rule writes a DSCP; this rule's action is "
                    + action.text());
        }
    }

    public int size() {
        return rules.size();
    }

    public AclRule rule(int index) {
        return rules.get(index);
    }
}
