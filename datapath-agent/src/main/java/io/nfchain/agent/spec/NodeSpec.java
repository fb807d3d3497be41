package io.nfchain.agent.spec;

import java.util.List;
import java.util.Optional;

/**
 * Immutable. Everything the agent runs on one node: its ports, the network-function instances
 * the chains reach over memif, and the chains. Locally it is read from a YAML file
 * ({@link NodeSpecReader}); in Kubernetes it is the {@code DatapathNode} spec.
 */
public record NodeSpec(List<PortSpec> ports, List<FunctionSpec> functions, List<ChainSpec> chains) {
    public NodeSpec {
        ports = List.copyOf(ports);
        functions = List.copyOf(functions);
        chains = List.copyOf(chains);
    }

    public static final NodeSpec EMPTY = new NodeSpec(List.of(), List.of(), List.of());

    public Optional<PortSpec> port(String name) {
        return ports.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public Optional<FunctionSpec> function(String name) {
        return functions.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    public Optional<ChainSpec> chain(String name) {
        return chains.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
