package io.nfchain.cli;

import com.google.protobuf.Message;
import io.nfchain.api.agent.v1.CounterSnapshot;
import io.nfchain.api.agent.v1.GetRuntimeRequest;
import io.nfchain.api.agent.v1.GetRuntimeResponse;
import io.nfchain.api.agent.v1.ListChainsRequest;
import io.nfchain.api.agent.v1.ListChainsResponse;
import io.nfchain.api.agent.v1.ListErrorsRequest;
import io.nfchain.api.agent.v1.ListErrorsResponse;
import io.nfchain.api.agent.v1.ListFunctionsRequest;
import io.nfchain.api.agent.v1.ListFunctionsResponse;
import io.nfchain.api.agent.v1.ListPortsRequest;
import io.nfchain.api.agent.v1.ListPortsResponse;
import io.nfchain.api.agent.v1.WatchCountersRequest;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code show ports|chains|functions|runtime|errors}: VPP's show commands over the agent's API. */
final class ShowCommands {
    private ShowCommands() {}

    @Command(name = "show", description = "Shows what the node runs: ports, chains, functions, runtime, errors.",
            subcommands = {Ports.class, Chains.class, Functions.class, Runtime.class, Errors.class})
    static final class Show implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "show what? ports, chains, functions, runtime or errors");
        }
    }

    /**
     * Not thread-safe: one per run. One {@code show} table: read once, or under --watch read
     * again every interval with rates against the reading before.
     */
    abstract static class ShowCommand<M extends Message> extends AgentCommand {
        @Mixin
        Output output;

        @Option(names = {"-w", "--watch"}, description = "Read again every --interval and show rates (per second) until Ctrl-C.")
        boolean watch;

        /** The reading, by the thing's own rpc. */
        abstract M fetch(AgentClient client);

        /** The reading out of a counter snapshot, or null when snapshots do not carry this thing. */
        M fromSnapshot(CounterSnapshot snapshot) {
            return null;
        }

        abstract String table(M now, M before, Rates rates);

        @Override
        final int run(AgentClient client, Nfchainctl root) throws InterruptedException {
            if (!watch) {
                M now = fetch(client);
                out().print(output.format == Output.Format.JSON ? Output.json(now, false) + "\n"
                        : table(now, null, Rates.NONE));
                out().flush();
                return 0;
            }
            output.check();
            Readings<M> readings = fromSnapshot(CounterSnapshot.getDefaultInstance()) != null
                    ? streamed(client) : polled(client);
            String title = spec.qualifiedName() + " --watch: agent " + client.address() + ", every "
                    + Durations.format(output.interval) + " (Ctrl-C ends)";
            M before = null;
            long beforeNs = 0;
            for (int n = 0; !output.done(n) && readings.hasNext(); n++) {
                M now = readings.next();
                long nowNs = readings.nanos();
                if (output.format == Output.Format.JSON) {
                    out().println(Output.json(now, true));
                    out().flush();
                } else {
                    Rates rates = before == null ? Rates.FIRST : Rates.over((nowNs - beforeNs) / 1e9);
                    Output.draw(out(), root.terminal(), title, table(now, before, rates), n);
                }
                before = now;
                beforeNs = nowNs;
            }
            return 0;
        }

        private Readings<M> streamed(AgentClient client) {
            Iterator<CounterSnapshot> stream = client.runtimeStream().watchCounters(WatchCountersRequest.newBuilder()
                    .setIntervalMs((int) output.interval.toMillis()).build());
            return new Readings<>() {
                private long nanos;

                @Override
                public boolean hasNext() {
                    return stream.hasNext();
                }

                @Override
                public M next() {
                    CounterSnapshot s = stream.next();
                    nanos = s.getUnixNanos();
                    return fromSnapshot(s);
                }

                @Override
                public long nanos() {
                    return nanos;
                }
            };
        }

        // Functions and errors are not in the counter stream: ask again each interval, on the clock's schedule.
        private Readings<M> polled(AgentClient client) {
            long periodNs = output.interval.toNanos();
            long startNs = System.nanoTime();
            return new Readings<>() {
                private long nanos;
                private int taken;

                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public M next() {
                    long dueNs = startNs + taken * periodNs;
                    long waitNs = dueNs - System.nanoTime();
                    if (waitNs > 0) {
                        try {
                            TimeUnit.NANOSECONDS.sleep(waitNs);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new NoSuchElementException("interrupted");
                        }
                    }
                    taken++;
                    nanos = System.nanoTime();
                    return fetch(client);
                }

                @Override
                public long nanos() {
                    return nanos;
                }
            };
        }
    }

    /** Readings of one thing in time order, each with when it was taken. */
    interface Readings<M> extends Iterator<M> {
        /** When the last reading returned by {@link #next} was taken, in nanoseconds on some fixed clock. */
        long nanos();
    }

    @Command(name = "ports", description = "The node's ports: state, packets and bytes each way, drops.")
    static final class Ports extends ShowCommand<ListPortsResponse> {
        @Override
        ListPortsResponse fetch(AgentClient client) {
            return client.ports().listPorts(ListPortsRequest.getDefaultInstance());
        }

        @Override
        ListPortsResponse fromSnapshot(CounterSnapshot s) {
            return ListPortsResponse.newBuilder().addAllPorts(s.getPortsList()).build();
        }

        @Override
        String table(ListPortsResponse now, ListPortsResponse before, Rates rates) {
            return Views.ports(now.getPortsList(), before == null ? null : before.getPortsList(), rates);
        }
    }

    @Command(name = "chains", description = "The chains (match, ingress, egress, books) and each hop's state (up, bypassed, dropping) and counters.")
    static final class Chains extends ShowCommand<ListChainsResponse> {
        @Override
        ListChainsResponse fetch(AgentClient client) {
            return client.chains().listChains(ListChainsRequest.getDefaultInstance());
        }

        @Override
        ListChainsResponse fromSnapshot(CounterSnapshot s) {
            return ListChainsResponse.newBuilder().addAllChains(s.getChainsList()).build();
        }

        @Override
        String table(ListChainsResponse now, ListChainsResponse before, Rates rates) {
            return Views.chains(now.getChainsList(), before == null ? null : before.getChainsList(), rates);
        }
    }

    @Command(name = "functions", description = "The NF instances the chains use: link state, reconnects, hop, packets.")
    static final class Functions extends ShowCommand<ListFunctionsResponse> {
        @Override
        ListFunctionsResponse fetch(AgentClient client) {
            return client.functions().listFunctions(ListFunctionsRequest.getDefaultInstance());
        }

        @Override
        String table(ListFunctionsResponse now, ListFunctionsResponse before, Rates rates) {
            return Views.functions(now.getFunctionsList(), before == null ? null : before.getFunctionsList(), rates);
        }
    }

    @Command(name = "runtime", description = "The poll loops' figures: busy ratio, loops, sleeps, burst size, ns/packet, CPU.")
    static final class Runtime extends ShowCommand<GetRuntimeResponse> {
        @Override
        GetRuntimeResponse fetch(AgentClient client) {
            return client.runtime().getRuntime(GetRuntimeRequest.getDefaultInstance());
        }

        @Override
        GetRuntimeResponse fromSnapshot(CounterSnapshot s) {
            return GetRuntimeResponse.newBuilder().addAllWorkers(s.getWorkersList()).build();
        }

        @Override
        String table(GetRuntimeResponse now, GetRuntimeResponse before, Rates rates) {
            return Views.runtime(now.getWorkersList(), before == null ? null : before.getWorkersList(), rates);
        }
    }

    @Command(name = "errors", description = "Drop and error counters by scope and reason; non-zero ones unless --all.")
    static final class Errors extends ShowCommand<ListErrorsResponse> {
        @Option(names = "--all", description = "Every counter, zeros too.")
        boolean all;

        @Override
        ListErrorsResponse fetch(AgentClient client) {
            return client.runtime().listErrors(ListErrorsRequest.newBuilder().setNonZeroOnly(!all).build());
        }

        @Override
        String table(ListErrorsResponse now, ListErrorsResponse before, Rates rates) {
            return Views.errors(now.getCountersList(), before == null ? null : before.getCountersList(), rates);
        }
    }
}
