package io.nfchain.agent.runtime;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.nfchain.agent.datapath.Chain;
import io.nfchain.agent.spec.FunctionSpec;
import io.nfchain.agent.spec.NodeSpec;
import io.nfchain.agent.spec.NodeSpecReader;
import io.nfchain.agent.spec.NodeSpecWriter;
import io.nfchain.agent.spec.SpecException;
import io.nfchain.api.agent.v1.ApplyNodeSpecResponse;
import io.nfchain.api.agent.v1.ChainServiceGrpc;
import io.nfchain.api.agent.v1.CounterSnapshot;
import io.nfchain.api.agent.v1.FunctionServiceGrpc;
import io.nfchain.api.agent.v1.GetNodeSpecRequest;
import io.nfchain.api.agent.v1.GetRuntimeRequest;
import io.nfchain.api.agent.v1.GetRuntimeResponse;
import io.nfchain.api.agent.v1.ListChainsRequest;
import io.nfchain.api.agent.v1.ListChainsResponse;
import io.nfchain.api.agent.v1.ListErrorsRequest;
import io.nfchain.api.agent.v1.ListErrorsResponse;
import io.nfchain.api.agent.v1.ListFunctionsRequest;
import io.nfchain.api.agent.v1.ListFunctionsResponse;
import io.nfchain.api.agent.v1.ListPortsRequest;
import io.nfchain.api.agent.v1.ListPortsResponse;
import io.nfchain.api.agent.v1.NodeSpecDocument;
import io.nfchain.api.agent.v1.PortServiceGrpc;
import io.nfchain.api.agent.v1.RuntimeServiceGrpc;
import io.nfchain.api.agent.v1.SwitchFunctionRequest;
import io.nfchain.api.agent.v1.SwitchFunctionResponse;
import io.nfchain.api.agent.v1.WatchCountersRequest;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The management API ({@code nfchain/agent/v1/agent.proto}) over the agent's runtime. Thread-safe:
 * reads take the running plan (immutable wiring, counters read with acquire), changes go through
 * {@link io.nfchain.agent.datapath.Datapath}, which serializes them. Errors map in
 * {@link GrpcErrors}. Blocking: a spec change waits for the worker to take it.
 */
final class AgentGrpcServices {
    private AgentGrpcServices() {}

    @GrpcService
    @Blocking
    static class Ports extends PortServiceGrpc.PortServiceImplBase {
        private final AgentRuntime runtime;

        Ports(AgentRuntime runtime) {
            this.runtime = runtime;
        }

        @Override
        public void listPorts(ListPortsRequest request, StreamObserver<ListPortsResponse> response) {
            GrpcErrors.answer(response, () -> ListPortsResponse.newBuilder()
                    .addAllPorts(AgentViews.ports(runtime.datapath().plan(), runtime.datapath().functionLinks()))
                    .build());
        }
    }

    @GrpcService
    @Blocking
    static class Chains extends ChainServiceGrpc.ChainServiceImplBase {
        private final AgentRuntime runtime;

        Chains(AgentRuntime runtime) {
            this.runtime = runtime;
        }

        @Override
        public void listChains(ListChainsRequest request, StreamObserver<ListChainsResponse> response) {
            GrpcErrors.answer(response, () -> {
                ListChainsResponse.Builder b = ListChainsResponse.newBuilder();
                for (Chain c : runtime.datapath().plan().chains()) {
                    b.addChains(AgentViews.chain(c));
                }
                return b.build();
            });
        }

        @Override
        public void getNodeSpec(GetNodeSpecRequest request, StreamObserver<NodeSpecDocument> response) {
            GrpcErrors.answer(response, () -> NodeSpecDocument.newBuilder()
                    .setYaml(NodeSpecWriter.yaml(runtime.datapath().spec())).build());
        }

        @Override
        public void applyNodeSpec(NodeSpecDocument request, StreamObserver<ApplyNodeSpecResponse> response) {
            GrpcErrors.answer(response, () -> {
                NodeSpec spec = NodeSpecReader.parse(request.getYaml(), runtime.config().socketDirectory());
                runtime.datapath().apply(spec);
                return ApplyNodeSpecResponse.newBuilder().setGeneration(runtime.datapath().plan().generation()).build();
            });
        }

        @Override
        public void switchFunction(SwitchFunctionRequest request, StreamObserver<SwitchFunctionResponse> response) {
            GrpcErrors.answer(response, () -> {
                if (request.getToFunction().isEmpty()) {
                    throw new SpecException("to_function", "is required");
                }
                NodeSpec running = runtime.datapath().spec();
                FunctionSpec old = running.function(request.getFromFunction()).orElseThrow(() ->
                        new GrpcErrors.NotFound("from_function: no function '" + request.getFromFunction() + "'"));
                if (running.chain(request.getChain()).isEmpty()) {
                    throw new GrpcErrors.NotFound("chain: no chain '" + request.getChain() + "'");
                }
                String socket = request.getToSocket().isEmpty() ? request.getToFunction() + "/memif.sock"
                        : request.getToSocket();
                Path path = runtime.config().socketDirectory().resolve(socket).normalize();
                FunctionSpec replacement = new FunctionSpec(request.getToFunction(),
                        request.getToType().isEmpty() ? old.type() : request.getToType(), path,
                        old.failurePolicy(), old.secret(),
                        request.getToGrpc(), old.allowUnsealedRegions());
                long timeoutMs = request.getConnectTimeoutMs() == 0 ? 10_000 : request.getConnectTimeoutMs();
                try {
                    runtime.datapath().switchFunction(request.getChain(), request.getFromFunction(), replacement,
                            Duration.ofMillis(timeoutMs));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for " + request.getToFunction());
                }
                return SwitchFunctionResponse.newBuilder().setGeneration(runtime.datapath().plan().generation())
                        .build();
            });
        }
    }

    @GrpcService
    @Blocking
    static class Functions extends FunctionServiceGrpc.FunctionServiceImplBase {
        private final AgentRuntime runtime;

        Functions(AgentRuntime runtime) {
            this.runtime = runtime;
        }

        @Override
        public void listFunctions(ListFunctionsRequest request, StreamObserver<ListFunctionsResponse> response) {
            GrpcErrors.answer(response, () -> {
                NodeSpec spec = runtime.datapath().spec();
                return ListFunctionsResponse.newBuilder().addAllFunctions(AgentViews.functions(spec.functions(),
                        runtime.datapath().functionLinks(), spec.chains(), runtime.datapath().drainingFunctions()))
                        .build();
            });
        }
    }

    @GrpcService
    @Blocking
    static class Runtime extends RuntimeServiceGrpc.RuntimeServiceImplBase {
        private static final ScheduledExecutorService TICKS = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("counter-watch").daemon().factory());
        private final AgentRuntime runtime;

        Runtime(AgentRuntime runtime) {
            this.runtime = runtime;
        }

        @Override
        public void getRuntime(GetRuntimeRequest request, StreamObserver<GetRuntimeResponse> response) {
            GrpcErrors.answer(response, () -> GetRuntimeResponse.newBuilder().addWorkers(AgentViews.worker(runtime))
                    .build());
        }

        @Override
        public void listErrors(ListErrorsRequest request, StreamObserver<ListErrorsResponse> response) {
            GrpcErrors.answer(response, () -> ListErrorsResponse.newBuilder()
                    .addAllCounters(AgentViews.errors(runtime, request.getNonZeroOnly())).build());
        }

        @Override
        public void watchCounters(WatchCountersRequest request, StreamObserver<CounterSnapshot> response) {
            int intervalMs = request.getIntervalMs() == 0 ? 1000 : request.getIntervalMs();
            if (intervalMs < 100) {
                response.onError(GrpcErrors.status(new SpecException("interval_ms", "must be at least 100, not "
                        + intervalMs)));
                return;
            }
            ServerCallStreamObserver<CounterSnapshot> call = (ServerCallStreamObserver<CounterSnapshot>) response;
            synchronized (call) {
                call.onNext(AgentViews.snapshot(runtime));
            }
            java.util.concurrent.atomic.AtomicReference<ScheduledFuture<?>> task =
                    new java.util.concurrent.atomic.AtomicReference<>();
            call.setOnCancelHandler(() -> {
                ScheduledFuture<?> t = task.get();
                if (t != null) {
                    t.cancel(false);
                }
            });
            task.set(TICKS.scheduleAtFixedRate(() -> {
                try {
                    synchronized (call) {
                        if (!call.isCancelled()) {
                            call.onNext(AgentViews.snapshot(runtime));
                        }
                    }
                } catch (RuntimeException e) {
                    task.get().cancel(false); // the client went away mid-send
                }
            }, intervalMs, intervalMs, TimeUnit.MILLISECONDS));
            if (call.isCancelled()) {
                task.get().cancel(false);
            }
        }
    }
}
