package io.nfchain.functions.acl;

import static io.nfchain.functions.acl.AclHarness.ports;
import static io.nfchain.functions.acl.AclHarness.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.nfchain.api.acl.v1.Action;
import io.nfchain.api.acl.v1.GetRulesRequest;
import io.nfchain.api.acl.v1.GetRulesResponse;
import io.nfchain.api.acl.v1.ListFlowsRequest;
import io.nfchain.api.acl.v1.ListFlowsResponse;
import io.nfchain.api.acl.v1.ReplaceRulesRequest;
import io.nfchain.api.acl.v1.ReplaceRulesResponse;
import io.nfchain.api.acl.v1.Rule;
import io.nfchain.core.packet.IpAddresses;
import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.functions.sdk.PacketVector;
import java.lang.foreign.MemorySegment;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** The AclService called in process: bad rules refused with the field and nothing applied, modes, paging, live replacement. */
class AclGrpcServiceTest {
    private static final int CLIENT = IpAddresses.parseIpv4("10.0.0.1");
    private static final int SERVER = IpAddresses.parseIpv4("192.0.2.1");

    /** What one unary call answered: a value or a status. */
    private static final class Answer<T> implements StreamObserver<T> {
        T value;
        Status status;

        @Override
        public void onNext(T v) {
            value = v;
        }

        @Override
        public void onError(Throwable t) {
            status = ((StatusRuntimeException) t).getStatus();
        }

        @Override
        public void onCompleted() {}
    }

    private static <Q, T> Answer<T> call(BiConsumer<Q, StreamObserver<T>> method, Q request) {
        Answer<T> a = new Answer<>();
        method.accept(request, a);
        return a;
    }

    private static Answer<ReplaceRulesResponse> replace(AclGrpcService service, Action defaultAction, Rule... rules) {
        return call(service::replaceRules, ReplaceRulesRequest.newBuilder().addAllRules(List.of(rules))
                .setDefaultAction(defaultAction).build());
    }

    private static void assertStatus(Answer<?> a, Status.Code code, String descriptionStart) {
        assertNull(a.value, "no answer besides the error");
        assertEquals(code, a.status.getCode(), String.valueOf(a.status));
        assertTrue(a.status.getDescription().startsWith(descriptionStart), a.status.getDescription());
    }

    private static MemorySegment udp(int src, int srcPort, int dst, int dstPort) {
        return new PacketBuilder().ethernet(2, 1).ipv4(src, dst).udp(srcPort, dstPort).payload(20).build();
    }

    @Test
    void badRulesAreRefusedNamingTheFieldAndTheRunningSetStays() {
        try (AclHarness h = AclHarness.stateless()) {
            AclGrpcService service = new AclGrpcService(h.acl.control(), "acl");
            Rule good = rule(Action.PERMIT).setSrcPrefix("10.0.0.0/8").build();
            assertEquals(1, replace(service, Action.DENY, good).value.getRules());
            Object[][] cases = {
                    {rule(Action.PERMIT).setSrcPrefix("10.0.0.0/33").build(), "rules[1].src_prefix: ", "33"},
                    {rule(Action.PERMIT).setProtocol(6).setDstPorts(ports(443, 80)).build(), "rules[1].dst_ports: ", "reversed"},
                    {rule(Action.PERMIT).setProtocol(1).setSrcPorts(ports(1, 2)).build(), "rules[1].src_ports: ", "tcp (6)"},
                    {rule(Action.SET_DSCP).setSetDscp(64).build(), "rules[1].set_dscp: ", "64"},
                    {rule(Action.PERMIT).setSetDscp(5).build(), "rules[1].set_dscp: ", "only a set-dscp rule"},
                    {rule(Action.ACTION_UNSPECIFIED).build(), "rules[1].action: ", "missing"},
                    {rule(Action.PERMIT).setProtocol(-1).build(), "rules[1].protocol: ", "4294967295"},
                    {rule(Action.PERMIT).setDscp(64).build(), "rules[1].dscp: ", "64"},
                    {rule(Action.PERMIT).setProtocol(6).setTcpFlagsMask(0x400).build(), "rules[1].tcp_flags_mask: ", "0x400"},
                    {rule(Action.PERMIT).setSrcPrefix("10.0.0.0/8").setDstPrefix("2001:db8::/32").build(),
                            "rules[1].dst_prefix: ", "IP version"},
            };
            for (Object[] c : cases) {
                Answer<ReplaceRulesResponse> a = replace(service, Action.PERMIT, good, (Rule) c[0], good);
                assertStatus(a, Status.Code.INVALID_ARGUMENT, (String) c[1]);
                assertTrue(a.status.getDescription().contains((String) c[2]), a.status.getDescription());
            }
            assertStatus(replace(service, Action.COUNT, good), Status.Code.INVALID_ARGUMENT, "default_action: ");
            GetRulesResponse rules = call(service::getRules, GetRulesRequest.getDefaultInstance()).value;
            assertEquals(List.of(good), rules.getRulesList().stream().map(r -> r.getRule()).toList(), "the set in force");
            assertEquals(Action.DENY, rules.getDefaultAction(), "no refused default action took effect");
            assertEquals(List.of(0, PacketVector.DROP), java.util.Arrays.stream(
                    h.run(udp(CLIENT, 1, SERVER, 2), udp(SERVER, 1, CLIENT, 2))).boxed().toList(),
                    "packets are still decided by the running set");
        }
    }

    @Test
    void theModeIsConfigurationAndOtherFunctionsAnswerFailedPrecondition() {
        try (AclHarness stateless = AclHarness.stateless();
                AclHarness stateful = AclHarness.stateful(64, FlowTimeouts.DEFAULT)) {
            AclGrpcService service = new AclGrpcService(stateless.acl.control(), "acl");
            assertStatus(call(service::replaceRules, ReplaceRulesRequest.newBuilder().setDefaultAction(Action.PERMIT)
                    .setStateful(true).build()), Status.Code.FAILED_PRECONDITION, "this acl is stateless");
            assertStatus(call(service::listFlows, ListFlowsRequest.getDefaultInstance()), Status.Code.FAILED_PRECONDITION,
                    "this acl is stateless");
            AclGrpcService statefulService = new AclGrpcService(stateful.acl.control(), "acl");
            assertEquals(0, call(statefulService::replaceRules, ReplaceRulesRequest.newBuilder()
                    .setDefaultAction(Action.PERMIT).setStateful(true).build()).value.getRules());
            assertTrue(call(statefulService::getRules, GetRulesRequest.getDefaultInstance()).value.getStateful());
            AclGrpcService elsewhere = new AclGrpcService(null, "router");
            assertStatus(replace(elsewhere, Action.PERMIT), Status.Code.FAILED_PRECONDITION,
                    "this runner hosts 'router', not an acl");
            assertStatus(call(elsewhere::getRules, GetRulesRequest.getDefaultInstance()), Status.Code.FAILED_PRECONDITION,
                    "this runner hosts");
        }
    }

    @Test
    void flowsArePagedAndEveryFlowIsListedOnce() {
        try (AclHarness h = AclHarness.stateful(1000, FlowTimeouts.DEFAULT)) {
            AclGrpcService service = new AclGrpcService(h.acl.control(), "acl");
            replace(service, Action.PERMIT);
            MemorySegment[] frames = new MemorySegment[50];
            for (int i = 0; i < frames.length; i++) {
                frames[i] = udp(CLIENT + i, 1000 + i, SERVER, 53);
            }
            h.run(frames);
            Set<String> seen = new HashSet<>();
            String token = "";
            int pages = 0;
            do {
                ListFlowsResponse page = call(service::listFlows, ListFlowsRequest.newBuilder().setPageSize(7)
                        .setPageToken(token).build()).value;
                assertTrue(page.getFlowsCount() <= 7);
                page.getFlowsList().forEach(f -> assertTrue(seen.add(f.getSrc() + ":" + f.getSrcPort()), "twice: " + f));
                token = page.getNextPageToken();
                pages++;
            } while (!token.isEmpty());
            assertEquals(50, seen.size());
            assertTrue(pages >= 8, "pages " + pages);
            assertStatus(call(service::listFlows, ListFlowsRequest.newBuilder().setPageSize(10_001).build()),
                    Status.Code.INVALID_ARGUMENT, "page_size: ");
            assertStatus(call(service::listFlows, ListFlowsRequest.newBuilder().setPageToken("x").build()),
                    Status.Code.INVALID_ARGUMENT, "page_token: ");
        }
    }

    /**
     * A worker thread runs bursts of packets to port 80 and port 81 while the control thread
     * swaps between a set that permits only 80 and one that permits only 81. Every burst must
     * be decided wholly by one set or the other: a half-applied set would pass or drop both.
     */
    @Test
    void rulesReplacedWhileTheWorkerRunsApplyWholeAtABurstBoundary() throws Exception {
        try (AclHarness h = AclHarness.stateless()) {
            AclGrpcService service = new AclGrpcService(h.acl.control(), "acl");
            Rule only80 = rule(Action.PERMIT).setProtocol(17).setDstPorts(ports(80, 80)).build();
            Rule only81 = rule(Action.PERMIT).setProtocol(17).setDstPorts(ports(81, 81)).build();
            Rule deny82 = rule(Action.DENY).setProtocol(17).setDstPorts(ports(82, 82)).build();
            replace(service, Action.DENY, only80);
            MemorySegment[] frames = new MemorySegment[32];
            for (int i = 0; i < frames.length; i++) {
                frames[i] = udp(CLIENT + i, 1000 + i, SERVER, 80 + (i & 1));
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<String> failure = new AtomicReference<>();
            int[] sets = new int[2];
            Thread worker = new Thread(() -> {
                while (!stop.get() && failure.get() == null) {
                    int[] out;
                    try {
                        out = h.run(frames); // also checks the counts balance
                    } catch (Throwable t) {
                        failure.set(t.toString());
                        return;
                    }
                    boolean first = out[0] == 0;
                    for (int i = 0; i < out.length; i++) {
                        boolean passes = out[i] == 0;
                        if (passes != ((i & 1) == 0 ? first : !first)) {
                            failure.set("burst mixed two rule sets at packet " + i);
                        }
                    }
                    sets[first ? 0 : 1]++;
                }
            });
            worker.start();
            for (int change = 0; change < 400 && failure.get() == null; change++) {
                // Rule sets of different sizes, so the classifiers differ in shape too.
                Answer<ReplaceRulesResponse> a = change % 2 == 0 ? replace(service, Action.DENY, deny82, only81)
                        : replace(service, Action.DENY, only80);
                assertNull(a.status);
                Thread.sleep(0, 200_000);
            }
            stop.set(true);
            worker.join();
            assertNull(failure.get());
            assertTrue(sets[0] > 0 && sets[1] > 0, "both sets decided bursts: " + sets[0] + " / " + sets[1]);
        }
    }
}
