package io.nfchain.controller.reconciler;

import static io.nfchain.controller.reconciler.MockCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nfchain.api.v1alpha1.FunctionType;
import io.nfchain.api.v1alpha1.ServiceChain;
import io.nfchain.controller.NfchainOperator;
import io.nfchain.controller.RolloutJournal;
import io.nfchain.controller.model.ControllerSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two controllers, one lease: only the holder writes; when it stops, the other takes over. */
@EnableKubernetesMockClient(crud = true)
class LeaderElectionTest {
    KubernetesClient client;
    KubernetesMockServer server;

    private Operator controller(String identity, RolloutJournal journal) {
        // Long enough that a leader on this loaded machine renews in time (a lapse would let the
        // follower in while the leader still writes, which is what the test would catch).
        var election = new LeaderElectionConfiguration("nfchain-controller", "nfchain-system", Duration.ofSeconds(20),
                Duration.ofSeconds(15), Duration.ofMillis(500), identity, null, false);
        return NfchainOperator.create(client, Clock.systemUTC(), ControllerSettings.defaults(), new SimpleMeterRegistry(),
                journal, election);
    }

    @Test
    void onlyTheLeaseHolderReconcilesAndTheOtherTakesOver() throws Exception {
        MockCluster cluster = new MockCluster(client);
        // JOSDK asks whether it may use leases before it campaigns; the mock server knows no RBAC.
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewStatus().addNewResourceRule()
                        .withApiGroups("coordination.k8s.io").withResources("leases").withVerbs("*").endResourceRule()
                        .withIncomplete(false).endStatus().build())
                .always();
        RolloutJournal first = new RolloutJournal();
        RolloutJournal second = new RolloutJournal();
        Operator a = controller("controller-a", first);
        a.start();
        await("controller-a holds the lease", () -> {
            Lease l = client.resources(Lease.class).inNamespace("nfchain-system").withName("nfchain-controller").get();
            return l != null && "controller-a".equals(l.getSpec().getHolderIdentity()) ? true : null;
        });
        Operator b = controller("controller-b", second);
        b.start();
        try {
            cluster.node("node-a", 8, Map.of());
            cluster.function("acl", FunctionType.ACL, 1, 1);
            cluster.chain("web", "acl");
            await("the pod", () -> cluster.pods("web").size() == 1 ? true : null);
            // The journal line follows the create's answer: the pod can be on the server first.
            await("controller-a's journal", () -> first.entries().stream().anyMatch(e -> e.startsWith("pod-created"))
                    ? true : null);
            assertTrue(second.entries().isEmpty(), "the follower wrote: " + second.entries());

            a.stop();
            client.resources(ServiceChain.class).inNamespace(MockCluster.NS).withName("web").delete();
            await("controller-b cleans up", Duration.ofSeconds(120), () -> cluster.getChain("web") == null && cluster.pods("web").isEmpty() ? true : null);
            assertTrue(second.entries().contains("chain-removed " + MockCluster.NS + "/web"), second.entries().toString());
            assertEquals("controller-b", client.resources(Lease.class).inNamespace("nfchain-system")
                    .withName("nfchain-controller").get().getSpec().getHolderIdentity());
        } finally {
            b.stop();
        }
    }
}
