package io.nfchain.agent.runtime;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.nfchain.agent.spec.SpecException;
import java.util.function.Supplier;

/**
 * Thread-safe (stateless). The one place domain errors become gRPC status codes: a refused spec
 * is INVALID_ARGUMENT whose description starts with the field, an unknown name NOT_FOUND, a node
 * that cannot do it now FAILED_PRECONDITION. Anything else is INTERNAL with its message.
 */
final class GrpcErrors {
    private GrpcErrors() {}

    /** Something named in a request that the node does not have. */
    static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message);
        }
    }

    static <T> void answer(StreamObserver<T> response, Supplier<T> call) {
        T value;
        try {
            value = call.get();
        } catch (RuntimeException e) {
            response.onError(status(e));
            return;
        }
        response.onNext(value);
        response.onCompleted();
    }

    static StatusRuntimeException status(Throwable e) {
        if (e instanceof StatusRuntimeException s) {
            return s;
        }
        Status status = switch (e) {
            case SpecException s -> Status.INVALID_ARGUMENT.withDescription(s.getMessage());
            case NotFound n -> Status.NOT_FOUND.withDescription(n.getMessage());
            case IllegalStateException s -> Status.FAILED_PRECONDITION.withDescription(s.getMessage());
            default -> Status.INTERNAL.withDescription(e.getClass().getSimpleName() + ": " + e.getMessage());
        };
        return status.asRuntimeException();
    }
}
