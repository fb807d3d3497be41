package io.nfchain.functions.charging;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.nfchain.api.charging.v1.AckReportsRequest;
import io.nfchain.api.charging.v1.AckReportsResponse;
import io.nfchain.api.charging.v1.ChargingServiceGrpc;
import io.nfchain.api.charging.v1.GetUsageRequest;
import io.nfchain.api.charging.v1.GetUsageResponse;
import io.nfchain.api.charging.v1.GrantQuotaRequest;
import io.nfchain.api.charging.v1.GrantQuotaResponse;
import io.nfchain.api.charging.v1.Usage;
import io.nfchain.api.charging.v1.UsageReport;
import io.nfchain.api.charging.v1.WatchReportsRequest;
import io.nfchain.functions.runner.FunctionRuntime;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;

/**
 * Thread-safe (the control serializes). {@code nfchain.charging.v1.ChargingService} over the
 * charging function this runner hosts; FAILED_PRECONDITION when it hosts another type. Unknown
 * SEIDs and URRs are NOT_FOUND.
 */
@GrpcService
@Blocking
public class ChargingGrpcService extends ChargingServiceGrpc.ChargingServiceImplBase {
    private final ChargingControl control;
    private final String hosted;

    @Inject
    ChargingGrpcService(FunctionRuntime runtime) {
        this(runtime.stage(ChargingFunction.class) instanceof ChargingFunction c ? c.control() : null, runtime.name());
    }

    /** For charging outside a runner (tests); {@code control} null answers FAILED_PRECONDITION. */
    ChargingGrpcService(ChargingControl control, String hosted) {
        this.control = control;
        this.hosted = hosted;
    }

    private boolean refused(StreamObserver<?> response) {
        if (control != null) {
            return false;
        }
        response.onError(Status.FAILED_PRECONDITION.withDescription("this runner hosts '" + hosted + "', not charging")
                .asRuntimeException());
        return true;
    }

    @Override
    public void watchReports(WatchReportsRequest request, StreamObserver<UsageReport> response) {
        if (refused(response)) {
            return;
        }
        if (response instanceof ServerCallStreamObserver<UsageReport> call) {
            call.setOnCancelHandler(() -> control.unwatch(response));
        }
        control.watch(response);
    }

    @Override
    public void ackReports(AckReportsRequest request, StreamObserver<AckReportsResponse> response) {
        if (refused(response)) {
            return;
        }
        response.onNext(AckReportsResponse.newBuilder().setUnacknowledged(control.ack(request.getUpToSeq())).build());
        response.onCompleted();
    }

    @Override
    public void grantQuota(GrantQuotaRequest request, StreamObserver<GrantQuotaResponse> response) {
        if (refused(response)) {
            return;
        }
        Usage usage = control.grant(request);
        if (usage == null) {
            response.onError(Status.NOT_FOUND.withDescription("seid " + Long.toUnsignedString(request.getSeid())
                    + " urr_id " + Integer.toUnsignedString(request.getUrrId()) + ": no such URR").asRuntimeException());
            return;
        }
        response.onNext(GrantQuotaResponse.newBuilder().setUsage(usage).build());
        response.onCompleted();
    }

    @Override
    public void getUsage(GetUsageRequest request, StreamObserver<GetUsageResponse> response) {
        if (refused(response)) {
            return;
        }
        GetUsageResponse usage = control.usage(request.getSeid());
        if (usage == null) {
            response.onError(Status.NOT_FOUND.withDescription("seid: no session " + Long.toUnsignedString(request.getSeid()))
                    .asRuntimeException());
            return;
        }
        response.onNext(usage);
        response.onCompleted();
    }
}
