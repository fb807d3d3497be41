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
    NEIGHBOR_MISSING("next hop's MAC unknown (no static or learned neighbour)", true),
    NOT_UNICAST("multicast, broadcast or link-local destination: not routed", true),
    FOR_US("addressed to the router itself: not answered", true),
    ARP_IGNORED("ARP request or other ARP packet: not handled", true),
    ND_IGNORED("neighbour discovery message other than an advertisement with a target MAC", true),
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
