package io.nfchain.e2e.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What the bench's request table is made of: each request's verb and resource. */
class RequestCounterTest {
    @Test
    void namesVerbAndResourceAsKubernetesDoes() {
        assertEquals("create pods", key("POST", "/api/v1/namespaces/a/pods"));
        assertEquals("get pods", key("GET", "/api/v1/namespaces/a/pods/p-1"));
        assertEquals("list pods", key("GET", "/api/v1/namespaces/a/pods?labelSelector=x"));
        assertEquals("list pods", key("GET", "/api/v1/pods"));
        assertEquals("watch pods", key("GET", "/api/v1/namespaces/a/pods?allowWatchBookmarks=true&watch=true"));
        assertEquals("update pods/status", key("PUT", "/api/v1/namespaces/a/pods/p-1/status"));
        assertEquals("patch servicechains/status",
                key("PATCH", "/apis/nfchain.io/v1alpha1/namespaces/t/servicechains/edge/status"));
        assertEquals("update datapathnodes", key("PUT", "/apis/nfchain.io/v1alpha1/datapathnodes/node-a"));
        assertEquals("list datapathnodes", key("GET", "/apis/nfchain.io/v1alpha1/datapathnodes"));
        assertEquals("delete pods", key("DELETE", "/api/v1/namespaces/a/pods/p-1"));
        assertEquals("deletecollection pods", key("DELETE", "/api/v1/namespaces/a/pods"));
        assertEquals("list namespaces", key("GET", "/api/v1/namespaces"));
        assertEquals("get namespaces", key("GET", "/api/v1/namespaces/a"));
    }

    @Test
    void anyPathGivesAKeyNeverAnException() {
        Random r = new Random(6);
        String[] parts = {"api", "apis", "v1", "namespaces", "a", "pods", "status", "nfchain.io", "", "x"};
        String[] methods = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"};
        for (int i = 0; i < 5_000; i++) {
            StringBuilder p = new StringBuilder();
            for (int n = r.nextInt(8); n >= 0; n--) {
                p.append('/').append(parts[r.nextInt(parts.length)]);
            }
            String k = RequestCounter.key(methods[r.nextInt(methods.length)], URI.create("http://h" + p));
            assertTrue(k.indexOf(' ') > 0, k);
        }
    }

    private static String key(String method, String uri) {
        return RequestCounter.key(method, URI.create("http://localhost:1" + uri));
    }
}
