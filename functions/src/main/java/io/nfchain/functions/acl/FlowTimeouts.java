package io.nfchain.functions.acl;

import java.util.concurrent.TimeUnit;

/**
 * How long an idle tracked flow lives, by protocol and state. Immutable.
 *
 * @param tcpEstablishedNs a TCP flow that has seen traffic both ways and no FIN or RST
 * @param tcpTransientNs   a TCP flow still opening (no reply yet) or closing (FIN or RST seen)
 * @param udpNs            a UDP flow
 * @param otherNs          any other protocol (ICMP, GRE, ...)
 */
public record FlowTimeouts(long tcpEstablishedNs, long tcpTransientNs, long udpNs, long otherNs) {
    /**
     * RFC 5382's floors for NATs (established TCP at least 2 h 4 min, transitory 4 min), RFC
     * 4787's recommended 5 min for UDP, and RFC 5508's 60 s for ICMP queries as "other".
     */
    public static final FlowTimeouts DEFAULT = new FlowTimeouts(TimeUnit.SECONDS.toNanos(7440),
            TimeUnit.SECONDS.toNanos(240), TimeUnit.SECONDS.toNanos(300), TimeUnit.SECONDS.toNanos(60));

    public FlowTimeouts {
        if (tcpEstablishedNs <= 0 || tcpTransientNs <= 0 || udpNs <= 0 || otherNs <= 0) {
            throw new IllegalArgumentException("flow timeouts must be positive: " + tcpEstablishedNs + ", "
                    + tcpTransientNs + ", " + udpNs + ", " + otherNs);
        }
    }
}
