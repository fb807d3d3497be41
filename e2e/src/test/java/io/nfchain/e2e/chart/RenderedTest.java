package io.nfchain.e2e.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The chart tests' parser is only as good as what it refuses; needs no Helm. */
class RenderedTest {
    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: d, namespace: n}
            spec:
              selector: {matchLabels: {a: b}}
              template:
                metadata: {labels: {a: b}}
                spec:
                  containers:
                    - name: c
                      image: i:1
                      securityContext: {%s: true}
            """;

    @Test
    void aKnownFieldParsesIntoItsType() {
        Rendered rendered = Rendered.parse("---\n# Source: x\n" + DEPLOYMENT.formatted("readOnlyRootFilesystem"));
        Deployment d = rendered.one(Deployment.class, "d");
        assertEquals(Boolean.TRUE, d.getSpec().getTemplate().getSpec().getContainers().get(0).getSecurityContext()
                .getReadOnlyRootFilesystem());
    }

    @Test
    void aMisspeltFieldDeepInsideFailsWithItsPath() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> Rendered.parse(DEPLOYMENT.formatted("readOnlyRootFilesytem")));
        assertTrue(e.getMessage().contains("securityContext: [readOnlyRootFilesytem]"), e.getMessage());
    }

    @Test
    void aBuiltInKindUnderAWrongApiVersionFails() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> Rendered.parse(DEPLOYMENT.formatted("privileged").replace("apps/v1", "apps/v1beta9")));
        assertTrue(e.getMessage().contains("did not parse as its Kubernetes type"), e.getMessage());
    }

    @Test
    void kindsFabric8DoesNotModelComeBackGeneric() {
        Rendered rendered = Rendered.parse("""
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata: {name: m}
                spec: {endpoints: [{port: http}]}
                """);
        assertEquals(1, rendered.generic("ServiceMonitor").size());
    }
}
