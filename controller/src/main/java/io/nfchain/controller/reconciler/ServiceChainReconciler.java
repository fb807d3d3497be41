package io.nfchain.controller.reconciler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.nfchain.api.v1alpha1.DatapathNode;
import io.nfchain.api.v1alpha1.DatapathNodeSpec.NodeChain;
import io.nfchain.api.v1alpha1.NetworkFunction;
import io.nfchain.api.v1alpha1.ServiceChain;
import io.nfchain.controller.ControllerMetrics;
import io.nfchain.controller.RolloutJournal;
import io.nfchain.controller.model.ControllerSettings;
import io.nfchain.controller.model.InstanceModel;
import io.nfchain.controller.model.Names;
import io.nfchain.controller.model.NodeSpecModel;
import io.nfchain.controller.model.PodModel;
import io.nfchain.controller.model.RolloutModel;
import io.nfchain.controller.model.RolloutModel.ExistingPod;
import io.nfchain.controller.operations.NodeSpecOperations;
import io.nfchain.controller.operations.PodOperations;
import io.nfchain.controller.placement.ChainRequest;
import io.nfchain.controller.placement.Placement;
import io.nfchain.controller.placement.Resources;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Thread-safe (JOSDK runs one reconcile per chain at a time; placement takes one lock). Turns a
 * ServiceChain into NF pods and its entries in the DatapathNode specs of the nodes it runs on, in
 * ordered steps: resolve the hops' functions, place, plan (make-before-break), create pods,
 * write node specs, delete what left, report status. Reads come from informer caches; the API
 * server sees only writes.
 */
@ControllerConfiguration(name = ServiceChainReconciler.NAME)
public class ServiceChainReconciler implements Reconciler<ServiceChain>, Cleaner<ServiceChain> {
    public static final String NAME = "servicechain";
    static final String INDEX_FUNCTION = "nfchain-function";
    static final String INDEX_NODE = "nfchain-node";
    /** Index key of chains not placed yet: a node's new room may be theirs. */
    static final String UNPLACED = "@unplaced";
    static final Duration UNSCHEDULABLE_RETRY = Duration.ofSeconds(60);

    private final Clock clock;
    private final ControllerSettings settings;
    private final ControllerMetrics metrics;
    private final RolloutJournal journal;
    private final CapacityBook book = new CapacityBook();
    private InformerEventSource<NetworkFunction, ServiceChain> functions;
    private InformerEventSource<Pod, ServiceChain> pods;
    private InformerEventSource<DatapathNode, ServiceChain> nodes;
    private InformerEventSource<Node, ServiceChain> kubeNodes;
    private PodOperations podOps;
    private NodeSpecOperations nodeOps;

    public ServiceChainReconciler(Clock clock, ControllerSettings settings, ControllerMetrics metrics,
            RolloutJournal journal) {
        this.clock = clock;
        this.settings = settings;
        this.metrics = metrics;
        this.journal = journal;
    }

    @Override
    public List<EventSource<?, ServiceChain>> prepareEventSources(EventSourceContext<ServiceChain> context) {
        podOps = new PodOperations(context.getClient(), metrics);
        nodeOps = new NodeSpecOperations(context.getClient(), metrics);
        IndexerResourceCache<ServiceChain> chains = context.getPrimaryCache();
        chains.addIndexer(INDEX_FUNCTION, sc -> sc.getSpec() == null || sc.getSpec().hops == null ? List.of()
                : sc.getSpec().hops.stream().map(h -> sc.getMetadata().getNamespace() + "/" + h.function).toList());
        chains.addIndexer(INDEX_NODE, sc -> sc.getStatus() == null || sc.getStatus().nodes == null
                || sc.getStatus().nodes.isEmpty() || !ChainStatus.placed(sc) ? List.of(UNPLACED) : sc.getStatus().nodes);
        functions = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(NetworkFunction.class, ServiceChain.class).withName("functions")
                .withSecondaryToPrimaryMapper(nf -> ids(chains.byIndex(INDEX_FUNCTION,
                        nf.getMetadata().getNamespace() + "/" + nf.getMetadata().getName())))
                // Its status is the NF reconciler's; only a spec change concerns chains.
                .withOnUpdateFilter((n, o) -> !Objects.equals(n.getMetadata().getGeneration(), o.getMetadata().getGeneration()))
                .build(), context);
        pods = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(Pod.class, ServiceChain.class).withName("pods").withLabelSelector(Names.LABEL_CHAIN)
                .withSecondaryToPrimaryMapper(p -> {
                    Set<ResourceID> ids = ids(chains.byIndex(INDEX_NODE, UNPLACED));
                    ids.add(new ResourceID(p.getMetadata().getLabels().get(Names.LABEL_CHAIN), p.getMetadata().getNamespace()));
                    return ids;
                })
                .build(), context);
        nodes = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(DatapathNode.class, ServiceChain.class).withName("datapathnodes")
                .withSecondaryToPrimaryMapper(n -> nodeChains(chains, n.getMetadata().getName()))
                // The agents write counters all the time, the chains their entries: only capacity,
                // ports and labels move placement.
                .withOnUpdateFilter((n, o) -> !Objects.equals(json(context, capacity(n)), json(context, capacity(o)))
                        || !Objects.equals(json(context, ports(n)), json(context, ports(o)))
                        || !Objects.equals(n.getMetadata().getLabels(), o.getMetadata().getLabels()))
                .build(), context);
        kubeNodes = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(Node.class, ServiceChain.class).withName("nodes")
                .withSecondaryToPrimaryMapper(n -> nodeChains(chains, n.getMetadata().getName()))
                .withOnUpdateFilter((n, o) -> !Objects.equals(n.getMetadata().getLabels(), o.getMetadata().getLabels()))
                .build(), context);
        return List.of(functions, pods, nodes, kubeNodes);
    }

    @Override
    public UpdateControl<ServiceChain> reconcile(ServiceChain chain, Context<ServiceChain> context) {
        Instant now = clock.instant();
        String ns = chain.getMetadata().getNamespace();
        String name = chain.getMetadata().getName();
        String key = ns + "/" + name;
        ChainStatus status = new ChainStatus(chain, now);

        // 1. The hops' functions, each one the controller can make pods of.
        List<NetworkFunction> hopFunctions = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        boolean missing = false;
        var hops = chain.getSpec().hops;
        for (int i = 0; i < hops.size(); i++) {
            var nf = functions.get(new ResourceID(hops.get(i).function, ns));
            if (nf.isEmpty()) {
                missing = true;
                problems.add("hops[" + i + "].function: no NetworkFunction '" + hops.get(i).function
                        + "' in namespace '" + ns + "'");
            } else {
                String config = PodModel.configProblem(nf.get().getSpec());
                if (config != null) {
                    problems.add("hops[" + i + "].function: NetworkFunction '" + hops.get(i).function + "': " + config);
                }
                hopFunctions.add(nf.get());
            }
        }
        List<ExistingPod> existing = pods.list(ns, p -> name.equals(p.getMetadata().getLabels().get(Names.LABEL_CHAIN)))
                .map(PodViews::existing).sorted(Comparator.comparing(ExistingPod::name)).toList();
        if (!problems.isEmpty()) {
            String known = !missing ? "" : " (functions: " + functions.list(ns, nf -> true)
                    .map(nf -> nf.getMetadata().getName()).sorted().toList() + ")";
            return status.invalid(String.join("; ", problems) + known, existing).control();
        }

        // 2. Placement.
        String entryName = Names.chainEntry(ns, name);
        Map<String, NodeChain> entries = new LinkedHashMap<>();
        List<CapacityBook.NodeView> views = new ArrayList<>();
        nodes.list(n -> true).sorted(Comparator.comparing(n -> n.getMetadata().getName())).forEach(n -> {
            NodeChain entry = NodeSpecModel.findChain(n.getSpec(), entryName);
            if (entry != null) {
                entries.put(n.getMetadata().getName(), entry);
            }
            Set<String> ports = new HashSet<>();
            if (n.getSpec() != null && n.getSpec().ports != null) {
                n.getSpec().ports.forEach(p -> ports.add(p.name));
            }
            views.add(new CapacityBook.NodeView(n, labels(n), ports));
        });
        Set<String> current = new TreeSet<>(entries.keySet());
        existing.forEach(p -> current.add(p.node()));
        List<ChainRequest.Hop> demands = new ArrayList<>();
        for (NetworkFunction nf : hopFunctions) {
            demands.add(new ChainRequest.Hop(nf.getMetadata().getName(), InstanceModel.demand(nf), InstanceModel.nodeSelector(nf)));
        }
        ChainRequest request = new ChainRequest(key, demands, InstanceModel.replicas(hopFunctions), current,
                Set.of(chain.getSpec().classifier.ingressPort, chain.getSpec().egressPort));
        Placement placement = book.place(request, views, pods.list(p -> true).toList(), node -> {
            Map<String, Resources> m = new HashMap<>();
            for (int i = 0; i < hopFunctions.size(); i++) {
                var inst = InstanceModel.instance(chain, i, hopFunctions.get(i), node, settings);
                m.put(ns + "/" + inst.name(), InstanceModel.demand(hopFunctions.get(i)));
            }
            return m;
        });
        metrics.placement(key, placement instanceof Placement.Placed);
        List<String> placedNodes = placement instanceof Placement.Placed p ? p.nodes() : null;

        // 3. The plan, then its steps in order: create, stamp, node specs, delete.
        RolloutModel.Plan plan = RolloutModel.plan(chain, hopFunctions, placedNodes, entries, existing, now, settings);
        execute(chain, entryName, hopFunctions, plan);

        // 4. Status.
        if (placement instanceof Placement.Unschedulable u) {
            return status.unschedulable(u.reason(), existing).control().rescheduleAfter(UNSCHEDULABLE_RETRY);
        }
        UpdateControl<ServiceChain> control = status.placed(placedNodes, plan, existing).control();
        return plan.requeueAfter() == null ? control : control.rescheduleAfter(plan.requeueAfter());
    }

    private void execute(ServiceChain chain, String entryName, List<NetworkFunction> hopFunctions, RolloutModel.Plan plan) {
        String ns = chain.getMetadata().getNamespace();
        OwnerReference owner = new OwnerReferenceBuilder().withApiVersion(chain.getApiVersion()).withKind(chain.getKind())
                .withName(chain.getMetadata().getName()).withUid(chain.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
        for (var instance : plan.create()) {
            Pod created = podOps.create(PodModel.pod(instance, hopFunctions.get(instance.hopIndex()), settings, owner));
            if (created != null) {
                pods.handleRecentResourceCreate(ResourceID.fromResource(created), created);
            }
            journal.record("pod-created " + ns + "/" + instance.name() + " node=" + instance.node());
        }
        plan.stampSwitchedAt().forEach((pod, at) -> podOps.stampSwitchedAt(ns, pod, at));
        for (var edit : plan.edits()) {
            var cached = nodes.get(new ResourceID(edit.node()));
            if (cached.isEmpty()) {
                continue; // the node is gone, and its spec with it
            }
            var written = nodeOps.edit(cached.get(),
                    spec -> NodeSpecModel.withChain(spec, entryName, edit.entry(), edit.functions(), edit.owned()));
            if (written != null && written != cached.get()) {
                nodes.handleRecentResourceUpdate(ResourceID.fromResource(written), written, cached.get());
                for (var s : plan.switches()) {
                    if (s.node().equals(edit.node())) {
                        metrics.hopSwitched();
                        journal.record("hop-switched " + s.node() + " " + entryName + "#" + s.hopIndex() + " "
                                + s.from() + " -> " + s.to());
                    }
                }
                journal.record("node-spec-written " + edit.node() + " " + entryName
                        + (edit.entry() == null ? " removed" : ""));
            }
        }
        for (String pod : plan.delete()) {
            podOps.delete(ns, pod);
            journal.record("pod-deleted " + ns + "/" + pod);
        }
    }

    @Override
    public DeleteControl cleanup(ServiceChain chain, Context<ServiceChain> context) {
        String ns = chain.getMetadata().getNamespace();
        String name = chain.getMetadata().getName();
        String entryName = Names.chainEntry(ns, name);
        List<ExistingPod> existing = pods.list(ns, p -> name.equals(p.getMetadata().getLabels().get(Names.LABEL_CHAIN)))
                .map(PodViews::existing).toList();
        Set<String> where = new TreeSet<>();
        existing.forEach(p -> where.add(p.node()));
        if (chain.getStatus() != null && chain.getStatus().nodes != null) {
            where.addAll(chain.getStatus().nodes);
        }
        nodes.list(n -> NodeSpecModel.findChain(n.getSpec(), entryName) != null)
                .forEach(n -> where.add(n.getMetadata().getName()));
        // The spec first: the agent lets go of the links before their NFs go away.
        for (String node : where) {
            var cached = nodes.get(new ResourceID(node));
            if (cached.isEmpty()) {
                continue;
            }
            Set<String> owned = new HashSet<>();
            existing.stream().filter(p -> p.node().equals(node)).forEach(p -> owned.add(p.name()));
            NodeChain entry = NodeSpecModel.findChain(cached.get().getSpec(), entryName);
            if (entry != null && entry.hops != null) {
                entry.hops.forEach(h -> owned.add(h.function));
            }
            nodeOps.edit(cached.get(), spec -> NodeSpecModel.withChain(spec, entryName, null, List.of(), owned));
            journal.record("node-spec-written " + node + " " + entryName + " removed");
        }
        for (ExistingPod p : existing) {
            podOps.delete(ns, p.name());
            journal.record("pod-deleted " + ns + "/" + p.name());
        }
        book.release(ns + "/" + name);
        metrics.forget(ns + "/" + name);
        journal.record("chain-removed " + ns + "/" + name);
        return DeleteControl.defaultDelete();
    }

    private Map<String, String> labels(DatapathNode n) {
        var node = kubeNodes.get(new ResourceID(n.getMetadata().getName()));
        if (node.isPresent() && node.get().getMetadata().getLabels() != null) {
            return node.get().getMetadata().getLabels();
        }
        return n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels();
    }

    private static Object ports(DatapathNode n) {
        return n.getSpec() == null ? null : n.getSpec().ports;
    }

    private static Object capacity(DatapathNode n) {
        return n.getStatus() == null ? null : n.getStatus().capacity;
    }

    private static String json(EventSourceContext<ServiceChain> context, Object o) {
        return o == null ? "" : context.getClient().getKubernetesSerialization().asJson(o);
    }

    private static Set<ResourceID> nodeChains(IndexerResourceCache<ServiceChain> chains, String node) {
        Set<ResourceID> ids = ids(chains.byIndex(INDEX_NODE, node));
        ids.addAll(ids(chains.byIndex(INDEX_NODE, UNPLACED)));
        return ids;
    }

    private static Set<ResourceID> ids(Collection<ServiceChain> chains) {
        Set<ResourceID> ids = new HashSet<>();
        chains.forEach(c -> ids.add(ResourceID.fromResource(c)));
        return ids;
    }
}
