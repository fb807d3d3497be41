package io.nfchain.e2e;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.nfchain.api.agent.v1.Function;
import io.nfchain.api.agent.v1.FunctionServiceGrpc;
import io.nfchain.api.agent.v1.ListFunctionsRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Not thread-safe. A whole node on this machine as real processes: the datapath agent reading a
 * node file, and one NF runner per function, each connecting its memif link to the agent's
 * socket for it. Everything lives in one temporary directory (sockets, node file, logs) that
 * {@link #close()} removes after stopping every process it started.
 *
 * <p>Functions start first: their memif clients retry with backoff until the agent listens, the
 * way NF pods come up before or after the agent in a cluster.
 */
public final class LocalNode implements AutoCloseable {
    /**
     * One NF process.
     *
     * @param properties runner configuration on top of what the node sets (type, instance, link
     *     socket, HTTP/gRPC port): {@code nfchain.router.interfaces[0].mac}, ...
     */
    public record Nf(String name, String type, Map<String, String> properties) {}

    private final Path root;
    private final Path dir;
    private final Path sockets;
    private final Map<String, JavaProcess> nfs = new LinkedHashMap<>();
    private final Map<String, Integer> nfPorts = new LinkedHashMap<>();
    private final Map<String, Nf> nfSpecs = new LinkedHashMap<>();
    private final Map<String, ManagedChannel> channels = new LinkedHashMap<>();
    private final String idleStrategy;
    private JavaProcess agent;
    private int agentPort;

    /**
     * @param root the repository (its modules' built jars are run)
     * @param idleStrategy every process's poll loops: adaptive for a demo, busy for a benchmark
     */
    public LocalNode(Path root, String idleStrategy) throws IOException {
        this.root = root;
        this.idleStrategy = idleStrategy;
        this.dir = Files.createTempDirectory("nfchain-node");
        this.sockets = dir.resolve("sockets");
        Files.createDirectories(sockets);
    }

    /** The repository root: {@code -Dnfchain.root}, or the first parent of the working directory with e2e/. */
    public static Path repositoryRoot() {
        String configured = System.getProperty("nfchain.root");
        if (configured != null) {
            return Path.of(configured);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("e2e")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath()
                + " (set -Dnfchain.root)");
    }

    public Path directory() {
        return dir;
    }

    /** Where the agent listens for function {@code name}: the node file's default for it. */
    public Path socketOf(String name) {
        return sockets.resolve(name).resolve("memif.sock");
    }

    /** Starts an NF runner process for {@code nf}. */
    public JavaProcess startFunction(Nf nf) throws IOException {
        int port = nfPorts.computeIfAbsent(nf.name(), k -> freePort());
        Map<String, String> p = new LinkedHashMap<>();
        p.put("nfchain.function.type", nf.type());
        p.put("nfchain.function.instance", nf.name());
        p.put("nfchain.function.links[0].socket", socketOf(nf.name()).toString());
        p.put("nfchain.function.idle-strategy", idleStrategy);
        // 4096 slots: 400 ms of a 10 kpps chain, so a process the scheduler parks on a busy
        // two-core machine does not overflow its ring.
        p.put("nfchain.function.links[0].log2-ring-size", "12");
        p.put("quarkus.http.port", Integer.toString(port));
        p.putAll(nf.properties());
        JavaProcess process = JavaProcess.start(nf.name(), root.resolve("functions/target/quarkus-app/quarkus-run.jar"),
                List.of("--enable-native-access=ALL-UNNAMED"), p, dir.resolve("logs").resolve(nf.name() + ".log"));
        nfs.put(nf.name(), process);
        nfSpecs.put(nf.name(), nf);
        return process;
    }

    /**
     * Starts the agent on {@code nodeYaml} (the local node file; function sockets default under
     * this node). {@code ${grpc:NAME}} in it stands for function NAME's gRPC address, started
     * before: {@code grpc: ${grpc:acl}} lets the agent forward the acl's rule calls.
     */
    public JavaProcess startAgent(String nodeYaml) throws IOException {
        return startAgent(nodeYaml, Map.of());
    }

    /** As {@link #startAgent(String)}, with agent configuration on top: {@code nfchain.agent.cpu}, ... */
    public JavaProcess startAgent(String nodeYaml, Map<String, String> properties) throws IOException {
        Path nodeFile = dir.resolve("node.yaml");
        Files.writeString(nodeFile, resolve(nodeYaml));
        if (agentPort == 0) {
            agentPort = freePort();
        }
        Map<String, String> p = new LinkedHashMap<>();
        p.put("nfchain.agent.node-file", nodeFile.toString());
        p.put("nfchain.agent.socket-directory", sockets.toString());
        p.put("nfchain.agent.idle-strategy", idleStrategy);
        p.put("nfchain.agent.reload-interval", "200ms");
        p.put("quarkus.http.port", Integer.toString(agentPort));
        p.putAll(properties);
        agent = JavaProcess.start("agent", root.resolve("datapath-agent/target/quarkus-app/quarkus-run.jar"),
                List.of("--enable-native-access=ALL-UNNAMED"), p, dir.resolve("logs").resolve("agent.log"));
        return agent;
    }

    /** Replaces the node file; the agent applies it within its reload interval. */
    public void rewriteNodeFile(String nodeYaml) throws IOException {
        Path tmp = dir.resolve("node.yaml.tmp");
        Files.writeString(tmp, resolve(nodeYaml));
        Files.move(tmp, dir.resolve("node.yaml"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The node file with each {@code ${grpc:NAME}} replaced by that function's gRPC address. */
    private String resolve(String nodeYaml) {
        String out = nodeYaml;
        for (Map.Entry<String, Integer> e : nfPorts.entrySet()) {
            out = out.replace("${grpc:" + e.getKey() + "}", "localhost:" + e.getValue());
        }
        if (out.contains("${grpc:")) {
            throw new IllegalArgumentException("node file names a function this node has not started: " + out);
        }
        return out;
    }

    /** Waits until the agent answers and every function it knows has its link connected. */
    public void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "agent not answering";
        while (System.nanoTime() < deadline) {
            if (agent != null && !agent.isAlive()) {
                throw new IllegalStateException("agent exited:\n" + agent.tail(30));
            }
            for (JavaProcess nf : nfs.values()) {
                if (!nf.isAlive()) {
                    throw new IllegalStateException(nf.name() + " exited:\n" + nf.tail(30));
                }
            }
            try {
                List<Function> functions = FunctionServiceGrpc.newBlockingStub(agentChannel())
                        .withDeadlineAfter(2, TimeUnit.SECONDS).listFunctions(ListFunctionsRequest.getDefaultInstance())
                        .getFunctionsList();
                List<String> down = functions.stream().filter(f -> !f.getConnected()).map(Function::getName).toList();
                if (down.isEmpty() && functions.size() >= nfs.size()) {
                    return;
                }
                last = "functions not connected: " + down;
            } catch (StatusRuntimeException e) {
                last = "agent: " + e.getStatus();
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("node not ready after " + timeout.toSeconds() + " s: " + last);
    }

    public JavaProcess agent() {
        return agent;
    }

    public JavaProcess function(String name) {
        return nfs.get(name);
    }

    public List<JavaProcess> processes() {
        List<JavaProcess> all = new ArrayList<>();
        if (agent != null) {
            all.add(agent);
        }
        all.addAll(nfs.values());
        return all;
    }

    /** Kills an NF with SIGKILL (a crash) and starts it again with the same configuration. */
    public JavaProcess restartFunction(String name) throws IOException, InterruptedException {
        nfs.get(name).kill();
        return startFunction(nfSpecs.get(name));
    }

    public ManagedChannel agentChannel() {
        return channels.computeIfAbsent("agent", k -> channel(agentPort));
    }

    /** A channel to NF {@code name}'s gRPC API (its rules, its counters). */
    public ManagedChannel functionChannel(String name) {
        return channels.computeIfAbsent(name, k -> channel(nfPorts.get(name)));
    }

    public int agentPort() {
        return agentPort;
    }

    private static ManagedChannel channel(int port) {
        return ManagedChannelBuilder.forAddress("localhost", port).usePlaintext().build();
    }

    /** With {@code -Dnfchain.e2e.logs=DIR} (the e2e tests set it), the processes' logs are copied there. */
    private void keepLogs() {
        String keep = System.getProperty("nfchain.e2e.logs");
        Path logs = dir.resolve("logs");
        if (keep == null || !Files.isDirectory(logs)) {
            return;
        }
        try (Stream<Path> files = Files.list(logs)) {
            Path target = Path.of(keep).resolve(dir.getFileName());
            Files.createDirectories(target);
            for (Path f : files.toList()) {
                Files.copy(f, target.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // logs are a courtesy for whoever reads a failed run; the node is gone either way
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (ManagedChannel c : channels.values()) {
            c.shutdownNow();
        }
        List<JavaProcess> all = processes();
        for (JavaProcess p : all) {
            if (p.isAlive()) {
                ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroy);
            }
        }
        for (JavaProcess p : all) {
            p.stop(Duration.ofSeconds(5));
        }
        keepLogs();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // the directory is under the temporary directory: nothing else to do
        }
    }
}
