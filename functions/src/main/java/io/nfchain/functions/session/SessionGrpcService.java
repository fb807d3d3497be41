package io.nfchain.functions.session;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
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
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
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
        this(runtime.stage(SessionHost.class) instanceof SessionHost host ? host.sessions() : null, runtime.name());
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

    /**
     * The generated service, but ApplySessions takes its request as bytes, parsed by
     * {@link SessionControl#apply(byte[])} on the worker thread that applies it. With protobuf's
     * marshaller the server's one event loop parsed every call's 1,000 sessions before any worker
     * ran (JFR: 60% of that thread, the install's bottleneck once the JIT had warmed up), and each
     * session was serialized again to keep it for GetSession.
     */
    @Override
    public ServerServiceDefinition bindService() {
        ServerServiceDefinition generated = super.bindService();
        MethodDescriptor<ApplySessionsRequest, ApplySessionsResponse> typed = SessionServiceGrpc.getApplySessionsMethod();
        MethodDescriptor<byte[], ApplySessionsResponse> raw = typed.toBuilder(RawBytes.MARSHALLER, typed.getResponseMarshaller())
                .build();
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(SessionServiceGrpc.SERVICE_NAME)
                .setSchemaDescriptor(generated.getServiceDescriptor().getSchemaDescriptor());
        for (ServerMethodDefinition<?, ?> m : generated.getMethods()) {
            descriptor.addMethod(m.getMethodDescriptor() == typed ? raw : m.getMethodDescriptor());
        }
        ServerServiceDefinition.Builder out = ServerServiceDefinition.builder(descriptor.build());
        for (ServerMethodDefinition<?, ?> m : generated.getMethods()) {
            if (m.getMethodDescriptor() != typed) {
                out.addMethod(m);
            }
        }
        out.addMethod(raw, ServerCalls.asyncUnaryCall(this::applyRaw));
        return out.build();
    }

    private void applyRaw(byte[] request, StreamObserver<ApplySessionsResponse> response) {
        answer(response, () -> {
            try {
                return control.apply(request);
            } catch (InvalidProtocolBufferException e) {
                throw Status.INVALID_ARGUMENT.withDescription("not an ApplySessionsRequest: " + e.getMessage())
                        .asRuntimeException();
            }
        });
    }

    /** The message's bytes as they arrived. */
    private enum RawBytes implements MethodDescriptor.Marshaller<byte[]> {
        MARSHALLER;

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw Status.INTERNAL.withDescription("reading a request: " + e.getMessage()).withCause(e).asRuntimeException();
            }
        }
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
