package io.nfchain.controller.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.nfchain.api.v1alpha1.FunctionType;
import io.nfchain.api.v1alpha1.NetworkFunction;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodModelTest {
    private static final ControllerSettings SETTINGS = ControllerSettings.defaults();

    private static Pod pod(NetworkFunction nf) {
        var inst = InstanceModel.instance(Fixtures.chain("web", nf.getMetadata().getName()), 0, nf, "node-a", SETTINGS);
        return PodModel.pod(inst, nf, SETTINGS, null);
    }

    private static String env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst().orElse(null);
    }

    @Test
    void anNfPodIsUnprivilegedWithAReadOnlyRoot() {
        Pod p = pod(Fixtures.nf("acl", FunctionType.ACL, 2));
        assertTrue(p.getSpec().getSecurityContext().getRunAsNonRoot());
        assertEquals("RuntimeDefault", p.getSpec().getSecurityContext().getSeccompProfile().getType());
        assertFalse(p.getSpec().getAutomountServiceAccountToken());
        assertNull(p.getSpec().getHostNetwork());
        assertNull(p.getSpec().getHostPID());
        for (Container c : p.getSpec().getContainers()) {
            var sc = c.getSecurityContext();
            assertTrue(sc.getRunAsNonRoot());
            assertTrue(sc.getReadOnlyRootFilesystem());
            assertFalse(sc.getAllowPrivilegeEscalation());
            assertFalse(sc.getPrivileged());
            assertEquals(List.of("ALL"), sc.getCapabilities().getDrop());
            assertTrue(sc.getCapabilities().getAdd() == null || sc.getCapabilities().getAdd().isEmpty());
        }
        assertEquals("node-a", p.getSpec().getNodeName());
    }

    @Test
    void onlyItsOwnSocketDirectoryOfTheHost() {
        Pod p = pod(Fixtures.nf("acl", FunctionType.ACL, 1));
        String name = p.getMetadata().getName();
        List<Volume> host = p.getSpec().getVolumes().stream().filter(v -> v.getHostPath() != null).toList();
        assertEquals(1, host.size());
        assertEquals("/run/nfchain/" + name, host.getFirst().getHostPath().getPath());
        assertEquals("DirectoryOrCreate", host.getFirst().getHostPath().getType());
        Container c = p.getSpec().getContainers().getFirst();
        assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getName().equals(host.getFirst().getName())
                && m.getMountPath().equals("/run/nfchain/" + name)));
        assertEquals("/run/nfchain/" + name + "/memif.sock", env(c, "NFCHAIN_FUNCTION_LINKS_0__SOCKET"));
        assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/tmp")), "a writable /tmp");
    }

    /** The kubelet's rule: every container has cpu and memory limits equal to its requests. */
    @Test
    void guaranteedQosWithWholeCores() {
        NetworkFunction nf = Fixtures.nf("upf", FunctionType.UPF, 3);
        nf.getSpec().resources.hugepages2Mi = "512Mi";
        Container c = pod(nf).getSpec().getContainers().getFirst();
        Map<String, Quantity> req = c.getResources().getRequests();
        Map<String, Quantity> lim = c.getResources().getLimits();
        assertEquals(req, lim);
        assertTrue(lim.containsKey("cpu") && lim.containsKey("memory"));
        BigDecimal cores = Quantity.getAmountInBytes(lim.get("cpu"));
        assertEquals(0, cores.compareTo(BigDecimal.valueOf(3)));
        assertEquals(new Quantity("512Mi"), lim.get("hugepages-2Mi"));
        assertEquals("true", env(c, "NFCHAIN_FUNCTION_LINKS_0__HUGEPAGES"));
        assertTrue(pod(nf).getSpec().getVolumes().stream()
                .anyMatch(v -> v.getEmptyDir() != null && "HugePages".equals(v.getEmptyDir().getMedium())));
    }

    /** Usage must outlive the pod and be exact across crashes: state, region file and records on the node. */
    @Test
    void chargingKeepsItsStateRegionAndRecordsInItsNodeDirectory() {
        Pod p = pod(Fixtures.nf("chg", FunctionType.CHARGING, 1));
        String dir = "/run/nfchain/" + p.getMetadata().getName();
        Container c = p.getSpec().getContainers().getFirst();
        assertEquals(dir + "/charging-state", env(c, "NFCHAIN_CHARGING_STATE_DIR"));
        assertEquals(dir + "/charging-state/memif-region", env(c, "NFCHAIN_FUNCTION_LINKS_0__REGION_FILE"));
        assertEquals(dir + "/usage.records", env(c, "NFCHAIN_CHARGING_RECORDS_FILE"));
        Container acl = pod(Fixtures.nf("acl", FunctionType.ACL, 1)).getSpec().getContainers().getFirst();
        assertNull(env(acl, "NFCHAIN_FUNCTION_LINKS_0__REGION_FILE"), "other functions keep sealed memfd regions");
        assertEquals(Boolean.TRUE, NodeSpecModel.function("x", "charging", null, null).allowUnsealedRegions);
        assertNull(NodeSpecModel.function("x", "acl", null, null).allowUnsealedRegions);
    }

    /** Charging is the last stage of upf+qos+charging: its usage is kept as when it runs alone. */
    @Test
    void theUserPlaneKeepsChargingsStateRegionAndRecordsInItsNodeDirectory() {
        NetworkFunction nf = Fixtures.nf("up", FunctionType.USER_PLANE, 1);
        nf.getSpec().config = null;
        Pod p = pod(nf);
        String dir = "/run/nfchain/" + p.getMetadata().getName();
        Container c = p.getSpec().getContainers().getFirst();
        assertEquals("upf+qos+charging", env(c, "NFCHAIN_FUNCTION_TYPE"));
        assertEquals(dir + "/charging-state", env(c, "NFCHAIN_CHARGING_STATE_DIR"));
        assertEquals(dir + "/charging-state/memif-region", env(c, "NFCHAIN_FUNCTION_LINKS_0__REGION_FILE"));
        assertEquals(dir + "/usage.records", env(c, "NFCHAIN_CHARGING_RECORDS_FILE"));
        Container upf = pod(Fixtures.nf("upf", FunctionType.UPF, 1)).getSpec().getContainers().getFirst();
        assertNull(env(upf, "NFCHAIN_FUNCTION_LINKS_0__REGION_FILE"), "the upf alone charges nothing");
    }

    /** The runner reads the pipeline's settings where each function alone reads them: nfchain.upf.*, ... */
    @Test
    void userPlaneConfigKeysNameTheirStageAndBecomeThatStagesSettings() {
        NetworkFunction nf = Fixtures.nf("up", FunctionType.USER_PLANE, 1);
        nf.getSpec().config = Map.of("upf.n3-ipv4", "192.0.2.1", "qos.qfi-dscp", "5=46", "charging.max-urrs", "65536");
        Container c = pod(nf).getSpec().getContainers().getFirst();
        assertEquals("192.0.2.1", env(c, "NFCHAIN_UPF_N3_IPV4"));
        assertEquals("5=46", env(c, "NFCHAIN_QOS_QFI_DSCP"));
        assertEquals("65536", env(c, "NFCHAIN_CHARGING_MAX_URRS"));
        assertTrue(c.getEnv().stream().noneMatch(e -> e.getName().startsWith("NFCHAIN_UPF_QOS_CHARGING")), c.getEnv()
                .toString());
        assertNull(PodModel.configProblem(nf.getSpec()));
    }

    /** A key of no stage would reach no setting: the chain reports it (ServiceChainOperatorTest), no pod is made. */
    @Test
    void aUserPlaneConfigKeyOfNoStageIsRefusedByName() {
        NetworkFunction nf = Fixtures.nf("up", FunctionType.USER_PLANE, 1);
        nf.getSpec().config = Map.of("upf.n3-ipv4", "192.0.2.1", "max-sessions", "1024", "upfx.a", "1");
        String expected = "config keys of upf+qos+charging start with the function they set (upf., qos. or"
                + " charging.); these do not: [max-sessions, upfx.a]";
        assertEquals(expected, PodModel.configProblem(nf.getSpec()));
        assertEquals(expected, assertThrows(IllegalArgumentException.class, () -> pod(nf)).getMessage());
        assertNull(PodModel.configProblem(Fixtures.nf("upf", FunctionType.UPF, 1).getSpec()),
                "a function alone takes its keys as they are");
    }

    @Test
    void hugePagesOnlyWhenAsked() {
        Pod p = pod(Fixtures.nf("acl", FunctionType.ACL, 1));
        assertTrue(p.getSpec().getVolumes().stream().noneMatch(v -> v.getEmptyDir() != null
                && v.getEmptyDir().getMedium() != null && v.getEmptyDir().getMedium().startsWith("HugePages")));
        assertFalse(p.getSpec().getContainers().getFirst().getResources().getLimits().keySet().stream()
                .anyMatch(k -> k.startsWith("hugepages")));
    }

    @Test
    void theRunnerGetsItsTypeInstanceConfigAndListensOnThePodIp() {
        NetworkFunction nf = Fixtures.nf("guard", FunctionType.TTLGUARD, 1);
        nf.getSpec().config = Map.of("min-ttl", "2", "interfaces.0.address", "10.0.0.1/24");
        Pod p = pod(nf);
        Container c = p.getSpec().getContainers().getFirst();
        assertEquals("ttl-guard", env(c, "NFCHAIN_FUNCTION_TYPE"));
        assertEquals(p.getMetadata().getName(), env(c, "NFCHAIN_FUNCTION_INSTANCE"));
        assertEquals("2", env(c, "NFCHAIN_TTL_GUARD_MIN_TTL"));
        assertEquals("10.0.0.1/24", env(c, "NFCHAIN_TTL_GUARD_INTERFACES_0_ADDRESS"));
        assertEquals("9091", env(c, "QUARKUS_HTTP_PORT"));
        EnvVar host = c.getEnv().stream().filter(e -> e.getName().equals("QUARKUS_HTTP_HOST")).findFirst().orElseThrow();
        assertEquals("status.podIP", host.getValueFrom().getFieldRef().getFieldPath());
        assertEquals("/q/health/ready", c.getReadinessProbe().getHttpGet().getPath());
        assertEquals(9091, c.getReadinessProbe().getHttpGet().getPort().getIntVal());
        assertEquals(SETTINGS.runnerImage(), c.getImage());
        assertEquals("guard", p.getMetadata().getLabels().get(Names.LABEL_FUNCTION));
        assertEquals("web", p.getMetadata().getLabels().get(Names.LABEL_CHAIN));
    }

    @Test
    void theSameInputsGiveTheSamePodAndAChangedSpecAnotherName() {
        KubernetesSerialization json = new KubernetesSerialization();
        NetworkFunction nf = Fixtures.nf("acl", FunctionType.ACL, 1);
        assertEquals(json.asJson(pod(nf)), json.asJson(pod(Fixtures.nf("acl", FunctionType.ACL, 1))));
        NetworkFunction changed = Fixtures.nf("acl", FunctionType.ACL, 1);
        changed.getSpec().image = "example.com/acl:2";
        changed.getSpec().type = null;
        assertFalse(pod(nf).getMetadata().getName().equals(pod(changed).getMetadata().getName()));
        NetworkFunction rescaled = Fixtures.nf("acl", FunctionType.ACL, 1);
        rescaled.getSpec().placement = new io.nfchain.api.v1alpha1.NetworkFunctionSpec.Placement();
        rescaled.getSpec().placement.replicas = 3;
        assertEquals(pod(nf).getMetadata().getName(), pod(rescaled).getMetadata().getName(),
                "placement does not shape the pod: no rollout for it");
    }
}
