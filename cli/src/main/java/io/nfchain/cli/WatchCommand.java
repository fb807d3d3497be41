package io.nfchain.cli;

import io.nfchain.api.agent.v1.CounterSnapshot;
import io.nfchain.api.agent.v1.WatchCountersRequest;
import java.util.Iterator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Not thread-safe: one per run. {@code watch}: a live table of chain and hop packet rates and drops by reason from the agent's counter stream. */
@Command(name = "watch", description = "Redraws per-chain and per-hop packet rates, drops by reason and the "
        + "workers' load every interval, from the agent's counter stream, until Ctrl-C.")
final class WatchCommand extends AgentCommand {
    @Mixin
    Output output;

    @Override
    int run(AgentClient client, Nfchainctl root) {
        output.check();
        Iterator<CounterSnapshot> stream = client.runtimeStream().watchCounters(WatchCountersRequest.newBuilder()
                .setIntervalMs((int) output.interval.toMillis()).build());
        CounterSnapshot before = null;
        for (int n = 0; !output.done(n) && stream.hasNext(); n++) {
            CounterSnapshot now = stream.next();
            if (output.format == Output.Format.JSON) {
                out().println(Output.json(now, true));
                out().flush();
            } else {
                String title = "nfchainctl watch: agent " + client.address() + ", every "
                        + Durations.format(output.interval) + ", busiest worker " + Views.percent(WatchView.busiest(now))
                        + " (Ctrl-C ends)";
                Output.draw(out(), root.terminal(), title, WatchView.render(now, before), n);
            }
            before = now;
        }
        return 0;
    }
}
