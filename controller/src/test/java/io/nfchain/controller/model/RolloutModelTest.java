package io.nfchain.controller.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.api.v1alpha1.DatapathNodeSpec;
import io.nfchain.api.v1alpha1.DatapathNodeSpec.NodeChain;
import io.nfchain.api.v1alpha1.FunctionType;
import io.nfchain.api.v1alpha1.NetworkFunction;
import io.nfchain.api.v1alpha1.NetworkFunctionSpec;
import io.nfchain.api.v1alpha1.ServiceChain;
import io.nfchain.controller.model.RolloutModel.ExistingPod;
import io.nfchain.controller.model.RolloutModel.Plan;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The make-before-break plan step by step, time given by the test: the reconciler's clock. */
class RolloutModelTest {
    private static final ControllerSettings SETTINGS = ControllerSettings.defaults();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final ServiceChain chain = Fixtures.chain("web", "acl");
    private final Map<String, NodeChain> entries = new HashMap<>();
    private final List<ExistingPod> pods = new ArrayList<>();
    private DatapathNodeSpec spec = new DatapathNodeSpec();

    /** One reconcile: plan, then do to the "cluster" what the reconciler would. */
    private Plan step(NetworkFunction nf, Instant now) {
        Plan plan = RolloutModel.plan(chain, List.of(nf), List.of("n1"), entries, List.copyOf(pods), now, SETTINGS);
        for (var i : plan.create()) {
            pods.add(new ExistingPod(i.name(), i.node(), i.hopIndex(), false, null, null));
        }
        plan.stampSwitchedAt().forEach((name, at) -> replace(name, p -> new ExistingPod(p.name(), p.node(), p.hopIndex(),
                p.ready(), p.podIp(), at)));
        for (var e : plan.edits()) {
            spec = NodeSpecModel.withChain(spec, Names.chainEntry("ns", "web"), e.entry(), e.functions(), e.owned());
            entries.put(e.node(), NodeSpecModel.findChain(spec, Names.chainEntry("ns", "web")));
        }
        pods.removeIf(p -> plan.delete().contains(p.name()));
        return plan;
    }

    private void replace(String name, java.util.function.UnaryOperator<ExistingPod> f) {
        pods.replaceAll(p -> p.name().equals(name) ? f.apply(p) : p);
    }

    private void kubeletReady(String name) {
        replace(name, p -> new ExistingPod(p.name(), p.node(), p.hopIndex(), true, "10.0.0.9", p.switchedAt()));
    }

    private String hop0() {
        return entries.get("n1").hops.getFirst().function;
    }

    @Test
    void theOldInstanceServesUntilTheNewIsReadyThenDrainsForItsTime() {
        NetworkFunction v1 = Fixtures.nf("acl", FunctionType.ACL, 1);
        v1.getSpec().updateStrategy = new NetworkFunctionSpec.UpdateStrategy();
        v1.getSpec().updateStrategy.drainSeconds = 30;
        Plan first = step(v1, T0);
        String old = first.create().getFirst().name();
        assertEquals(old, hop0(), "a new chain points at its instances at once");
        kubeletReady(old);
        assertTrue(step(v1, T0).ready());

        NetworkFunction v2 = Fixtures.nf("acl", FunctionType.ACL, 1);
        v2.getSpec().image = "example.com/acl:2";
        v2.getSpec().updateStrategy = v1.getSpec().updateStrategy;
        Plan p1 = step(v2, T0.plusSeconds(1));
        String fresh = p1.create().getFirst().name();
        assertEquals(old, hop0(), "the hop stays while the replacement is not Ready");
        assertTrue(NodeSpecModel.findFunction(spec, fresh) != null, "the replacement's link is opened");
        assertTrue(p1.delete().isEmpty());
        assertFalse(p1.ready());

        kubeletReady(fresh);
        Plan p2 = step(v2, T0.plusSeconds(2));
        assertEquals(fresh, hop0());
        assertEquals(List.of(new RolloutModel.Switch("n1", 0, old, fresh)), p2.switches());
        assertEquals(Map.of(old, T0.plusSeconds(2)), p2.stampSwitchedAt());
        assertTrue(NodeSpecModel.findFunction(spec, old) != null, "the old link drains");
        assertEquals(Duration.ofSeconds(30), p2.requeueAfter());
        assertTrue(p2.delete().isEmpty());

        Plan p3 = step(v2, T0.plusSeconds(12));
        assertEquals(Duration.ofSeconds(20), p3.requeueAfter(), "drain counted from the stamp, not from now");
        assertTrue(p3.delete().isEmpty());

        Plan p4 = step(v2, T0.plusSeconds(32));
        assertEquals(List.of(old), p4.delete());
        assertNull(NodeSpecModel.findFunction(spec, old), "the entry goes in the same step, before the pod");
        assertNull(p4.requeueAfter());
        assertTrue(p4.ready());
        assertEquals(Set.of(fresh), Set.copyOf(pods.stream().map(ExistingPod::name).toList()));
    }

    @Test
    void aBrokenOldInstanceIsReplacedAtOnce() {
        NetworkFunction v1 = Fixtures.nf("acl", FunctionType.ACL, 1);
        String old = step(v1, T0).create().getFirst().name(); // never Ready
        NetworkFunction v2 = Fixtures.nf("acl", FunctionType.ACL, 2);
        Plan p = step(v2, T0.plusSeconds(1));
        String fresh = p.create().getFirst().name();
        assertEquals(fresh, hop0(), "nothing serves the hop: nothing to keep");
        assertEquals(List.of(old), p.delete());
    }

    @Test
    void anUnplacedChainKeepsWhatRuns() {
        NetworkFunction v1 = Fixtures.nf("acl", FunctionType.ACL, 1);
        step(v1, T0);
        Plan p = RolloutModel.plan(chain, List.of(v1), null, entries, List.copyOf(pods), T0, SETTINGS);
        assertTrue(p.create().isEmpty() && p.edits().isEmpty() && p.delete().isEmpty());
        assertFalse(p.ready());
    }
}
