package io.nfchain.e2e.opbench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nfchain.api.v1alpha1.Classifier;
import io.nfchain.api.v1alpha1.Conditions;
import io.nfchain.api.v1alpha1.DatapathNode;
import io.nfchain.api.v1alpha1.DatapathNodeSpec;
import io.nfchain.api.v1alpha1.DatapathNodeStatus;
import io.nfchain.api.v1alpha1.FunctionType;
import io.nfchain.api.v1alpha1.NetworkFunction;
import io.nfchain.api.v1alpha1.NetworkFunctionSpec;
import io.nfchain.api.v1alpha1.NodePort;
import io.nfchain.api.v1alpha1.PortType;
import io.nfchain.api.v1alpha1.ServiceChain;
import io.nfchain.api.v1alpha1.ServiceChainSpec;
import io.nfchain.controller.NfchainOperator;
import io.nfchain.controller.RolloutJournal;
import io.nfchain.controller.model.ControllerSettings;
import io.nfchain.core.tools.JsonLine;
import io.nfchain.e2e.LocalNode;
import io.nfchain.e2e.k8s.MockApiServer;
import io.nfchain.e2e.k8s.RequestCounter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * {@code ./nfchain bench operator [--quick]}: the controller at scale on fabric8's mock API server.
 * 1,000 NetworkFunctions in 200 ServiceChains of 5 hops over 50 DatapathNodes ({@code --quick}:
 * 100 in 20 over 5). The nodes exist first, with capacity as their agents would report it; a
 * running controller then sees every function and chain applied at once, and an in-process
 * kubelet stand-in marks each NF pod Ready as soon as it appears. Measured: seconds from the
 * first object applied until every chain is Ready, and the controller's API requests per object.
 */
public final class OperatorBench {
    static final String NS = "bench";
    static final FunctionType[] TYPES = {FunctionType.ACL, FunctionType.ROUTER, FunctionType.QOS,
        FunctionType.TTLGUARD, FunctionType.CHARGING};

    /** The cluster's size; nodes get 20% more cores than their share of one-core functions. */
    record Plan(boolean quick, int nodes, int chains, int hops, double timeoutS) {
        static Plan of(boolean quick) {
            return quick ? new Plan(true, 5, 20, 5, 300) : new Plan(false, 50, 200, 5, 1200);
        }

        int functions() {
            return chains * hops;
        }

        int coresPerNode() {
            return (int) Math.ceil(functions() * 1.2 / nodes);
        }

        /** NFs + chains + the NF pods the controller makes + DatapathNodes. */
        int objects() {
            return functions() + chains + functions() + nodes;
        }
    }

    private OperatorBench() {}

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        for (String a : args) {
            if (a.equals("--quick")) {
                quick = true;
            } else {
                System.err.println("usage: ./nfchain bench operator [--quick]");
                System.exit(2);
            }
        }
        System.exit(run(Plan.of(quick)));
    }

    static int run(Plan plan) throws Exception {
        RequestCounter counter = new RequestCounter();
        try (MockApiServer api = new MockApiServer(LocalNode.repositoryRoot().resolve("crds"))) {
            KubernetesClient bench = api.client();
            KubernetesClient controllerClient = api.client(counter);
            bench.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                    .create();
            for (int n = 0; n < plan.nodes(); n++) {
                createNode(bench, "node-" + n, plan.coresPerNode());
            }
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            Operator operator = NfchainOperator.create(controllerClient, Clock.systemUTC(), ControllerSettings.defaults(),
                    registry, new RolloutJournal());
            SharedIndexInformer<ServiceChain> chains = bench.resources(ServiceChain.class).inNamespace(NS).inform();
            try (FastKubelet kubelet = new FastKubelet(bench)) {
                operator.start();
                long startupRequests = counter.total();
                note("%d nodes of %d cores ready; controller started (%d requests for its informers)", plan.nodes(),
                        plan.coresPerNode(), startupRequests);
                long t0 = System.nanoTime();
                apply(bench, plan);
                double applyS = (System.nanoTime() - t0) / 1e9;
                note("applied %d functions and %d chains in %.1f s", plan.functions(), plan.chains(), applyS);
                double readyS = awaitReady(chains, plan, t0, kubelet);
                note("every chain Ready after %.1f s", readyS);
                Map<String, Long> byKey = counter.byVerbAndResource();
                long requests = counter.total();
                String problem = check(bench, plan, kubelet);
                Map<String, Object> figures = figures(plan, applyS, readyS, requests, startupRequests, byKey,
                        counter.byVerb(), registry, api.requestCount());
                System.out.print(table(plan, figures, byKey));
                System.out.println(JsonLine.object(figures));
                if (problem != null) {
                    note("FAILED: %s", problem);
                    return 1;
                }
                return 0;
            } finally {
                operator.stop();
                chains.close();
            }
        }
    }

    static void createNode(KubernetesClient client, String name, int cores) {
        DatapathNode n = new DatapathNode();
        n.setMetadata(new ObjectMetaBuilder().withName(name).build());
        n.setSpec(new DatapathNodeSpec());
        n.getSpec().ports = List.of(port("wan", "eth1"), port("lan", "eth2"));
        DatapathNode created = client.resource(n).create();
        DatapathNodeStatus st = new DatapathNodeStatus();
        st.capacity = new DatapathNodeStatus.Resources();
        st.capacity.cores = cores;
        st.capacity.hugepages2Mi = "0";
        created.setStatus(st);
        client.resource(created).updateStatus();
    }

    private static NodePort port(String name, String iface) {
        NodePort p = new NodePort();
        p.name = name;
        p.type = PortType.AF_PACKET;
        p.interfaceName = iface;
        return p;
    }

    /** Every function, then its chain, from 4 threads (kubectl apply of a directory is one at a time; 4 is harsher). */
    static void apply(KubernetesClient client, Plan plan) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < plan.chains(); c++) {
                int chain = c;
                done.add(pool.submit(() -> {
                    List<String> hops = new ArrayList<>();
                    for (int h = 0; h < plan.hops(); h++) {
                        String name = "c" + chain + "-f" + h;
                        client.resource(function(name, TYPES[h % TYPES.length])).create();
                        hops.add(name);
                    }
                    client.resource(chain("chain-" + chain, hops)).create();
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static NetworkFunction function(String name, FunctionType type) {
        NetworkFunction nf = new NetworkFunction();
        nf.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        NetworkFunctionSpec s = new NetworkFunctionSpec();
        s.type = type;
        s.resources = new NetworkFunctionSpec.Resources();
        s.resources.cpu = 1;
        s.resources.memory = "256Mi";
        s.config = Map.of("log-level", "info");
        nf.setSpec(s);
        return nf;
    }

    static ServiceChain chain(String name, List<String> hops) {
        ServiceChain sc = new ServiceChain();
        sc.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        ServiceChainSpec s = new ServiceChainSpec();
        s.classifier = new Classifier();
        s.classifier.ingressPort = "wan";
        s.egressPort = "lan";
        s.priority = 10;
        for (String f : hops) {
            s.hops.add(new ServiceChainSpec.Hop(f, null));
        }
        sc.setSpec(s);
        return sc;
    }

    /** Seconds from {@code t0} until the informer's copy of every chain says Ready=True. */
    static double awaitReady(SharedIndexInformer<ServiceChain> chains, Plan plan, long t0, FastKubelet kubelet)
            throws InterruptedException {
        long deadline = t0 + (long) (plan.timeoutS() * 1e9);
        long lastNote = System.nanoTime();
        while (true) {
            List<ServiceChain> all = chains.getStore().list();
            long ready = all.stream().filter(sc -> sc.getStatus() != null
                    && Conditions.isTrue(sc.getStatus().conditions, Conditions.READY)).count();
            long now = System.nanoTime();
            if (ready == plan.chains()) {
                return (now - t0) / 1e9;
            }
            if (now > deadline) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "only %d of %d chains Ready after %.0f s (%d pods marked ready); not ready: %s", ready,
                        plan.chains(), plan.timeoutS(), kubelet.readied(), all.stream().filter(sc -> sc.getStatus() == null
                        || !Conditions.isTrue(sc.getStatus().conditions, Conditions.READY)).limit(3)
                        .map(sc -> sc.getMetadata().getName() + " " + (sc.getStatus() == null ? "no status"
                        : sc.getStatus().conditions)).toList()));
            }
            if (now - lastNote > 10e9) {
                note("%.0f s: %d of %d chains Ready, %d pods ready", (now - t0) / 1e9, ready, plan.chains(),
                        kubelet.readied());
                lastNote = now;
            }
            Thread.sleep(20);
        }
    }

    /** What must hold once every chain is Ready, or null: every pod there, no node over its cores. */
    static String check(KubernetesClient client, Plan plan, FastKubelet kubelet) {
        List<Pod> pods = client.pods().inNamespace(NS).list().getItems();
        if (pods.size() != plan.functions()) {
            return pods.size() + " NF pods, expected " + plan.functions();
        }
        Map<String, Long> perNode = pods.stream().collect(Collectors.groupingBy(p -> p.getSpec().getNodeName(),
                Collectors.counting()));
        for (Map.Entry<String, Long> e : perNode.entrySet()) {
            if (e.getValue() > plan.coresPerNode()) {
                return e.getKey() + " holds " + e.getValue() + " one-core pods on " + plan.coresPerNode() + " cores";
            }
        }
        for (DatapathNode n : client.resources(DatapathNode.class).list().getItems()) {
            int chains = n.getSpec().chains.size();
            if (n.getSpec().functions.size() != chains * plan.hops()) {
                return n.getMetadata().getName() + " spec has " + n.getSpec().functions.size() + " functions for "
                        + chains + " chains";
            }
        }
        return kubelet.failures() == 0 ? null : kubelet.failures() + " pod status writes failed";
    }

    static Map<String, Object> figures(Plan plan, double applyS, double readyS, long requests, long startupRequests,
            Map<String, Long> byKey, Map<String, Long> byVerb, SimpleMeterRegistry registry, int serverRequests) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("suite", "operator");
        f.put("quick", plan.quick());
        f.put("network_functions", plan.functions());
        f.put("service_chains", plan.chains());
        f.put("hops", plan.hops());
        f.put("nodes", plan.nodes());
        f.put("pods", plan.functions());
        f.put("objects", plan.objects());
        f.put("objects_are", "network_functions + service_chains + pods + datapath_nodes");
        f.put("seconds_to_apply", round(applyS));
        f.put("seconds_to_ready", round(readyS));
        f.put("seconds_ready_after_last_apply", round(readyS - applyS));
        f.put("controller_requests", requests);
        f.put("controller_startup_requests", startupRequests);
        f.put("requests_per_object", round(requests / (double) plan.objects()));
        f.put("requests_by_verb", byVerb);
        f.put("requests_by_verb_and_resource", byKey);
        f.put("node_spec_writes", count(registry, "nfchain.controller.node.spec.writes"));
        f.put("node_spec_conflicts", count(registry, "nfchain.controller.node.spec.conflicts"));
        f.put("pods_created", count(registry, "nfchain.controller.pods.created"));
        f.put("server_requests_all_clients", serverRequests);
        return f;
    }

    private static long count(SimpleMeterRegistry registry, String name) {
        var c = registry.find(name).counter();
        return c == null ? -1 : (long) c.count();
    }

    static String table(Plan plan, Map<String, Object> f, Map<String, Long> byKey) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "bench operator: %d NetworkFunctions in %d ServiceChains of %d hops over %d "
                + "DatapathNodes (mock API server)%s%n", plan.functions(), plan.chains(), plan.hops(), plan.nodes(),
                plan.quick() ? "   (--quick: indicative only)" : ""));
        s.append(String.format(Locale.ROOT, "  applied in %s s; every chain Ready %s s after the first object "
                + "(%s s after the last)%n", f.get("seconds_to_apply"), f.get("seconds_to_ready"),
                f.get("seconds_ready_after_last_apply")));
        s.append(String.format(Locale.ROOT, "  controller requests: %d for %d objects (%s) = %s per object; "
                + "%d node-spec writes, %d conflicts retried%n", f.get("controller_requests"), plan.objects(),
                f.get("objects_are"), f.get("requests_per_object"), f.get("node_spec_writes"), f.get("node_spec_conflicts")));
        s.append(String.format(Locale.ROOT, "%n  %-34s %8s%n", "verb resource", "requests"));
        byKey.forEach((k, v) -> s.append(String.format(Locale.ROOT, "  %-34s %8d%n", k, v)));
        return s.toString();
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    static void note(String format, Object... args) {
        System.err.println("bench operator: " + String.format(Locale.ROOT, format, args));
    }
}
