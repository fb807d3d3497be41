package io.nfchain.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.nfchain.api.agent.v1.ChainServiceGrpc;
import io.nfchain.api.agent.v1.NodeSpecDocument;
import io.nfchain.api.charging.v1.ChargingServiceGrpc;
import io.nfchain.api.charging.v1.Usage;
import io.nfchain.api.charging.v1.UsageReport;
import io.nfchain.api.charging.v1.WatchReportsRequest;
import io.nfchain.api.router.v1.AddRoutesRequest;
import io.nfchain.api.router.v1.AddRoutesResponse;
import io.nfchain.api.router.v1.Route;
import io.nfchain.api.router.v1.RouterServiceGrpc;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The agent forwarding rule calls, against a router stand-in: a plain gRPC server that records the
 * request it got and answers from it, so the test sees the bytes went through unchanged both ways
 * and the NF's own refusal reaches the client as it was.
 */
@QuarkusTest
class RuleForwardingTest {
    @GrpcClient("agent")
    ChainServiceGrpc.ChainServiceBlockingStub chains;

    @GrpcClient("agent")
    RouterServiceGrpc.RouterServiceBlockingStub router;

    @Test
    void forwardsToTheNamedFunctionAndPassesItsAnswerBack() throws Exception {
        AtomicReference<AddRoutesRequest> seen = new AtomicReference<>();
        Server nf = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new RouterServiceGrpc.RouterServiceImplBase() {
                    @Override
                    public void addRoutes(AddRoutesRequest request, StreamObserver<AddRoutesResponse> response) {
                        seen.set(request);
                        if (request.getRoutes(0).getPrefix().endsWith("/33")) {
                            response.onError(Status.INVALID_ARGUMENT.withDescription("routes[0].prefix: too long")
                                    .asRuntimeException());
                            return;
                        }
                        response.onNext(AddRoutesResponse.newBuilder().setAdded(request.getRoutesCount()).build());
                        response.onCompleted();
                    }
                }).build().start();
        try {
            chains.applyNodeSpec(NodeSpecDocument.newBuilder().setYaml("""
                    functions:
                      - {name: r1, type: router, grpc: "127.0.0.1:%d"}
                      - {name: r2, type: router}
                    """.formatted(nf.getPort())).build());
            Metadata header = new Metadata();
            header.put(RuleForwarding.FUNCTION_HEADER, "r1");
            RouterServiceGrpc.RouterServiceBlockingStub toR1 = router.withInterceptors(
                    MetadataUtils.newAttachHeadersInterceptor(header));
            AddRoutesRequest request = AddRoutesRequest.newBuilder()
                    .addRoutes(Route.newBuilder().setPrefix("203.0.113.0/24"))
                    .addRoutes(Route.newBuilder().setPrefix("198.51.100.0/24")).build();
            assertEquals(2, toR1.addRoutes(request).getAdded());
            assertEquals(request, seen.get(), "the NF got the request as sent");

            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> toR1.addRoutes(
                    AddRoutesRequest.newBuilder().addRoutes(Route.newBuilder().setPrefix("10.0.0.0/33")).build()));
            assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
            assertEquals("routes[0].prefix: too long", refused.getStatus().getDescription());

            StatusRuntimeException ambiguous = assertThrows(StatusRuntimeException.class, () -> router.addRoutes(request));
            assertEquals(Status.Code.INVALID_ARGUMENT, ambiguous.getStatus().getCode());
            assertTrue(ambiguous.getStatus().getDescription().startsWith("nfchain-function: this node has 2"),
                    ambiguous.getStatus().getDescription());

            header = new Metadata();
            header.put(RuleForwarding.FUNCTION_HEADER, "r2");
            RouterServiceGrpc.RouterServiceBlockingStub toR2 = router.withInterceptors(
                    MetadataUtils.newAttachHeadersInterceptor(header));
            assertEquals(Status.Code.FAILED_PRECONDITION,
                    assertThrows(StatusRuntimeException.class, () -> toR2.addRoutes(request)).getStatus().getCode());
        } finally {
            chains.applyNodeSpec(NodeSpecDocument.newBuilder().setYaml("").build());
            nf.shutdownNow();
        }
    }

    @GrpcClient("agent")
    ChargingServiceGrpc.ChargingServiceBlockingStub charging;

    @Test
    void forwardsAServerStreamMessageByMessage() throws Exception {
        Server nf = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new ChargingServiceGrpc.ChargingServiceImplBase() {
                    @Override
                    public void watchReports(WatchReportsRequest request, StreamObserver<UsageReport> response) {
                        for (long seq = 1; seq <= 3; seq++) {
                            response.onNext(UsageReport.newBuilder().setSeq(seq)
                                    .setUsage(Usage.newBuilder().setSeid(7).setBytesUplink(100 * seq)).build());
                        }
                        response.onError(Status.UNAVAILABLE.withDescription("charging restarting").asRuntimeException());
                    }
                }).build().start();
        try {
            chains.applyNodeSpec(NodeSpecDocument.newBuilder().setYaml("""
                    functions:
                      - {name: c1, type: charging, grpc: "127.0.0.1:%d"}
                      - {name: a1, type: acl, grpc: "127.0.0.1:1"}
                    """.formatted(nf.getPort())).build());
            Iterator<UsageReport> reports = charging.watchReports(WatchReportsRequest.getDefaultInstance());
            List<Long> seen = new ArrayList<>();
            StatusRuntimeException end = assertThrows(StatusRuntimeException.class, () -> reports.forEachRemaining(
                    r -> seen.add(r.getSeq() * 1000 + r.getUsage().getBytesUplink())));
            assertEquals(List.of(1100L, 2200L, 3300L), seen, "every report, in order, unchanged");
            assertEquals(Status.Code.UNAVAILABLE, end.getStatus().getCode(), "the NF's end of stream reaches the client");
            assertEquals("charging restarting", end.getStatus().getDescription());

            Metadata header = new Metadata();
            header.put(RuleForwarding.FUNCTION_HEADER, "a1");
            StatusRuntimeException wrongType = assertThrows(StatusRuntimeException.class, () -> charging
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(header))
                    .watchReports(WatchReportsRequest.getDefaultInstance()).hasNext());
            assertEquals(Status.Code.INVALID_ARGUMENT, wrongType.getStatus().getCode());

            // a pipeline with a charging stage serves charging's calls, named or found by type
            chains.applyNodeSpec(NodeSpecDocument.newBuilder().setYaml("""
                    functions:
                      - {name: up1, type: "upf+qos+charging", grpc: "127.0.0.1:%d"}
                      - {name: a1, type: acl, grpc: "127.0.0.1:1"}
                    """.formatted(nf.getPort())).build());
            assertEquals(1, charging.watchReports(WatchReportsRequest.getDefaultInstance()).next().getSeq());
            header.put(RuleForwarding.FUNCTION_HEADER, "up1");
            assertEquals(1, charging.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(header))
                    .watchReports(WatchReportsRequest.getDefaultInstance()).next().getSeq());
            assertTrue(RuleForwarding.hosts("upf+qos+charging", "qos"));
            assertFalse(RuleForwarding.hosts("upf+qos+charging", "acl"));
            assertFalse(RuleForwarding.hosts("charging-x", "charging"));
        } finally {
            chains.applyNodeSpec(NodeSpecDocument.newBuilder().setYaml("").build());
            nf.shutdownNow();
        }
    }
}

