package io.nfchain.functions.router;

import io.nfchain.functions.sdk.FunctionCounter;

/**
 * What the router counts. Immutable. A packet that provokes an ICMP error is counted once by
 * its cause (a drop: it is not forwarded) and then once by what became of the error
 * ({@link #ICMP_SENT}, {@link #ICMP_RATE_LIMITED}, ...), as VPP counts "ttl expired" on
 * ip4-input and "time exceeded sent" on icmp4.
 */
public enum RouterCounter implements FunctionCounter {
    FORWARDED("packets forwarded", false),
    NEIGHBOR_LEARNED("ARP/ND replies consumed, neighbour learned", false),
    NEIGHBOR_EXPIRED("learned neighbours removed: not confirmed within the reachable time", false),
    ARP_REQUEST_SENT("ARP requests sent to resolve a next hop (in the buffer of a packet that found it missing)", false),
    ARP_REQUEST_RATE_LIMITED("ARP requests not sent: one left for the address within the last second", false),
    ND_SOLICIT_SENT("neighbour solicitations sent to resolve a next hop", false),
    ND_SOLICIT_RATE_LIMITED("neighbour solicitations not sent: one left for the address within the last second", false),
    RESOLVE_NOT_SENT("neighbour requests not sent: the output interface has no address of the family", false),
    ARP_REPLY_SENT("ARP requests for a router address answered", false),
    ND_ADVERT_SENT("neighbour solicitations for a router address answered", false),
    ECHO_REPLY_SENT("echo requests to a router address answered", false),
    ICMP_SENT("ICMP errors sent", false),
    ICMP_RATE_LIMITED("ICMP errors not sent: rate limit", false),
    ICMP_NOT_SENT("ICMP errors not sent: about an ICMP error, a later fragment, or a non-unicast source", false),
    ICMP_NO_SOURCE("ICMP errors not sent: no interface address of the family", false),
    ICMP_NO_ROUTE_BACK("ICMP errors not sent: no route or neighbour towards the source", false),
    NEIGHBOR_TABLE_FULL("neighbour not learned: learned table full", false),
    NO_ROUTE("no route to destination", true),
    TTL_EXPIRED("TTL or hop limit expired", true),
    MTU_EXCEEDED("longer than the output MTU and may not be fragmented", true),
    FRAGMENTATION_UNSUPPORTED("longer than the output MTU; the router does not fragment", true),
    NEIGHBOR_MISSING("next hop's MAC unknown (no static or usable learned neighbour)", true),
    NOT_UNICAST("multicast, broadcast or link-local destination: not routed", true),
    FOR_US("addressed to the router itself and not an echo request: not answered", true),
    ARP_IGNORED("ARP packet neither a reply nor a request for the input interface's address", true),
    ND_IGNORED("neighbour discovery message other than an advertisement with a target MAC or a solicitation for "
            + "the input interface's address", true),
    NOT_IP("neither IPv4 nor IPv6", true),
    MALFORMED("malformed packet", true);

    private final String text;
    private final boolean drop;

    RouterCounter(String text, boolean drop) {
        this.text = text;
        this.drop = drop;
    }

    @Override
    public String text() {
        return text;
    }

    @Override
    public boolean isDrop() {
        return drop;
    }
}
