package io.nfchain.functions.runner;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.nfchain.core.memif.MemifClient;
import io.nfchain.core.memif.MemifCounters;
import io.nfchain.core.memif.MemifDrop;
import io.nfchain.core.runtime.RunnerStats;
import io.nfchain.functions.sdk.CounterSet;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;

/**
 * Every counter of the function, of its worker and of its memif links, and the poll thread's
 * runtime figures, as Micrometer meters read on each scrape (nothing is pushed from the poll
 * thread). Names, as Prometheus shows them:
 * <ul>
 *   <li>{@code nfchain_function_packets_total{function,instance,scope,counter,text,drop}}:
 *       scope is the function type or {@code worker};
 *   <li>{@code nfchain_link_{rx,tx}_{packets,bytes}_total{link,output}},
 *       {@code nfchain_link_drops_total{link,reason,text}}, {@code nfchain_link_connected};
 *   <li>{@code nfchain_runtime_busy_ratio}, {@code nfchain_runtime_ns_per_packet},
 *       {@code nfchain_runtime_mean_burst}, {@code nfchain_runtime_empty_polls_total},
 *       {@code nfchain_runtime_sleeps_total}.
 * </ul>
 */
@Startup
@Singleton
public class FunctionMetrics {
    FunctionMetrics(FunctionRuntime runtime, MeterRegistry registry) {
        Tags common = Tags.of("function", runtime.name(), "instance", runtime.config().instance());
        for (int k = 0; k < runtime.stages().size(); k++) {
            registerCounters(registry, common, runtime.stages().get(k).name(), runtime.worker().counters(k));
        }
        registerCounters(registry, common, "worker", runtime.worker().workerCounters());
        for (int k = 0; k < runtime.linkCount(); k++) {
            registerLink(registry, common.and("link", Integer.toString(k), "output",
                    runtime.outputs().get(k)), runtime.link(k));
        }
        registerRuntime(registry, common, runtime.runner().stats());
    }

    private static <C extends Enum<C> & io.nfchain.functions.sdk.FunctionCounter> void registerCounters(
            MeterRegistry registry, Tags common, String scope, CounterSet<C> counters) {
        for (C counter : counters.counters()) {
            FunctionCounter.builder("nfchain.function.packets", counters, set -> set.get(counter))
                    .description("packets counted by a network function, by counter")
                    .tags(common.and("scope", scope, "counter", counter.name(), "text", counter.text(), "drop",
                            Boolean.toString(counter.isDrop())))
                    .register(registry);
        }
    }

    private static void registerLink(MeterRegistry registry, Tags tags, MemifClient link) {
        MemifCounters counters = link.counters(0);
        FunctionCounter.builder("nfchain.link.rx.packets", counters, MemifCounters::rxPackets).tags(tags)
                .description("packets received from the agent").register(registry);
        FunctionCounter.builder("nfchain.link.rx.bytes", counters, MemifCounters::rxBytes).tags(tags)
                .baseUnit("bytes").register(registry);
        FunctionCounter.builder("nfchain.link.tx.packets", counters, MemifCounters::txPackets).tags(tags)
                .description("packets sent to the agent").register(registry);
        FunctionCounter.builder("nfchain.link.tx.bytes", counters, MemifCounters::txBytes).tags(tags)
                .baseUnit("bytes").register(registry);
        for (MemifDrop reason : MemifDrop.values()) {
            FunctionCounter.builder("nfchain.link.drops", counters, c -> c.drops(reason))
                    .tags(tags.and("reason", reason.name(), "text", reason.text()))
                    .description("frames dropped on the memif link, by reason").register(registry);
        }
        Gauge.builder("nfchain.link.connected", link, l -> l.isConnected() ? 1 : 0).tags(tags)
                .description("1 while the link to the agent is up").register(registry);
    }

    private static void registerRuntime(MeterRegistry registry, Tags tags, RunnerStats stats) {
        Gauge.builder("nfchain.runtime.busy.ratio", stats, s -> s.snapshot().busyRatio()).tags(tags)
                .description("share of the poll thread's time in rounds that found work").register(registry);
        Gauge.builder("nfchain.runtime.ns.per.packet", stats, s -> s.snapshot().nsPerWorkItem()).tags(tags)
                .description("poll thread ns per packet, over rounds that found work").register(registry);
        Gauge.builder("nfchain.runtime.mean.burst", stats, s -> s.snapshot().meanBurstSize()).tags(tags)
                .description("packets per round that found work").register(registry);
        FunctionCounter.builder("nfchain.runtime.empty.polls", stats, s -> s.snapshot().emptyPolls()).tags(tags)
                .register(registry);
        FunctionCounter.builder("nfchain.runtime.sleeps", stats, s -> s.snapshot().sleeps()).tags(tags)
                .register(registry);
    }
}
