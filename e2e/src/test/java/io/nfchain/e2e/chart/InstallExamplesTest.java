package io.nfchain.e2e.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.nfchain.agent.spec.NodeSpec;
import io.nfchain.agent.spec.NodeSpecReader;
import io.nfchain.api.v1alpha1.DatapathNode;
import io.nfchain.api.v1alpha1.NetworkFunction;
import io.nfchain.api.v1alpha1.ServiceChain;
import io.nfchain.e2e.LocalNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The YAML docs/install.md tells operators to apply (examples/) reads into the CRD classes with
 * no unknown field, the node's ports pass the agent's own strict reader, and the chain refers to
 * ports and functions that the examples declare. Needs no Helm.
 */
class InstallExamplesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path examples = LocalNode.repositoryRoot().resolve("examples");

    @Test
    void theFirstChainAndItsNodeAreValidAndAgree() throws Exception {
        List<NetworkFunction> functions = new ArrayList<>();
        List<ServiceChain> chains = new ArrayList<>();
        for (String doc : documents(examples.resolve("first-chain.yaml"))) {
            String kind = YAML.readTree(doc).path("kind").asText();
            switch (kind) {
                case "NetworkFunction" -> functions.add(YAML.readValue(doc, NetworkFunction.class));
                case "ServiceChain" -> chains.add(YAML.readValue(doc, ServiceChain.class));
                default -> throw new AssertionError("unexpected kind " + kind + " in first-chain.yaml");
            }
        }
        assertEquals(1, chains.size());
        assertTrue(!functions.isEmpty());
        for (NetworkFunction nf : functions) {
            assertEquals("nfchain.io/v1alpha1", nf.getApiVersion());
            assertTrue((nf.getSpec().type == null) != (nf.getSpec().image == null), "type XOR image");
            assertTrue(nf.getSpec().resources.cpu >= 1, "whole cores");
        }

        List<String> nodeDocs = documents(examples.resolve("datapathnode-ports.yaml"));
        assertEquals(1, nodeDocs.size());
        DatapathNode node = YAML.readValue(nodeDocs.get(0), DatapathNode.class);
        // The agent reads a DatapathNode's spec with the reader of its local mode: these ports
        // must be a spec it accepts (no chains yet: the controller writes those).
        String specJson = new ObjectMapper().writeValueAsString(node.getSpec());
        NodeSpec spec = NodeSpecReader.parse(specJson, Path.of("/run/nfchain"));
        Set<String> ports = spec.ports().stream().map(p -> p.name()).collect(Collectors.toSet());

        Set<String> functionNames = functions.stream().map(f -> f.getMetadata().getName()).collect(Collectors.toSet());
        for (ServiceChain chain : chains) {
            assertTrue(ports.contains(chain.getSpec().classifier.ingressPort), "ingress port is declared");
            assertTrue(ports.contains(chain.getSpec().egressPort), "egress port is declared");
            chain.getSpec().hops.forEach(h -> assertTrue(functionNames.contains(h.function), h.function));
        }
    }

    private static List<String> documents(Path file) throws Exception {
        List<String> docs = new ArrayList<>();
        for (String doc : Files.readString(file).split("(?m)^---\\s*$")) {
            if (!doc.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) {
                docs.add(doc);
            }
        }
        return docs;
    }
}
