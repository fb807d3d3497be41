package io.nfchain.e2e.k8s;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.URI;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Thread-safe. A client interceptor that counts every HTTP request the client sends to the API
 * server, by verb (Kubernetes' verbs: get, list, watch, create, update, patch, delete) and
 * resource ({@code pods}, {@code servicechains/status}, ...). Each request is counted once, when
 * it is sent: a retry after a conflict is a second request, as the API server sees it.
 */
public final class RequestCounter implements Interceptor {
    private final Map<String, LongAdder> byVerbAndResource = new ConcurrentHashMap<>();

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        byVerbAndResource.computeIfAbsent(key(request.method(), request.uri()), k -> new LongAdder()).increment();
    }

    /** {@code "verb resource"} of one request, e.g. {@code "patch servicechains/status"}. */
    static String key(String method, URI uri) {
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        String[] parts = uri.getPath().replaceAll("^/+|/+$", "").split("/");
        // /api/v1/[namespaces/NS/]RESOURCE[/NAME[/SUB]] or /apis/GROUP/VERSION/[namespaces/NS/]...
        int i = parts.length > 0 && parts[0].equals("api") ? 2 : 3;
        if (parts.length > i + 2 && parts[i].equals("namespaces")) {
            i += 2;
        }
        String resource = i < parts.length ? parts[i] : uri.getPath();
        boolean named = parts.length > i + 1;
        if (parts.length > i + 2) {
            resource += "/" + parts[i + 2];
        }
        String verb = switch (method) {
            case "GET" -> query.contains("watch=true") ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> method.toLowerCase(java.util.Locale.ROOT);
        };
        return verb + " " + resource;
    }

    /** Requests so far by {@code "verb resource"}, sorted. */
    public Map<String, Long> byVerbAndResource() {
        Map<String, Long> out = new TreeMap<>();
        byVerbAndResource.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Requests so far by verb alone. */
    public Map<String, Long> byVerb() {
        Map<String, Long> out = new TreeMap<>();
        byVerbAndResource().forEach((k, v) -> out.merge(k.substring(0, k.indexOf(' ')), v, Long::sum));
        return out;
    }

    public long total() {
        return byVerbAndResource.values().stream().mapToLong(LongAdder::sum).sum();
    }
}
