package io.nfchain.controller.model;

import io.nfchain.api.v1alpha1.DatapathNodeSpec.NodeChain;
import io.nfchain.api.v1alpha1.DatapathNodeSpec.NodeFunction;
import io.nfchain.api.v1alpha1.NetworkFunction;
import io.nfchain.api.v1alpha1.NodeFailurePolicy;
import io.nfchain.api.v1alpha1.ServiceChain;
import io.nfchain.api.v1alpha1.ServiceChainStatus.HopStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Stateless, thread-safe. One chain's next step, from what exists to what should: which pods to
 * create, what its entries in each node spec become, which old pods go. Pure: the reconciler
 * gathers the inputs from its caches and carries the plan out in the plan's order.
 *
 * <p>Make-before-break, per hop and node: the replacement instance gets its function entry at
 * once (the agent listens, the new NF connects, the pod turns Ready), while the hop keeps pointing
 * at the old instance; once the replacement's pod is Ready the hop moves to it and the old pod is
 * stamped with the time; after the function's drain time the old entry leaves the spec, then
 * the old pod is deleted. A hop whose old instance is gone or not Ready moves at once: there is
 * nothing to keep.
 */
public final class RolloutModel {
    private RolloutModel() {}

    /** Immutable. A pod of the chain as the cache shows it. */
    public record ExistingPod(String name, String node, int hopIndex, boolean ready, String podIp, Instant switchedAt) {}

    /** Immutable. A hop that now points at another instance. */
    public record Switch(String node, int hopIndex, String from, String to) {}

    /**
     * Immutable. The chain's entries on one node: {@code entry} null removes them.
     *
     * @param owned function names the chain may have had there; all are replaced by {@code functions}
     */
    public record NodeEdit(String node, NodeChain entry, List<NodeFunction> functions, Set<String> owned) {}

    /**
     * Immutable. What to do, in this order: create, stamp, edit node specs, delete.
     *
     * @param requeueAfter when a drain ends, or null when nothing waits on time
     * @param ready every desired instance's pod is Ready and every hop points at it
     */
    public record Plan(List<FunctionInstance> create, Map<String, Instant> stampSwitchedAt, List<NodeEdit> edits,
            List<String> delete, List<Switch> switches, Duration requeueAfter, List<HopStatus> hops, boolean ready,
            int desiredInstances, int readyInstances) {}

    /**
     * @param hopFunctions the function of each hop, in hop order
     * @param placedNodes where the chain should run; null when it cannot be placed now (what runs stays)
     * @param currentEntries the chain's entry in each node's spec where it has one
     */
    public static Plan plan(ServiceChain chain, List<NetworkFunction> hopFunctions, List<String> placedNodes,
            Map<String, NodeChain> currentEntries, List<ExistingPod> pods, Instant now, ControllerSettings settings) {
        String entryName = Names.chainEntry(chain.getMetadata().getNamespace(), chain.getMetadata().getName());
        Map<String, ExistingPod> podsByName = new HashMap<>();
        pods.forEach(p -> podsByName.put(p.name(), p));
        List<FunctionInstance> create = new ArrayList<>();
        Map<String, Instant> stamp = new LinkedHashMap<>();
        List<NodeEdit> edits = new ArrayList<>();
        List<String> delete = new ArrayList<>();
        List<Switch> switches = new ArrayList<>();
        List<HopStatus> hops = new ArrayList<>();
        Duration requeue = null;
        int desired = 0;
        int readyCount = 0;
        boolean allReady = placedNodes != null;
        List<String> placed = placedNodes == null ? List.of() : placedNodes;

        for (String node : placed) {
            NodeChain current = currentEntries.get(node);
            List<String> targets = new ArrayList<>();
            List<NodeFailurePolicy> policies = new ArrayList<>();
            Map<String, NodeFunction> functions = new TreeMap<>();
            for (int i = 0; i < hopFunctions.size(); i++) {
                NetworkFunction nf = hopFunctions.get(i);
                FunctionInstance d = InstanceModel.instance(chain, i, nf, node, settings);
                ExistingPod dPod = podsByName.get(d.name());
                desired++;
                if (dPod == null) {
                    create.add(d);
                } else if (dPod.ready()) {
                    readyCount++;
                }
                String cur = current != null && current.hops != null && i < current.hops.size()
                        ? current.hops.get(i).function : null;
                ExistingPod curPod = cur == null ? null : podsByName.get(cur);
                boolean keepOld = cur != null && !cur.equals(d.name()) && curPod != null && curPod.ready()
                        && (dPod == null || !dPod.ready());
                String target = keepOld ? cur : d.name();
                if (cur != null && !cur.equals(target)) {
                    switches.add(new Switch(node, i, cur, target));
                }
                targets.add(target);
                policies.add(InstanceModel.hopPolicy(chain.getSpec().hops.get(i), nf).toNode());
                NodeFailurePolicy fnPolicy = InstanceModel.functionPolicy(nf).toNode();
                String type = InstanceModel.nodeType(nf);
                functions.put(d.name(), NodeSpecModel.function(d.name(), type, fnPolicy, dPod == null ? null : dPod.podIp()));
                boolean hopReady = target.equals(d.name()) && dPod != null && dPod.ready();
                allReady &= hopReady;
                hops.add(hopStatus(i, nf, node, target, target.equals(d.name()) ? dPod : curPod));
                Duration drain = InstanceModel.drain(nf, settings);
                for (ExistingPod old : pods) {
                    if (!old.node().equals(node) || old.hopIndex() != i || old.name().equals(d.name())) {
                        continue;
                    }
                    if (old.name().equals(target)) {
                        functions.put(old.name(), NodeSpecModel.function(old.name(), type, fnPolicy, old.podIp()));
                        continue;
                    }
                    Instant since = old.switchedAt() != null ? old.switchedAt() : now;
                    Duration left = Duration.between(now, since.plus(drain));
                    if (left.isNegative() || left.isZero()) {
                        delete.add(old.name());
                    } else {
                        if (old.switchedAt() == null) {
                            stamp.put(old.name(), now); // the drain's start survives a controller restart
                        }
                        functions.put(old.name(), NodeSpecModel.function(old.name(), type, fnPolicy, old.podIp()));
                        requeue = requeue == null || left.compareTo(requeue) < 0 ? left : requeue;
                    }
                }
            }
            for (ExistingPod p : pods) {
                if (p.node().equals(node) && p.hopIndex() >= hopFunctions.size()) {
                    delete.add(p.name()); // the chain lost hops: nothing points at these
                }
            }
            NodeChain entry = NodeSpecModel.chain(entryName, chain.getSpec(), targets, policies);
            edits.add(new NodeEdit(node, entry, List.copyOf(functions.values()), owned(node, current, pods)));
        }

        // Nodes the chain leaves: only once its new places serve, so the chain never has fewer instances.
        Set<String> stale = new TreeSet<>(currentEntries.keySet());
        pods.forEach(p -> stale.add(p.node()));
        stale.removeAll(placed);
        if (allReady) {
            for (String node : stale) {
                edits.add(new NodeEdit(node, null, List.of(), owned(node, currentEntries.get(node), pods)));
                pods.stream().filter(p -> p.node().equals(node)).forEach(p -> delete.add(p.name()));
            }
        }
        return new Plan(create, stamp, edits, delete, switches, requeue, hops, allReady, desired, readyCount);
    }

    /** Everything of the chain's on a node: its pods there and what its entry points at. */
    static Set<String> owned(String node, NodeChain current, List<ExistingPod> pods) {
        Set<String> owned = new TreeSet<>();
        pods.stream().filter(p -> p.node().equals(node)).forEach(p -> owned.add(p.name()));
        if (current != null && current.hops != null) {
            current.hops.forEach(h -> owned.add(h.function));
        }
        return owned;
    }

    private static HopStatus hopStatus(int index, NetworkFunction nf, String node, String target, ExistingPod pod) {
        HopStatus h = new HopStatus();
        h.index = index;
        h.function = nf.getMetadata().getName();
        h.node = node;
        h.instance = target;
        h.pod = pod == null ? null : pod.name();
        h.ready = pod != null && pod.ready();
        return h;
    }
}
