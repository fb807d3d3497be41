package io.nfchain.controller.operations;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.nfchain.api.v1alpha1.DatapathNode;
import io.nfchain.api.v1alpha1.DatapathNodeSpec;
import io.nfchain.controller.ControllerMetrics;
import java.net.HttpURLConnection;
import java.util.function.UnaryOperator;

/**
 * Thread-safe. Writes {@code DatapathNode.spec}. Many chains share a node, so every write is an
 * update with the resourceVersion it was computed from; on a conflict the edit is computed again
 * from the node as the API server has it now. No server-side apply.
 */
public final class NodeSpecOperations {
    static final int MAX_ATTEMPTS = 10;
    private final KubernetesClient client;
    private final ControllerMetrics metrics;

    public NodeSpecOperations(KubernetesClient client, ControllerMetrics metrics) {
        this.client = client;
        this.metrics = metrics;
    }

    /**
     * Applies {@code edit} to the spec of {@code cached} (not modified: caches are shared) and
     * writes it when it changed. Returns the node as written, {@code cached} when nothing changed,
     * or null when the node is gone.
     */
    public DatapathNode edit(DatapathNode cached, UnaryOperator<DatapathNodeSpec> edit) {
        DatapathNode base = cached;
        for (int attempt = 1; ; attempt++) {
            DatapathNodeSpec next = edit.apply(base.getSpec());
            if (json(next).equals(json(base.getSpec()))) {
                return base;
            }
            DatapathNode copy = client.getKubernetesSerialization().clone(base);
            copy.setSpec(next);
            copy.setStatus(null);
            try {
                DatapathNode written = client.resource(copy).update();
                metrics.nodeSpecWritten();
                return written;
            } catch (KubernetesClientException e) {
                if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                    return null;
                }
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == MAX_ATTEMPTS) {
                    throw e;
                }
                metrics.nodeSpecConflict();
                base = client.resources(DatapathNode.class).withName(base.getMetadata().getName()).get();
                if (base == null) {
                    return null;
                }
            }
        }
    }

    private String json(DatapathNodeSpec spec) {
        return client.getKubernetesSerialization().asJson(spec == null ? new DatapathNodeSpec() : spec);
    }
}
