package io.nfchain.functions.acl;

/**
 * What a matching rule does to a packet. Immutable.
 *
 * <p>{@link #PERMIT}, {@link #DENY} and {@link #SET_DSCP} are terminal: the first terminal rule
 * that matches decides, and no later rule is looked at. {@link #COUNT} is not: as an iptables rule
 * without a target or an nftables {@code counter} statement, it counts the packet in its own
 * per-rule counter and the search goes on to the next rule. A packet that matches no terminal
 * rule gets the rule set's default action (after any count rules it matched were counted).
 */
public enum AclAction {
    /** Let the packet through unchanged. */
    PERMIT("permit", true),
    /** Drop the packet (counted as ACL deny). */
    DENY("deny", true),
    /** Count the packet in this rule's counter and go on to the next rule. */
    COUNT("count", false),
    /**
     * Let the packet through with its DSCP rewritten (the ECN bits kept, the IPv4 checksum
     * updated). Terminal, so one packet gets at most one mark and deny rules placed before the
     * mark rule still apply.
     */
    SET_DSCP("set-dscp", true);

    private final String text;
    private final boolean terminal;

    AclAction(String text, boolean terminal) {
        this.text = text;
        this.terminal = terminal;
    }

    /** The name used in rule text, the CLI and the API. */
    public String text() {
        return text;
    }

    /** True when a match ends the search. */
    public boolean terminal() {
        return terminal;
    }

    /** True when a packet that ends here goes on down the chain. */
    public boolean passes() {
        return this == PERMIT || this == SET_DSCP;
    }
}
