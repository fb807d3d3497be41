package io.nfchain.cli;

import io.nfchain.api.agent.v1.ApplyNodeSpecResponse;
import io.nfchain.api.agent.v1.GetNodeSpecRequest;
import io.nfchain.api.agent.v1.NodeSpecDocument;
import io.nfchain.api.agent.v1.SwitchFunctionRequest;
import io.nfchain.api.agent.v1.SwitchFunctionResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code apply}, {@code get spec} and {@code switch}: the commands that read or change the node spec. */
final class ChangeCommands {
    /** Larger than the agent takes (4 MiB); the agent names the limit when refusing. */
    static final int MAX_SPEC_BYTES = 8 << 20;

    private ChangeCommands() {}

    @Command(name = "apply", description = "Replaces the node spec (ports, functions, chains) with a YAML file's. "
            + "What is unchanged keeps running; on any error nothing changes.")
    static final class Apply extends AgentCommand {
        @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE",
                description = "The node spec in the local node file's schema; - reads stdin.")
        String file;

        @Override
        int run(AgentClient client, Nfchainctl root) {
            String yaml = read(file);
            ApplyNodeSpecResponse r = client.chains().applyNodeSpec(NodeSpecDocument.newBuilder().setYaml(yaml).build());
            out().println("applied " + (file.equals("-") ? "stdin" : file) + ": generation " + r.getGeneration());
            out().flush();
            return 0;
        }

        static String read(String file) {
            try {
                byte[] bytes;
                if (file.equals("-")) {
                    InputStream in = System.in;
                    bytes = in.readNBytes(MAX_SPEC_BYTES + 1);
                } else {
                    Path path = Path.of(file);
                    if (Files.isDirectory(path)) {
                        throw new Failures.UsageException("-f " + file + ": is a directory");
                    }
                    if (Files.size(path) > MAX_SPEC_BYTES) {
                        throw new Failures.UsageException("-f " + file + ": larger than " + MAX_SPEC_BYTES + " bytes");
                    }
                    bytes = Files.readAllBytes(path);
                }
                if (bytes.length > MAX_SPEC_BYTES) {
                    throw new Failures.UsageException("-f -: larger than " + MAX_SPEC_BYTES + " bytes");
                }
                return new String(bytes, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new Failures.UsageException("-f " + file + ": no such file");
            } catch (IOException e) {
                throw new Failures.UsageException("-f " + file + ": " + e.getMessage());
            }
        }
    }

    @Command(name = "get", description = "Gets a document from the node.", subcommands = GetSpec.class)
    static final class Get implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            throw new CommandLine.ParameterException(spec.commandLine(), "get what? spec");
        }
    }

    @Command(name = "spec", description = "Prints the node spec running now as YAML (what apply -f takes).")
    static final class GetSpec extends AgentCommand {
        @Override
        int run(AgentClient client, Nfchainctl root) {
            String yaml = client.chains().getNodeSpec(GetNodeSpecRequest.getDefaultInstance()).getYaml();
            out().print(yaml.endsWith("\n") || yaml.isEmpty() ? yaml : yaml + "\n");
            out().flush();
            return 0;
        }
    }

    @Command(name = "switch", description = "Moves a chain's hop to a new NF instance, make-before-break: the new "
            + "instance must connect first, then the hop switches, then the old one drains.")
    static final class Switch extends AgentCommand {
        @Option(names = "--chain", required = true, paramLabel = "CHAIN", description = "The chain whose hop moves.")
        String chain;

        @Option(names = "--from", required = true, paramLabel = "FUNCTION", description = "The function serving the hop now.")
        String from;

        @Option(names = "--to", required = true, paramLabel = "FUNCTION", description = "The new instance's name.")
        String to;

        @Option(names = "--type", paramLabel = "TYPE", description = "The new instance's type (default: the old one's).")
        String type;

        @Option(names = "--socket", paramLabel = "PATH",
                description = "Its memif socket, relative to the agent's socket directory (default: TO/memif.sock).")
        String socket;

        @Option(names = "--grpc", paramLabel = "TARGET", description = "Where the agent forwards its rule calls.")
        String grpc;

        @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "10s",
                converter = AgentCommand.DurationConverter.class,
                description = "How long the new instance may take to connect (default ${DEFAULT-VALUE}).")
        Duration connectTimeout;

        @Override
        Duration deadline() {
            return connection.timeout.plus(connectTimeout);
        }

        @Override
        int run(AgentClient client, Nfchainctl root) {
            SwitchFunctionRequest.Builder b = SwitchFunctionRequest.newBuilder().setChain(chain).setFromFunction(from)
                    .setToFunction(to).setConnectTimeoutMs((int) connectTimeout.toMillis());
            if (type != null) {
                b.setToType(type);
            }
            if (socket != null) {
                b.setToSocket(socket);
            }
            if (grpc != null) {
                b.setToGrpc(grpc);
            }
            // The agent holds the call while the new instance connects: the deadline covers that wait.
            SwitchFunctionResponse r = client.chains(connectTimeout).switchFunction(b.build());
            out().println("switched chain " + chain + " from " + from + " to " + to + ": generation "
                    + r.getGeneration());
            out().flush();
            return 0;
        }
    }
}
