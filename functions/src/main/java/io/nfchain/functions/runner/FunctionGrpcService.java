package io.nfchain.functions.runner;

import io.grpc.stub.StreamObserver;
import io.nfchain.api.function.v1.Counter;
import io.nfchain.api.function.v1.FunctionInfo;
import io.nfchain.api.function.v1.FunctionServiceGrpc;
import io.nfchain.api.function.v1.GetInfoRequest;
import io.nfchain.api.function.v1.GetRuntimeRequest;
import io.nfchain.api.function.v1.Link;
import io.nfchain.api.function.v1.ListCountersRequest;
import io.nfchain.api.function.v1.ListCountersResponse;
import io.nfchain.api.function.v1.Runtime;
import io.nfchain.core.memif.MemifClient;
import io.nfchain.core.memif.MemifCounters;
import io.nfchain.core.memif.MemifDrop;
import io.nfchain.core.memif.MemifError;
import io.nfchain.core.runtime.RunnerStats;
import io.nfchain.functions.sdk.CounterSet;
import io.nfchain.functions.sdk.FunctionCounter;
import io.quarkus.grpc.GrpcService;

/** {@code nfchain.function.v1.FunctionService}: what every function answers (see function.proto). */
@GrpcService
public class FunctionGrpcService extends FunctionServiceGrpc.FunctionServiceImplBase {
    private final FunctionRuntime runtime;

    FunctionGrpcService(FunctionRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public void getInfo(GetInfoRequest request, StreamObserver<FunctionInfo> response) {
        FunctionInfo.Builder info = FunctionInfo.newBuilder()
                .setType(runtime.config().type())
                .setInstance(runtime.config().instance());
        for (int k = 0; k < runtime.linkCount(); k++) {
            info.addLinks(link(k));
        }
        response.onNext(info.build());
        response.onCompleted();
    }

    private Link link(int k) {
        MemifClient client = runtime.link(k);
        FunctionConfig.Link config = runtime.config().links().get(k);
        MemifCounters counters = client.counters(0);
        Link.Builder link = Link.newBuilder()
                .setOutput(runtime.outputs().get(k))
                .setSocket(config.socket().toString())
                .setInterfaceId(config.interfaceId())
                .setConnected(client.isConnected())
                .setLastError(client.lastError() == MemifError.NONE ? "" : client.lastError().text())
                .setConnects(client.connects())
                .setRxPackets(counters.rxPackets())
                .setRxBytes(counters.rxBytes())
                .setTxPackets(counters.txPackets())
                .setTxBytes(counters.txBytes());
        for (MemifDrop reason : MemifDrop.values()) {
            link.addDrops(Counter.newBuilder().setScope("memif").setName(reason.name()).setText(reason.text())
                    .setDrop(true).setValue(counters.drops(reason)));
        }
        return link.build();
    }

    @Override
    public void listCounters(ListCountersRequest request, StreamObserver<ListCountersResponse> response) {
        ListCountersResponse.Builder out = ListCountersResponse.newBuilder();
        // a pipeline's stages each count under their own name
        for (int k = 0; k < runtime.stages().size(); k++) {
            add(out, runtime.stages().get(k).name(), runtime.worker().counters(k), request.getNonZeroOnly());
        }
        add(out, "worker", runtime.worker().workerCounters(), request.getNonZeroOnly());
        response.onNext(out.build());
        response.onCompleted();
    }

    private static <C extends Enum<C> & FunctionCounter> void add(ListCountersResponse.Builder out, String scope,
            CounterSet<C> counters, boolean nonZeroOnly) {
        for (C c : counters.counters()) {
            long value = counters.get(c);
            if (!nonZeroOnly || value != 0) {
                out.addCounters(Counter.newBuilder().setScope(scope).setName(c.name()).setText(c.text())
                        .setDrop(c.isDrop()).setValue(value));
            }
        }
    }

    @Override
    public void getRuntime(GetRuntimeRequest request, StreamObserver<Runtime> response) {
        RunnerStats.Snapshot s = runtime.runner().stats().snapshot();
        response.onNext(Runtime.newBuilder()
                .setIdleStrategy(runtime.idleStrategy().name())
                .setBusyRatio(s.busyRatio())
                .setEmptyPolls(s.emptyPolls())
                .setSleeps(s.sleeps())
                .setSleptNs(s.sleptNs())
                .setMeanBurst(s.meanBurstSize())
                .setNsPerPacket(s.nsPerWorkItem())
                .setPackets(s.workItems())
                .build());
        response.onCompleted();
    }
}
