package io.nfchain.cli;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.nfchain.api.agent.v1.ChainServiceGrpc;
import io.nfchain.api.agent.v1.FunctionServiceGrpc;
import io.nfchain.api.agent.v1.PortServiceGrpc;
import io.nfchain.api.agent.v1.RuntimeServiceGrpc;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Thread-safe (grpc-java's channel and stubs are). One plaintext channel to one agent, and its
 * services' blocking stubs; every unary call carries a deadline. The CLI opens one per command.
 */
public final class AgentClient implements AutoCloseable {
    private final AgentAddress address;
    private final ManagedChannel channel;
    private final Duration deadline;

    /** Opens nothing yet: grpc-java connects on the first call. */
    public AgentClient(AgentAddress address, Duration deadline) {
        this.address = address;
        this.deadline = deadline;
        this.channel = NettyChannelBuilder.forAddress(address.host(), address.port()).usePlaintext()
                // A CLI makes a handful of calls: no retries that would hide an agent going away.
                .disableRetry().maxInboundMessageSize(64 << 20).build();
    }

    /** The agent this client talks to, for error messages. */
    public AgentAddress address() {
        return address;
    }

    /** The deadline of each unary call. */
    public Duration deadline() {
        return deadline;
    }

    public PortServiceGrpc.PortServiceBlockingStub ports() {
        return PortServiceGrpc.newBlockingStub(channel).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Chains, with the deadline stretched by {@code extra} (a switch waits for the new NF to connect). */
    public ChainServiceGrpc.ChainServiceBlockingStub chains(Duration extra) {
        return ChainServiceGrpc.newBlockingStub(channel).withDeadlineAfter(deadline.plus(extra).toMillis(),
                TimeUnit.MILLISECONDS);
    }

    public ChainServiceGrpc.ChainServiceBlockingStub chains() {
        return chains(Duration.ZERO);
    }

    public FunctionServiceGrpc.FunctionServiceBlockingStub functions() {
        return FunctionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(deadline.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    public RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime() {
        return RuntimeServiceGrpc.newBlockingStub(channel).withDeadlineAfter(deadline.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** For the counter stream, which runs until the person stops it: no deadline. */
    public RuntimeServiceGrpc.RuntimeServiceBlockingStub runtimeStream() {
        return RuntimeServiceGrpc.newBlockingStub(channel);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
