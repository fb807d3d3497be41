package io.nfchain.agent.datapath;

import io.nfchain.agent.port.MemifPort;
import io.nfchain.agent.port.Port;
import io.nfchain.agent.port.PortFactory;
import io.nfchain.agent.spec.ChainSpec;
import io.nfchain.agent.spec.FailurePolicy;
import io.nfchain.agent.spec.FunctionSpec;
import io.nfchain.agent.spec.NodeSpec;
import io.nfchain.agent.spec.NodeSpecReader;
import io.nfchain.agent.spec.PortSpec;
import io.nfchain.agent.spec.SpecException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Thread-safe: changes are serialized on this object. The control side of one datapath worker:
 * turns a {@link NodeSpec} into a {@link Plan} (reusing the ports and links whose spec did not
 * change, so their peers stay connected and their counters go on), hands it to the worker and
 * waits until it runs, then closes what the new plan no longer uses.
 *
 * <p>A spec that cannot be applied (a {@link SpecException}, a socket that cannot be bound, a
 * file that cannot be read) leaves the running plan untouched: nothing is half-applied.
 *
 * <p>{@link #switchFunction} replaces the instance serving a hop make-before-break: the new
 * instance's link must be up before the hop moves to it, and the old one keeps returning what it
 * holds until it is quiet, then goes.
 */
public final class Datapath implements AutoCloseable {
    private final DatapathWorker worker;
    private final PortFactory factory;
    private final Duration applyTimeout;
    private final Map<String, Port> ports = new LinkedHashMap<>();
    private final Map<String, PortSpec> portSpecs = new HashMap<>();
    private final Map<String, MemifPort> links = new LinkedHashMap<>();
    private final Map<String, FunctionSpec> functionSpecs = new HashMap<>();
    /** Links out of their hop, still returning packets: function name -> (link, chain, hop). */
    private final Map<MemifPort, Draining> draining = new LinkedHashMap<>();
    private final Map<String, Counters> ingressCounters = new HashMap<>();
    private final Map<String, Chain> chainsByName = new HashMap<>();
    private NodeSpec spec = NodeSpec.EMPTY;
    private long generation;

    private record Draining(String function, String chain, int hop) {}

    public Datapath(DatapathWorker worker, PortFactory factory, Duration applyTimeout) {
        this.worker = worker;
        this.factory = factory;
        this.applyTimeout = applyTimeout;
    }

    public DatapathWorker worker() {
        return worker;
    }

    /** The spec running now. */
    public synchronized NodeSpec spec() {
        return spec;
    }

    /** The plan the worker runs now (any thread). */
    public Plan plan() {
        return worker.runningPlan();
    }

    /** Each function's link, by function name, draining ones included. */
    public synchronized Map<String, MemifPort> functionLinks() {
        Map<String, MemifPort> out = new LinkedHashMap<>(links);
        draining.forEach((link, d) -> out.put(d.function(), link));
        return out;
    }

    /** Packets that matched no chain, per ingress port name. */
    public synchronized Map<String, Long> noChainDrops() {
        Map<String, Long> out = new LinkedHashMap<>();
        ingressCounters.forEach((port, c) -> out.put(port, c.get(Ingress.NO_CHAIN)));
        return out;
    }

    /**
     * Makes {@code next} the running spec. Validates it first ({@link SpecException} naming the
     * field), then opens what is new; on any failure closes what it opened and keeps the old plan.
     */
    public synchronized void apply(NodeSpec next) {
        NodeSpecReader.validate(next);
        List<AutoCloseable> opened = new ArrayList<>();
        Map<String, Port> nextPorts = new LinkedHashMap<>();
        Map<String, MemifPort> nextLinks = new LinkedHashMap<>();
        try {
            for (int i = 0; i < next.ports().size(); i++) {
                PortSpec p = next.ports().get(i);
                Port existing = ports.get(p.name());
                if (existing != null && p.equals(portSpecs.get(p.name()))) {
                    nextPorts.put(p.name(), existing);
                } else {
                    Port made = open("ports[" + i + "]", () -> factory.open(p));
                    opened.add(made);
                    nextPorts.put(p.name(), made);
                }
            }
            for (int i = 0; i < next.functions().size(); i++) {
                FunctionSpec f = next.functions().get(i);
                MemifPort existing = links.get(f.name());
                FunctionSpec old = functionSpecs.get(f.name());
                if (existing != null && old != null && old.socket().equals(f.socket())
                        && old.secret().equals(f.secret())) {
                    nextLinks.put(f.name(), existing);
                } else {
                    MemifPort made = open("functions[" + i + "]", () -> factory.openLink(f));
                    opened.add(made);
                    nextLinks.put(f.name(), made);
                }
            }
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
        List<MemifPort> drainingNow = drainMovedHops(next, nextLinks);
        List<AutoCloseable> retired = new ArrayList<>();
        ports.forEach((name, port) -> {
            if (!nextPorts.containsValue(port)) {
                retired.add(port);
            }
        });
        links.forEach((name, link) -> {
            if (!nextLinks.containsValue(link) && !draining.containsKey(link)) {
                retired.add(link);
            }
        });
        try {
            run(build(next, nextPorts, nextLinks));
        } catch (RuntimeException e) {
            drainingNow.forEach(draining::remove);
            closeAll(opened);
            throw e;
        }
        ports.clear();
        ports.putAll(nextPorts);
        portSpecs.clear();
        next.ports().forEach(p -> portSpecs.put(p.name(), p));
        links.clear();
        links.putAll(nextLinks);
        functionSpecs.clear();
        next.functions().forEach(f -> functionSpecs.put(f.name(), f));
        spec = next;
        closeAll(retired);
    }

    /**
     * A hop that {@code next} moves to another function, from a function {@code next} no longer
     * has, keeps the old link polled as draining (as {@link #switchFunction} does): what the old
     * instance still holds goes on to the next hop instead of being lost with its link.
     */
    private List<MemifPort> drainMovedHops(NodeSpec next, Map<String, MemifPort> nextLinks) {
        List<MemifPort> added = new ArrayList<>();
        for (ChainSpec c : next.chains()) {
            ChainSpec was = spec.chain(c.name()).orElse(null);
            if (was == null || was.hops().size() != c.hops().size()) {
                continue;
            }
            for (int h = 0; h < c.hops().size(); h++) {
                String old = was.hops().get(h).function();
                MemifPort link = links.get(old);
                if (!old.equals(c.hops().get(h).function()) && !nextLinks.containsKey(old) && link != null
                        && link.isUp() && !draining.containsKey(link)) {
                    draining.put(link, new Draining(old, c.name(), h));
                    added.add(link);
                }
            }
        }
        return added;
    }

    /**
     * Make-before-break: the hop of {@code chain} served by {@code oldFunction} moves to
     * {@code replacement} (a function the spec does not have yet) once the replacement's link is
     * up; the old instance then drains and is removed from the spec.
     *
     * @throws SpecException when the chain or function is unknown or the replacement is invalid
     * @throws IllegalStateException when the replacement did not connect within {@code connectTimeout}
     */
    public synchronized void switchFunction(String chainName, String oldFunction, FunctionSpec replacement,
            Duration connectTimeout) throws InterruptedException {
        ChainSpec chain = spec.chain(chainName)
                .orElseThrow(() -> new SpecException("chain", "no chain '" + chainName + "'"));
        int hop = -1;
        for (int h = 0; h < chain.hops().size(); h++) {
            if (chain.hops().get(h).function().equals(oldFunction)) {
                hop = h;
            }
        }
        if (hop < 0) {
            throw new SpecException("function", "chain '" + chainName + "' has no hop served by '" + oldFunction + "'");
        }
        List<FunctionSpec> functions = new ArrayList<>(spec.functions());
        functions.replaceAll(f -> f.name().equals(oldFunction) ? replacement : f);
        List<ChainSpec.Hop> hops = new ArrayList<>(chain.hops());
        ChainSpec.Hop old = hops.get(hop);
        hops.set(hop, new ChainSpec.Hop(replacement.name(), old.failurePolicy()));
        List<ChainSpec> chains = new ArrayList<>();
        for (ChainSpec c : spec.chains()) {
            chains.add(c.name().equals(chainName)
                    ? new ChainSpec(c.name(), c.priority(), c.classifier(), hops, c.egressPort()) : c);
        }
        NodeSpec next = new NodeSpec(spec.ports(), functions, chains);
        NodeSpecReader.validate(next);
        MemifPort newLink = open("replacement", () -> factory.openLink(replacement));
        long deadline = System.nanoTime() + connectTimeout.toNanos();
        // The worker does not poll a link outside its plan: run its handshake here until it is up.
        while (!newLink.isUp()) {
            newLink.doWork(System.nanoTime());
            if (System.nanoTime() > deadline) {
                newLink.close();
                throw new IllegalStateException("replacement '" + replacement.name() + "' did not connect to "
                        + replacement.socket() + " within " + connectTimeout.toMillis() + " ms; hop unchanged");
            }
            Thread.sleep(1);
        }
        MemifPort oldLink = links.get(oldFunction);
        draining.put(oldLink, new Draining(oldFunction, chainName, hop));
        links.put(replacement.name(), newLink);
        functionSpecs.put(replacement.name(), replacement);
        apply(next); // replaces links and functionSpecs: the old instance is now only in draining
    }

    /**
     * Removes links that went quiet after a switch: call from the control thread now and then
     * (the runtime does, every 100 ms). Returns the names of functions fully drained.
     */
    public synchronized List<String> reapDrained() {
        List<String> reaped = new ArrayList<>();
        List<MemifPort> quiet = new ArrayList<>();
        for (MemifPort port; (port = worker.pollDrained()) != null; ) {
            Draining d = draining.remove(port);
            if (d != null) {
                reaped.add(d.function());
                quiet.add(port);
            }
        }
        if (!quiet.isEmpty()) {
            run(build(spec, ports, links));
            closeAll(quiet);
        }
        return reaped;
    }

    /** Names of functions that were switched away from and are still draining. */
    public synchronized List<String> drainingFunctions() {
        return draining.values().stream().map(Draining::function).toList();
    }

    private Plan build(NodeSpec next, Map<String, Port> nextPorts, Map<String, MemifPort> nextLinks) {
        List<Chain> chains = new ArrayList<>();
        List<LinkRoute> routes = new ArrayList<>();
        Map<String, List<Chain>> byIngress = new LinkedHashMap<>();
        Map<String, Chain> nextChainsByName = new HashMap<>();
        for (ChainSpec c : next.chains()) {
            Hop[] hops = new Hop[c.hops().size()];
            Chain previous = chainsByName.get(c.name());
            for (int h = 0; h < hops.length; h++) {
                ChainSpec.Hop hs = c.hops().get(h);
                FunctionSpec f = next.function(hs.function()).orElseThrow();
                FailurePolicy policy = hs.failurePolicy() != null ? hs.failurePolicy() : f.failurePolicy();
                Counters counters = previous != null && previous.hops.length == hops.length
                        ? previous.hops[h].counters : new Counters(5);
                hops[h] = new Hop(hs.function(), policy, nextLinks.get(hs.function()), counters);
            }
            Chain chain = new Chain(c, hops, nextPorts.get(c.egressPort()), previous);
            chains.add(chain);
            nextChainsByName.put(c.name(), chain);
            byIngress.computeIfAbsent(c.classifier().ingressPort(), k -> new ArrayList<>()).add(chain);
            for (int h = 0; h < chain.hops.length; h++) {
                routes.add(new LinkRoute(chain.hops[h].link, chain, h, false));
            }
        }
        draining.forEach((link, d) -> {
            Chain chain = nextChainsByName.get(d.chain());
            if (chain != null && d.hop() < chain.hops.length) {
                routes.add(new LinkRoute(link, chain, d.hop(), true));
            }
        });
        List<Ingress> ingresses = new ArrayList<>();
        byIngress.forEach((portName, list) -> {
            List<Chain> ordered = new ArrayList<>(list);
            ordered.sort((a, b) -> Integer.compare(b.spec().priority(), a.spec().priority())); // stable: spec order on ties
            Counters counters = ingressCounters.computeIfAbsent(portName, k -> new Counters(1));
            ingresses.add(new Ingress(nextPorts.get(portName), ordered.toArray(Chain[]::new), counters));
        });
        List<Port> all = new ArrayList<>(nextPorts.values());
        all.addAll(nextLinks.values());
        draining.keySet().stream().filter(l -> !all.contains(l)).forEach(all::add);
        chainsByName.clear();
        chainsByName.putAll(nextChainsByName);
        return new Plan(++generation, all.toArray(Port[]::new), ingresses.toArray(Ingress[]::new),
                chains.toArray(Chain[]::new), routes.toArray(LinkRoute[]::new));
    }

    /** Hands the plan over and waits until the worker runs it. */
    private void run(Plan plan) {
        if (!worker.submit(plan)) {
            throw new IllegalStateException("worker's command queue is full");
        }
        long deadline = System.nanoTime() + applyTimeout.toNanos();
        while (worker.runningPlan().generation < plan.generation) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("worker did not take plan " + plan.generation + " within "
                        + applyTimeout.toMillis() + " ms (is it running?)");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    private interface Opener<T> {
        T open() throws Exception;
    }

    private static <T> T open(String path, Opener<T> opener) {
        try {
            return Objects.requireNonNull(opener.open());
        } catch (SpecException e) {
            throw e;
        } catch (Exception e) {
            throw new SpecException(path, "cannot open: " + e.getMessage());
        }
    }

    private static void closeAll(List<? extends AutoCloseable> things) {
        for (AutoCloseable t : things) {
            try {
                t.close();
            } catch (Exception ignored) {
                // closing what failed to start or is retired: nothing more to do with it
            }
        }
    }

    @Override
    public synchronized void close() {
        closeAll(new ArrayList<>(ports.values()));
        closeAll(new ArrayList<>(links.values()));
        closeAll(new ArrayList<>(draining.keySet()));
        ports.clear();
        links.clear();
        draining.clear();
    }
}
