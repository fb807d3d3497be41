package io.nfchain.functions.session;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.nfchain.api.session.v1.ApplySessionsRequest;
import io.nfchain.api.session.v1.ApplySessionsResponse;
import io.nfchain.api.session.v1.GetSessionRequest;
import io.nfchain.api.session.v1.ListSessionsRequest;
import io.nfchain.api.session.v1.ListSessionsResponse;
import io.nfchain.api.session.v1.Session;
import io.nfchain.api.session.v1.SessionServiceGrpc;
import io.nfchain.functions.rules.InvalidRuleException;
import io.nfchain.functions.runner.FunctionRuntime;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import java.util.function.Supplier;

/**
 * Thread-safe (the control serializes changes). {@code nfchain.session.v1.SessionService} over the
 * function this runner hosts when it is a {@link SessionHost} (upf, qos, charging);
 * FAILED_PRECONDITION otherwise. Per-change problems are answered in the response's results, not
 * as call errors; a bad page size is INVALID_ARGUMENT, an unknown SEID in GetSession NOT_FOUND.
 */
@GrpcService
@Blocking
public class SessionGrpcService extends SessionServiceGrpc.SessionServiceImplBase {
    private final SessionControl control;
    private final String hosted;

    @Inject
    SessionGrpcService(FunctionRuntime runtime) {
        this(runtime.function() instanceof SessionHost host ? host.sessions() : null, runtime.function().name());
    }

    /** For a function outside a runner (tests); {@code control} null answers FAILED_PRECONDITION. */
    public SessionGrpcService(SessionControl control, String hosted) {
        this.control = control;
        this.hosted = hosted;
    }

    @Override
    public void applySessions(ApplySessionsRequest request, StreamObserver<ApplySessionsResponse> response) {
        answer(response, () -> control.apply(request));
    }

    @Override
    public void getSession(GetSessionRequest request, StreamObserver<Session> response) {
        answer(response, () -> {
            Session s = control.get(request.getSeid());
            if (s == null) {
                throw Status.NOT_FOUND.withDescription("seid: no session " + Long.toUnsignedString(request.getSeid()))
                        .asRuntimeException();
            }
            return s;
        });
    }

    @Override
    public void listSessions(ListSessionsRequest request, StreamObserver<ListSessionsResponse> response) {
        answer(response, () -> control.list(request));
    }

    private <T> void answer(StreamObserver<T> response, Supplier<T> call) {
        if (control == null) {
            response.onError(Status.FAILED_PRECONDITION
                    .withDescription("this runner hosts '" + hosted + "', which takes no sessions").asRuntimeException());
            return;
        }
        T result;
        try {
            result = call.get();
        } catch (InvalidRuleException e) {
            response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (io.grpc.StatusRuntimeException e) {
            response.onError(e);
            return;
        }
        response.onNext(result);
        response.onCompleted();
    }
}
