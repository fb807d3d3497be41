package io.nfchain.functions.session;

import io.nfchain.functions.acl.IpPrefix;
import java.util.List;

/**
 * Immutable, so safe to share. One session's rules after {@link SessionRules} checked them: ids
 * unique, every reference resolved (a PDR's FAR, QERs and URRs are indexes into this session's
 * lists), addresses parsed. What {@link CompiledSession} is compiled from and what a
 * {@link SessionListener} is told.
 *
 * @param seid    the session endpoint id, nonzero
 * @param ueIpv4  the session's UE IPv4 address, or null
 * @param ueIpv6  the session's UE IPv6 /64 prefix (upper 64 bits), meaningful when {@code hasUeIpv6}
 */
public record SessionModel(long seid, Integer ueIpv4, boolean hasUeIpv6, long ueIpv6, List<PdrRule> pdrs,
        List<FarRule> fars, List<QerRule> qers, List<UrrRule> urrs) {

    /** {@link io.nfchain.api.session.v1.Interface} numbers. */
    public static final int ACCESS = 1;
    public static final int CORE = 2;
    /** {@link io.nfchain.api.session.v1.ApplyAction} numbers. */
    public static final int FORWARD = 1;
    public static final int DROP = 2;
    public static final int BUFFER = 3;

    /**
     * A packet detection rule.
     *
     * @param sourceInterface {@link #ACCESS} or {@link #CORE}
     * @param localTeid       0 = not matched on TEID (unsigned 32 bits in an int)
     * @param qfi             0..63, or -1 = any
     * @param farIndex        index into {@link SessionModel#fars()}
     * @param qerIndexes      indexes into {@link SessionModel#qers()}
     * @param urrIndexes      indexes into {@link SessionModel#urrs()}
     */
    public record PdrRule(int id, long precedence, int sourceInterface, int localTeid, Integer ueIpv4,
            boolean hasUeIpv6, long ueIpv6, List<SdfRule> sdfFilters, int qfi, boolean removeOuterHeader,
            int farIndex, List<Integer> qerIndexes, List<Integer> urrIndexes) {}

    /**
     * A service data flow filter, seen from the UE: {@code remote} is the data network host.
     *
     * @param remote   null = any address
     * @param protocol 0..255, or -1 = any
     * @param remotePortFirst with {@code remotePortLast}, inclusive; 0..65535 when absent
     */
    public record SdfRule(IpPrefix remote, int protocol, int remotePortFirst, int remotePortLast, int uePortFirst,
            int uePortLast) {}

    /**
     * A forwarding action rule.
     *
     * @param action               {@link #FORWARD}, {@link #DROP} or {@link #BUFFER}
     * @param destinationInterface {@link #ACCESS}, {@link #CORE}, or 0 when unspecified
     * @param outerHeader          GTP-U encapsulation to add, or null
     * @param transportDscp        0..63, or -1 = leave as is
     */
    public record FarRule(long id, int action, int destinationInterface, OuterHeader outerHeader,
            int transportDscp) {}

    /**
     * GTP-U outer header creation.
     *
     * @param peer   the gNB's address, a /32 or /128 {@link IpPrefix}
     * @param port   UDP destination port, 2152 when the rule said 0
     * @param qfi    the QFI for the PDU session container, or -1 = no container
     */
    public record OuterHeader(int teid, IpPrefix peer, int port, int qfi) {}

    /**
     * A QoS enforcement rule; bit rates in bits per second, 0 = not enforced.
     *
     * @param qfi 0..63, or -1 = none
     */
    public record QerRule(long id, boolean uplinkOpen, boolean downlinkOpen, long mbrUplinkBps,
            long mbrDownlinkBps, long gbrUplinkBps, long gbrDownlinkBps, int qfi) {}

    /**
     * A usage reporting rule.
     *
     * @param triggers        {@link io.nfchain.api.session.v1.ReportingTrigger} numbers, no duplicates
     * @param redirect        with {@code redirectOnExhaustion}, the address to send traffic to; else null
     */
    public record UrrRule(long id, boolean measureVolume, boolean measureDuration, List<Integer> triggers,
            long volumeThresholdBytes, long volumeQuotaBytes, long timeThresholdS, long timeQuotaS,
            long measurementPeriodS, boolean redirectOnExhaustion, IpPrefix redirect) {}
}
