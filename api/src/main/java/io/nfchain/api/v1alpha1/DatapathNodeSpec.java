package io.nfchain.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's node spec, field for field (docs/agent.md, the agent's {@code NodeSpecReader}): the
 * agent serialises this object to JSON and reads it with its one strict reader. Absent fields are
 * left out of the JSON; a field the agent does not know must not be added here.
 * Cross-references (hops naming functions, ports existing, names unique) are the agent's checks.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatapathNodeSpec {
    @Size(max = 64)
    public List<NodePort> ports = new ArrayList<>();
    /** The NF instances placed on the node. */
    @Size(max = 256)
    public List<NodeFunction> functions = new ArrayList<>();
    @Size(max = 256)
    public List<NodeChain> chains = new ArrayList<>();

    public DatapathNodeSpec() {}

    /** An NF instance on the node: the agent serves its memif socket and forwards its rule calls. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class NodeFunction {
        @Required
        @Pattern(Patterns.SPEC_NAME)
        public String name;
        /** The function type ({@code router}, ...; an image's own type otherwise). */
        @Required
        @Size(min = 1, max = 63)
        public String type;
        /** Relative to the agent's socket directory; absent: {@code <name>/memif.sock}. */
        @Size(min = 1, max = 107)
        public String socket;
        /** Default for the hops it serves; absent: fail-closed. */
        public NodeFailurePolicy failurePolicy;
        @Size(max = 24)
        public String secret;
        /** {@code host:port} of the function's gRPC API. */
        @Size(min = 1, max = 261)
        public String grpc;
        /**
         * Accept the function's memif regions when they are not sealed memfds: the charging
         * function keeps its region in a file so that its usage survives a crash exactly. Only
         * for trusted functions (a peer that shrinks the file faults the agent); absent: false.
         */
        public Boolean allowUnsealedRegions;

        public NodeFunction() {}
    }

    /** A chain instance on the node: the {@link ServiceChainSpec} shape with instance names as hops. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class NodeChain {
        @Required
        @Pattern(Patterns.SPEC_NAME)
        public String name;
        @Min(-1000000)
        @Max(1000000)
        public Integer priority;
        @Required
        public Classifier classifier;
        @Size(max = 16)
        public List<NodeHop> hops = new ArrayList<>();
        @Required
        @Pattern(Patterns.SPEC_NAME)
        public String egressPort;

        public NodeChain() {}
    }

    /** A hop naming a function entry of the same node spec. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class NodeHop {
        @Required
        @Pattern(Patterns.SPEC_NAME)
        public String function;
        /** Absent: the function's own policy. */
        public NodeFailurePolicy failurePolicy;

        public NodeHop() {}

        public NodeHop(String function, NodeFailurePolicy failurePolicy) {
            this.function = function;
            this.failurePolicy = failurePolicy;
        }
    }
}
