package io.nfchain.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Not thread-safe. A real datapath agent (the datapath-agent module's quarkus-run.jar) as a child
 * process on a free port, with a node file and socket directory in a temp directory.
 */
final class AgentProcess implements AutoCloseable {
    static final Path JAR = Path.of(System.getProperty("user.dir")).resolveSibling("datapath-agent")
            .resolve("target/quarkus-app/quarkus-run.jar");

    private final Path dir;
    private final Process process;
    private final int port;

    private AgentProcess(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    /** Starts an agent on {@code nodeYaml} and returns once its API answers. */
    static AgentProcess start(String nodeYaml) throws IOException, InterruptedException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: build the agent first "
                    + "(./mvnw -B -o -q -pl datapath-agent -am package -DskipTests)");
        }
        Path dir = Files.createTempDirectory("nfchainctl-test");
        Path nodeFile = dir.resolve("node.yaml");
        Files.writeString(nodeFile, nodeYaml);
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-Dquarkus.http.port=" + port, "-Dnfchain.agent.node-file=" + nodeFile,
                "-Dnfchain.agent.socket-directory=" + dir.resolve("sockets"), "-Dnfchain.agent.idle-strategy=backoff",
                "-jar", JAR.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile()).start();
        AgentProcess agent = new AgentProcess(dir, process, port);
        try {
            agent.awaitReady();
        } catch (RuntimeException | InterruptedException e) {
            agent.close();
            throw e;
        }
        return agent;
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("agent exited with " + process.exitValue() + ": " + log());
            }
            if (run("show", "runtime", "--timeout", "2s").code() == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("agent did not answer within 90 s: " + log());
            }
            Thread.sleep(200);
        }
    }

    String address() {
        return "localhost:" + port;
    }

    /** What a CLI run printed and returned. */
    record Result(int code, String out, String err) {}

    /** Runs the CLI in-process against this agent ({@code --agent} is added). */
    Result run(String... args) {
        String[] withAgent = Stream.concat(Stream.of(args), Stream.of("--agent", address())).toArray(String[]::new);
        return cli(Map.of(), withAgent);
    }

    /** Runs the CLI in-process with {@code env} as its environment. */
    static Result cli(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Nfchainctl.execute(args, new PrintWriter(out), new PrintWriter(err), env);
        return new Result(code, out.toString(), err.toString());
    }

    String log() {
        try {
            String text = Files.readString(dir.resolve("agent.log"));
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(15, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temp directory is not worth failing the tests over.
        }
    }
}
