package io.nfchain.agent.runtime;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfchain.api.v1alpha1.Conditions;
import io.nfchain.api.v1alpha1.DatapathNode;
import io.nfchain.api.v1alpha1.DatapathNodeStatus;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The agent as it runs, in Kubernetes mode against the mock API server: Quarkus' own client (the
 * one the DaemonSet uses) finds no DatapathNode, creates it, applies its empty spec and reports
 * ready, inventory and capacity in the status and on /q/health/ready.
 */
@QuarkusTest
@TestProfile(KubernetesModeTest.Kubernetes.class)
class KubernetesModeTest {
    /** A profile of its own with the mock API server: Quarkus restarts for it, the other tests keep local mode. */
    public static final class Kubernetes implements QuarkusTestProfile {
        @Override
        public java.util.List<TestResourceEntry> testResources() {
            return java.util.List.of(new TestResourceEntry(MockApiServer.class));
        }
    }

    @Inject
    KubernetesClient client;

    @Inject
    AgentRuntime runtime;

    @Test
    void theAgentCreatesItsDatapathNodeAndReportsReady() throws InterruptedException {
        DatapathNodeStatus status = null;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            DatapathNode node = client.resources(DatapathNode.class).withName(MockApiServer.NODE).get();
            status = node == null ? null : node.getStatus();
            if (status != null && Conditions.isTrue(status.conditions, Conditions.READY)) {
                break;
            }
            Thread.sleep(50);
        }
        assertNotNull(status, "no status written");
        assertTrue(Conditions.isTrue(status.conditions, Conditions.READY), String.valueOf(status.conditions));
        assertEquals(1L, status.observedGeneration);
        assertTrue(status.inventory.cpus > 0);
        assertEquals(status.inventory.cpus - 1, status.capacity.cores);
        assertEquals("", runtime.lastError());
        given().when().get("/q/health/ready").then().statusCode(200).body(containsString("node-spec"));
    }
}
