package io.nfchain.controller.reconciler;

import static io.nfchain.controller.reconciler.MockCluster.NS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.Operator;
import io.nfchain.api.v1alpha1.Conditions;
import io.nfchain.api.v1alpha1.DatapathNode;
import io.nfchain.api.v1alpha1.FunctionType;
import io.nfchain.api.v1alpha1.ServiceChain;
import io.nfchain.controller.NfchainOperator;
import io.nfchain.controller.model.ControllerSettings;
import io.nfchain.controller.model.Names;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Many chains at once: 20 chains of 5 functions over 10 nodes, the test playing every kubelet.
 * Every chain gets Ready, no node holds more than it has, and the controller's API requests per
 * object are printed (the bench measures them at 1,000 functions).
 */
@EnableKubernetesMockClient(crud = true)
class ScaleTest {
    static final int NODES = 10;
    static final int CHAINS = 20;
    static final int HOPS = 5;
    KubernetesClient client;
    KubernetesMockServer server;

    @Test
    void everyChainGetsReadyWithoutOverCommittingANode() throws Exception {
        MockCluster cluster = new MockCluster(client);
        for (int n = 0; n < NODES; n++) {
            cluster.node("node-" + n, 12, Map.of());
        }
        for (int c = 0; c < CHAINS; c++) {
            String[] fns = new String[HOPS];
            for (int h = 0; h < HOPS; h++) {
                fns[h] = "c" + c + "-f" + h;
                cluster.function(fns[h], h % 2 == 0 ? FunctionType.ACL : FunctionType.ROUTER, 1, 1);
            }
            cluster.chain("chain-" + c, fns);
        }
        int testRequests = server.getRequestCount();
        AtomicInteger kubeletRequests = new AtomicInteger();
        ExecutorService kubelet = Executors.newSingleThreadExecutor();
        Set<String> readied = java.util.concurrent.ConcurrentHashMap.newKeySet();
        var watch = client.pods().inNamespace(NS).withLabel(Names.LABEL_CHAIN).watch(new Watcher<Pod>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                if (action == Action.ADDED) {
                    kubelet.execute(() -> {
                        if (readied.add(pod.getMetadata().getName())) {
                            cluster.markReady(pod, "10.1." + (readied.size() / 250) + "." + (readied.size() % 250));
                            kubeletRequests.addAndGet(2);
                        }
                    });
                }
            }

            @Override
            public void onClose(WatcherException cause) {}
        });
        Operator operator = NfchainOperator.create(client, Clock.systemUTC(), ControllerSettings.defaults(),
                cluster.registry, cluster.journal);
        long start = System.nanoTime();
        operator.start();
        try {
            MockCluster.await("all pods", Duration.ofSeconds(300), () -> client.pods().inNamespace(NS).list().getItems().size()
                    == CHAINS * HOPS ? true : null);
            System.out.printf("scale: all pods created after %.1f s%n", (System.nanoTime() - start) / 1e9);
            MockCluster.await("all pods ready", Duration.ofSeconds(300), () -> readied.size() == CHAINS * HOPS ? true : null);
            System.out.printf("scale: all pods ready after %.1f s%n", (System.nanoTime() - start) / 1e9);
            MockCluster.await("every chain Ready", Duration.ofSeconds(300), () -> client.resources(ServiceChain.class).inNamespace(NS).list()
                    .getItems().stream().allMatch(sc -> sc.getStatus() != null
                            && Conditions.isTrue(sc.getStatus().conditions, Conditions.READY)) ? true : null);
            double seconds = (System.nanoTime() - start) / 1e9;
            int objects = CHAINS * HOPS + CHAINS + NODES;
            int controllerRequests = server.getRequestCount() - testRequests - kubeletRequests.get();
            System.out.printf("scale: %d objects ready in %.1f s, %d controller requests (%.2f per object), "
                    + "%d node-spec conflicts%n", objects, seconds, controllerRequests, controllerRequests / (double) objects,
                    (long) cluster.registry.get("nfchain.controller.node.spec.conflicts").counter().count());

            cluster.registry.getMeters().stream().filter(m -> m.getId().getName().contains("reconcil")
                    || m.getId().getName().startsWith("nfchain")).forEach(m -> System.out.println("scale meter: "
                    + m.getId().getName() + m.getId().getTags() + " " + m.measure()));
            for (DatapathNode n : client.resources(DatapathNode.class).list().getItems()) {
                long cores = client.pods().inNamespace(NS).list().getItems().stream()
                        .filter(p -> n.getMetadata().getName().equals(p.getSpec().getNodeName())).count();
                assertTrue(cores <= 12, n.getMetadata().getName() + " has " + cores + " one-core pods on 12 cores");
                assertEquals(n.getSpec().chains.size() * HOPS, n.getSpec().functions.size());
            }
            assertEquals(CHAINS * HOPS, client.pods().inNamespace(NS).list().getItems().size());
        } finally {
            watch.close();
            operator.stop();
            kubelet.shutdownNow();
        }
    }
}
