package io.nfchain.bench.acl;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.nfchain.api.acl.v1.AclServiceGrpc;
import io.nfchain.api.acl.v1.Action;
import io.nfchain.api.acl.v1.PortRange;
import io.nfchain.api.acl.v1.ReplaceRulesRequest;
import io.nfchain.api.acl.v1.ReplaceRulesResponse;
import io.nfchain.api.acl.v1.Rule;
import io.nfchain.api.function.v1.Counter;
import io.nfchain.api.function.v1.FunctionServiceGrpc;
import io.nfchain.api.function.v1.GetInfoRequest;
import io.nfchain.api.function.v1.ListCountersRequest;
import io.nfchain.bench.router.RunnerProcess;
import io.nfchain.functions.acl.AclAction;
import io.nfchain.functions.acl.AclRule;
import io.nfchain.functions.acl.AclRuleSet;
import io.nfchain.functions.acl.AclRuleSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Not thread-safe. The acl runner's gRPC API as an operator's controller uses it: the rules
 * ({@code AclService/ReplaceRules}, the whole set at once) and the function's counters
 * ({@code FunctionService/ListCounters}).
 */
final class AclControlClient implements AutoCloseable {
    private static final long CALL_TIMEOUT_S = 120;

    private final ManagedChannel channel;
    private final AclServiceGrpc.AclServiceBlockingStub acl;
    private final FunctionServiceGrpc.FunctionServiceBlockingStub function;

    AclControlClient(int port) {
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                .maxInboundMessageSize(64 << 20).build();
        this.acl = AclServiceGrpc.newBlockingStub(channel);
        this.function = FunctionServiceGrpc.newBlockingStub(channel);
    }

    /** Waits until the runner answers a gRPC call (it starts in seconds, more on a loaded machine). */
    void awaitReady(long timeoutMs, RunnerProcess runner) throws InterruptedException {
        runner.awaitApi(timeoutMs, () -> {
            String type = function.withDeadlineAfter(2, TimeUnit.SECONDS).getInfo(GetInfoRequest.getDefaultInstance())
                    .getType();
            if (!type.equals("acl")) {
                throw new IllegalStateException("the NF runner hosts '" + type + "', not acl");
            }
        });
    }

    /** Replaces the acl's rules with {@code set}; returns the acl's answer (rules taken, compile time). */
    ReplaceRulesResponse replaceRules(AclRuleSet set) {
        ReplaceRulesResponse response = acl.withDeadlineAfter(CALL_TIMEOUT_S, TimeUnit.SECONDS).replaceRules(request(set));
        if (response.getRules() != set.size()) {
            throw new IllegalStateException("ReplaceRules took " + response.getRules() + " of " + set.size() + " rules");
        }
        return response;
    }

    /** The acl's counters and the worker's ({@code scope/NAME} to value). */
    Map<String, Long> counters() {
        List<Counter> list = function.withDeadlineAfter(CALL_TIMEOUT_S, TimeUnit.SECONDS)
                .listCounters(ListCountersRequest.getDefaultInstance()).getCountersList();
        Map<String, Long> values = new HashMap<>();
        for (Counter c : list) {
            values.put(c.getScope() + "/" + c.getName(), c.getValue());
        }
        return values;
    }

    static ReplaceRulesRequest request(AclRuleSet set) {
        ReplaceRulesRequest.Builder request = ReplaceRulesRequest.newBuilder().setDefaultAction(action(set.defaultAction()));
        for (AclRule r : set.rules()) {
            request.addRules(rule(r));
        }
        return request.build();
    }

    /** One validated rule as the .proto writes it: a field left out is "any". */
    static Rule rule(AclRule r) {
        Rule.Builder b = Rule.newBuilder().setAction(action(r.action()));
        if (r.src() != null) {
            b.setSrcPrefix(r.src().toString());
        }
        if (r.dst() != null) {
            b.setDstPrefix(r.dst().toString());
        }
        if (r.protocol() != AclRuleSpec.ANY) {
            b.setProtocol(r.protocol());
        }
        if (r.srcPorts() != null) {
            b.setSrcPorts(PortRange.newBuilder().setFirst(r.srcPorts().first()).setLast(r.srcPorts().last()));
        }
        if (r.dstPorts() != null) {
            b.setDstPorts(PortRange.newBuilder().setFirst(r.dstPorts().first()).setLast(r.dstPorts().last()));
        }
        if (r.dscp() != AclRuleSpec.ANY) {
            b.setDscp(r.dscp());
        }
        b.setTcpFlagsValue(r.tcpFlagsValue()).setTcpFlagsMask(r.tcpFlagsMask());
        if (r.action() == AclAction.SET_DSCP) {
            b.setSetDscp(r.setDscp());
        }
        return b.build();
    }

    private static Action action(AclAction action) {
        return switch (action) {
            case PERMIT -> Action.PERMIT;
            case DENY -> Action.DENY;
            case COUNT -> Action.COUNT;
            case SET_DSCP -> Action.SET_DSCP;
        };
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
}
