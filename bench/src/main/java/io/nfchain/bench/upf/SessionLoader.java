package io.nfchain.bench.upf;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.nfchain.api.session.v1.ApplySessionsRequest;
import io.nfchain.api.session.v1.ApplySessionsResponse;
import io.nfchain.api.session.v1.ListSessionsRequest;
import io.nfchain.api.session.v1.SessionChange;
import io.nfchain.api.session.v1.SessionServiceGrpc;
import io.nfchain.bench.router.RunnerProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Not thread-safe. Installs the bench's sessions into one runner over
 * {@code nfchain.session.v1.SessionService}, as an SMF would, in batches of {@link #BATCH}, with a
 * few calls in flight.
 */
final class SessionLoader implements AutoCloseable {
    static final int BATCH = 1000;
    private static final long CALL_TIMEOUT_S = 120;

    private final ManagedChannel channel;
    private final SessionServiceGrpc.SessionServiceBlockingStub stub;
    private final SessionServiceGrpc.SessionServiceStub async;

    SessionLoader(int port) {
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().maxInboundMessageSize(64 << 20).build();
        this.stub = SessionServiceGrpc.newBlockingStub(channel);
        this.async = SessionServiceGrpc.newStub(channel);
    }

    /** Waits until the runner answers (its function must take sessions, or this fails at once). */
    void awaitReady(long timeoutMs, RunnerProcess runner) throws InterruptedException {
        runner.awaitApi(timeoutMs, () -> {
            try {
                stub.withDeadlineAfter(2, TimeUnit.SECONDS).listSessions(ListSessionsRequest.newBuilder().setPageSize(1).build());
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() == io.grpc.Status.Code.FAILED_PRECONDITION) {
                    throw new IllegalStateException("the runner takes no sessions: " + e.getStatus().getDescription());
                }
                throw e;
            }
        });
    }

    /**
     * What one install took. {@code seconds} runs from the first call's start to the last answer;
     * {@code restPerSecond} is the rate after the first tenth of the batches had been answered
     * (the runner's JIT warms up on those).
     */
    record Install(int sessions, int callsInFlight, double seconds, double restPerSecond) {
        double perSecond() {
            return sessions / seconds;
        }
    }

    /**
     * Creates sessions 0 .. count-1 in batches of {@link #BATCH}, keeping up to {@code callsInFlight}
     * ApplySessions calls outstanding, as a pipelining SMF would (1: one call at a time). The
     * requests are built before the clock starts; their serialization and the answers' parsing
     * are inside it.
     */
    Install install(int count, int callsInFlight) throws InterruptedException {
        return install(0, count, callsInFlight);
    }

    /** As {@link #install(int, int)}, sessions {@code first} .. {@code first + count - 1}. */
    Install install(int first, int count, int callsInFlight) throws InterruptedException {
        List<ApplySessionsRequest> requests = new ArrayList<>();
        for (int from = first; from < first + count; from += BATCH) {
            ApplySessionsRequest.Builder request = ApplySessionsRequest.newBuilder();
            for (int i = from; i < Math.min(first + count, from + BATCH); i++) {
                request.addChanges(SessionChange.newBuilder().setCreate(UpfFlows.session(i)));
            }
            requests.add(request.build());
        }
        Semaphore window = new Semaphore(callsInFlight);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] answeredAt = new long[requests.size()];
        AtomicInteger answered = new AtomicInteger();
        long t0 = System.nanoTime();
        for (int b = 0; b < requests.size() && failure.get() == null; b++) {
            window.acquire();
            ApplySessionsRequest request = requests.get(b);
            async.withDeadlineAfter(CALL_TIMEOUT_S, TimeUnit.SECONDS).applySessions(request, new StreamObserver<>() {
                @Override
                public void onNext(ApplySessionsResponse r) {
                    if (r.getApplied() != request.getChangesCount()) {
                        failure.compareAndSet(null, new IllegalStateException("ApplySessions applied " + r.getApplied() + " of "
                                + request.getChangesCount() + ": "
                                + r.getResultsList().stream().filter(c -> c.getCode() != 0).findFirst().orElseThrow()));
                    }
                    answeredAt[answered.getAndIncrement()] = System.nanoTime();
                }

                @Override
                public void onError(Throwable t) {
                    failure.compareAndSet(null, t);
                    window.release();
                }

                @Override
                public void onCompleted() {
                    window.release();
                }
            });
        }
        window.acquire(callsInFlight); // every call answered
        long t1 = System.nanoTime();
        if (failure.get() != null) {
            throw new IllegalStateException("installing sessions failed: " + failure.get(), failure.get());
        }
        int tenth = Math.max(1, requests.size() / 10);
        long restFrom = answeredAt[tenth - 1];
        double rest = (count - (long) tenth * BATCH) / ((t1 - restFrom) / 1e9);
        return new Install(count, callsInFlight, (t1 - t0) / 1e9, rest);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
}
