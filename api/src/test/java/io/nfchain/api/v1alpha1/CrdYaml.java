package io.nfchain.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.Comparator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Thread-safe (stateless). Generates the CRD YAML (apiextensions v1) from the model classes with
 * fabric8's crd-generator, one file per CRD named {@code <plural>.nfchain.io-v1.yml}, and says
 * where the committed copies live.
 */
final class CrdYaml {
    /** How to regenerate the committed YAML; staleness failures print it. */
    static final String REGENERATE = "./nfchain crds  (or: ./mvnw -B -o -q -pl api -am test -Dtest=CrdYamlTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dnfchain.crds.write=true)";
    /** The directories, relative to the repository root, that hold the generated files. */
    static final List<String> DIRECTORIES = List.of("crds", "helm/nfchain/crds");

    /** The kinds, by name. */
    static final Map<String, Class<?>> KINDS = Map.of("NetworkFunction", NetworkFunction.class, "ServiceChain",
            ServiceChain.class, "DatapathNode", DatapathNode.class, "DatapathPolicy", DatapathPolicy.class);
    /**
     * Lists whose items are unique by {@code name}: {@code x-kubernetes-list-type: map}, so the API
     * server refuses a second port, function or chain of one name (the agent refuses it too).
     */
    private static final Map<String, List<String>> NAMED_LISTS = Map.of("DatapathNode",
            List.of("spec.ports", "spec.functions", "spec.chains"));

    /**
     * Maps of strings and the longest value each takes (no annotation reaches a map's values):
     * label values are at most 63 characters, config values 4096.
     */
    private static final Map<String, Map<String, Long>> MAP_VALUE_MAX_LENGTH = Map.of(
            "NetworkFunction", Map.of("spec.config", 4096L, "spec.placement.nodeSelector", 63L),
            "DatapathPolicy", Map.of("spec.nodeSelector", 63L));

    private CrdYaml() {}

    /** File name -> YAML text, for all four kinds. */
    static Map<String, String> generate() {
        try {
            Path dir = Files.createTempDirectory("nfchain-crds");
            try {
                new CRDGenerator()
                        .customResourceClasses(NetworkFunction.class, ServiceChain.class, DatapathNode.class,
                                DatapathPolicy.class)
                        .forCRDVersions("v1")
                        .withParallelGenerationEnabled(false)
                        .withPostProcessor(new CRDPostProcessor() {
                            @Override
                            public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
                                return finish((CustomResourceDefinition) crd);
                            }
                        })
                        .inOutputDir(dir.toFile())
                        .generate();
                return read(dir);
            } finally {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.delete(f);
                    }
                }
                Files.delete(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What the generator cannot say from annotations: printer columns in the order the class
     * declares them (the generator sorts them by path, which puts AGE first), and map-type lists.
     */
    static CustomResourceDefinition finish(CustomResourceDefinition crd) {
        String kind = crd.getSpec().getNames().getKind();
        Class<?> type = KINDS.get(kind);
        List<String> order = new ArrayList<>();
        for (AdditionalPrinterColumn c : type.getAnnotationsByType(AdditionalPrinterColumn.class)) {
            order.add(c.name());
        }
        for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
            List<CustomResourceColumnDefinition> columns = new ArrayList<>(version.getAdditionalPrinterColumns());
            columns.sort(Comparator.comparingInt(c -> order.indexOf(c.getName())));
            version.setAdditionalPrinterColumns(columns);
            JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
            for (String path : NAMED_LISTS.getOrDefault(kind, List.of())) {
                JSONSchemaProps list = at(root, path);
                list.setXKubernetesListType("map");
                list.setXKubernetesListMapKeys(List.of("name"));
            }
            for (Map.Entry<String, Long> e : MAP_VALUE_MAX_LENGTH.getOrDefault(kind, Map.of()).entrySet()) {
                at(root, e.getKey()).getAdditionalProperties().getSchema().setMaxLength(e.getValue());
            }
        }
        return crd;
    }

    private static JSONSchemaProps at(JSONSchemaProps root, String path) {
        JSONSchemaProps node = root;
        for (String step : path.split("\\.")) {
            node = node.getProperties().get(step);
        }
        return node;
    }

    /** The {@code *.yml} files directly in {@code dir}, by name; an absent directory is empty. */
    static Map<String, String> read(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".yml")).toList()) {
                out.put(f.getFileName().toString(), Files.readString(f));
            }
        }
        return out;
    }

    /** The repository root: the parent of the api module the tests run in. */
    static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        Path root = Files.isRegularFile(here.resolve("api/pom.xml")) ? here : here.getParent();
        if (root == null || !Files.isRegularFile(root.resolve("api/pom.xml"))) {
            throw new IllegalStateException("cannot find the repository root from " + here);
        }
        return root;
    }
}
