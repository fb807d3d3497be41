package io.nfchain.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Thread-safe (stateless). The sample resources under samples/ and the committed CRDs, read. */
final class Samples {
    static final List<String> PLURALS = List.of("networkfunctions", "servicechains", "datapathnodes", "datapathpolicies");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Samples() {}

    /** Every document of {@code samples/<dir>/<plural>.yaml}. */
    static List<JsonNode> documents(String dir, String plural) {
        String resource = "/samples/" + dir + "/" + plural + ".yaml";
        try (InputStream in = Samples.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing");
            }
            List<JsonNode> out = new ArrayList<>();
            for (var it = YAML.readerFor(JsonNode.class).readValues(in); it.hasNext(); ) {
                JsonNode doc = (JsonNode) it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    out.add(doc);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The committed CRDs (crds/, kept equal to the classes' output by CrdYamlTest), by plural. */
    static Map<String, CrdSchema> committedSchemas() {
        Map<String, CrdSchema> out = new LinkedHashMap<>();
        Path dir = CrdYaml.repositoryRoot().resolve("crds");
        for (String plural : PLURALS) {
            try {
                out.put(plural, CrdSchema.parse(Files.readString(dir.resolve(plural + ".nfchain.io-v1.yml"))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    static String name(JsonNode doc) {
        return doc.at("/metadata/name").asText();
    }

    static String annotation(JsonNode doc, String key) {
        JsonNode v = doc.at("/metadata/annotations").get("test.nfchain.io/" + key);
        return v == null ? null : v.asText();
    }
}
