package io.nfchain.e2e.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** values.schema.json refuses bad values with a message naming the value; the CRDs ship in crds/. */
class ChartSchemaTest {
    private static final String SCHEMA_ERROR = "values don't meet the specifications of the schema";

    private final Helm helm = Helm.require();

    @TempDir
    Path dir;

    /** Each row: the values YAML (| for a line break), then what the error must name. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', quoteCharacter = '`', textBlock = """
            agent:|  burstSize: 0                                  ; /agent/burstSize
            agent:|  burstSize: 257                                ; /agent/burstSize
            agent:|  hugepages:|    pageSize: 4Mi                  ; /agent/hugepages/pageSize
            agent:|  hugepages:|    amount: lots                   ; /agent/hugepages/amount
            agent:|  idleStrategy: spin                            ; /agent/idleStrategy
            agent:|  cpu: -1                                       ; /agent/cpu
            agent:|  port: 80                                      ; /agent/port
            agent:|  nodeSelector:|    nfchain.io/datapath: true   ; /agent/nodeSelector/nfchain.io~1datapath
            controller:|  replicas: 0                              ; /controller/replicas
            controller:|  replicas: "2"                            ; /controller/replicas
            controller:|  leaseName: Not_A_Lease                   ; /controller/leaseName
            controller:|  resources:|    limits:|      memory: 1 GB ; /controller/resources/limits/memory
            controler:|  replicas: 2                               ; 'controler' not allowed
            image:|  pullPolicy: Sometimes                         ; /image/pullPolicy
            image:|  tag: latest please                            ; /image/tag
            image:|  registry: registry.example.com/                ; /image/registry
            functionRunner:|  image:|    repository: Nfchain/Runner ; /functionRunner/image/repository
            imagePullSecrets:|  - secret: pull                     ; /imagePullSecrets/0
            monitoring:|  serviceMonitor:|    enabled: "true"      ; /monitoring/serviceMonitor/enabled
            monitoring:|  serviceMonitor:|    interval: 30 seconds ; /monitoring/serviceMonitor/interval
            monitoring:|  grafanaDashboard:|    color: blue        ; 'color' not allowed
            namespaceOverride: Nfchain_System                      ; /namespaceOverride
            """)
    void theSchemaRefusesBadValuesAndSaysWhich(String values, String named) throws Exception {
        Path file = dir.resolve("bad-values.yaml");
        Files.writeString(file, values.strip().replace("|", "\n") + "\n");
        Helm.Result result = helm.tryTemplate(file);
        assertNotEquals(0, result.exitCode(), "helm template accepted:\n" + Files.readString(file));
        assertTrue(result.stderr().contains(SCHEMA_ERROR), "not a schema error:\n" + result.stderr());
        assertTrue(result.stderr().contains(named.strip()), "the error does not name " + named + ":\n" + result.stderr());
    }

    @Test
    void theChartsOwnValuesPassTheSchema() throws Exception {
        Path empty = dir.resolve("empty-values.yaml");
        Files.writeString(empty, "{}\n");
        assertEquals(0, helm.tryTemplate(empty).exitCode());
    }

    @Test
    void theFourCrdsShipInCrdsAndRenderWithIncludeCrds() throws Exception {
        Path crds = helm.chart().resolve("crds");
        List<Path> files;
        try (Stream<Path> list = Files.list(crds)) {
            files = list.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
        Set<String> expected = Set.of("networkfunctions.nfchain.io", "servicechains.nfchain.io",
                "datapathnodes.nfchain.io", "datapathpolicies.nfchain.io");
        Set<String> shipped = new TreeSet<>();
        for (Path file : files) {
            for (CustomResourceDefinition crd : Rendered.parse(Files.readString(file)).all(CustomResourceDefinition.class)) {
                shipped.add(crd.getMetadata().getName());
                assertEquals("nfchain.io", crd.getSpec().getGroup(), file.toString());
                assertTrue(crd.getSpec().getVersions().stream().anyMatch(v -> v.getName().equals("v1alpha1")
                        && v.getServed() && v.getStorage()), crd.getMetadata().getName() + " serves v1alpha1");
            }
        }
        assertEquals(expected, shipped, "CRDs in " + crds);

        Rendered withCrds = Rendered.parse(helm.template(helm.ciValues("defaults"), "--include-crds"));
        assertEquals(expected, withCrds.all(CustomResourceDefinition.class).stream()
                .map(c -> c.getMetadata().getName()).collect(Collectors.toSet()));
    }
}
