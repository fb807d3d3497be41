package io.nfchain.controller.model;

import io.nfchain.api.v1alpha1.Classifier;
import io.nfchain.api.v1alpha1.DatapathNodeSpec;
import io.nfchain.api.v1alpha1.DatapathNodeSpec.NodeChain;
import io.nfchain.api.v1alpha1.DatapathNodeSpec.NodeFunction;
import io.nfchain.api.v1alpha1.DatapathNodeSpec.NodeHop;
import io.nfchain.api.v1alpha1.NodeFailurePolicy;
import io.nfchain.api.v1alpha1.ServiceChainSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Stateless, thread-safe. One chain's part of a node's {@code DatapathNode.spec}: its chain entry
 * and the function entries of its instances there. Every chain edits only its own entries, so
 * chains sharing a node never undo each other; ports are the agent's and policy's, kept as they are.
 */
public final class NodeSpecModel {
    private NodeSpecModel() {}

    /** The function entry of an instance; {@code grpc} once the pod has an IP. */
    public static NodeFunction function(String instance, String type, NodeFailurePolicy policy, String podIp) {
        NodeFunction f = new NodeFunction();
        f.name = instance;
        f.type = type;
        f.socket = instance + "/memif.sock";
        f.failurePolicy = policy;
        f.grpc = podIp == null || podIp.isEmpty() ? null : podIp + ":" + ControllerSettings.FUNCTION_HTTP_PORT;
        // charging's region is a file in its own node directory (PodModel), so its usage is exact across crashes
        f.allowUnsealedRegions = InstanceModel.runsCharging(type) ? Boolean.TRUE : null;
        return f;
    }

    /**
     * The chain entry on a node: the ServiceChain's classifier, priority and egress port, its hops
     * pointing at {@code hopInstances} (instance names, in hop order).
     */
    public static NodeChain chain(String entryName, ServiceChainSpec spec, List<String> hopInstances,
            List<NodeFailurePolicy> hopPolicies) {
        NodeChain c = new NodeChain();
        c.name = entryName;
        c.priority = spec.priority;
        c.classifier = copy(spec.classifier);
        c.egressPort = spec.egressPort;
        c.hops = new ArrayList<>();
        for (int i = 0; i < hopInstances.size(); i++) {
            c.hops.add(new NodeHop(hopInstances.get(i), hopPolicies.get(i)));
        }
        return c;
    }

    /**
     * {@code current} with one chain's entries replaced: its chain entry by {@code entry} (removed
     * when null), every function named in {@code owned} or in {@code functions} by
     * {@code functions}. Entries are kept sorted by name, so the same entries give the same spec.
     */
    public static DatapathNodeSpec withChain(DatapathNodeSpec current, String entryName, NodeChain entry,
            Collection<NodeFunction> functions, Set<String> owned) {
        DatapathNodeSpec out = new DatapathNodeSpec();
        out.ports = current == null || current.ports == null ? new ArrayList<>() : new ArrayList<>(current.ports);
        Set<String> replaced = new HashSet<>(owned);
        functions.forEach(f -> replaced.add(f.name));
        out.functions = new ArrayList<>();
        if (current != null && current.functions != null) {
            current.functions.stream().filter(f -> !replaced.contains(f.name)).forEach(out.functions::add);
        }
        out.functions.addAll(functions);
        out.functions.sort(Comparator.comparing(f -> f.name));
        out.chains = new ArrayList<>();
        if (current != null && current.chains != null) {
            current.chains.stream().filter(c -> !entryName.equals(c.name)).forEach(out.chains::add);
        }
        if (entry != null) {
            out.chains.add(entry);
        }
        out.chains.sort(Comparator.comparing(c -> c.name));
        return out;
    }

    /** The chain entry named {@code entryName} in {@code spec}, or null. */
    public static NodeChain findChain(DatapathNodeSpec spec, String entryName) {
        if (spec == null || spec.chains == null) {
            return null;
        }
        return spec.chains.stream().filter(c -> entryName.equals(c.name)).findFirst().orElse(null);
    }

    /** The function entry named {@code name} in {@code spec}, or null. */
    public static NodeFunction findFunction(DatapathNodeSpec spec, String name) {
        if (spec == null || spec.functions == null) {
            return null;
        }
        return spec.functions.stream().filter(f -> name.equals(f.name)).findFirst().orElse(null);
    }

    private static Classifier copy(Classifier c) {
        if (c == null) {
            return null;
        }
        Classifier out = new Classifier();
        out.ingressPort = c.ingressPort;
        out.vlan = c.vlan;
        out.match = c.match;
        return out;
    }
}
