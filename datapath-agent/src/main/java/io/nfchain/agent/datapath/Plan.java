package io.nfchain.agent.datapath;

import io.nfchain.agent.port.Port;
import java.util.List;

/**
 * Immutable wiring one worker runs: every port and link it drives, the ingress ports with their
 * chains, and the function links with where their packets go next. Built off the worker by the
 * control plane and handed over whole (one command), so the worker never sees half a change.
 */
public final class Plan {
    static final Plan EMPTY = new Plan(0, new Port[0], new Ingress[0], new Chain[0], new LinkRoute[0]);

    final long generation;
    final Port[] ports;
    final Ingress[] ingresses;
    final Chain[] chains;
    final LinkRoute[] links;

    Plan(long generation, Port[] ports, Ingress[] ingresses, Chain[] chains, LinkRoute[] links) {
        this.generation = generation;
        this.ports = ports;
        this.ingresses = ingresses;
        this.chains = chains;
        this.links = links;
    }

    public long generation() {
        return generation;
    }

    public List<Chain> chains() {
        return List.of(chains);
    }

    public List<Port> ports() {
        return List.of(ports);
    }
}
