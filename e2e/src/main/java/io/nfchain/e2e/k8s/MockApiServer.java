package io.nfchain.e2e.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.stream.Stream;

/**
 * Thread-safe (the server and its clients are). fabric8's mock Kubernetes API server in CRUD mode,
 * over plain HTTP on loopback, with nfchain's CRDs from {@code crds/} registered so that
 * {@code /status} is a subresource as on a real API server. Other processes (the agent) reach it
 * at {@link #url()}. {@link #close()} closes the clients it made and stops the server.
 */
public final class MockApiServer implements AutoCloseable {
    /**
     * The mock server logs every request at INFO through java.util.logging: thousands of lines
     * that slow it down more than the requests. Held here so the level is not garbage-collected.
     */
    private static final java.util.logging.Logger QUIET = quiet();
    private final KubernetesMockServer server;
    private final List<KubernetesClient> clients = new ArrayList<>();

    /** Starts the server on a free loopback port and registers every CRD under {@code crdDir}. */
    public MockApiServer(Path crdDir) throws IOException {
        QUIET.fine("starting");
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        try (Stream<Path> files = Files.list(crdDir)) {
            KubernetesClient admin = client();
            for (Path f : files.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted()
                    .toList()) {
                admin.apiextensions().v1().customResourceDefinitions().load(f.toFile()).create();
            }
        } catch (RuntimeException | IOException e) {
            close();
            throw e;
        }
    }

    private static java.util.logging.Logger quiet() {
        java.util.logging.Logger l = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
        l.setLevel(java.util.logging.Level.WARNING);
        return l;
    }

    /** The base URL, e.g. {@code http://127.0.0.1:40123/}. */
    public String url() {
        return server.url("/");
    }

    /** A new client of this server. */
    public synchronized KubernetesClient client() {
        KubernetesClient c = server.createClient();
        clients.add(c);
        return c;
    }

    /** A new client whose every request {@code counter} counts. */
    public synchronized KubernetesClient client(RequestCounter counter) {
        KubernetesClient c = server.createClient(b -> b.withHttpClientBuilderConsumer(
                h -> h.addOrReplaceInterceptor("nfchain-request-counter", counter)));
        clients.add(c);
        return c;
    }

    /** Requests the server has received from every client so far. */
    public int requestCount() {
        return server.getRequestCount();
    }

    @Override
    public synchronized void close() {
        for (KubernetesClient c : clients) {
            c.close();
        }
        clients.clear();
        server.destroy();
    }
}
