package io.nfchain.agent.runtime;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.nfchain.agent.datapath.EchoFunction;
import io.nfchain.api.agent.v1.Chain;
import io.nfchain.api.agent.v1.ChainServiceGrpc;
import io.nfchain.api.agent.v1.CounterSnapshot;
import io.nfchain.api.agent.v1.FunctionServiceGrpc;
import io.nfchain.api.agent.v1.GetNodeSpecRequest;
import io.nfchain.api.agent.v1.GetRuntimeRequest;
import io.nfchain.api.agent.v1.ListChainsRequest;
import io.nfchain.api.agent.v1.ListErrorsRequest;
import io.nfchain.api.agent.v1.ListFunctionsRequest;
import io.nfchain.api.agent.v1.ListPortsRequest;
import io.nfchain.api.agent.v1.NodeSpecDocument;
import io.nfchain.api.agent.v1.PortServiceGrpc;
import io.nfchain.api.agent.v1.RuntimeServiceGrpc;
import io.nfchain.api.agent.v1.SwitchFunctionRequest;
import io.nfchain.api.agent.v1.WatchCountersRequest;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.util.Iterator;
import org.junit.jupiter.api.Test;

/**
 * The agent as it runs (Quarkus, gRPC, metrics, health) with a chain through a real memif echo
 * function: the management API applies specs, shows the books, and refuses bad input naming the
 * field while the running chain goes on.
 */
@QuarkusTest
class AgentApiTest {
    private static final Path SOCKETS = Path.of(System.getProperty("user.dir"), "target", "agent-test");

    @GrpcClient("agent")
    ChainServiceGrpc.ChainServiceBlockingStub chains;

    @GrpcClient("agent")
    PortServiceGrpc.PortServiceBlockingStub ports;

    @GrpcClient("agent")
    FunctionServiceGrpc.FunctionServiceBlockingStub functions;

    @GrpcClient("agent")
    RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime;

    private static final String SPEC = """
            ports:
              - {name: gen0, type: gen, ratePps: 50000, limitPackets: %d, flows: 16}
              - {name: out, type: sink}
            functions:
              - {name: echo, type: test}
            chains:
              - name: demo
                classifier: {ingressPort: gen0, match: {protocol: udp, destinationPorts: "80"}}
                hops: [{function: echo}]
                egressPort: out
            """;

    private Chain demo() {
        return chains.listChains(ListChainsRequest.getDefaultInstance()).getChainsList().stream()
                .filter(c -> c.getName().equals("demo")).findFirst().orElseThrow();
    }

    @Test
    void appliesAChainShowsItsBooksAndRefusesBadSpecs() throws Exception {
        // The function's link first, so no packet meets a hop that is still down.
        chains.applyNodeSpec(NodeSpecDocument.newBuilder().setYaml("functions: [{name: echo, type: test}]").build());
        try (EchoFunction echo = new EchoFunction(SOCKETS.resolve("echo/memif.sock"), 60, 7)) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!functions.listFunctions(ListFunctionsRequest.getDefaultInstance()).getFunctions(0).getConnected()) {
                assertTrue(System.nanoTime() < deadline, "echo never connected");
                Thread.sleep(10);
            }
            chains.applyNodeSpec(NodeSpecDocument.newBuilder().setYaml(SPEC.formatted(5_000)).build());
            while (demo().getReceived() < 5_000) {
                assertTrue(System.nanoTime() < deadline, "traffic stalled: " + demo());
                Thread.sleep(10);
            }
            Chain chain = demo();
            long drops = chain.getDropsList().stream().mapToLong(c -> c.getValue()).sum();
            while (chain.getDelivered() + drops < 5_000 && System.nanoTime() < deadline) {
                Thread.sleep(10);
                chain = demo();
                drops = chain.getDropsList().stream().mapToLong(c -> c.getValue()).sum();
            }
            assertEquals(5_000, chain.getDelivered() + drops, chain.toString());
            assertEquals("up", chain.getHops(0).getState());
            assertEquals("proto 17 dport 80", chain.getMatch());
            assertEquals("demo[0]", functions.listFunctions(ListFunctionsRequest.getDefaultInstance())
                    .getFunctions(0).getHop());
            assertTrue(ports.listPorts(ListPortsRequest.getDefaultInstance()).getPortsList().stream()
                    .anyMatch(p -> p.getName().equals("out") && p.getTxPackets() == demo().getDelivered()));
            assertTrue(runtime.getRuntime(GetRuntimeRequest.getDefaultInstance()).getWorkers(0).getPackets() > 0);

            StatusRuntimeException bad = assertThrows(StatusRuntimeException.class, () -> chains.applyNodeSpec(
                    NodeSpecDocument.newBuilder().setYaml(SPEC.formatted(5_000).replace("function: echo", "function: ech0"))
                            .build()));
            assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
            assertTrue(bad.getStatus().getDescription().startsWith("chains[0].hops[0].function: no function 'ech0'"),
                    bad.getStatus().getDescription());
            assertTrue(chains.getNodeSpec(GetNodeSpecRequest.getDefaultInstance()).getYaml().contains("function: \"echo\""),
                    "the running spec is unchanged");

            StatusRuntimeException missing = assertThrows(StatusRuntimeException.class, () -> chains.switchFunction(
                    SwitchFunctionRequest.newBuilder().setChain("demo").setFromFunction("nope").setToFunction("x").build()));
            assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode());
            StatusRuntimeException noPeer = assertThrows(StatusRuntimeException.class, () -> chains.switchFunction(
                    SwitchFunctionRequest.newBuilder().setChain("demo").setFromFunction("echo").setToFunction("echo-2")
                            .setConnectTimeoutMs(200).build()));
            assertEquals(Status.Code.FAILED_PRECONDITION, noPeer.getStatus().getCode());
            assertEquals("up", demo().getHops(0).getState(), "a failed switch leaves the hop where it was");

            Iterator<CounterSnapshot> watch = runtime.watchCounters(WatchCountersRequest.newBuilder().setIntervalMs(100)
                    .build());
            CounterSnapshot first = watch.next();
            CounterSnapshot second = watch.next();
            assertTrue(second.getUnixNanos() - first.getUnixNanos() >= 50_000_000L);
            assertEquals("demo", second.getChains(0).getName());
            StatusRuntimeException tooFast = assertThrows(StatusRuntimeException.class, () -> runtime.watchCounters(
                    WatchCountersRequest.newBuilder().setIntervalMs(10).build()).next());
            assertTrue(tooFast.getStatus().getDescription().startsWith("interval_ms: "));

            given().get("/q/metrics").then().statusCode(200)
                    .body(containsString("nfchain_agent_chain_received_packets_total{chain=\"demo\""))
                    .body(containsString("nfchain_agent_hop_packets_total{chain=\"demo\",hop=\"0\",what=\"sent\"}"));
            given().get("/q/health/ready").then().statusCode(200);
            assertTrue(runtime.listErrors(ListErrorsRequest.newBuilder().setNonZeroOnly(false).build())
                    .getCountersList().stream().anyMatch(c -> c.getScope().equals("chain/demo")
                            && c.getName().equals("HOP_DOWN")));
        } finally {
            chains.applyNodeSpec(NodeSpecDocument.newBuilder().setYaml("").build());
        }
    }
}
