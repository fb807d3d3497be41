package io.nfchain.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * Not thread-safe: one per run. {@code nfchainctl}, the node agent's management CLI; the same
 * grammar serves a future {@code kubectl nfchain} plugin. {@link #execute} is the one entry:
 * Quarkus's main reaches it through {@link CommandLineProducer}, tests call it directly.
 */
@TopCommand
@Command(name = "nfchainctl", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        version = "nfchainctl for the agent API nfchain.agent.v1", subcommands = {ShowCommands.Show.class, ChangeCommands.Apply.class,
        ChangeCommands.Get.class, ChangeCommands.Switch.class, WatchCommand.class, CommandLine.HelpCommand.class},
        description = "Shows and changes what the nfchain agent on a node runs, over its gRPC management API.",
        footer = {"", "Exit codes: 0 done, 1 other failure, 2 usage, 3 invalid argument, 4 not found,",
                "5 agent unreachable or unavailable.",
                "Environment: NFCHAIN_AGENT (host:port) when --agent is not given; default " + AgentAddress.DEFAULT + "."})
public class Nfchainctl implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    private Map<String, String> env = Map.of();
    private boolean terminal;

    /** The process environment (tests pass their own). */
    Map<String, String> env() {
        return env;
    }

    /** Whether stdout is a terminal: watches redraw in place there, and append otherwise. */
    boolean terminal() {
        return terminal;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Failures.USAGE;
    }

    /** Sets up a command line over a {@link Nfchainctl}: error handling, environment, terminal. */
    static CommandLine configure(CommandLine commandLine, Map<String, String> env, boolean terminal) {
        Nfchainctl root = commandLine.getCommand();
        root.env = Map.copyOf(env);
        root.terminal = terminal;
        Failures failures = new Failures();
        return commandLine.setExecutionExceptionHandler(failures).setParameterExceptionHandler(failures);
    }

    /** Runs one command line and returns its exit code; what it prints goes to {@code out} and {@code err}. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        CommandLine commandLine = configure(new CommandLine(new Nfchainctl()), env, false);
        commandLine.setOut(out);
        commandLine.setErr(err);
        try {
            return commandLine.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }
}
