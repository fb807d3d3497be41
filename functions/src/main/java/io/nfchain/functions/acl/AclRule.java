package io.nfchain.functions.acl;

import io.nfchain.functions.acl.AclRuleSpec.PortRange;

/**
 * One validated ACL rule: every field is in range and consistent with the others. Immutable.
 * Made by {@link AclRuleSet#validate}; a null prefix or port range, {@link AclRuleSpec#ANY}
 * protocol or DSCP and a zero flags mask match anything.
 *
 * @param version 4 or 6 when a prefix names the IP version, 0 when the rule matches both
 */
public record AclRule(
        int version,
        IpPrefix src,
        IpPrefix dst,
        int protocol,
        PortRange srcPorts,
        PortRange dstPorts,
        int dscp,
        int tcpFlagsValue,
        int tcpFlagsMask,
        AclAction action,
        int setDscp) {

    /** The rule as one line of text, in the order of its fields; "any" fields left out. */
    public String text() {
        StringBuilder sb = new StringBuilder(action.text());
        if (action == AclAction.SET_DSCP) {
            sb.append(' ').append(setDscp);
        }
        int start = sb.length();
        if (src != null) {
            sb.append(" src ").append(src);
        }
        if (dst != null) {
            sb.append(" dst ").append(dst);
        }
        if (protocol != AclRuleSpec.ANY) {
            sb.append(" proto ").append(protocol);
        }
        appendPorts(sb, " sport ", srcPorts);
        appendPorts(sb, " dport ", dstPorts);
        if (dscp != AclRuleSpec.ANY) {
            sb.append(" dscp ").append(dscp);
        }
        if (tcpFlagsMask != 0) {
            sb.append(String.format(" tcp-flags 0x%03x/0x%03x", tcpFlagsValue, tcpFlagsMask));
        }
        if (sb.length() == start) {
            sb.append(" any");
        }
        return sb.toString();
    }

    private static void appendPorts(StringBuilder sb, String label, PortRange ports) {
        if (ports != null) {
            sb.append(label).append(ports.first());
            if (ports.last() != ports.first()) {
                sb.append('-').append(ports.last());
            }
        }
    }
}
