package io.nfchain.controller.model;

import io.fabric8.kubernetes.api.model.Quantity;
import io.nfchain.api.v1alpha1.DatapathNode;
import io.nfchain.api.v1alpha1.DatapathNodeStatus;
import io.nfchain.api.v1alpha1.FailurePolicy;
import io.nfchain.api.v1alpha1.FunctionType;
import io.nfchain.api.v1alpha1.NetworkFunction;
import io.nfchain.api.v1alpha1.NetworkFunctionSpec;
import io.nfchain.api.v1alpha1.ServiceChain;
import io.nfchain.api.v1alpha1.ServiceChainSpec;
import io.nfchain.controller.placement.Resources;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stateless, thread-safe. From custom resources to instances and placement amounts; pure.
 */
public final class InstanceModel {
    private static final BigDecimal PAGE_2MI = BigDecimal.valueOf(2L << 20);
    private static final BigDecimal PAGE_1GI = BigDecimal.valueOf(1L << 30);

    private InstanceModel() {}

    /** The instance of {@code chain}'s hop {@code hopIndex}, served by {@code nf}, on {@code node}. */
    public static FunctionInstance instance(ServiceChain chain, int hopIndex, NetworkFunction nf, String node,
            ControllerSettings settings) {
        String ns = chain.getMetadata().getNamespace();
        String chainName = chain.getMetadata().getName();
        String fn = nf.getMetadata().getName();
        String hash = Names.hash5(ns + "/" + chainName + "/" + hopIndex + "/" + node + "/" + fingerprint(nf, settings));
        return new FunctionInstance(ns, chainName, hopIndex, fn, node, Names.instance(chainName, hopIndex, fn, hash), hash);
    }

    /**
     * Everything of a function that shapes its pod, in a fixed order. Placement, update strategy
     * and failure policy are left out: changing them moves no pod.
     */
    static String fingerprint(NetworkFunction nf, ControllerSettings settings) {
        NetworkFunctionSpec s = nf.getSpec();
        StringBuilder sb = new StringBuilder();
        sb.append("image=").append(image(nf, settings)).append('\n');
        sb.append("type=").append(s.type == null ? "" : s.type.text()).append('\n');
        Map<String, String> config = s.config == null ? Map.of() : new TreeMap<>(s.config);
        config.forEach((k, v) -> sb.append("config.").append(k).append('=').append(v).append('\n'));
        NetworkFunctionSpec.Resources r = s.resources;
        if (r != null) {
            sb.append("cpu=").append(r.cpu).append("\nmemory=").append(r.memory)
                    .append("\nhugepages2Mi=").append(r.hugepages2Mi).append("\nhugepages1Gi=").append(r.hugepages1Gi);
        }
        sb.append("\nlog2RingSize=").append(s.socketLog2RingSize);
        return sb.toString();
    }

    /** The container image: the runner for built-ins, the function's own otherwise. */
    public static String image(NetworkFunction nf, ControllerSettings settings) {
        return nf.getSpec().image != null ? nf.getSpec().image : settings.runnerImage();
    }

    /** The name the NF runner's provider has for a built-in ({@code nfchain.function.type}). */
    public static String runnerType(FunctionType type) {
        return type.text();
    }

    /**
     * True when the built-in a node spec calls {@code nodeType} runs charging, alone or as the
     * last stage of {@code upf+qos+charging}: its usage must be exact across a crash, so its state,
     * memif region file and records live in the instance's node directory ({@link PodModel}) and
     * the agent accepts that region unsealed ({@link NodeSpecModel}).
     */
    public static boolean runsCharging(String nodeType) {
        for (FunctionType t : FunctionType.values()) {
            if (t.text().equals(nodeType)) {
                return t.stages().contains(FunctionType.CHARGING);
            }
        }
        return false;
    }

    /** The type a node spec shows for the function: the built-in's name, or {@code image}. */
    public static String nodeType(NetworkFunction nf) {
        return nf.getSpec().type != null ? runnerType(nf.getSpec().type) : "image";
    }

    /** What one instance of {@code nf} takes from a node. */
    public static Resources demand(NetworkFunction nf) {
        NetworkFunctionSpec.Resources r = nf.getSpec().resources;
        if (r == null) {
            return Resources.cores(1); // what PodModel asks for then
        }
        return new Resources(r.cpu == null ? 1 : r.cpu, pages(r.hugepages2Mi, PAGE_2MI), pages(r.hugepages1Gi, PAGE_1GI), 0);
    }

    /** What the node's agent says it offers NF pods; nothing when it has not said yet. */
    public static Resources capacity(DatapathNode node) {
        DatapathNodeStatus st = node.getStatus();
        if (st == null || st.capacity == null) {
            return Resources.NONE;
        }
        DatapathNodeStatus.Resources c = st.capacity;
        return new Resources(c.cores == null ? 0 : c.cores, pages(c.hugepages2Mi, PAGE_2MI), pages(c.hugepages1Gi, PAGE_1GI),
                c.vfs == null ? 0 : c.vfs);
    }

    /** Whole pages of {@code pageBytes} in a quantity ({@code 512Mi}, {@code 2Gi}); 0 when absent. */
    static long pages(String quantity, BigDecimal pageBytes) {
        if (quantity == null || quantity.isBlank()) {
            return 0;
        }
        return Quantity.getAmountInBytes(new Quantity(quantity)).divideToIntegralValue(pageBytes).longValueExact();
    }

    /** The failure policy of a hop: its own, else its function's, else fail-closed. */
    public static FailurePolicy hopPolicy(ServiceChainSpec.Hop hop, NetworkFunction nf) {
        if (hop.failurePolicy != null) {
            return hop.failurePolicy;
        }
        return functionPolicy(nf);
    }

    public static FailurePolicy functionPolicy(NetworkFunction nf) {
        return nf.getSpec().failurePolicy != null ? nf.getSpec().failurePolicy : FailurePolicy.FailClosed;
    }

    /** How long an old instance keeps serving after its hop moved. */
    public static Duration drain(NetworkFunction nf, ControllerSettings settings) {
        var u = nf.getSpec().updateStrategy;
        return u != null && u.drainSeconds != null ? Duration.ofSeconds(u.drainSeconds) : settings.defaultDrain();
    }

    /** Instances per node the chain wants: the most any of its hops' functions asks for. */
    public static int replicas(Iterable<NetworkFunction> hopFunctions) {
        int r = 1;
        for (NetworkFunction nf : hopFunctions) {
            var p = nf.getSpec().placement;
            if (p != null && p.replicas != null) {
                r = Math.max(r, p.replicas);
            }
        }
        return r;
    }

    /** The hop's node selector; empty when none. */
    public static Map<String, String> nodeSelector(NetworkFunction nf) {
        var p = nf.getSpec().placement;
        return p == null || p.nodeSelector == null ? Map.of() : p.nodeSelector;
    }
}
