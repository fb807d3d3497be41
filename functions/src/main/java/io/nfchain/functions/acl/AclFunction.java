package io.nfchain.functions.acl;

import io.nfchain.core.packet.ParsedPacket;
import io.nfchain.functions.sdk.CounterSet;
import io.nfchain.functions.sdk.NetworkFunction;
import io.nfchain.functions.sdk.PacketVector;
import java.lang.foreign.MemorySegment;
import java.util.function.LongSupplier;

/**
 * Not thread-safe: one poll thread runs {@link #process}; the control thread replaces rules and
 * reads flows through {@link #control()} while it runs. {@code acl}: ordered 5-tuple rules, first
 * terminal match wins (permit, deny, set-DSCP; count rules count and go on), a default action,
 * and an optional stateful mode in which a permitted flow admits its return traffic.
 *
 * <p>Per burst: the engine takes the newest published classifier and sweeps a few expired
 * flows ({@link AclEngine#beginBurst}); every well-formed packet's outer IP header goes into one
 * {@link AclBurst} and the whole burst is decided at once ({@link AclEngine#decide(AclBurst, int[])}:
 * flow table first, then the classifier for the rest). Uses the parse ({@code packet(i).outer()});
 * sets the DSCP (IPv4 checksum patched, RFC 1624; IPv6 flow label kept) when a set-DSCP rule or its
 * flow says so. Packets leave by output 0 ({@code "out"}) or are dropped with
 * {@link AclCounter#ACL_DENY}, {@link AclCounter#ACL_DEFAULT_DENY}, {@link AclCounter#ACL_NON_IP_DENY},
 * {@link AclCounter#ACL_MALFORMED} or, when the engine drops what a full flow table cannot track,
 * {@link AclCounter#ACL_FLOW_TABLE_FULL} (else such a packet passes and its replies face the rules).
 *
 * <p>Nothing here allocates or locks: the engine's counts are copied into the runner's
 * {@link CounterSet} once per burst. Cost: see docs/acl.md (41-155 ns per packet for the decision
 * at 10 to 10,000 rules in the JMH run recorded there).
 */
public final class AclFunction implements NetworkFunction<AclCounter> {
    public static final String TYPE = "acl";
    private static final AclCounter[] COUNTERS = AclCounter.values();
    // Trace codes per packet, beside the verdict.
    private static final int MALFORMED = -3;

    private final AclEngine engine;
    private final AclControl control;
    private final AclBurst keys = new AclBurst(256);
    private final int[] verdicts = new int[256];
    private final int[] packetOf = new int[256];
    /** Per packet of the last burst: the engine's verdict, or {@link #MALFORMED}. For traces. */
    private final int[] outcome = new int[256];
    private final AclCounter[] reason = new AclCounter[256];
    private final long[] copied = new long[COUNTERS.length];

    /**
     * @param engine a fresh engine, stateless or stateful, holding the initial rules
     * @param clock  the worker's clock (the one {@code vector.nowNs()} comes from): flow
     *               listings say how long each flow has left by it
     */
    public AclFunction(AclEngine engine, LongSupplier clock) {
        this.engine = engine;
        this.control = new AclControl(engine, clock);
    }

    @Override
    public String name() {
        return TYPE;
    }

    @Override
    public Class<AclCounter> counterType() {
        return AclCounter.class;
    }

    /** The control plane: rules, flows (any thread; changes are serialized). */
    public AclControl control() {
        return control;
    }

    AclEngine engine() {
        return engine;
    }

    @Override
    public void process(PacketVector<AclCounter> vector) {
        AclEngine e = engine;
        e.beginBurst(vector.nowNs());
        AclBurst k = keys;
        k.clear();
        int n = vector.count();
        for (int i = 0; i < n; i++) {
            ParsedPacket p = vector.packet(i);
            if (p.isWellFormed()) {
                packetOf[k.size()] = i;
                k.add().set(p.outer());
            } else {
                outcome[i] = MALFORMED;
                vector.drop(i, AclCounter.ACL_MALFORMED);
            }
        }
        e.decide(k, verdicts);
        apply(vector, e, k.size());
        publishCounts(vector.counters(), e.counters());
    }

    private void apply(PacketVector<AclCounter> vector, AclEngine e, int decided) {
        MemorySegment data = vector.data();
        for (int m = 0; m < decided; m++) {
            int i = packetOf[m];
            int verdict = verdicts[m];
            outcome[i] = verdict;
            if (verdict == AclEngine.DROP) {
                AclCounter why = e.dropReason(m);
                reason[i] = why;
                vector.drop(i, why);
            } else if (verdict >= 0) {
                e.rewriteDscp(data, vector.offset(i), vector.packet(i).outer(), verdict);
            }
        }
    }

    /**
     * Copies what the engine counted since the last burst into the runner's counters. Drops are
     * left out: {@link PacketVector#drop} counted each one already, by the same reason.
     */
    private void publishCounts(CounterSet<AclCounter> counters, long[] counts) {
        long[] seen = copied;
        AclCounter[] all = COUNTERS;
        for (int c = 0; c < all.length; c++) {
            long delta = counts[c] - seen[c];
            if (delta != 0) {
                seen[c] = counts[c];
                if (!all[c].isDrop()) {
                    counters.add(all[c], delta);
                }
            }
        }
    }

    @Override
    public void trace(PacketVector<AclCounter> vector, int index, StringBuilder out) {
        int verdict = outcome[index];
        out.append("acl: ");
        if (verdict == MALFORMED) {
            out.append("drop, ").append(AclCounter.ACL_MALFORMED.text());
        } else if (verdict == AclEngine.DROP) {
            out.append("drop, ").append(reason[index].text());
        } else if (verdict == AclEngine.PASS) {
            out.append("permit");
        } else {
            out.append("permit, dscp set to ").append(verdict);
        }
    }
}
