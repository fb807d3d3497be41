package io.nfchain.agent.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class NodeSpecReaderTest {
    private static final Path SOCKETS = Path.of("/run/nfchain");
    static final String GOOD = """
            ports:
              - {name: wan, type: af_packet, interface: veth-wan}
              - {name: gen0, type: gen, ratePps: 1000000, mix: imix, flows: 4096, destination: 10.1.0.0/16}
              - {name: vpp, type: memif, socket: /tmp/vpp.sock, interfaceId: 3, secret: s3}
              - {name: out, type: sink}
            functions:
              - {name: acl-0, type: acl, failurePolicy: fail-open, grpc: "localhost:9191"}
              - {name: router-0, type: router}
              - {name: charging-0, type: charging, allowUnsealedRegions: true}
            chains:
              - name: web
                priority: 10
                classifier:
                  ingressPort: gen0
                  vlan: 100
                  match: {source: 10.0.0.0/8, protocol: tcp, destinationPorts: 80-443}
                hops:
                  - {function: acl-0}
                  - {function: router-0, failurePolicy: fail-open}
                egressPort: out
              - name: rest
                classifier: {ingressPort: wan}
                egressPort: vpp
            """;

    @Test
    void readsAWholeNode() {
        NodeSpec spec = NodeSpecReader.parse(GOOD, SOCKETS);
        assertEquals(List.of("wan", "gen0", "vpp", "out"), spec.ports().stream().map(PortSpec::name).toList());
        PortSpec.Gen gen = (PortSpec.Gen) spec.port("gen0").orElseThrow();
        assertEquals(12, gen.frameBytes().size());
        assertEquals(1_000_000, gen.ratePps());
        PortSpec.Memif vpp = (PortSpec.Memif) spec.port("vpp").orElseThrow();
        assertEquals(Path.of("/tmp/vpp.sock"), vpp.socket());
        assertEquals(3, vpp.interfaceId());
        FunctionSpec acl = spec.function("acl-0").orElseThrow();
        assertEquals(Path.of("/run/nfchain/acl-0/memif.sock"), acl.socket());
        assertEquals(FailurePolicy.FAIL_OPEN, acl.failurePolicy());
        assertEquals(FailurePolicy.FAIL_CLOSED, spec.function("router-0").orElseThrow().failurePolicy());
        assertTrue(spec.function("charging-0").orElseThrow().allowUnsealedRegions());
        assertTrue(!acl.allowUnsealedRegions(), "regions must be sealed unless the entry says otherwise");
        assertEquals(spec.functions(), NodeSpecReader.parse(NodeSpecWriter.yaml(spec), SOCKETS).functions(),
                "the writer keeps the flag");
        ChainSpec web = spec.chain("web").orElseThrow();
        assertEquals(100, web.classifier().vlan());
        assertEquals(6, web.classifier().match().protocol());
        assertEquals(new PortRange(80, 443), web.classifier().match().destinationPorts());
        assertEquals("10.0.0.0/8", web.classifier().match().source().toString());
        assertNull(web.hops().get(0).failurePolicy(), "a hop without a policy takes its function's");
        assertEquals(FailurePolicy.FAIL_OPEN, web.hops().get(1).failurePolicy());
        assertEquals(ChainSpec.Classifier.ANY_VLAN, spec.chain("rest").orElseThrow().classifier().vlan());
    }

    @Test
    void anEmptyDocumentIsAnEmptyNode() {
        assertEquals(NodeSpec.EMPTY, NodeSpecReader.parse("", SOCKETS));
        assertEquals(NodeSpec.EMPTY, NodeSpecReader.parse("# nothing yet\n", SOCKETS));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown top-level field     | portz: []                                                              | portz",
        "unknown port field          | ports: [{name: a, type: sink, colour: red}]                            | ports[0].colour",
        "unknown port type           | ports: [{name: a, type: dpdkk}]                                        | ports[0].type",
        "bad name                    | ports: [{name: A_B!, type: sink}]                                      | ports[0].name",
        "duplicate port              | ports: [{name: a, type: sink}, {name: a, type: sink}]                  | ports[1].name",
        "prefix length 33            | ports: [{name: g, type: gen, destination: 10.0.0.0/33}]                | ports[0].destination",
        "host bits set               | ports: [{name: g, type: gen, source: 10.0.0.1/8}]                      | ports[0].source",
        "rate not a number           | ports: [{name: g, type: gen, ratePps: fast}]                           | ports[0].ratePps",
        "frame too small             | ports: [{name: g, type: gen, frameBytes: [32]}]                        | ports[0].frameBytes[0]",
        "mix and frameBytes          | ports: [{name: g, type: gen, mix: imix, frameBytes: [64]}]             | ports[0].mix",
        "pcap with no file           | ports: [{name: p, type: pcap}]                                         | ports[0]",
        "long memif secret           | ports: [{name: m, type: memif, secret: aaaaaaaaaaaaaaaaaaaaaaaaaaaaa}] | ports[0].secret",
        "interface name too long     | ports: [{name: k, type: af_packet, interface: abcdefghijklmnopq}]      | ports[0].interface",
        "bad failure policy          | functions: [{name: f, type: acl, failurePolicy: maybe}]                | functions[0].failurePolicy",
        "ports not a list            | ports: {name: a}                                                       | ports",
        "chain without classifier    | chains: [{name: c, egressPort: x}]                                     | chains[0].classifier",
    })
    void refusesNamingTheField(String why, String yaml, String path) {
        SpecException e = assertThrows(SpecException.class, () -> NodeSpecReader.parse(yaml, SOCKETS), why);
        assertEquals(path, e.path(), e.getMessage());
        assertTrue(e.getMessage().startsWith(path.isEmpty() ? "" : path + ": "), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown ingress       | ingressPort: nope                                                | chains[0].classifier.ingressPort",
        "ingress cannot rx     | ingressPort: out                                                 | chains[0].classifier.ingressPort",
        "reversed port range   | ingressPort: in, match: {protocol: udp, destinationPorts: 90-80} | chains[0].classifier.match.destinationPorts",
        "ports without l4      | ingressPort: in, match: {protocol: icmp, sourcePorts: '1'}       | chains[0].classifier.match.protocol",
        "mixed families        | ingressPort: in, match: {source: 10.0.0.0/8, destination: '::/0'} | chains[0].classifier.match.destination",
        "vlan 4095             | ingressPort: in, vlan: 4095                                      | chains[0].classifier.vlan",
        "protocol 256          | ingressPort: in, match: {protocol: '256'}                        | chains[0].classifier.match.protocol",
    })
    void refusesABadClassifier(String why, String classifier, String path) {
        String yaml = """
                ports: [{name: in, type: gen}, {name: out, type: sink}]
                chains:
                  - {name: c, classifier: {%s}, egressPort: out}
                """.formatted(classifier);
        SpecException e = assertThrows(SpecException.class, () -> NodeSpecReader.parse(yaml, SOCKETS), why);
        assertEquals(path, e.path(), e.getMessage());
    }

    @Test
    void refusesBadReferences() {
        String base = "ports: [{name: in, type: gen}, {name: out, type: sink}]\n"
                + "functions: [{name: f, type: acl}, {name: g, type: acl, socket: f/memif.sock}]\n";
        assertPath(base, "functions[1].socket");
        base = "ports: [{name: in, type: gen}, {name: out, type: sink}]\nfunctions: [{name: f, type: acl}]\n";
        assertPath(base + "chains: [{name: c, classifier: {ingressPort: in}, egressPort: in}]", "chains[0].egressPort");
        assertPath(base + "chains: [{name: c, classifier: {ingressPort: in}, hops: [{function: x}], egressPort: out}]",
                "chains[0].hops[0].function");
        assertPath(base + "chains: [{name: c, classifier: {ingressPort: in}, hops: [{function: f}], egressPort: out},"
                + " {name: d, classifier: {ingressPort: in}, hops: [{function: f}], egressPort: out}]",
                "chains[1].hops[0].function");
        assertPath(base + "chains: [{name: c, classifier: {ingressPort: in}, egressPort: out},"
                + " {name: c, classifier: {ingressPort: in}, egressPort: out}]", "chains[1].name");
    }

    @Test
    void refusesWhatIsNotYaml() {
        SpecException e = assertThrows(SpecException.class, () -> NodeSpecReader.parse("ports: [ {name: a", SOCKETS));
        assertTrue(e.getMessage().contains("not valid YAML at line"), e.getMessage());
        assertThrows(SpecException.class, () -> NodeSpecReader.parse("- just\n- a list\n", SOCKETS));
        assertThrows(SpecException.class, () -> NodeSpecReader.parse("x".repeat(NodeSpecReader.MAX_BYTES + 1), SOCKETS));
    }

    private static void assertPath(String yaml, String path) {
        SpecException e = assertThrows(SpecException.class, () -> NodeSpecReader.parse(yaml, SOCKETS));
        assertEquals(path, e.path(), e.getMessage());
    }
}
