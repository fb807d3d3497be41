package io.nfchain.functions.acl;

/**
 * One ACL rule as a user, the CLI or the gRPC API writes it, before validation. Immutable.
 *
 * <p>Nothing here is checked: {@link AclRuleSet#validate} checks a whole list and refuses it with
 * an {@link io.nfchain.functions.rules.InvalidRuleException} naming the rule and the field (the
 * names are this record's component names, e.g. {@code rules[3].dstPorts}).
 *
 * @param srcPrefix    source prefix, {@code "10.0.0.0/8"}, {@code "2001:db8::/32"}, or a bare address
 *                     for a host; null, empty or {@code "any"} for any source
 * @param dstPrefix    destination prefix, as {@code srcPrefix}
 * @param protocol     IP protocol number 0..255 (after IPv6 extension headers), or {@link #ANY}
 * @param srcPorts     source port range, or null for any; needs protocol TCP or UDP
 * @param dstPorts     destination port range, or null for any; needs protocol TCP or UDP
 * @param dscp         DSCP 0..63, or {@link #ANY}
 * @param tcpFlagsValue the TCP flag bits that must be set among {@code tcpFlagsMask}
 * @param tcpFlagsMask the TCP flag bits looked at (9 bits, FIN = 0x001 .. NS = 0x100); 0 for any;
 *                     a non-zero mask needs protocol TCP
 * @param action       what a match does; required
 * @param setDscp      the DSCP 0..63 written by {@link AclAction#SET_DSCP}, else {@link #NONE}
 */
public record AclRuleSpec(
        String srcPrefix,
        String dstPrefix,
        int protocol,
        PortRange srcPorts,
        PortRange dstPorts,
        int dscp,
        int tcpFlagsValue,
        int tcpFlagsMask,
        AclAction action,
        int setDscp) {

    /** Matches any protocol or any DSCP. */
    public static final int ANY = -1;
    /** No DSCP to set: every action but {@link AclAction#SET_DSCP}. */
    public static final int NONE = -1;

    /** An inclusive port range as given; {@code first == last} for one port. Not validated. */
    public record PortRange(int first, int last) {
        public static PortRange of(int port) {
            return new PortRange(port, port);
        }
    }

    /** A rule with {@code action} that matches everything; narrow it with the builder. */
    public static Builder builder(AclAction action) {
        return new Builder(action);
    }

    /** Builds a spec field by field; every field starts at "any". Not thread-safe. */
    public static final class Builder {
        private String srcPrefix;
        private String dstPrefix;
        private int protocol = ANY;
        private PortRange srcPorts;
        private PortRange dstPorts;
        private int dscp = ANY;
        private int tcpFlagsValue;
        private int tcpFlagsMask;
        private final AclAction action;
        private int setDscp = NONE;

        private Builder(AclAction action) {
            this.action = action;
        }

        public Builder src(String prefix) {
            srcPrefix = prefix;
            return this;
        }

        public Builder dst(String prefix) {
            dstPrefix = prefix;
            return this;
        }

        public Builder protocol(int protocol) {
            this.protocol = protocol;
            return this;
        }

        public Builder srcPorts(int first, int last) {
            srcPorts = new PortRange(first, last);
            return this;
        }

        public Builder dstPorts(int first, int last) {
            dstPorts = new PortRange(first, last);
            return this;
        }

        public Builder dscp(int dscp) {
            this.dscp = dscp;
            return this;
        }

        public Builder tcpFlags(int value, int mask) {
            tcpFlagsValue = value;
            tcpFlagsMask = mask;
            return this;
        }

        public Builder setDscp(int dscp) {
            setDscp = dscp;
            return this;
        }

        public AclRuleSpec build() {
            return new AclRuleSpec(srcPrefix, dstPrefix, protocol, srcPorts, dstPorts, dscp,
                    tcpFlagsValue, tcpFlagsMask, action, setDscp);
        }
    }
}
