package io.nfchain.functions.acl;

import io.nfchain.core.packet.IpLayers;
import io.nfchain.core.packet.IpProtocols;
import io.nfchain.core.packet.Ipv4Header;
import io.nfchain.core.packet.Ipv6Header;
import io.nfchain.core.packet.ParsedPacket;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ACL's per-packet decision, as the ACL function's {@code process} method calls it: flow
 * table first (stateful mode), then the classifier, then counters. Not thread-safe, except
 * {@link #publish}, {@link #published} and {@link #adopted}, which any thread may call (and
 * {@link FlowTable#list} on {@link #flows}): one engine per worker.
 *
 * <p>Per burst the worker calls {@link #beginBurst} once (it takes the newest published
 * classifier, the burst's time and reclaims some expired flows), then {@code decide} per packet
 * or once for the burst, and for a verdict 0..63 {@link #rewriteDscp}.
 *
 * <p>Stateful mode: a packet that finds its flow is let through without consulting the rules,
 * whichever direction it goes, and a forward packet gets the DSCP its flow's rule set; a
 * packet that finds none is classified and, when permitted (by a rule or the default), opens a
 * flow so its replies are let through. Flows outlive a rule change unless {@link #publish} is
 * asked to flush them. Non-first fragments carry no ports, so they are classified by the rules
 * only (counted as {@link AclCounter#ACL_FRAGMENT_UNTRACKED}).
 */
public final class AclEngine {
    /** Drop the packet. */
    public static final int DROP = -1;
    /** Let the packet through unchanged. */
    public static final int PASS = -2;
    // Flow verdicts: 0 passes unchanged, 1..64 pass with DSCP (verdict - 1).
    private static final int FLOW_PASS = 0;

    private static final int TRACKED_SWEEP_SLOTS = 64;

    private final AclKey key = new AclKey();
    private final long[] counters = AclCounter.newCounts();
    private final FlowTable flows;
    private final boolean dropWhenFull;
    private final Ipv4Header ipv4 = new Ipv4Header();
    private final Ipv6Header ipv6 = new Ipv6Header();
    private AclBurst unclassified = new AclBurst(256);
    private int[] unclassifiedAt = new int[256];
    private AclCounter[] dropReasons = new AclCounter[256];
    private AclCounter lastDrop = AclCounter.ACL_DENY;
    private volatile AclClassifier published;
    /** The classifier the worker uses and its hit counts, for readers on other threads. */
    private volatile Adopted adopted;
    /** Flushes asked for, ever; the worker compares it with the flushes it did. */
    private final AtomicLong flushesRequested = new AtomicLong();
    private long flushesDone;
    private AclClassifier classifier;
    private long[] ruleHits;
    private long nowNs;

    private AclEngine(AclClassifier initial, int maxFlows, FlowTimeouts timeouts, boolean dropWhenFull) {
        this.flows = timeouts == null ? null : new FlowTable(maxFlows, timeouts, counters);
        this.dropWhenFull = dropWhenFull;
        this.published = initial;
        adopt(initial);
    }

    /** Rules only: every packet is classified. */
    public static AclEngine stateless(AclClassifier initial) {
        return new AclEngine(initial, 0, null, false);
    }

    /** With a flow table of at most {@code maxFlows} flows, so return traffic of permitted flows passes. */
    public static AclEngine stateful(AclClassifier initial, int maxFlows, FlowTimeouts timeouts) {
        return new AclEngine(initial, maxFlows, timeouts, false);
    }

    /**
     * As {@link #stateful(AclClassifier, int, FlowTimeouts)}; with {@code dropWhenFull} a permitted
     * packet whose new flow finds the table full of established flows is dropped
     * ({@link AclCounter#ACL_FLOW_TABLE_FULL}) instead of passing untracked.
     */
    public static AclEngine stateful(AclClassifier initial, int maxFlows, FlowTimeouts timeouts, boolean dropWhenFull) {
        return new AclEngine(initial, maxFlows, timeouts, dropWhenFull);
    }

    /**
     * Makes {@code next} the classifier from the worker's next burst on, without stopping it:
     * one volatile store. With {@code flushFlows} the flow table is emptied then too, so flows
     * opened under the old rules must pass the new ones again. Safe from any thread.
     */
    public void publish(AclClassifier next, boolean flushFlows) {
        published = next;
        if (flushFlows) {
            flushesRequested.incrementAndGet(); // after the classifier: a worker that sees the request sees it
        }
    }

    /** Starts a burst at {@code nowNs} (the worker's clock, read once per burst). */
    public void beginBurst(long nowNs) {
        this.nowNs = nowNs;
        long flushes = flushesRequested.get(); // read before the classifier: see publish
        AclClassifier latest = published;
        if (latest != classifier) {
            adopt(latest);
        }
        if (flows != null) {
            if (flushes != flushesDone) {
                flushesDone = flushes;
                flows.clear();
            }
            flows.expire(nowNs, TRACKED_SWEEP_SLOTS);
        }
    }

    private void adopt(AclClassifier next) {
        classifier = next;
        ruleHits = new long[next.ruleCount() + 1]; // rare: once per rule change, on the worker
        adopted = new Adopted(next, ruleHits);
    }

    /**
     * A classifier the worker took up and the hit counts it keeps for it (the default action's
     * last). Immutable pair; the counts are written by the worker with plain stores, so a
     * reader on another thread sees them a little late but never a count of another rule set.
     */
    public record Adopted(AclClassifier classifier, long[] ruleHits) {}

    /** Any thread: the classifier in use since the worker's last {@link #beginBurst} and its hits. */
    public Adopted adopted() {
        return adopted;
    }

    /** The classifier most recently published (the worker may not have taken it up yet). Any thread. */
    public AclClassifier published() {
        return published;
    }

    /**
     * The verdict for a parsed packet, from its outer IP header: {@link #DROP}, {@link #PASS}, or
     * 0..63 to pass with that DSCP written ({@link #rewriteDscp}). Counts it. Allocates nothing.
     */
    public int decide(ParsedPacket packet) {
        if (!packet.isWellFormed()) {
            counters[AclCounter.ACL_MALFORMED.ordinal()]++;
            lastDrop = AclCounter.ACL_MALFORMED;
            return DROP;
        }
        return decide(packet.outer());
    }

    /** As {@link #decide(ParsedPacket)} for one IP layer of a well-formed packet (a tunnel's inner one, say). */
    public int decide(IpLayers ip) {
        return decide(key.set(ip));
    }

    /** As {@link #decide(IpLayers)} for a key the caller filled. */
    public int decide(AclKey k) {
        if (k.version == 0) {
            return nonIp();
        }
        boolean trackable = false;
        if (flows != null) {
            trackable = trackable(k);
            if (trackable) {
                int found = flows.lookup(k, nowNs);
                if (found != FlowTable.MISS) {
                    return fromFlow(found);
                }
            } else {
                counters[AclCounter.ACL_FRAGMENT_UNTRACKED.ordinal()]++;
            }
        }
        return classify(k, trackable);
    }

    /**
     * The verdicts of a whole burst, each what {@link #decide(IpLayers)} would say for the
     * packets one by one in order, counted the same way: a packet's reply later in the same burst
     * finds the flow the packet opened. Faster per packet than one by one: the flow table's
     * home slots are read for the whole burst first and the packets no flow decides are
     * classified together ({@link AclClassifier#classify(AclBurst)}).
     *
     * @param burst    keys filled from well-formed packets ({@code burst.add().set(parsed.outer())})
     * @param verdicts where verdict i goes: {@link #DROP}, {@link #PASS} or a DSCP to write
     */
    public void decide(AclBurst burst, int[] verdicts) {
        int n = burst.size();
        if (unclassified.capacity() < n) {
            unclassified = new AclBurst(burst.capacity()); // once, for a burst bigger than any before
            unclassifiedAt = new int[burst.capacity()];
        }
        if (dropReasons.length < n) {
            dropReasons = new AclCounter[burst.capacity()];
        }
        if (flows != null) {
            flows.prefetch(burst);
        }
        AclBurst rest = unclassified;
        rest.clear();
        for (int i = 0; i < n; i++) {
            AclKey k = burst.key(i);
            if (k.version == 0) {
                verdicts[i] = nonIp();
                dropReasons[i] = lastDrop;
            } else if (flows != null && trackable(k) && (verdicts[i] = flows.lookup(k, nowNs)) != FlowTable.MISS) {
                verdicts[i] = fromFlow(verdicts[i]);
            } else {
                unclassifiedAt[rest.size()] = i;
                rest.add().copyFrom(k);
            }
        }
        classifier.classify(rest);
        for (int m = 0; m < rest.size(); m++) {
            AclKey k = rest.key(m);
            int i = unclassifiedAt[m];
            boolean track = flows != null && trackable(k);
            int found = track ? flows.lookup(k, nowNs) : FlowTable.MISS; // opened by an earlier packet of this burst?
            if (found != FlowTable.MISS) {
                verdicts[i] = fromFlow(found);
            } else {
                if (flows != null && !track) {
                    counters[AclCounter.ACL_FRAGMENT_UNTRACKED.ordinal()]++;
                }
                verdicts[i] = verdict(k, rest.result(m), track);
                dropReasons[i] = lastDrop;
            }
        }
    }

    /**
     * Why packet {@code i} of the last {@link #decide(AclBurst, int[])} was dropped, when its
     * verdict was {@link #DROP}: {@link AclCounter#ACL_DENY}, {@link AclCounter#ACL_DEFAULT_DENY},
     * {@link AclCounter#ACL_NON_IP_DENY} or {@link AclCounter#ACL_FLOW_TABLE_FULL}, the counter
     * that counted it. Meaningless otherwise.
     */
    public AclCounter dropReason(int i) {
        return dropReasons[i];
    }

    /** Why the last packet decided one at a time was dropped, as {@link #dropReason(int)}. */
    public AclCounter lastDropReason() {
        return lastDrop;
    }

    private int nonIp() {
        counters[AclCounter.ACL_NON_IP.ordinal()]++;
        ruleHits[ruleHits.length - 1]++;
        if (classifier.defaultAction() == AclAction.PERMIT) {
            return PASS;
        }
        counters[AclCounter.ACL_NON_IP_DENY.ordinal()]++;
        lastDrop = AclCounter.ACL_NON_IP_DENY;
        return DROP;
    }

    /** Packets without the ports their protocol carries (later fragments) are not tracked. */
    private static boolean trackable(AclKey k) {
        return k.srcPort() != AclKey.NO_PORT || !hasPorts(k.protocol());
    }

    private int fromFlow(int found) {
        if ((found & 0x100) != 0) {
            counters[AclCounter.ACL_RETURN_PERMIT.ordinal()]++;
            return PASS;
        }
        counters[AclCounter.ACL_FLOW_PERMIT.ordinal()]++;
        int verdict = found & 0xFF;
        return verdict == FLOW_PASS ? PASS : verdict - 1;
    }

    private int classify(AclKey k, boolean track) {
        return verdict(k, classifier.classify(k), track);
    }

    /** Counts and turns into a verdict what the classifier found for {@code k}; opens its flow when tracked. */
    private int verdict(AclKey k, int rule, boolean track) {
        AclClassifier c = classifier;
        if (c.hasCountRules()) {
            c.countMatches(k, rule, ruleHits);
        }
        if (rule == AclClassifier.NO_MATCH) {
            ruleHits[ruleHits.length - 1]++;
            if (c.defaultAction() == AclAction.DENY) {
                counters[AclCounter.ACL_DEFAULT_DENY.ordinal()]++;
                lastDrop = AclCounter.ACL_DEFAULT_DENY;
                return DROP;
            }
            return permit(k, track, FLOW_PASS, PASS, AclCounter.ACL_DEFAULT_PERMIT);
        }
        ruleHits[rule]++;
        return switch (c.action(rule)) {
            case DENY -> {
                counters[AclCounter.ACL_DENY.ordinal()]++;
                lastDrop = AclCounter.ACL_DENY;
                yield DROP;
            }
            case SET_DSCP -> {
                int dscp = c.setDscp(rule);
                yield permit(k, track, dscp + 1, dscp, AclCounter.ACL_SET_DSCP);
            }
            default -> permit(k, track, FLOW_PASS, PASS, AclCounter.ACL_PERMIT);
        };
    }

    /**
     * A permitted packet opens its flow when tracked; if the table has no room for it, the
     * packet passes untracked or, with {@code dropWhenFull}, is dropped as conntrack drops
     * new connections on a full table. Counts the permit only for a packet that passes.
     */
    private int permit(AclKey k, boolean track, int flowVerdict, int verdict, AclCounter permitted) {
        if (track && !flows.insert(k, nowNs, flowVerdict) && dropWhenFull) {
            counters[AclCounter.ACL_FLOW_TABLE_FULL.ordinal()]++;
            lastDrop = AclCounter.ACL_FLOW_TABLE_FULL;
            return DROP;
        }
        counters[permitted.ordinal()]++;
        return verdict;
    }

    private static boolean hasPorts(int protocol) {
        return protocol == IpProtocols.TCP || protocol == IpProtocols.UDP;
    }

    /**
     * Writes {@code dscp} into the IP header of {@code ip} (the layer just decided), keeping the
     * ECN bits and patching the IPv4 header checksum incrementally (RFC 1624).
     *
     * @param frame       the memory holding the frame
     * @param frameOffset where the frame starts in it (the parser's offsets are from there)
     */
    public void rewriteDscp(MemorySegment frame, long frameOffset, IpLayers ip, int dscp) {
        long l3 = frameOffset + ip.l3Offset();
        if (ip.key().ipVersion() == 4) {
            ipv4.wrap(frame, l3).markDscp(dscp);
        } else {
            ipv6.wrap(frame, l3).markDscp(dscp);
        }
    }

    /** Counts by {@link AclCounter#ordinal()}. Read on the worker, or after the runner publishes them. */
    public long[] counters() {
        return counters;
    }

    /** Hits per rule of the current classifier, the default action's at the end. Reset by a new classifier. */
    public long[] ruleHits() {
        return ruleHits;
    }

    /** The classifier the current burst uses. */
    public AclClassifier classifier() {
        return classifier;
    }

    /** The flow table, or null in stateless mode. */
    public FlowTable flows() {
        return flows;
    }
}
