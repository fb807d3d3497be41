package io.nfchain.agent.runtime;

import io.nfchain.agent.datapath.Chain;
import io.nfchain.agent.datapath.Datapath;
import io.nfchain.agent.datapath.DatapathDrop;
import io.nfchain.agent.datapath.Hop;
import io.nfchain.agent.datapath.Plan;
import io.nfchain.agent.port.MemifPort;
import io.nfchain.agent.port.Port;
import io.nfchain.agent.spec.ChainSpec;
import io.nfchain.agent.spec.FailurePolicy;
import io.nfchain.agent.spec.FunctionSpec;
import io.nfchain.agent.spec.MatchSpec;
import io.nfchain.api.agent.v1.Counter;
import io.nfchain.api.agent.v1.CounterSnapshot;
import io.nfchain.api.agent.v1.Function;
import io.nfchain.api.agent.v1.Worker;
import io.nfchain.core.runtime.RunnerStats;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Thread-safe (stateless). The API's messages built from the running plan and spec; the
 * Kubernetes status is built from the same views.
 */
public final class AgentViews {
    private AgentViews() {}

    static io.nfchain.api.agent.v1.Port port(Port p) {
        io.nfchain.api.agent.v1.Port.Builder b = io.nfchain.api.agent.v1.Port.newBuilder()
                .setName(p.name()).setType(p.type()).setUp(p.isUp()).setState(p.state())
                .setRxPackets(p.counters().rxPackets()).setRxBytes(p.counters().rxBytes())
                .setTxPackets(p.counters().txPackets()).setTxBytes(p.counters().txBytes());
        for (Map.Entry<String, Long> d : p.portDrops().entrySet()) {
            b.addDrops(Counter.newBuilder().setScope("port/" + p.name()).setName(d.getKey()).setText(p.dropText(d.getKey()))
                    .setValue(d.getValue()));
        }
        return b.build();
    }

    /** External ports only: function links are listed as functions. */
    public static List<io.nfchain.api.agent.v1.Port> ports(Plan plan, Map<String, MemifPort> links) {
        List<io.nfchain.api.agent.v1.Port> out = new ArrayList<>();
        for (Port p : plan.ports()) {
            if (!links.containsValue(p)) {
                out.add(port(p));
            }
        }
        return out;
    }

    static io.nfchain.api.agent.v1.Chain chain(Chain c) {
        ChainSpec spec = c.spec();
        io.nfchain.api.agent.v1.Chain.Builder b = io.nfchain.api.agent.v1.Chain.newBuilder()
                .setName(c.name()).setPriority(spec.priority()).setIngressPort(spec.classifier().ingressPort())
                .setVlan(spec.classifier().vlan()).setMatch(match(spec.classifier().match()))
                .setEgressPort(spec.egressPort()).setReceived(c.received()).setDelivered(c.delivered());
        for (Hop h : c.hops()) {
            boolean up = h.link() != null && h.link().isUp();
            b.addHops(io.nfchain.api.agent.v1.Hop.newBuilder().setFunction(h.function())
                    .setFailurePolicy(h.policy().text())
                    .setState(up ? "up" : h.policy() == FailurePolicy.FAIL_OPEN ? "bypassed" : "dropping")
                    .setSent(h.sent()).setReturned(h.returned()).setBypassed(h.bypassed())
                    .setDroppedDown(h.droppedDown()).setRingFull(h.ringFull()));
        }
        for (DatapathDrop d : DatapathDrop.values()) {
            b.addDrops(Counter.newBuilder().setScope("chain/" + c.name()).setName(d.name()).setText(d.text())
                    .setValue(c.drops(d)));
        }
        return b.build();
    }

    static String match(MatchSpec m) {
        StringBuilder s = new StringBuilder();
        if (m.source() != null) {
            s.append("src ").append(m.source()).append(' ');
        }
        if (m.destination() != null) {
            s.append("dst ").append(m.destination()).append(' ');
        }
        if (m.protocol() != MatchSpec.ANY_PROTOCOL) {
            s.append("proto ").append(m.protocol()).append(' ');
        }
        if (!m.sourcePorts().isAny()) {
            s.append("sport ").append(m.sourcePorts()).append(' ');
        }
        if (!m.destinationPorts().isAny()) {
            s.append("dport ").append(m.destinationPorts()).append(' ');
        }
        return s.isEmpty() ? "any" : s.toString().trim();
    }

    static List<Function> functions(List<FunctionSpec> specs, Map<String, MemifPort> links, List<ChainSpec> chains,
            List<String> draining) {
        List<Function> out = new ArrayList<>();
        for (Map.Entry<String, MemifPort> e : links.entrySet()) {
            String name = e.getKey();
            MemifPort link = e.getValue();
            FunctionSpec spec = specs.stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
            Function.Builder b = Function.newBuilder().setName(name).setConnected(link.isUp()).setState(link.state())
                    .setConnects(link.connects()).setRxPackets(link.counters().rxPackets())
                    .setTxPackets(link.counters().txPackets()).setHop(hop(name, chains, draining));
            if (spec != null) {
                b.setType(spec.type()).setSocket(spec.socket().toString()).setGrpcTarget(spec.grpcTarget());
            }
            out.add(b.build());
        }
        return out;
    }

    private static String hop(String function, List<ChainSpec> chains, List<String> draining) {
        if (draining.contains(function)) {
            return "draining";
        }
        for (ChainSpec c : chains) {
            for (int h = 0; h < c.hops().size(); h++) {
                if (c.hops().get(h).function().equals(function)) {
                    return c.name() + "[" + h + "]";
                }
            }
        }
        return "";
    }

    static Worker worker(AgentRuntime runtime) {
        RunnerStats.Snapshot s = runtime.runner().stats().snapshot();
        return Worker.newBuilder().setName(runtime.runner().agent().roleName())
                .setIdleStrategy(runtime.idleStrategy().name()).setBusyRatio(s.busyRatio()).setLoops(s.loops())
                .setEmptyPolls(s.emptyPolls()).setSleeps(s.sleeps()).setSleptNs(s.sleptNs())
                .setMeanBurst(s.meanBurstSize()).setNsPerPacket(s.nsPerWorkItem()).setPackets(s.workItems())
                .setProcessCpuSeconds(processCpuSeconds())
                .setPlanGeneration(runtime.datapath().plan().generation()).build();
    }

    static double processCpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return 0;
    }

    static CounterSnapshot snapshot(AgentRuntime runtime) {
        Plan plan = runtime.datapath().plan();
        CounterSnapshot.Builder b = CounterSnapshot.newBuilder()
                .setUnixNanos(System.currentTimeMillis() * 1_000_000L)
                .addAllPorts(ports(plan, runtime.datapath().functionLinks()))
                .addWorkers(worker(runtime));
        for (Chain c : plan.chains()) {
            b.addChains(chain(c));
        }
        return b.build();
    }

    /** Every drop counter of the node: chains, hops, ports, ingress classification. */
    static List<Counter> errors(AgentRuntime runtime, boolean nonZeroOnly) {
        return errors(runtime.datapath(), nonZeroOnly);
    }

    /** Every drop counter of the node: chains, hops, ports, ingress classification. */
    public static List<Counter> errors(Datapath datapath, boolean nonZeroOnly) {
        List<Counter> out = new ArrayList<>();
        Plan plan = datapath.plan();
        datapath.noChainDrops().forEach((port, n) -> out.add(Counter.newBuilder().setScope("ingress/" + port)
                .setName(DatapathDrop.NO_CHAIN.name()).setText(DatapathDrop.NO_CHAIN.text()).setValue(n).build()));
        for (Chain c : plan.chains()) {
            for (DatapathDrop d : DatapathDrop.values()) {
                if (d != DatapathDrop.NO_CHAIN) {
                    out.add(Counter.newBuilder().setScope("chain/" + c.name()).setName(d.name()).setText(d.text())
                            .setValue(c.drops(d)).build());
                }
            }
            for (int h = 0; h < c.hops().size(); h++) {
                Hop hop = c.hops().get(h);
                String scope = "hop/" + c.name() + "[" + h + "]";
                out.add(Counter.newBuilder().setScope(scope).setName("BYPASSED")
                        .setText("skipped: function down, hop fails open").setValue(hop.bypassed()).build());
            }
        }
        for (Port p : plan.ports()) {
            p.portDrops().forEach((name, n) -> out.add(Counter.newBuilder().setScope("port/" + p.name()).setName(name)
                    .setText(p.dropText(name)).setValue(n).build()));
        }
        if (nonZeroOnly) {
            out.removeIf(c -> c.getValue() == 0);
        }
        return out;
    }
}
