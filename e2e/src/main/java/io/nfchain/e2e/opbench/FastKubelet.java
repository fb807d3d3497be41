package io.nfchain.e2e.opbench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.nfchain.controller.model.Names;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread-safe. Every node's kubelet at once, for the bench: each NF pod the controller creates
 * gets an IP and {@code Ready=True} right away, with no process behind it (the bench measures
 * the controller, not the NFs). Its writes go through its own client, so the controller's
 * request count does not include them.
 */
final class FastKubelet implements AutoCloseable {
    private final KubernetesClient client;
    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private final Set<String> readied = ConcurrentHashMap.newKeySet();
    private final AtomicInteger failures = new AtomicInteger();
    private final Watch watch;

    FastKubelet(KubernetesClient client) {
        this.client = client;
        this.watch = client.pods().inAnyNamespace().withLabel(Names.LABEL_CHAIN).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                if (action == Action.ADDED) {
                    workers.execute(() -> markReady(pod));
                }
            }

            @Override
            public void onClose(WatcherException cause) {}
        });
    }

    private void markReady(Pod added) {
        String ns = added.getMetadata().getNamespace();
        String name = added.getMetadata().getName();
        if (!readied.add(ns + "/" + name)) {
            return;
        }
        int n = readied.size();
        Pod pod = added;
        // A conflict (the controller wrote the pod in between) is read again and retried, as a
        // kubelet's status manager does.
        for (int attempt = 0; attempt < 10 && pod != null; attempt++) {
            pod.setStatus(new PodStatusBuilder().withPhase("Running").withPodIP("10." + (n >> 16 & 255) + "."
                    + (n >> 8 & 255) + "." + (n & 255)).withConditions(new PodConditionBuilder().withType("Ready")
                    .withStatus("True").build()).build());
            try {
                client.pods().inNamespace(ns).resource(pod).updateStatus();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    break;
                }
                pod = client.pods().inNamespace(ns).withName(name).get();
            }
        }
        failures.incrementAndGet();
    }

    int readied() {
        return readied.size();
    }

    int failures() {
        return failures.get();
    }

    @Override
    public void close() throws InterruptedException {
        watch.close();
        workers.shutdownNow();
        workers.awaitTermination(10, TimeUnit.SECONDS);
    }
}
