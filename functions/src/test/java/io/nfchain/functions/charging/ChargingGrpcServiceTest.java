package io.nfchain.functions.charging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.nfchain.api.charging.v1.AckReportsRequest;
import io.nfchain.api.charging.v1.AckReportsResponse;
import io.nfchain.api.charging.v1.GetUsageRequest;
import io.nfchain.api.charging.v1.GetUsageResponse;
import io.nfchain.api.charging.v1.GrantQuotaRequest;
import io.nfchain.api.charging.v1.GrantQuotaResponse;
import io.nfchain.api.charging.v1.UsageReport;
import io.nfchain.api.charging.v1.WatchReportsRequest;
import io.nfchain.functions.session.SessionProtos;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gRPC mapping of the charging service: answers, NOT_FOUND, FAILED_PRECONDITION on another type. */
class ChargingGrpcServiceTest {
    @TempDir
    Path dir;

    static final class Recorder<T> implements StreamObserver<T> {
        final List<T> values = new ArrayList<>();
        Throwable error;
        boolean completed;

        @Override
        public void onNext(T value) {
            values.add(value);
        }

        @Override
        public void onError(Throwable t) {
            error = t;
        }

        @Override
        public void onCompleted() {
            completed = true;
        }
    }

    @Test
    void anotherFunctionTypeIsRefusedWithFailedPrecondition() {
        ChargingGrpcService service = new ChargingGrpcService(null, "acl");
        Recorder<GetUsageResponse> r = new Recorder<>();
        service.getUsage(GetUsageRequest.newBuilder().setSeid(1).build(), r);
        assertEquals(Status.Code.FAILED_PRECONDITION, Status.fromThrowable(r.error).getCode());
        Recorder<UsageReport> w = new Recorder<>();
        service.watchReports(WatchReportsRequest.getDefaultInstance(), w);
        assertEquals(Status.Code.FAILED_PRECONDITION, Status.fromThrowable(w.error).getCode());
    }

    @Test
    void usageGrantsAndAcksAnswerAndUnknownSessionsAreNotFound() {
        try (ChargingHarness h = new ChargingHarness(dir)) {
            h.apply(SessionProtos.simple(5, 0x100, 0x0A2D0005, 0x200, "192.0.2.9"));
            ChargingGrpcService service = new ChargingGrpcService(h.control, "charging");
            Recorder<GetUsageResponse> usage = new Recorder<>();
            service.getUsage(GetUsageRequest.newBuilder().setSeid(5).build(), usage);
            assertNull(usage.error);
            assertEquals(1, usage.values.get(0).getUsagesCount());
            Recorder<GetUsageResponse> unknown = new Recorder<>();
            service.getUsage(GetUsageRequest.newBuilder().setSeid(6).build(), unknown);
            assertEquals(Status.Code.NOT_FOUND, Status.fromThrowable(unknown.error).getCode());
            Recorder<GrantQuotaResponse> grant = new Recorder<>();
            service.grantQuota(GrantQuotaRequest.newBuilder().setSeid(5).setUrrId(1).setVolumeBytes(1000).build(), grant);
            assertEquals(1000, grant.values.get(0).getUsage().getVolumeQuotaLeftBytes());
            Recorder<GrantQuotaResponse> noUrr = new Recorder<>();
            service.grantQuota(GrantQuotaRequest.newBuilder().setSeid(5).setUrrId(2).setVolumeBytes(1).build(), noUrr);
            assertEquals(Status.Code.NOT_FOUND, Status.fromThrowable(noUrr.error).getCode());
            Recorder<AckReportsResponse> ack = new Recorder<>();
            service.ackReports(AckReportsRequest.newBuilder().setUpToSeq(100).build(), ack);
            assertEquals(0, ack.values.get(0).getUnacknowledged());
        }
    }
}
