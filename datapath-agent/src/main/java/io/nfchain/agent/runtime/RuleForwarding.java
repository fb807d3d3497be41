package io.nfchain.agent.runtime;

import io.grpc.BindableService;
import io.grpc.CallOptions;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.nfchain.agent.spec.FunctionSpec;
import io.nfchain.api.acl.v1.AclServiceGrpc;
import io.nfchain.api.charging.v1.ChargingServiceGrpc;
import io.nfchain.api.function.v1.FunctionServiceGrpc;
import io.nfchain.api.router.v1.RouterServiceGrpc;
import io.nfchain.api.session.v1.SessionServiceGrpc;
import io.quarkus.grpc.GrpcService;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Thread-safe. The agent answers the rule services of the NFs on its node (RouterService,
 * AclService, the user plane's SessionService and ChargingService, and every NF's FunctionService) by forwarding each call, bytes unchanged, to the NF
 * that owns the rules: the one named by the {@code nfchain-function} request header, or, without
 * it, the only function of the service's type on the node. So one endpoint per node serves every
 * function's rules, and a client never needs to reach an NF pod directly.
 *
 * <p>Errors: a header naming no function of the node is NOT_FOUND; no header when several (or no)
 * functions of the type exist is INVALID_ARGUMENT naming the header; a function without a gRPC
 * target in its spec is FAILED_PRECONDITION; an NF that does not answer is UNAVAILABLE, as its
 * channel reports it. Statuses the NF returns reach the client as they are.
 */
@Singleton
public class RuleForwarding {
    /** The request header that names the function a rule call is for. */
    public static final Metadata.Key<String> FUNCTION_HEADER = Metadata.Key.of("nfchain-function",
            Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> FUNCTION = Context.key("nfchain-function");
    private static final long DEADLINE_MS = 30_000;
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new MessageBytes(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private final AgentRuntime runtime;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    RuleForwarding(AgentRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * Every method of {@code service} forwarded to a function of {@code type} (null: any type, the
     * header is then required unless the node has one function).
     */
    ServerServiceDefinition forward(ServiceDescriptor service, String type) {
        ServerServiceDefinition.Builder definition = ServerServiceDefinition.builder(service.getName());
        for (MethodDescriptor<?, ?> method : service.getMethods()) {
            MethodDescriptor<byte[], byte[]> bytes = method.toBuilder(BYTES, BYTES).build();
            switch (method.getType()) {
                case UNARY -> definition.addMethod(bytes, ServerCalls.asyncUnaryCall((request, response) ->
                        call(bytes, type, request, response)));
                case SERVER_STREAMING -> definition.addMethod(bytes, ServerCalls.asyncServerStreamingCall(
                        (request, response) -> call(bytes, type, request, response)));
                default -> throw new IllegalStateException(method.getFullMethodName() + " is " + method.getType()
                        + ": forwarding handles unary and server-streaming calls");
            }
        }
        ServerInterceptor header = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                String function = headers.get(FUNCTION_HEADER);
                return Contexts.interceptCall(Context.current().withValue(FUNCTION, function == null ? "" : function),
                        call, headers, next);
            }
        };
        return ServerInterceptors.intercept(definition.build(), header);
    }

    private void call(MethodDescriptor<byte[], byte[]> method, String type, byte[] request,
            StreamObserver<byte[]> response) {
        FunctionSpec target;
        try {
            target = target(type, FUNCTION.get());
        } catch (Forbidden e) {
            response.onError(e.status.asRuntimeException());
            return;
        }
        ManagedChannel channel = channels.computeIfAbsent(target.grpcTarget(),
                t -> ManagedChannelBuilder.forTarget(t).usePlaintext().build());
        if (method.getType() == MethodDescriptor.MethodType.SERVER_STREAMING) {
            // A stream (reports, watches) lives as long as the client keeps it: no deadline of ours;
            // the client's cancel reaches the NF through the forwarded call's context.
            ClientCalls.asyncServerStreamingCall(channel.newCall(method, CallOptions.DEFAULT), request, response);
        } else {
            ClientCalls.asyncUnaryCall(channel.newCall(method, CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_MS,
                    TimeUnit.MILLISECONDS)), request, response);
        }
    }

    /**
     * Whether a function of {@code functionType} serves {@code type}'s rules: it is one, or a
     * pipeline with one among its stages ({@code upf+qos+charging} serves charging's).
     */
    static boolean hosts(String functionType, String type) {
        if (functionType.equals(type)) {
            return true;
        }
        for (String stage : functionType.split("\\+")) {
            if (stage.equals(type)) {
                return true;
            }
        }
        return false;
    }

    /** The function a call goes to. */
    FunctionSpec target(String type, String named) {
        List<FunctionSpec> functions = runtime.datapath().spec().functions();
        FunctionSpec chosen;
        if (!named.isEmpty()) {
            chosen = functions.stream().filter(f -> f.name().equals(named)).findFirst().orElseThrow(() ->
                    new Forbidden(Status.NOT_FOUND.withDescription("nfchain-function: no function '" + named
                            + "' on this node (functions: " + functions.stream().map(FunctionSpec::name).toList()
                            + ")")));
            if (type != null && !hosts(chosen.type(), type)) {
                throw new Forbidden(Status.INVALID_ARGUMENT.withDescription("nfchain-function: '" + named + "' is a "
                        + chosen.type() + ", not a " + type));
            }
        } else {
            List<FunctionSpec> candidates = functions.stream().filter(f -> type == null || hosts(f.type(), type))
                    .toList();
            if (candidates.size() != 1) {
                throw new Forbidden(Status.INVALID_ARGUMENT.withDescription("nfchain-function: this node has "
                        + candidates.size() + " function(s)" + (type == null ? "" : " of type " + type) + " "
                        + candidates.stream().map(FunctionSpec::name).toList() + ": name one in the header"));
            }
            chosen = candidates.get(0);
        }
        if (chosen.grpcTarget().isEmpty()) {
            throw new Forbidden(Status.FAILED_PRECONDITION.withDescription("function '" + chosen.name()
                    + "' has no grpc target in the node spec (functions[].grpc): the agent cannot reach its rules"));
        }
        return chosen;
    }

    /**
     * A serialized message as gRPC transports want it: Quarkus' Vert.x server writes a message by
     * draining its stream ({@link Drainable}), and knowing the length saves a copy.
     */
    private static final class MessageBytes extends ByteArrayInputStream implements Drainable, KnownLength {
        MessageBytes(byte[] bytes) {
            super(bytes);
        }

        @Override
        public int drainTo(OutputStream target) throws IOException {
            int n = count - pos;
            target.write(buf, pos, n);
            pos = count;
            return n;
        }
    }

    /** A call the agent refuses before forwarding, with the status it answers. */
    static final class Forbidden extends RuntimeException {
        final transient Status status;

        Forbidden(Status status) {
            super(status.getDescription());
            this.status = status;
        }
    }

    @PreDestroy
    void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
    }

    /** The router's rules. */
    @GrpcService
    static class Router implements BindableService {
        private final RuleForwarding forwarding;

        Router(RuleForwarding forwarding) {
            this.forwarding = forwarding;
        }

        @Override
        public ServerServiceDefinition bindService() {
            return forwarding.forward(RouterServiceGrpc.getServiceDescriptor(), "router");
        }
    }

    /** The acl's rules. */
    @GrpcService
    static class Acl implements BindableService {
        private final RuleForwarding forwarding;

        Acl(RuleForwarding forwarding) {
            this.forwarding = forwarding;
        }

        @Override
        public ServerServiceDefinition bindService() {
            return forwarding.forward(AclServiceGrpc.getServiceDescriptor(), "acl");
        }
    }

    /**
     * Session rules (upf, qos, charging all take them): the header names the function; a function
     * that holds no sessions answers FAILED_PRECONDITION itself.
     */
    @GrpcService
    static class Sessions implements BindableService {
        private final RuleForwarding forwarding;

        Sessions(RuleForwarding forwarding) {
            this.forwarding = forwarding;
        }

        @Override
        public ServerServiceDefinition bindService() {
            return forwarding.forward(SessionServiceGrpc.getServiceDescriptor(), null);
        }
    }

    /** The charging function's quotas, usage and report stream. */
    @GrpcService
    static class Charging implements BindableService {
        private final RuleForwarding forwarding;

        Charging(RuleForwarding forwarding) {
            this.forwarding = forwarding;
        }

        @Override
        public ServerServiceDefinition bindService() {
            return forwarding.forward(ChargingServiceGrpc.getServiceDescriptor(), "charging");
        }
    }

    /** Any function's own service (info, counters, runtime): the header names it. */
    @GrpcService
    static class Functions implements BindableService {
        private final RuleForwarding forwarding;

        Functions(RuleForwarding forwarding) {
            this.forwarding = forwarding;
        }

        @Override
        public ServerServiceDefinition bindService() {
            return forwarding.forward(FunctionServiceGrpc.getServiceDescriptor(), null);
        }
    }
}
