package io.nfchain.bench.router;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.nfchain.api.router.v1.AddRoutesRequest;
import io.nfchain.api.router.v1.AddRoutesResponse;
import io.nfchain.api.router.v1.ListNeighborsRequest;
import io.nfchain.api.router.v1.Neighbor;
import io.nfchain.api.router.v1.NextHop;
import io.nfchain.api.router.v1.Route;
import io.nfchain.api.router.v1.RouterServiceGrpc;
import io.nfchain.api.router.v1.SetNeighborsRequest;
import io.nfchain.core.packet.NetBytes;
import io.nfchain.functions.router.Ipv4Routes;
import java.util.concurrent.TimeUnit;

/**
 * Not thread-safe. Loads the synthetic table into a router runner over its gRPC API, as an
 * operator's controller would: the next hops' gateways as static neighbours
 * ({@code SetNeighbors}), then the routes ({@code AddRoutes}) in batches of {@link #BATCH_ROUTES}.
 */
final class RouteLoader implements AutoCloseable {
    /** Routes per AddRoutes request: about 1.5 MB of protobuf. */
    static final int BATCH_ROUTES = 50_000;
    private static final long CALL_TIMEOUT_S = 300;

    private final ManagedChannel channel;
    private final RouterServiceGrpc.RouterServiceBlockingStub stub;

    RouteLoader(int port) {
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                .maxInboundMessageSize(64 << 20).build();
        this.stub = RouterServiceGrpc.newBlockingStub(channel);
    }

    /** Waits until the runner answers a gRPC call (it starts in seconds, more on a loaded machine). */
    void awaitReady(long timeoutMs, RunnerProcess runner) throws InterruptedException {
        runner.awaitApi(timeoutMs,
                () -> stub.withDeadlineAfter(2, TimeUnit.SECONDS).listNeighbors(ListNeighborsRequest.getDefaultInstance()));
    }

    /** Sets the gateways of next hops 0 .. nextHops-1 as static neighbours on output 0. */
    void setGateways(int nextHops) {
        SetNeighborsRequest.Builder request = SetNeighborsRequest.newBuilder();
        for (int n = 0; n < nextHops; n++) {
            request.addNeighbors(Neighbor.newBuilder().setAddress(dotted(FlowSet.gateway(n)))
                    .setMac(NetBytes.macToString(FlowSet.gatewayMac(n))).setOutput(0));
        }
        int set = stub.withDeadlineAfter(CALL_TIMEOUT_S, TimeUnit.SECONDS).setNeighbors(request.build()).getSet();
        if (set != nextHops) {
            throw new IllegalStateException("SetNeighbors set " + set + " of " + nextHops);
        }
    }

    /** Adds every route, next hop {@code n} via its gateway on output 0; returns the IPv4 routes the router then holds. */
    long addRoutes(Ipv4Routes routes) {
        long held = 0;
        for (int from = 0; from < routes.size(); from += BATCH_ROUTES) {
            AddRoutesRequest request = batch(routes, from, Math.min(routes.size(), from + BATCH_ROUTES));
            AddRoutesResponse response = stub.withDeadlineAfter(CALL_TIMEOUT_S, TimeUnit.SECONDS).addRoutes(request);
            if (response.getAdded() + response.getReplaced() != request.getRoutesCount()) {
                throw new IllegalStateException("AddRoutes took " + response.getAdded() + " + " + response.getReplaced()
                        + " of " + request.getRoutesCount() + " routes");
            }
            held = response.getIpv4Routes();
        }
        return held;
    }

    static AddRoutesRequest batch(Ipv4Routes routes, int from, int to) {
        AddRoutesRequest.Builder request = AddRoutesRequest.newBuilder();
        for (int r = from; r < to; r++) {
            request.addRoutes(Route.newBuilder()
                    .setPrefix(dotted(routes.prefix(r)) + "/" + routes.length(r))
                    .addNextHops(NextHop.newBuilder().setVia(dotted(FlowSet.gateway(routes.nextHop(r)))).setOutput(0)));
        }
        return request.build();
    }

    static String dotted(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." + (address & 0xFF);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
}
