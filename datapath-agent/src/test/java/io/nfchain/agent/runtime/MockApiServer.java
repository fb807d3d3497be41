package io.nfchain.agent.runtime;

import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.nfchain.api.v1alpha1.DatapathNode;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Not thread-safe (started and stopped by Quarkus' test runner). The fabric8 mock API server in
 * CRUD mode, the DatapathNode CRD known with its status subresource, and the agent pointed at it
 * in Kubernetes mode as node {@link #NODE}.
 */
public final class MockApiServer implements QuarkusTestResourceLifecycleManager {
    static final String NODE = "node-q";
    static KubernetesMockServer server;

    @Override
    public Map<String, String> start() {
        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of(CustomResourceDefinitionContext.fromCustomResourceType(
                        DatapathNode.class))), false);
        server.init();
        return Map.of("quarkus.kubernetes-client.api-server-url", "http://localhost:" + server.getPort(),
                "quarkus.kubernetes-client.namespace", "default",
                "nfchain.agent.mode", "kubernetes",
                "nfchain.agent.node-name", NODE,
                "nfchain.agent.status-interval", "200ms");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.destroy();
        }
    }
}
