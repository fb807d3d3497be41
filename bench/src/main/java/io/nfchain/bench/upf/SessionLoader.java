package io.nfchain.bench.upf;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.nfchain.api.session.v1.ApplySessionsRequest;
import io.nfchain.api.session.v1.ApplySessionsResponse;
import io.nfchain.api.session.v1.ListSessionsRequest;
import io.nfchain.api.session.v1.SessionChange;
import io.nfchain.api.session.v1.SessionServiceGrpc;
import io.nfchain.bench.router.RunnerProcess;
import java.util.concurrent.TimeUnit;

/**
 * Not thread-safe. Installs the bench's sessions into one runner over
 * {@code nfchain.session.v1.SessionService}, as an SMF would, in batches of {@link #BATCH}.
 */
final class SessionLoader implements AutoCloseable {
    static final int BATCH = 1000;
    private static final long CALL_TIMEOUT_S = 120;

    private final ManagedChannel channel;
    private final SessionServiceGrpc.SessionServiceBlockingStub stub;

    SessionLoader(int port) {
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().maxInboundMessageSize(64 << 20).build();
        this.stub = SessionServiceGrpc.newBlockingStub(channel);
    }

    /** Waits until the runner answers (its function must take sessions, or this fails at once). */
    void awaitReady(long timeoutMs, RunnerProcess runner) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            try {
                stub.withDeadlineAfter(2, TimeUnit.SECONDS).listSessions(ListSessionsRequest.newBuilder().setPageSize(1).build());
                return;
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() == io.grpc.Status.Code.FAILED_PRECONDITION) {
                    throw new IllegalStateException("the runner takes no sessions: " + e.getStatus().getDescription());
                }
                if (!runner.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the NF runner's SessionService did not answer (" + e.getStatus()
                            + "); its log:\n" + runner.log());
                }
                Thread.sleep(200);
            }
        }
    }

    /** Creates sessions 0 .. count-1; returns the seconds the calls took (requests built beforehand per batch). */
    double install(int count) {
        long nanos = 0;
        for (int from = 0; from < count; from += BATCH) {
            ApplySessionsRequest.Builder request = ApplySessionsRequest.newBuilder();
            for (int i = from; i < Math.min(count, from + BATCH); i++) {
                request.addChanges(SessionChange.newBuilder().setCreate(UpfFlows.session(i)));
            }
            ApplySessionsRequest built = request.build();
            long t0 = System.nanoTime();
            ApplySessionsResponse r = stub.withDeadlineAfter(CALL_TIMEOUT_S, TimeUnit.SECONDS).applySessions(built);
            nanos += System.nanoTime() - t0;
            if (r.getApplied() != built.getChangesCount()) {
                throw new IllegalStateException("ApplySessions applied " + r.getApplied() + " of " + built.getChangesCount()
                        + ": " + r.getResultsList().stream().filter(c -> c.getCode() != 0).findFirst().orElseThrow());
            }
        }
        return nanos / 1e9;
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
}
