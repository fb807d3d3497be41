package io.nfchain.functions.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.api.acl.v1.Action;
import io.nfchain.api.acl.v1.PortRange;
import io.nfchain.api.acl.v1.ReplaceRulesRequest;
import io.nfchain.api.acl.v1.Rule;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.functions.sdk.CounterSet;
import io.nfchain.functions.sdk.PacketVector;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * Not thread-safe. An acl and a burst to run it on, as the NF author guide tests a function:
 * frames in, one {@code process}, bytes, outputs and counters out. Time is a field the test sets.
 * After every run it checks that the counts balance: each packet received either left by output
 * 0 and was counted by one permit counter, or was dropped and counted by one drop reason.
 */
final class AclHarness implements AutoCloseable {
    final AclFunction acl;
    final PacketBurst burst = new PacketBurst(256, 2048, 128);
    final CounterSet<AclCounter> counters = new CounterSet<>(AclCounter.class);
    final PacketVector<AclCounter> vector = new PacketVector<>(burst, counters, 1);
    long nowNs;
    long received;
    long forwarded;

    AclHarness(AclEngine engine) {
        acl = new AclFunction(engine, () -> nowNs);
    }

    static AclHarness stateless() {
        return new AclHarness(AclEngine.stateless(empty()));
    }

    static AclHarness stateful(int maxFlows, FlowTimeouts timeouts) {
        return new AclHarness(AclEngine.stateful(empty(), maxFlows, timeouts));
    }

    static AclHarness stateful(int maxFlows, FlowTimeouts timeouts, boolean dropWhenFull) {
        return new AclHarness(AclEngine.stateful(empty(), maxFlows, timeouts, dropWhenFull));
    }

    private static AclClassifier empty() {
        return AclClassifier.compile(AclRuleSet.validate(List.of(), AclAction.DENY));
    }

    /** Replaces the rules through the control plane, as the gRPC service does. */
    AclHarness rules(Action defaultAction, Rule... rules) {
        acl.control().replaceRules(ReplaceRulesRequest.newBuilder().addAllRules(List.of(rules))
                .setDefaultAction(defaultAction).build());
        return this;
    }

    static Rule.Builder rule(Action action) {
        return Rule.newBuilder().setAction(action);
    }

    static PortRange ports(int first, int last) {
        return PortRange.newBuilder().setFirst(first).setLast(last).build();
    }

    /** Runs the acl once on {@code frames} at {@link #nowNs}; returns each packet's output (0 or DROP). */
    int[] run(MemorySegment... frames) {
        burst.setCount(frames.length);
        for (int i = 0; i < frames.length; i++) {
            MemorySegment.copy(frames[i], 0, burst.data(), burst.offset(i), frames[i].byteSize());
            burst.setLength(i, (int) frames[i].byteSize());
        }
        vector.begin(nowNs);
        acl.process(vector);
        int[] outputs = new int[frames.length];
        for (int i = 0; i < frames.length; i++) {
            outputs[i] = vector.output(i);
            assertTrue(outputs[i] == 0 || outputs[i] == PacketVector.DROP, "output " + outputs[i]);
            if (outputs[i] == 0) {
                forwarded++;
            }
        }
        received += frames.length;
        assertBalanced();
        return outputs;
    }

    /** Each packet counted once: by a permit if it left, by a drop reason if not. */
    void assertBalanced() {
        long permits = get(AclCounter.ACL_PERMIT) + get(AclCounter.ACL_DEFAULT_PERMIT) + get(AclCounter.ACL_SET_DSCP)
                + get(AclCounter.ACL_FLOW_PERMIT) + get(AclCounter.ACL_RETURN_PERMIT)
                + get(AclCounter.ACL_NON_IP) - get(AclCounter.ACL_NON_IP_DENY);
        assertEquals(forwarded, permits, "packets forwarded = packets counted by a permit");
        assertEquals(received - forwarded, counters.drops(), "packets dropped = packets counted by a drop reason");
        long[] engine = acl.engine().counters();
        for (AclCounter c : AclCounter.values()) {
            if (c != AclCounter.ACL_MALFORMED) { // the function counts those before the engine
                assertEquals(engine[c.ordinal()], get(c), c + ": the runner's counter equals the engine's");
            }
        }
    }

    long get(AclCounter counter) {
        return counters.get(counter);
    }

    String trace(int i) {
        StringBuilder out = new StringBuilder();
        acl.trace(vector, i, out);
        return out.toString();
    }

    byte[] bytes(int i) {
        return burst.data().asSlice(burst.offset(i), burst.length(i)).toArray(ValueLayout.JAVA_BYTE);
    }

    @Override
    public void close() {
        burst.close();
    }
}
