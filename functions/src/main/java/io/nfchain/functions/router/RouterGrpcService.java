package io.nfchain.functions.router;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.nfchain.api.router.v1.AddRoutesRequest;
import io.nfchain.api.router.v1.AddRoutesResponse;
import io.nfchain.api.router.v1.DeleteNeighborsRequest;
import io.nfchain.api.router.v1.DeleteNeighborsResponse;
import io.nfchain.api.router.v1.DeleteRoutesRequest;
import io.nfchain.api.router.v1.DeleteRoutesResponse;
import io.nfchain.api.router.v1.ListNeighborsRequest;
import io.nfchain.api.router.v1.ListNeighborsResponse;
import io.nfchain.api.router.v1.ListRoutesRequest;
import io.nfchain.api.router.v1.ListRoutesResponse;
import io.nfchain.api.router.v1.LookupRequest;
import io.nfchain.api.router.v1.LookupResponse;
import io.nfchain.api.router.v1.RouterServiceGrpc;
import io.nfchain.api.router.v1.SetNeighborsRequest;
import io.nfchain.api.router.v1.SetNeighborsResponse;
import io.nfchain.functions.rules.InvalidRuleException;
import io.nfchain.functions.runner.FunctionRuntime;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import java.util.function.Supplier;

/**
 * Thread-safe (the control object serializes changes). {@code nfchain.router.v1.RouterService}
 * over the router this runner hosts; FAILED_PRECONDITION when it hosts another function type.
 * Errors map in one place: {@link InvalidRuleException} to INVALID_ARGUMENT whose description
 * starts with the field ({@code routes[3].prefix: ...}), {@link RouterControl.NotFoundException}
 * to NOT_FOUND. Blocking: a million-route request must not hold an event loop.
 */
@GrpcService
@Blocking
public class RouterGrpcService extends RouterServiceGrpc.RouterServiceImplBase {
    private final RouterControl control;
    private final String hosted;

    @Inject
    RouterGrpcService(FunctionRuntime runtime) {
        this(runtime.stage(RouterFunction.class) instanceof RouterFunction router ? router.control() : null, runtime.name());
    }

    /** For a router outside a runner (tests); {@code control} null answers FAILED_PRECONDITION. */
    RouterGrpcService(RouterControl control, String hosted) {
        this.control = control;
        this.hosted = hosted;
    }

    @Override
    public void addRoutes(AddRoutesRequest request, StreamObserver<AddRoutesResponse> response) {
        answer(response, () -> control.addRoutes(request.getRoutesList()));
    }

    @Override
    public void deleteRoutes(DeleteRoutesRequest request, StreamObserver<DeleteRoutesResponse> response) {
        answer(response, () -> DeleteRoutesResponse.newBuilder()
                .setDeleted(control.deleteRoutes(request.getPrefixesList())).build());
    }

    @Override
    public void listRoutes(ListRoutesRequest request, StreamObserver<ListRoutesResponse> response) {
        answer(response, () -> control.listRoutes(request.getFamily(), request.getPageSize(), request.getPageToken()));
    }

    @Override
    public void lookup(LookupRequest request, StreamObserver<LookupResponse> response) {
        answer(response, () -> control.lookup(request));
    }

    @Override
    public void setNeighbors(SetNeighborsRequest request, StreamObserver<SetNeighborsResponse> response) {
        answer(response, () -> SetNeighborsResponse.newBuilder()
                .setSet(control.setNeighbors(request.getNeighborsList())).build());
    }

    @Override
    public void deleteNeighbors(DeleteNeighborsRequest request, StreamObserver<DeleteNeighborsResponse> response) {
        answer(response, () -> DeleteNeighborsResponse.newBuilder()
                .setDeleted(control.deleteNeighbors(request.getAddressesList())).build());
    }

    @Override
    public void listNeighbors(ListNeighborsRequest request, StreamObserver<ListNeighborsResponse> response) {
        answer(response, () -> ListNeighborsResponse.newBuilder().addAllNeighbors(control.listNeighbors()).build());
    }

    private <T> void answer(StreamObserver<T> response, Supplier<T> call) {
        if (control == null) {
            response.onError(Status.FAILED_PRECONDITION
                    .withDescription("this runner hosts '" + hosted + "', not a router").asRuntimeException());
            return;
        }
        T result;
        try {
            result = call.get();
        } catch (InvalidRuleException e) {
            response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (RouterControl.NotFoundException e) {
            response.onError(Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        response.onNext(result);
        response.onCompleted();
    }
}
