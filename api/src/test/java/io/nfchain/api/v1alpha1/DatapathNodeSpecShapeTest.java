package io.nfchain.api.v1alpha1;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link DatapathNodeSpec} has exactly the JSON shape of the agent's node spec: a spec built from
 * the classes with every field set serialises to the sample document (which the agent's reader
 * accepts), the sample reads back into the classes with no unknown field, and the generated CRD
 * schema has exactly the sample's fields.
 */
class DatapathNodeSpecShapeTest {
    private static final YAMLMapper YAML = new YAMLMapper();

    static JsonNode sample() throws IOException {
        try (InputStream in = DatapathNodeSpecShapeTest.class.getResourceAsStream("/samples/datapathnode-spec-full.yaml")) {
            return YAML.readTree(in);
        }
    }

    /** The sample, built field by field. */
    static DatapathNodeSpec full() {
        DatapathNodeSpec spec = new DatapathNodeSpec();
        NodePort wan = port("wan", PortType.AF_PACKET);
        wan.interfaceName = "veth-wan";
        NodePort vpp = port("vpp", PortType.MEMIF);
        vpp.socket = "/run/vpp/memif.sock";
        vpp.interfaceId = 7L;
        vpp.secret = "s3cret";
        NodePort gen0 = port("gen0", PortType.GEN);
        gen0.ratePps = 1_000_000L;
        gen0.frameBytes = List.of(64, 1500);
        gen0.flows = 4096;
        gen0.source = "10.0.0.0/16";
        gen0.destination = "198.18.0.0/15";
        gen0.protocol = "udp";
        gen0.sourcePorts = "1024-65535";
        gen0.destinationPort = 80;
        gen0.limitPackets = 100_000L;
        NodePort gen1 = port("gen1", PortType.GEN);
        gen1.mix = "imix";
        NodePort trace = port("trace", PortType.PCAP);
        trace.read = "in.pcap";
        trace.loops = 2;
        trace.ratePps = 1000L;
        trace.write = "out.pcap";
        spec.ports = List.of(wan, vpp, gen0, gen1, trace, port("out", PortType.SINK));

        DatapathNodeSpec.NodeFunction acl = new DatapathNodeSpec.NodeFunction();
        acl.name = "acl-0";
        acl.type = "acl";
        acl.socket = "acl-0/memif.sock";
        acl.failurePolicy = NodeFailurePolicy.FAIL_CLOSED;
        acl.secret = "nf-secret";
        acl.grpc = "10.244.1.7:9091";
        DatapathNodeSpec.NodeFunction router = new DatapathNodeSpec.NodeFunction();
        router.name = "router-0";
        router.type = "router";
        router.failurePolicy = FailurePolicy.FailOpen.toNode();
        DatapathNodeSpec.NodeFunction charging = new DatapathNodeSpec.NodeFunction();
        charging.name = "charging-0";
        charging.type = "charging";
        charging.allowUnsealedRegions = true;
        spec.functions = List.of(acl, router, charging);

        DatapathNodeSpec.NodeChain web = new DatapathNodeSpec.NodeChain();
        web.name = "web";
        web.priority = 10;
        web.classifier = new Classifier();
        web.classifier.ingressPort = "wan";
        web.classifier.vlan = 100;
        web.classifier.match = new Match();
        web.classifier.match.source = "10.0.0.0/8";
        web.classifier.match.destination = "198.18.0.0/15";
        web.classifier.match.protocol = "udp";
        web.classifier.match.sourcePorts = "1024-65535";
        web.classifier.match.destinationPorts = "80";
        web.hops = List.of(new DatapathNodeSpec.NodeHop("acl-0", null),
                new DatapathNodeSpec.NodeHop("router-0", NodeFailurePolicy.FAIL_OPEN));
        web.egressPort = "out";
        spec.chains = List.of(web);
        return spec;
    }

    private static NodePort port(String name, PortType type) {
        NodePort p = new NodePort();
        p.name = name;
        p.type = type;
        return p;
    }

    @Test
    void fullySetSpecSerialisesToTheAgentsDocument() throws IOException {
        // The client's serialiser: what the agent gets when it reads the CR.
        KubernetesSerialization client = new KubernetesSerialization();
        JsonNode json = new ObjectMapper().readTree(client.asJson(full()));
        assertEquals(sample(), json);
    }

    @Test
    void theDocumentReadsBackWithNoUnknownField() throws IOException {
        ObjectMapper strict = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        DatapathNodeSpec read = strict.treeToValue(sample(), DatapathNodeSpec.class);
        // Through text: a Long field becomes a LongNode in a tree, and IntNode(7) != LongNode(7).
        assertEquals(sample(), strict.readTree(strict.writeValueAsString(read)));
    }

    @Test
    void anEmptySpecIsEmptyLists() throws IOException {
        JsonNode json = new ObjectMapper().readTree(new KubernetesSerialization().asJson(new DatapathNodeSpec()));
        assertEquals(YAML.readTree("{ports: [], functions: [], chains: []}"), json);
    }

    @Test
    void theCrdSchemaHasExactlyTheSamplesFields() throws IOException {
        JsonNode crd = YAML.readTree(CrdYaml.generate().get("datapathnodes.nfchain.io-v1.yml"));
        JsonNode schema = crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
        TreeSet<String> inSchema = new TreeSet<>();
        schemaPaths(schema, "", inSchema);
        TreeSet<String> inSample = new TreeSet<>();
        samplePaths(sample(), "", inSample);
        assertEquals(inSchema, inSample, "a field in the classes but not in the sample (or the other way round):"
                + " add it to samples/datapathnode-spec-full.yaml and to full(), and check the agent reads it");
    }

    private static void schemaPaths(JsonNode schema, String at, TreeSet<String> out) {
        if (schema.has("items")) {
            schemaPaths(schema.get("items"), at + "[]", out);
        }
        JsonNode properties = schema.get("properties");
        if (properties != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.add(at + "." + e.getKey());
                schemaPaths(e.getValue(), at + "." + e.getKey(), out);
            }
        }
    }

    private static void samplePaths(JsonNode node, String at, TreeSet<String> out) {
        if (node.isArray()) {
            List<JsonNode> items = new ArrayList<>();
            node.forEach(items::add);
            for (JsonNode item : items) {
                if (item.isContainerNode()) {
                    samplePaths(item, at + "[]", out);
                }
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.add(at + "." + e.getKey());
                samplePaths(e.getValue(), at + "." + e.getKey(), out);
            }
        }
    }
}
