package io.nfchain.controller.reconciler;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.nfchain.api.v1alpha1.DatapathNode;
import io.nfchain.controller.model.InstanceModel;
import io.nfchain.controller.model.Names;
import io.nfchain.controller.placement.ChainRequest;
import io.nfchain.controller.placement.Placement;
import io.nfchain.controller.placement.PlacementNode;
import io.nfchain.controller.placement.Placer;
import io.nfchain.controller.placement.Resources;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Thread-safe (one lock). Places chains one at a time against what every node has left. What is
 * taken is what the pod cache shows plus what was placed but is not in the cache yet (a pod just
 * created), so two chains reconciled at once never both count on the same free core.
 */
final class CapacityBook {
    private static final BigDecimal PAGE_2MI = BigDecimal.valueOf(2L << 20);
    private static final BigDecimal PAGE_1GI = BigDecimal.valueOf(1L << 30);

    /** Immutable. What node a placed instance takes how much on. */
    record Reservation(String node, Resources demand) {}

    /** Immutable. A node for placement: its DatapathNode, the labels node selectors match, its ports. */
    record NodeView(DatapathNode node, Map<String, String> labels, Set<String> ports) {}

    private final Map<String, Map<String, Reservation>> byChain = new HashMap<>();

    /**
     * Places {@code request} and books its instances.
     *
     * @param chainPods every NF pod of every chain (the cache)
     * @param desiredOn the instances (namespace/name) the chain would have on a node, with what
     *     each takes: its pods by other names there are leaving and still count
     */
    synchronized Placement place(ChainRequest request, List<NodeView> nodes, List<Pod> chainPods,
            Function<String, Map<String, Resources>> desiredOn) {
        Map<String, Resources> used = new HashMap<>();
        Set<String> seen = new HashSet<>();
        Map<String, Map<String, Resources>> desiredCache = new HashMap<>();
        for (Pod p : chainPods) {
            String key = p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
            String node = p.getSpec().getNodeName();
            seen.add(key);
            if (node == null) {
                continue;
            }
            String chain = p.getMetadata().getNamespace() + "/" + p.getMetadata().getLabels().get(Names.LABEL_CHAIN);
            if (chain.equals(request.key())
                    && desiredCache.computeIfAbsent(node, desiredOn).containsKey(key)) {
                continue; // the chain's own instance that stays: its room is the chain's to place again
            }
            used.merge(node, demand(p), Resources::plus);
        }
        for (var e : byChain.entrySet()) {
            if (e.getKey().equals(request.key())) {
                continue;
            }
            e.getValue().forEach((key, r) -> {
                if (!seen.contains(key)) {
                    used.merge(r.node(), r.demand(), Resources::plus);
                }
            });
        }
        List<PlacementNode> free = new ArrayList<>();
        for (NodeView v : nodes) {
            String name = v.node().getMetadata().getName();
            Resources left = InstanceModel.capacity(v.node()).minus(used.getOrDefault(name, Resources.NONE));
            free.add(new PlacementNode(name, v.labels(), List.of(new PlacementNode.Zone(0, clampAtZero(left))), v.ports()));
        }
        Placement placement = Placer.place(free, List.of(request)).placements().get(request.key());
        Map<String, Reservation> booked = new HashMap<>();
        if (placement instanceof Placement.Placed placed) {
            for (String node : placed.nodes()) {
                desiredCache.computeIfAbsent(node, desiredOn)
                        .forEach((key, demand) -> booked.put(key, new Reservation(node, demand)));
            }
        }
        byChain.put(request.key(), booked);
        return placement;
    }

    synchronized void release(String chainKey) {
        byChain.remove(chainKey);
    }

    /** What a pod takes, read from its limits (requests equal them: Guaranteed). */
    static Resources demand(Pod pod) {
        long cores = 0;
        long hp2 = 0;
        long hp1 = 0;
        for (Container c : pod.getSpec().getContainers()) {
            if (c.getResources() == null || c.getResources().getLimits() == null) {
                continue;
            }
            Map<String, Quantity> l = c.getResources().getLimits();
            if (l.containsKey("cpu")) {
                cores += Quantity.getAmountInBytes(l.get("cpu")).setScale(0, java.math.RoundingMode.CEILING).longValue();
            }
            if (l.containsKey("hugepages-2Mi")) {
                hp2 += Quantity.getAmountInBytes(l.get("hugepages-2Mi")).divideToIntegralValue(PAGE_2MI).longValue();
            }
            if (l.containsKey("hugepages-1Gi")) {
                hp1 += Quantity.getAmountInBytes(l.get("hugepages-1Gi")).divideToIntegralValue(PAGE_1GI).longValue();
            }
        }
        return new Resources(cores, hp2, hp1, 0);
    }

    private static Resources clampAtZero(Resources r) {
        return new Resources(Math.max(0, r.cores()), Math.max(0, r.hugepages2MiPages()),
                Math.max(0, r.hugepages1GiPages()), Math.max(0, r.vfs()));
    }
}
