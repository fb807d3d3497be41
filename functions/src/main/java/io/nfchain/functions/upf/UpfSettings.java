package io.nfchain.functions.upf;

import io.nfchain.functions.acl.IpPrefix;
import java.util.Optional;

/**
 * Immutable. The upf's configuration checked and parsed ({@link #from(UpfConfig)}), or built
 * directly by tests: N3 addresses, session capacity, buffer bounds, restart counter.
 */
public record UpfSettings(boolean hasIpv4, int ipv4, boolean hasIpv6, long ipv6Hi, long ipv6Lo, int maxSessions,
        int bufferPackets, int bufferPacketsPerSession, int restartCounter) {

    /** Settings with an IPv4 and/or IPv6 N3 address (null for none) and the defaults of {@link UpfConfig}. */
    public static UpfSettings of(String n3Ipv4, String n3Ipv6, int maxSessions) {
        return parse(Optional.ofNullable(n3Ipv4), Optional.ofNullable(n3Ipv6), maxSessions, 4096, 64, 0);
    }

    /** From the runner's configuration; a bad value fails with a message naming its property. */
    public static UpfSettings from(UpfConfig c) {
        return parse(c.n3Ipv4(), c.n3Ipv6(), c.maxSessions(), c.bufferPackets(), c.bufferPacketsPerSession(),
                c.restartCounter());
    }

    public UpfSettings withBuffers(int packets, int perSession) {
        return new UpfSettings(hasIpv4, ipv4, hasIpv6, ipv6Hi, ipv6Lo, maxSessions, packets, perSession, restartCounter);
    }

    private static UpfSettings parse(Optional<String> v4, Optional<String> v6, int maxSessions, int bufferPackets,
            int perSession, int restartCounter) {
        IpPrefix a4 = v4.map(t -> address(t, 4, "nfchain.upf.n3-ipv4")).orElse(null);
        IpPrefix a6 = v6.map(t -> address(t, 6, "nfchain.upf.n3-ipv6")).orElse(null);
        if (maxSessions < 1 || maxSessions > 1 << 24) {
            throw new IllegalArgumentException("nfchain.upf.max-sessions: must be 1..16777216, not " + maxSessions);
        }
        if (bufferPackets < 0 || bufferPackets > 1 << 20) {
            throw new IllegalArgumentException("nfchain.upf.buffer-packets: must be 0..1048576, not " + bufferPackets);
        }
        if (perSession < 0) {
            throw new IllegalArgumentException("nfchain.upf.buffer-packets-per-session: must be >= 0, not " + perSession);
        }
        if (restartCounter < 0 || restartCounter > 255) {
            throw new IllegalArgumentException("nfchain.upf.restart-counter: must be 0..255, not " + restartCounter);
        }
        return new UpfSettings(a4 != null, a4 == null ? 0 : a4.ipv4(), a6 != null, a6 == null ? 0 : a6.hi(),
                a6 == null ? 0 : a6.lo(), maxSessions, bufferPackets, perSession, restartCounter);
    }

    private static IpPrefix address(String text, int version, String property) {
        IpPrefix p;
        try {
            p = IpPrefix.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + ": " + e.getMessage(), e);
        }
        if (p.version() != version || p.length() != (version == 4 ? 32 : 128)) {
            throw new IllegalArgumentException(property + ": '" + text + "' is not an IPv" + version + " address");
        }
        return p;
    }
}
