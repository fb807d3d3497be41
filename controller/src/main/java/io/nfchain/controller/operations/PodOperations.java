package io.nfchain.controller.operations;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.nfchain.controller.ControllerMetrics;
import io.nfchain.controller.model.Names;
import java.net.HttpURLConnection;
import java.time.Instant;

/** Thread-safe. Creates, stamps and deletes NF pods; one request each. */
public final class PodOperations {
    private final KubernetesClient client;
    private final ControllerMetrics metrics;

    public PodOperations(KubernetesClient client, ControllerMetrics metrics) {
        this.client = client;
        this.metrics = metrics;
    }

    /** Creates {@code pod}; one that exists already (a retried reconcile) is taken as it is. */
    public Pod create(Pod pod) {
        try {
            Pod created = client.resource(pod).create();
            metrics.podCreated();
            return created;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                return null;
            }
            throw e;
        }
    }

    /** Marks an old instance's pod with the time its hop moved away, so its drain survives a restart. */
    public void stampSwitchedAt(String namespace, String name, Instant at) {
        String patch = "{\"metadata\":{\"annotations\":{\"" + Names.ANNOTATION_SWITCHED_AT + "\":\"" + at + "\"}}}";
        try {
            client.pods().inNamespace(namespace).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                throw e;
            }
        }
    }

    /** Deletes a pod; one already gone is fine. */
    public void delete(String namespace, String name) {
        client.pods().inNamespace(namespace).withName(name).delete();
        metrics.podDeleted();
    }
}
