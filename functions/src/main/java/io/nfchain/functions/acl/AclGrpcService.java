package io.nfchain.functions.acl;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.nfchain.api.acl.v1.AclServiceGrpc;
import io.nfchain.api.acl.v1.GetRulesRequest;
import io.nfchain.api.acl.v1.GetRulesResponse;
import io.nfchain.api.acl.v1.ListFlowsRequest;
import io.nfchain.api.acl.v1.ListFlowsResponse;
import io.nfchain.api.acl.v1.ReplaceRulesRequest;
import io.nfchain.api.acl.v1.ReplaceRulesResponse;
import io.nfchain.functions.rules.InvalidRuleException;
import io.nfchain.functions.runner.FunctionRuntime;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import java.util.function.Supplier;

/**
 * Thread-safe (the control object serializes changes). {@code nfchain.acl.v1.AclService} over the
 * acl this runner hosts; FAILED_PRECONDITION when it hosts another function type. Errors map in
 * one place: {@link InvalidRuleException} to INVALID_ARGUMENT whose description starts with the
 * field ({@code rules[3].dst_ports: ...}), {@link AclControl.ModeException} to
 * FAILED_PRECONDITION. Blocking: compiling 10,000 rules takes most of a second.
 */
@GrpcService
@Blocking
public class AclGrpcService extends AclServiceGrpc.AclServiceImplBase {
    private final AclControl control;
    private final String hosted;

    @Inject
    AclGrpcService(FunctionRuntime runtime) {
        this(runtime.stage(AclFunction.class) instanceof AclFunction acl ? acl.control() : null, runtime.name());
    }

    /** For an acl outside a runner (tests); {@code control} null answers FAILED_PRECONDITION. */
    AclGrpcService(AclControl control, String hosted) {
        this.control = control;
        this.hosted = hosted;
    }

    @Override
    public void replaceRules(ReplaceRulesRequest request, StreamObserver<ReplaceRulesResponse> response) {
        answer(response, () -> control.replaceRules(request));
    }

    @Override
    public void getRules(GetRulesRequest request, StreamObserver<GetRulesResponse> response) {
        answer(response, () -> control.getRules());
    }

    @Override
    public void listFlows(ListFlowsRequest request, StreamObserver<ListFlowsResponse> response) {
        answer(response, () -> control.listFlows(request));
    }

    private <T> void answer(StreamObserver<T> response, Supplier<T> call) {
        if (control == null) {
            response.onError(Status.FAILED_PRECONDITION
                    .withDescription("this runner hosts '" + hosted + "', not an acl").asRuntimeException());
            return;
        }
        T result;
        try {
            result = call.get();
        } catch (InvalidRuleException e) {
            response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (AclControl.ModeException e) {
            response.onError(Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        response.onNext(result);
        response.onCompleted();
    }
}
