package io.nfchain.cli;

import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Not thread-safe: one per run. A command that talks to one agent: it opens the client, runs,
 * closes it, and turns a failed call into an {@link Failures.AgentCallException} naming the agent.
 */
abstract class AgentCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** {@code --agent} and {@code --timeout}, on every command that calls the agent. */
    static final class Connection {
        @Option(names = "--agent", paramLabel = "HOST:PORT", converter = AddressConverter.class,
                description = "The agent's gRPC endpoint (default: $NFCHAIN_AGENT, else " + AgentAddress.DEFAULT + ").")
        AgentAddress agent;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
                description = "Deadline of each call (500ms, 10s, 1m; default ${DEFAULT-VALUE}).")
        Duration timeout;

        AgentAddress address(java.util.Map<String, String> env) {
            if (agent != null) {
                return agent;
            }
            String fromEnv = env.get("NFCHAIN_AGENT");
            if (fromEnv == null || fromEnv.isEmpty()) {
                return AgentAddress.parse(AgentAddress.DEFAULT);
            }
            try {
                return AgentAddress.parse(fromEnv);
            } catch (IllegalArgumentException e) {
                throw new Failures.UsageException("NFCHAIN_AGENT: " + e.getMessage());
            }
        }
    }

    static final class AddressConverter implements CommandLine.ITypeConverter<AgentAddress> {
        @Override
        public AgentAddress convert(String value) {
            try {
                return AgentAddress.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Override
    public final Integer call() throws Exception {
        Nfchainctl root = (Nfchainctl) spec.root().userObject();
        AgentAddress address = connection.address(root.env());
        try (AgentClient client = new AgentClient(address, connection.timeout)) {
            try {
                return run(client, root);
            } catch (StatusRuntimeException e) {
                throw new Failures.AgentCallException(address, Durations.format(deadline()), e);
            }
        }
    }

    /** How long its longest call may take, for the message when the agent does not answer in time. */
    Duration deadline() {
        return connection.timeout;
    }

    /** Does the command's work; returns the exit code. */
    abstract int run(AgentClient client, Nfchainctl root) throws Exception;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
