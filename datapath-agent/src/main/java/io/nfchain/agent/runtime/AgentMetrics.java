package io.nfchain.agent.runtime;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.nfchain.agent.datapath.Chain;
import io.nfchain.agent.datapath.DatapathDrop;
import io.nfchain.agent.datapath.Hop;
import io.nfchain.agent.datapath.Plan;
import io.nfchain.agent.port.Port;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus meters for every port, chain, hop, drop reason and the worker: {@code
 * nfchain_agent_port_packets_total{port,direction}}, {@code nfchain_agent_chain_packets_total},
 * {@code nfchain_agent_drops_total{chain,reason}}, {@code nfchain_agent_hop_packets_total}, ...
 * Meters look their object up by name in the running plan at scrape time, so a port or chain
 * replaced by a spec change keeps its series; new names are registered once a second.
 */
@Startup
@Singleton
public class AgentMetrics {
    private final MeterRegistry registry;
    private final AgentRuntime runtime;
    private final Set<String> registered = new HashSet<>();
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("agent-metrics").daemon().factory());

    AgentMetrics(MeterRegistry registry, AgentRuntime runtime) {
        this.registry = registry;
        this.runtime = runtime;
        Gauge.builder("nfchain_agent_worker_busy_ratio", runtime, r -> r.runner().stats().snapshot().busyRatio())
                .tag("worker", "worker-0").description("fraction of the poll thread's time in rounds with work")
                .register(registry);
        FunctionCounter.builder("nfchain_agent_worker_loops", runtime, r -> r.runner().stats().snapshot().loops())
                .tag("worker", "worker-0").register(registry);
        FunctionCounter.builder("nfchain_agent_worker_empty_polls", runtime,
                r -> r.runner().stats().snapshot().emptyPolls()).tag("worker", "worker-0").register(registry);
        Gauge.builder("nfchain_agent_plan_generation", runtime, r -> r.datapath().plan().generation())
                .register(registry);
        refresh();
        refresher.scheduleWithFixedDelay(this::refresh, 1, 1, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        refresher.shutdownNow();
    }

    /** Registers meters for names the running plan has that were not seen before. */
    synchronized void refresh() {
        Plan plan = runtime.datapath().plan();
        for (Port p : plan.ports()) {
            String name = p.name();
            if (registered.add("port/" + name)) {
                port(name, "rx", "packets", q -> q.counters().rxPackets());
                port(name, "tx", "packets", q -> q.counters().txPackets());
                port(name, "rx", "bytes", q -> q.counters().rxBytes());
                port(name, "tx", "bytes", q -> q.counters().txBytes());
                Gauge.builder("nfchain_agent_port_up", this, m -> m.port(name) != null && m.port(name).isUp() ? 1 : 0)
                        .tags(Tags.of("port", name, "type", p.type())).register(registry);
            }
        }
        for (Chain c : plan.chains()) {
            String name = c.name();
            if (registered.add("chain/" + name)) {
                chain(name, "nfchain_agent_chain_received_packets_total", Chain::received, Tags.empty());
                chain(name, "nfchain_agent_chain_delivered_packets_total", Chain::delivered, Tags.empty());
                for (DatapathDrop d : DatapathDrop.values()) {
                    if (d != DatapathDrop.NO_CHAIN) {
                        chain(name, "nfchain_agent_drops_total", ch -> ch.drops(d), Tags.of("reason", d.name()));
                    }
                }
            }
            for (int h = 0; h < c.hops().size(); h++) {
                int hop = h;
                if (registered.add("hop/" + name + "/" + h)) {
                    hop(name, hop, "sent", Hop::sent);
                    hop(name, hop, "returned", Hop::returned);
                    hop(name, hop, "bypassed", Hop::bypassed);
                    hop(name, hop, "dropped_down", Hop::droppedDown);
                    hop(name, hop, "ring_full", Hop::ringFull);
                }
            }
        }
        for (String ingress : runtime.datapath().noChainDrops().keySet()) {
            if (registered.add("ingress/" + ingress)) {
                FunctionCounter.builder("nfchain_agent_drops", this,
                        m -> m.runtime.datapath().noChainDrops().getOrDefault(ingress, 0L))
                        .tags(Tags.of("chain", "", "port", ingress, "reason", DatapathDrop.NO_CHAIN.name()))
                        .description(DatapathDrop.NO_CHAIN.text()).register(registry);
            }
        }
    }

    private Port port(String name) {
        for (Port p : runtime.datapath().plan().ports()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    private Chain chain(String name) {
        for (Chain c : runtime.datapath().plan().chains()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    private void port(String name, String direction, String unit, ToDoubleFunction<Port> value) {
        FunctionCounter.builder("nfchain_agent_port_" + unit, this, m -> {
            Port p = m.port(name);
            return p == null ? 0 : value.applyAsDouble(p);
        }).tags(Tags.of("port", name, "direction", direction)).register(registry);
    }

    private void chain(String name, String meter, ToDoubleFunction<Chain> value, Tags tags) {
        FunctionCounter.builder(meter.replace("_total", ""), this, m -> {
            Chain c = m.chain(name);
            return c == null ? 0 : value.applyAsDouble(c);
        }).tags(tags.and("chain", name).and("port", "")).register(registry);
    }

    private void hop(String chainName, int hop, String what, ToDoubleFunction<Hop> value) {
        FunctionCounter.builder("nfchain_agent_hop_packets", this, m -> {
            Chain c = m.chain(chainName);
            return c == null || hop >= c.hops().size() ? 0 : value.applyAsDouble(c.hops().get(hop));
        }).tags(Tags.of("chain", chainName, "hop", Integer.toString(hop), "what", what)).register(registry);
    }
}
