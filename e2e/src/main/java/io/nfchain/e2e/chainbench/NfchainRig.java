package io.nfchain.e2e.chainbench;

import io.nfchain.api.acl.v1.AclServiceGrpc;
import io.nfchain.api.agent.v1.Chain;
import io.nfchain.api.agent.v1.ChainServiceGrpc;
import io.nfchain.api.agent.v1.ListChainsRequest;
import io.nfchain.api.function.v1.Counter;
import io.nfchain.api.function.v1.FunctionServiceGrpc;
import io.nfchain.api.function.v1.ListCountersRequest;
import io.nfchain.api.router.v1.AddRoutesRequest;
import io.nfchain.api.router.v1.RouterServiceGrpc;
import io.nfchain.e2e.LocalNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Not thread-safe. nfchain doing the chain's job: a {@link LocalNode} (agent, acl and router NF
 * runners as processes) with {@code gen0 -> acl -> router -> out}, the bench's rules and routes
 * pushed over gRPC. Traffic is switched on and off by rewriting the node file (off is a gen port
 * with a one-packet limit), so the processes and their tables stay up across interleaved runs.
 *
 * <p>Poll loops are adaptive: under the bench's open-loop load they never run dry and behave as
 * busy polling; between nfchain runs they park, so they do not take CPU from the kernel's runs
 * measured while they stay up. The agent's worker is pinned to {@code agentCpu}, both NFs' poll
 * threads to {@code nfCpu} (three poll loops on two cores: the generator gets a core of its own
 * so the source stays open loop).
 */
public final class NfchainRig implements AutoCloseable {
    private final LocalNode node;
    private final int agentCpu;
    private final int nfCpu;

    /** The poll loops' idle strategy: {@code -Dnfchain.bench.chain.idle}, adaptive by default. */
    static final String IDLE = System.getProperty("nfchain.bench.chain.idle", "adaptive");

    public NfchainRig(Path root, int agentCpu, int nfCpu) throws IOException {
        this.node = new LocalNode(root, IDLE);
        this.agentCpu = agentCpu;
        this.nfCpu = nfCpu;
    }

    /** Starts the processes and loads rules and routes; returns the seconds the routes took. */
    public double setUp(ChainTraffic traffic, ChainRules rules, ChainRoutes routes) throws Exception {
        String cpu = Integer.toString(nfCpu);
        node.startFunction(new LocalNode.Nf("acl", "acl", Map.of("nfchain.acl.default-action", "deny",
                "nfchain.function.cpu", cpu)));
        node.startFunction(new LocalNode.Nf("router", "router", Map.of(
                "nfchain.router.interfaces[0].name", "edge",
                "nfchain.router.interfaces[0].mac", "02:00:00:00:00:02",
                "nfchain.router.interfaces[0].ipv4", ChainRoutes.LINK_ADDRESS,
                "nfchain.function.cpu", cpu)));
        node.startAgent(nodeYaml(traffic, 0, false), Map.of("nfchain.agent.cpu", Integer.toString(agentCpu)));
        node.awaitReady(Duration.ofSeconds(90));
        AclServiceGrpc.newBlockingStub(node.functionChannel("acl")).withDeadlineAfter(60, TimeUnit.SECONDS)
                .replaceRules(rules.request());
        RouterServiceGrpc.RouterServiceBlockingStub router = RouterServiceGrpc.newBlockingStub(
                node.functionChannel("router"));
        router.withDeadlineAfter(30, TimeUnit.SECONDS).setNeighbors(routes.neighbors());
        long start = System.nanoTime();
        for (AddRoutesRequest batch : routes.batches()) {
            router.withDeadlineAfter(60, TimeUnit.SECONDS).addRoutes(batch);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** The node file: the gen port at {@code ratePps} (0: open loop), or off ({@code on} false). */
    static String nodeYaml(ChainTraffic traffic, long ratePps, boolean on) {
        return """
                ports:
                  - %s
                  - {name: out, type: sink}
                functions:
                  - {name: acl, type: acl, failurePolicy: fail-closed}
                  - {name: router, type: router, failurePolicy: fail-closed}
                chains:
                  - name: bench
                    classifier: {ingressPort: gen0}
                    hops: [{function: acl}, {function: router}]
                    egressPort: out
                """.formatted(traffic.genYaml("gen0", on ? ratePps : 0, on ? 0 : 1));
    }

    /**
     * Traffic on: open loop as fast as the agent's worker polls ({@code ratePps} 0), or open loop at
     * {@code ratePps} (the gen port keeps its schedule whatever the chain takes).
     */
    public void traffic(ChainTraffic traffic, long ratePps) throws IOException {
        node.rewriteNodeFile(nodeYaml(traffic, ratePps, true));
    }

    /** Traffic off: a gen port with a one-packet limit, so the processes and their tables stay up. */
    public void trafficOff(ChainTraffic traffic) throws IOException {
        node.rewriteNodeFile(nodeYaml(traffic, 0, false));
    }

    /** Counters now: the chain's, and each NF's drop counters (prefixed acl./router.). */
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        List<Chain> chains = ChainServiceGrpc.newBlockingStub(node.agentChannel())
                .withDeadlineAfter(5, TimeUnit.SECONDS).listChains(ListChainsRequest.getDefaultInstance())
                .getChainsList();
        Chain chain = chains.isEmpty() ? Chain.getDefaultInstance() : chains.get(0);
        c.put("offered", chain.getReceived());
        c.put("delivered", chain.getDelivered());
        if (chain.getHopsCount() == 2) {
            c.put("acl_in", chain.getHops(0).getSent());
            c.put("drop.agent.acl ring full", chain.getHops(0).getRingFull());
            c.put("drop.agent.router ring full", chain.getHops(1).getRingFull());
        }
        for (var d : chain.getDropsList()) {
            if (d.getName().equals("RING_FULL")) {
                continue; // counted per hop above
            }
            c.merge("drop.agent." + d.getName(), d.getValue(), Long::sum);
        }
        for (String nf : List.of("acl", "router")) {
            for (Counter k : FunctionServiceGrpc.newBlockingStub(node.functionChannel(nf))
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .listCounters(ListCountersRequest.newBuilder().setNonZeroOnly(true).build()).getCountersList()) {
                if (k.getDrop()) {
                    c.merge("drop." + nf + "." + k.getName(), k.getValue(), Long::sum);
                }
            }
        }
        return c;
    }

    /** CPU seconds each process of the node (agent, acl, router) has used so far, all its threads. */
    public Map<String, Double> processCpuSeconds() {
        Map<String, Double> cpu = new LinkedHashMap<>();
        node.processes().forEach(p -> cpu.put(p.name(), p.cpuSeconds()));
        return cpu;
    }

    /** Fails when a process of the node has exited. */
    public void checkAlive() {
        node.processes().forEach(p -> {
            if (!p.isAlive()) {
                throw new IllegalStateException(p.name() + " exited:\n" + p.tail(20));
            }
        });
    }

    public String describePinning() {
        return "agent worker on cpu " + agentCpu + ", acl and router poll threads on cpu " + nfCpu
                + " (other JVM threads unpinned), idle strategy " + IDLE;
    }

    @Override
    public void close() throws InterruptedException {
        node.close();
    }
}
