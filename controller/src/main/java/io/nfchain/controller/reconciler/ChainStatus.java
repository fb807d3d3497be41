package io.nfchain.controller.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.nfchain.api.v1alpha1.Conditions;
import io.nfchain.api.v1alpha1.ServiceChain;
import io.nfchain.api.v1alpha1.ServiceChainStatus;
import io.nfchain.controller.model.ConditionsModel;
import io.nfchain.controller.model.RolloutModel;
import io.nfchain.controller.model.RolloutModel.ExistingPod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Not thread-safe: one per reconcile. A ServiceChain's status for the outcome of one reconcile,
 * written only when it says something new.
 */
final class ChainStatus {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private final ServiceChain chain;
    private final Instant now;
    private ServiceChainStatus status;

    ChainStatus(ServiceChain chain, Instant now) {
        this.chain = chain;
        this.now = now;
    }

    /** True unless the chain's last status said it could not be placed (or says nothing yet). */
    static boolean placed(ServiceChain sc) {
        Condition ready = Conditions.find(sc.getStatus().conditions, Conditions.READY);
        return ready != null && !ConditionsModel.REASON_UNSCHEDULABLE.equals(ready.getReason())
                && !ConditionsModel.REASON_INVALID_REFERENCE.equals(ready.getReason());
    }

    ChainStatus invalid(String message, List<ExistingPod> existing) {
        status = base(nodesOf(existing), List.of());
        status.conditions = ConditionsModel.three(previous(), generation(), now,
                false, ConditionsModel.REASON_INVALID_REFERENCE, message,
                false, ConditionsModel.REASON_INVALID_REFERENCE, "waiting for every hop's function to exist and be valid",
                true, ConditionsModel.REASON_INVALID_REFERENCE, message);
        return this;
    }

    ChainStatus unschedulable(String reason, List<ExistingPod> existing) {
        List<String> running = nodesOf(existing);
        status = base(running, List.of());
        status.conditions = ConditionsModel.three(previous(), generation(), now,
                false, ConditionsModel.REASON_UNSCHEDULABLE, reason,
                false, ConditionsModel.REASON_UNSCHEDULABLE, "waiting for room on a node",
                !running.isEmpty(), running.isEmpty() ? ConditionsModel.REASON_HEALTHY : ConditionsModel.REASON_UNSCHEDULABLE,
                running.isEmpty() ? "nothing runs yet" : "the instances on " + running + " keep running; " + reason);
        return this;
    }

    ChainStatus placed(List<String> nodes, RolloutModel.Plan plan, List<ExistingPod> existing) {
        status = base(nodes, plan.hops());
        boolean rolling = !plan.switches().isEmpty() || !plan.delete().isEmpty() || !plan.stampSwitchedAt().isEmpty()
                || existing.stream().anyMatch(p -> plan.hops().stream().noneMatch(h -> p.name().equals(h.instance)));
        String counts = plan.readyInstances() + " of " + plan.desiredInstances() + " instances ready on " + nodes;
        boolean down = existing.stream().anyMatch(p -> !p.ready()
                && plan.hops().stream().anyMatch(h -> p.name().equals(h.instance)) && plan.create().isEmpty()
                && !rolling);
        status.conditions = ConditionsModel.three(previous(), generation(), now,
                plan.ready(), plan.ready() ? ConditionsModel.REASON_READY : ConditionsModel.REASON_NOT_READY, counts,
                !plan.ready() || rolling, plan.ready() && !rolling ? ConditionsModel.REASON_STABLE
                        : rolling ? ConditionsModel.REASON_ROLLING : ConditionsModel.REASON_CREATING,
                plan.ready() && !rolling ? "nothing to do" : counts,
                down && !plan.ready(), down && !plan.ready() ? ConditionsModel.REASON_NOT_READY : ConditionsModel.REASON_HEALTHY,
                down && !plan.ready() ? "a serving instance is not ready: " + counts : "every serving instance is ready");
        return this;
    }

    /** patchStatus when the status changed, else no update. */
    UpdateControl<ServiceChain> control() {
        ServiceChainStatus old = chain.getStatus();
        if (old != null && Objects.equals(old.observedGeneration, status.observedGeneration)
                && Objects.equals(old.nodes, status.nodes) && JSON.asJson(old.hops).equals(JSON.asJson(status.hops))
                && ConditionsModel.same(old.conditions, status.conditions)) {
            return UpdateControl.noUpdate();
        }
        ServiceChain copy = JSON.clone(chain); // the cached object is shared: never write into it
        copy.setStatus(status);
        return UpdateControl.patchStatus(copy);
    }

    private ServiceChainStatus base(List<String> nodes, List<ServiceChainStatus.HopStatus> hops) {
        ServiceChainStatus s = new ServiceChainStatus();
        s.observedGeneration = generation();
        s.nodes = new ArrayList<>(nodes);
        s.hops = new ArrayList<>(hops);
        s.hopCount = chain.getSpec().hops.size();
        s.nodeCount = nodes.size();
        return s;
    }

    private List<Condition> previous() {
        return chain.getStatus() == null ? List.of() : chain.getStatus().conditions;
    }

    private long generation() {
        return chain.getMetadata().getGeneration() == null ? 0 : chain.getMetadata().getGeneration();
    }

    private static List<String> nodesOf(List<ExistingPod> existing) {
        TreeSet<String> n = new TreeSet<>();
        existing.forEach(p -> n.add(p.node()));
        return List.copyOf(n);
    }
}
