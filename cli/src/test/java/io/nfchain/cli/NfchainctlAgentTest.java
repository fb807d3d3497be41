package io.nfchain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.nfchain.api.agent.v1.Chain;
import io.nfchain.api.agent.v1.Counter;
import io.nfchain.api.agent.v1.GetRuntimeResponse;
import io.nfchain.api.agent.v1.ListChainsResponse;
import io.nfchain.api.agent.v1.ListErrorsResponse;
import io.nfchain.api.agent.v1.ListFunctionsResponse;
import io.nfchain.api.agent.v1.ListPortsResponse;
import io.nfchain.api.agent.v1.Port;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nfchainctl's main entry, in-process, against one real agent process: a generator whose chain
 * bypasses a fail-open hop (its NF never connects), one whose chain drops at a fail-closed hop,
 * both with a packet limit so their books end at exact numbers, and one that keeps sending for
 * rates. No NF process is needed.
 */
class NfchainctlAgentTest {
    static final String NODE = """
            ports:
              - {name: gen0, type: gen, ratePps: 100000, limitPackets: 20000, flows: 16}
              - {name: gen1, type: gen, ratePps: 50000, limitPackets: 3000, flows: 4}
              - {name: gen2, type: gen, ratePps: 2000, flows: 8}
              - {name: out0, type: sink}
              - {name: out1, type: sink}
              - {name: out2, type: sink}
            functions:
              - {name: ghost, type: acl, failurePolicy: fail-open}
              - {name: wall, type: router, failurePolicy: fail-closed}
            chains:
              - name: open
                classifier: {ingressPort: gen0}
                hops: [{function: ghost}]
                egressPort: out0
              - name: blocked
                classifier: {ingressPort: gen1, match: {protocol: udp, destinationPorts: "80"}}
                hops: [{function: wall}]
                egressPort: out1
              - name: live
                classifier: {ingressPort: gen2}
                egressPort: out2
            """;

    static AgentProcess agent;

    @TempDir
    Path temp;

    @BeforeAll
    static void startAgent() throws Exception {
        agent = AgentProcess.start(NODE);
        // The limited generators' books settle at exact numbers; wait for that before any check.
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            ListChainsResponse chains = json(agent.run("show", "chains", "-o", "json"), ListChainsResponse.newBuilder());
            Chain open = chain(chains, "open");
            Chain blocked = chain(chains, "blocked");
            if (open.getDelivered() == 20_000 && Views.sum(blocked.getDropsList()) == 3_000) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("traffic did not settle: " + chains + agent.log());
            }
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stopAgent() throws Exception {
        if (agent != null) {
            agent.close();
        }
    }

    @SuppressWarnings("unchecked")
    static <M extends Message> M json(AgentProcess.Result r, Message.Builder builder) throws Exception {
        assertEquals(0, r.code(), r.err());
        JsonFormat.parser().merge(r.out(), builder);
        return (M) builder.build();
    }

    static Chain chain(ListChainsResponse chains, String name) {
        return chains.getChainsList().stream().filter(c -> c.getName().equals(name)).findFirst().orElseThrow();
    }

    static AgentProcess.Result ok(String... args) {
        AgentProcess.Result r = agent.run(args);
        assertEquals(0, r.code(), () -> String.join(" ", args) + ": " + r.err());
        assertEquals("", r.err());
        return r;
    }

    @Test
    void showPortsTableAndJson() throws Exception {
        List<Map<String, String>> rows = TableText.rows(ok("show", "ports").out(), 0);
        assertEquals(List.of("gen0", "gen1", "gen2", "out0", "out1", "out2"),
                rows.stream().map(r -> r.get("NAME")).toList());
        assertEquals("20000", TableText.row(rows, "gen0").get("RX_PKTS"));
        assertEquals("1280000", TableText.row(rows, "gen0").get("RX_BYTES"));
        assertEquals("20000", TableText.row(rows, "out0").get("TX_PKTS"));
        assertEquals("0", TableText.row(rows, "out1").get("TX_PKTS"), "the fail-closed chain delivered nothing");
        assertEquals("sink", TableText.row(rows, "out1").get("TYPE"));
        assertTrue(TableText.row(rows, "gen0").get("STATE").contains("limit reached"), rows.toString());

        ListPortsResponse ports = json(agent.run("show", "ports", "-o", "json"), ListPortsResponse.newBuilder());
        Port out0 = ports.getPortsList().stream().filter(p -> p.getName().equals("out0")).findFirst().orElseThrow();
        assertEquals(20_000, out0.getTxPackets());
        assertEquals(6, ports.getPortsCount());
    }

    @Test
    void showChainsShowsHopStatesAndBooks() throws Exception {
        String out = ok("show", "chains").out();
        List<Map<String, String>> chains = TableText.rows(out, 0);
        assertEquals(Map.of("RECEIVED", "20000", "DELIVERED", "20000", "DROPPED", "0"),
                pick(TableText.row(chains, "open"), "RECEIVED", "DELIVERED", "DROPPED"));
        assertEquals(Map.of("RECEIVED", "3000", "DELIVERED", "0", "DROPPED", "3000", "MATCH", "proto 17 dport 80"),
                pick(TableText.row(chains, "blocked"), "RECEIVED", "DELIVERED", "DROPPED", "MATCH"));
        List<Map<String, String>> hops = TableText.rows(out, 1);
        assertEquals(2, hops.size(), "live has no hops");
        assertEquals(Map.of("FUNCTION", "ghost", "POLICY", "fail-open", "STATE", "bypassed", "BYPASSED", "20000",
                "SENT", "0"), pick(TableText.row(hops, "open"), "FUNCTION", "POLICY", "STATE", "BYPASSED", "SENT"));
        assertEquals(Map.of("FUNCTION", "wall", "STATE", "dropping", "DROPPED_DOWN", "3000"),
                pick(TableText.row(hops, "blocked"), "FUNCTION", "STATE", "DROPPED_DOWN"));

        ListChainsResponse json = json(agent.run("show", "chains", "-o", "json"), ListChainsResponse.newBuilder());
        assertEquals("dropping", chain(json, "blocked").getHops(0).getState());
        assertEquals(3_000, chain(json, "blocked").getHops(0).getDroppedDown());
    }

    private static Map<String, String> pick(Map<String, String> row, String... keys) {
        return java.util.Arrays.stream(keys).collect(java.util.stream.Collectors.toMap(k -> k, row::get));
    }

    @Test
    void showFunctionsAndRuntime() throws Exception {
        List<Map<String, String>> functions = TableText.rows(ok("show", "functions").out(), 0);
        assertEquals(Map.of("TYPE", "acl", "HOP", "open[0]", "CONNECTED", "no", "CONNECTS", "0"),
                pick(TableText.row(functions, "ghost"), "TYPE", "HOP", "CONNECTED", "CONNECTS"));
        assertTrue(TableText.row(functions, "wall").get("SOCKET").endsWith("/sockets/wall/memif.sock"));
        ListFunctionsResponse fj = json(agent.run("show", "functions", "-o", "json"), ListFunctionsResponse.newBuilder());
        assertEquals(2, fj.getFunctionsCount());

        List<Map<String, String>> workers = TableText.rows(ok("show", "runtime").out(), 0);
        assertEquals(1, workers.size());
        assertEquals("backoff", workers.get(0).get("IDLE"));
        assertTrue(Long.parseLong(workers.get(0).get("PACKETS")) >= 23_000, workers.toString());
        GetRuntimeResponse rj = json(agent.run("show", "runtime", "-o", "json"), GetRuntimeResponse.newBuilder());
        assertTrue(rj.getWorkers(0).getPackets() >= 23_000);
        assertTrue(rj.getWorkers(0).getPlanGeneration() >= 1);
    }

    @Test
    void showErrorsListsNonZeroCountersUnlessAll() throws Exception {
        List<Map<String, String>> rows = TableText.rows(ok("show", "errors").out(), 0);
        assertTrue(rows.stream().noneMatch(r -> r.get("VALUE").equals("0")), rows.toString());
        assertTrue(rows.stream().anyMatch(r -> r.get("SCOPE").equals("chain/blocked") && r.get("NAME").equals("HOP_DOWN")
                && r.get("VALUE").equals("3000")), rows.toString());
        assertTrue(rows.stream().anyMatch(r -> r.get("SCOPE").equals("hop/open[0]") && r.get("VALUE").equals("20000")));

        ListErrorsResponse all = json(agent.run("show", "errors", "--all", "-o", "json"), ListErrorsResponse.newBuilder());
        Counter openDown = all.getCountersList().stream().filter(c -> c.getScope().equals("chain/open")
                && c.getName().equals("HOP_DOWN")).findFirst().orElseThrow();
        assertEquals(0, openDown.getValue());
        assertFalse(openDown.getText().isEmpty());
    }

    @Test
    void watchDrawsChainAndHopRates() {
        String out = ok("watch", "--interval", "300ms", "--count", "3").out();
        String[] screens = out.split("\n\n");
        assertEquals(9, screens.length, out); // three tables per screen
        List<Map<String, String>> first = TableText.rows(screens[0], 0);
        assertEquals("-", first.get(0).get("IN/S"), "the first snapshot has nothing to compare with");
        List<Map<String, String>> last = TableText.rows(screens[6], 0);
        long live = Long.parseLong(TableText.row(last, "live").get("IN/S"));
        assertTrue(live > 500 && live < 8_000, "gen2 sends 2000 pps, watch saw " + live + "\n" + out);
        assertEquals("0", last.get(0).get("IN/S"), "gen0 is done");
        assertEquals("bypassed", last.get(1).get("STATE"));
        List<Map<String, String>> drops = TableText.rows(screens[7], 0);
        assertTrue(drops.stream().anyMatch(r -> r.get("SCOPE").equals("chain/blocked") && r.get("TOTAL").equals("3000")
                && r.get("PER_S").equals("0")), drops.toString());
    }

    @Test
    void showWatchAddsRateColumns() {
        String out = ok("show", "ports", "--watch", "--interval", "200ms", "--count", "2").out();
        List<Map<String, String>> second = TableText.rows(out, 1);
        long rx = Long.parseLong(TableText.row(second, "gen2").get("RX/S"));
        assertTrue(rx > 300 && rx < 10_000, out);
        assertEquals("0", TableText.row(second, "gen0").get("RX/S"));
        String json = ok("show", "errors", "-w", "--interval", "200ms", "--count", "2", "-o", "json").out();
        assertEquals(2, json.lines().count(), json);
    }

    @Test
    void applyOfABadSpecExits3NamingTheFieldAndChangesNothing() throws Exception {
        Path bad = temp.resolve("bad.yaml");
        Files.writeString(bad, NODE.replace("function: wall", "function: wal1"));
        AgentProcess.Result r = agent.run("apply", "-f", bad.toString());
        assertEquals(3, r.code(), r.err());
        assertEquals("nfchainctl: INVALID_ARGUMENT: chains[1].hops[0].function: no function 'wal1' (functions: "
                + "[ghost, wall])\n", r.err());
        assertEquals("", r.out());
        assertTrue(ok("get", "spec").out().contains("function: \"wall\""), "the running spec is unchanged");
    }

    @Test
    void getSpecAppliesBackUnchanged() throws Exception {
        String spec = ok("get", "spec").out();
        assertTrue(spec.contains("name: \"live\""), spec);
        Path file = temp.resolve("node.yaml");
        Files.writeString(file, spec);
        String applied = ok("apply", "-f", file.toString()).out();
        assertTrue(applied.startsWith("applied " + file + ": generation "), applied);
        assertEquals(spec, ok("get", "spec").out());
        ListChainsResponse chains = json(agent.run("show", "chains", "-o", "json"), ListChainsResponse.newBuilder());
        assertEquals(20_000, chain(chains, "open").getDelivered(), "an unchanged chain keeps its counters");
    }

    @Test
    void switchErrorsMapToExitCodes() {
        AgentProcess.Result missing = agent.run("switch", "--chain", "open", "--from", "nope", "--to", "x");
        assertEquals(4, missing.code(), missing.err());
        assertEquals("nfchainctl: NOT_FOUND: from_function: no function 'nope'\n", missing.err());
        AgentProcess.Result noPeer = agent.run("switch", "--chain", "open", "--from", "ghost", "--to", "ghost-2",
                "--connect-timeout", "200ms");
        assertEquals(1, noPeer.code(), noPeer.err());
        assertTrue(noPeer.err().startsWith("nfchainctl: FAILED_PRECONDITION: replacement 'ghost-2' did not connect"),
                noPeer.err());
        assertEquals(1, noPeer.err().lines().count());
    }

    @Test
    void anUnreachableAgentExits5NamingItsAddress() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0)) {
            closed = probe.getLocalPort();
        }
        AgentProcess.Result r = AgentProcess.cli(Map.of(), "show", "ports", "--agent", "127.0.0.1:" + closed);
        assertEquals(5, r.code(), r.err());
        assertTrue(r.err().startsWith("nfchainctl: UNAVAILABLE: cannot reach the agent at 127.0.0.1:" + closed + ": "),
                r.err());
        assertEquals(1, r.err().lines().count(), "one line, no stack trace: " + r.err());
        AgentProcess.Result env = AgentProcess.cli(Map.of("NFCHAIN_AGENT", "127.0.0.1:" + closed), "show", "chains");
        assertEquals(5, env.code());
        assertTrue(env.err().contains("127.0.0.1:" + closed), env.err());
    }

    @Test
    void theEnvironmentNamesTheAgentAndFlagsWin() {
        AgentProcess.Result viaEnv = AgentProcess.cli(Map.of("NFCHAIN_AGENT", agent.address()), "show", "runtime");
        assertEquals(0, viaEnv.code(), viaEnv.err());
        AgentProcess.Result badEnv = AgentProcess.cli(Map.of("NFCHAIN_AGENT", "a:b:c"), "show", "runtime");
        assertEquals(2, badEnv.code());
        assertTrue(badEnv.err().startsWith("nfchainctl: NFCHAIN_AGENT: "), badEnv.err());
        AgentProcess.Result flagWins = AgentProcess.cli(Map.of("NFCHAIN_AGENT", "a:b:c"), "show", "runtime",
                "--agent", agent.address());
        assertEquals(0, flagWins.code(), flagWins.err());
    }

    @Test
    void usageErrorsExit2OnOneLine() {
        for (String[] args : List.of(new String[] {"show", "nonsense"}, new String[] {"show", "ports", "-o", "yaml"},
                new String[] {"apply"}, new String[] {"show"}, new String[] {"watch", "--interval", "10ms"},
                new String[] {"show", "ports", "--agent", "host:99999"}, new String[] {"apply", "-f", "/no/such.yaml"})) {
            AgentProcess.Result r = AgentProcess.cli(Map.of("NFCHAIN_AGENT", agent.address()), args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().startsWith("nfchainctl: "), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
        }
    }
}
