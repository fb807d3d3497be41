package io.nfchain.agent.spec;

import java.nio.file.Path;

/**
 * Immutable. One network-function instance the node's chains use: the agent listens on
 * {@code socket} as a memif server and the NF's runner connects to it (link 0, interface id 0).
 * In Kubernetes the controller places these; locally the spec names them.
 *
 * @param name unique among the node's functions; a hop names it
 * @param type what runs there ({@code acl}, {@code router}, ...): shown, not interpreted
 * @param socket where the agent listens for this NF's link
 * @param failurePolicy the policy of hops that name no policy of their own
 * @param secret the memif secret the NF must present; empty for none
 * @param grpcTarget the NF runner's gRPC endpoint ({@code localhost:9091}) the management API
 *     forwards rule calls to; empty when the agent should not forward
 * @param allowUnsealedRegions accept the NF's memif regions when they are not sealed memfds: the
 *     charging NF keeps its region in a file that outlives it, so its usage survives a crash
 *     exactly. Only for NFs the node trusts: a peer that shrinks such a file faults the agent.
 */
public record FunctionSpec(String name, String type, Path socket, FailurePolicy failurePolicy, String secret,
        String grpcTarget, boolean allowUnsealedRegions) {

    /** A function whose regions must be sealed memfds, as DPDK's and libmemif's clients make them. */
    public FunctionSpec(String name, String type, Path socket, FailurePolicy failurePolicy, String secret,
            String grpcTarget) {
        this(name, type, socket, failurePolicy, secret, grpcTarget, false);
    }
}
