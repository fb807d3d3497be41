package io.nfchain.e2e.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.nfchain.e2e.JavaProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread-safe. The kubelet of one node, for NF pods: each pod bound to the node (its
 * {@code spec.nodeName}) becomes a function runner process started with the pod's environment,
 * the downward-API {@code status.podIP} resolved to a loopback address of its own
 * ({@code 127.0.0.N}, so every runner binds port 9091 on its own IP), its {@code hostPath}
 * directories created ({@code DirectoryOrCreate}), its status set (IP, Running, then Ready once
 * {@code /q/health/ready} answers 200, as the readiness probe would), and the process stopped when
 * the pod is deleted. The container image is not pulled: every built-in function image is the
 * runner jar of this repository.
 */
final class ProcessKubelet implements AutoCloseable {
    /** A pod's process and address. */
    record Running(String pod, String ip, JavaProcess process) {}

    private final KubernetesClient client;
    private final String nodeName;
    private final Path runnerJar;
    private final Path logs;
    private final SharedIndexInformer<Pod> informer;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final List<Long> everyPid = java.util.Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService probes = Executors.newCachedThreadPool();
    private final AtomicInteger nextIp = new AtomicInteger(2);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private volatile boolean closed;

    ProcessKubelet(KubernetesClient client, String namespace, String nodeName, Path runnerJar, Path logs) {
        this.client = client;
        this.nodeName = nodeName;
        this.runnerJar = runnerJar;
        this.logs = logs;
        this.informer = client.pods().inNamespace(namespace).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                if (nodeName.equals(pod.getSpec().getNodeName())) {
                    probes.execute(() -> start(pod));
                }
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {}

            @Override
            public void onDelete(Pod pod, boolean unknownFinalState) {
                probes.execute(() -> stop(pod.getMetadata().getName()));
            }
        });
    }

    private void start(Pod pod) {
        String name = pod.getMetadata().getName();
        if (closed || running.containsKey(name)) {
            return;
        }
        String ip = "127.0.0." + nextIp.getAndIncrement();
        try {
            for (Volume v : pod.getSpec().getVolumes()) {
                if (v.getHostPath() != null) {
                    Files.createDirectories(Path.of(v.getHostPath().getPath()));
                }
            }
            Container c = pod.getSpec().getContainers().get(0);
            Map<String, String> env = new LinkedHashMap<>();
            for (EnvVar e : c.getEnv()) {
                env.put(e.getName(), value(e, ip));
            }
            JavaProcess p = JavaProcess.start(name, runnerJar, List.of("--enable-native-access=ALL-UNNAMED"), Map.of(),
                    env, logs.resolve(name + ".log"));
            everyPid.add(p.pid());
            running.put(name, new Running(name, ip, p));
            if (client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(name).get() == null) {
                stop(name); // deleted while it started
                return;
            }
            writeStatus(pod, ip, false);
            awaitReady(pod, ip, p);
        } catch (IOException | RuntimeException e) {
            System.err.println("kubelet: pod " + name + " did not start: " + e);
        }
    }

    /** A container's env value: literal, or the one downward-API field NF pods use. */
    private static String value(EnvVar e, String podIp) {
        if (e.getValueFrom() == null) {
            return e.getValue() == null ? "" : e.getValue();
        }
        var field = e.getValueFrom().getFieldRef();
        if (field != null && field.getFieldPath().equals("status.podIP")) {
            return podIp;
        }
        throw new IllegalArgumentException("env " + e.getName() + ": this kubelet resolves only status.podIP, not "
                + e.getValueFrom());
    }

    private void awaitReady(Pod pod, String ip, JavaProcess p) {
        var get = pod.getSpec().getContainers().get(0).getReadinessProbe().getHttpGet();
        URI probe = URI.create("http://" + ip + ":" + get.getPort().getIntVal() + get.getPath());
        while (!closed && p.isAlive() && running.containsKey(pod.getMetadata().getName())) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(1)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    writeStatus(pod, ip, true);
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void writeStatus(Pod pod, String ip, boolean ready) {
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        for (int attempt = 0; attempt < 10; attempt++) {
            Pod now = client.pods().inNamespace(ns).withName(name).get();
            if (now == null) {
                return;
            }
            now.setStatus(new PodStatusBuilder().withPhase("Running").withPodIP(ip).withConditions(
                    new PodConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False").build()).build());
            try {
                client.pods().inNamespace(ns).resource(now).updateStatus();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
    }

    private void stop(String pod) {
        // Out of the map only once the process is gone: the map says what runs.
        Running r = running.get(pod);
        if (r != null) {
            try {
                r.process().stop(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.remove(pod, r);
        }
    }

    /** The pods running now, by name. */
    Map<String, Running> running() {
        return Map.copyOf(running);
    }

    /** Every process this kubelet ever started. */
    List<Long> everyPid() {
        return List.copyOf(everyPid);
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        informer.close();
        probes.shutdownNow();
        probes.awaitTermination(10, TimeUnit.SECONDS);
        for (String pod : List.copyOf(running.keySet())) {
            stop(pod);
        }
    }
}
