package io.nfchain.controller.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.nfchain.api.v1alpha1.NetworkFunction;
import io.nfchain.api.v1alpha1.NetworkFunctionStatus;
import io.nfchain.api.v1alpha1.ServiceChain;
import io.nfchain.controller.model.ConditionsModel;
import io.nfchain.controller.model.InstanceModel;
import io.nfchain.controller.model.Names;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Thread-safe (JOSDK runs one reconcile per function at a time). Reports a NetworkFunction's
 * instances: which pods serve it for which chain on which node, and how many are Ready of how
 * many the chains that use it want. Its pods belong to the chains (the ServiceChain reconciler
 * makes them); a spec change reaches those chains through their own watch on functions.
 */
@ControllerConfiguration(name = NetworkFunctionReconciler.NAME)
public class NetworkFunctionReconciler implements Reconciler<NetworkFunction> {
    public static final String NAME = "networkfunction";
    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private final Clock clock;
    private InformerEventSource<Pod, NetworkFunction> pods;
    private InformerEventSource<ServiceChain, NetworkFunction> chains;

    public NetworkFunctionReconciler(Clock clock) {
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, NetworkFunction>> prepareEventSources(EventSourceContext<NetworkFunction> context) {
        pods = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(Pod.class, NetworkFunction.class).withName("function-pods").withLabelSelector(Names.LABEL_FUNCTION)
                .withSecondaryToPrimaryMapper(p -> Set.of(new ResourceID(
                        p.getMetadata().getLabels().get(Names.LABEL_FUNCTION), p.getMetadata().getNamespace())))
                .build(), context);
        chains = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(ServiceChain.class, NetworkFunction.class).withName("chains")
                .withSecondaryToPrimaryMapper(sc -> {
                    Set<ResourceID> ids = new HashSet<>();
                    if (sc.getSpec() != null && sc.getSpec().hops != null) {
                        sc.getSpec().hops.forEach(h -> ids.add(new ResourceID(h.function, sc.getMetadata().getNamespace())));
                    }
                    return ids;
                })
                // Chains report readiness often; what changes a function's count is their hops and nodes.
                .withOnUpdateFilter((n, o) -> !Objects.equals(n.getMetadata().getGeneration(), o.getMetadata().getGeneration())
                        || !Objects.equals(nodes(n), nodes(o)))
                .build(), context);
        return List.of(pods, chains);
    }

    @Override
    public UpdateControl<NetworkFunction> reconcile(NetworkFunction nf, Context<NetworkFunction> context) {
        Instant now = clock.instant();
        String ns = nf.getMetadata().getNamespace();
        String name = nf.getMetadata().getName();
        NetworkFunctionStatus st = new NetworkFunctionStatus();
        st.observedGeneration = nf.getMetadata().getGeneration();
        List<Pod> mine = pods.list(ns, p -> name.equals(p.getMetadata().getLabels().get(Names.LABEL_FUNCTION)))
                .sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
        int ready = 0;
        for (Pod p : mine) {
            NetworkFunctionStatus.Instance i = new NetworkFunctionStatus.Instance();
            i.name = p.getMetadata().getName();
            i.pod = p.getMetadata().getName();
            i.node = p.getSpec().getNodeName();
            i.chain = p.getMetadata().getLabels().get(Names.LABEL_CHAIN);
            i.ready = PodViews.ready(p);
            ready += i.ready ? 1 : 0;
            st.instances.add(i);
        }
        // Each chain runs as many instances of every hop as its largest replicas asks; what it
        // reports in status.nodes once placed, this function's own replicas before that.
        int desired = 0;
        List<String> users = new ArrayList<>();
        for (ServiceChain sc : chains.list(ns, sc -> uses(sc, name)).toList()) {
            users.add(sc.getMetadata().getName());
            int hopsServed = (int) sc.getSpec().hops.stream().filter(h -> name.equals(h.function)).count();
            int perHop = sc.getStatus() != null && sc.getStatus().nodes != null && !sc.getStatus().nodes.isEmpty()
                    ? sc.getStatus().nodes.size() : InstanceModel.replicas(List.of(nf));
            desired += hopsServed * perHop;
        }
        st.desiredInstances = desired;
        st.readyInstances = ready;
        boolean allReady = ready >= desired;
        String counts = ready + " of " + desired + " instances ready";
        List<io.fabric8.kubernetes.api.model.Condition> prev = nf.getStatus() == null ? List.of() : nf.getStatus().conditions;
        long gen = nf.getMetadata().getGeneration() == null ? 0 : nf.getMetadata().getGeneration();
        boolean stale = mine.stream().anyMatch(p -> !PodViews.ready(p));
        st.conditions = ConditionsModel.three(prev, gen, now,
                allReady, desired == 0 ? ConditionsModel.REASON_UNUSED : allReady ? ConditionsModel.REASON_READY
                        : ConditionsModel.REASON_NOT_READY,
                desired == 0 ? "no ServiceChain uses this function" : counts + " (chains: " + users + ")",
                !allReady || mine.size() > desired, !allReady || mine.size() > desired ? ConditionsModel.REASON_ROLLING
                        : ConditionsModel.REASON_STABLE, mine.size() + " pods for " + desired + " instances",
                stale && ready < desired, stale && ready < desired ? ConditionsModel.REASON_NOT_READY
                        : ConditionsModel.REASON_HEALTHY, counts);
        NetworkFunctionStatus old = nf.getStatus();
        if (old != null && Objects.equals(old.observedGeneration, st.observedGeneration)
                && Objects.equals(old.desiredInstances, st.desiredInstances)
                && Objects.equals(old.readyInstances, st.readyInstances)
                && JSON.asJson(old.instances).equals(JSON.asJson(st.instances))
                && ConditionsModel.same(old.conditions, st.conditions)) {
            return UpdateControl.noUpdate();
        }
        NetworkFunction copy = JSON.clone(nf);
        copy.setStatus(st);
        return UpdateControl.patchStatus(copy);
    }

    private static List<String> nodes(ServiceChain sc) {
        return sc.getStatus() == null ? null : sc.getStatus().nodes;
    }

    private static boolean uses(ServiceChain sc, String function) {
        return sc.getSpec() != null && sc.getSpec().hops != null
                && sc.getSpec().hops.stream().anyMatch(h -> function.equals(h.function));
    }
}
