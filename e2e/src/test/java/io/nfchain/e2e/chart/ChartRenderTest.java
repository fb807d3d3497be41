package io.nfchain.e2e.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chart rendered with each of its CI values files: lint, every object parses as its type,
 * images, pod security, the agent's host access. RBAC is in {@link ChartRbacTest}, the values
 * schema and CRDs in {@link ChartSchemaTest}, monitoring in {@link ChartMonitoringTest}.
 */
class ChartRenderTest {
    static final String RELEASE = "nfchain";

    private final Helm helm = Helm.require();

    @ParameterizedTest
    @ValueSource(strings = {"defaults", "monitoring", "hugepages-1gi", "custom-namespace-images"})
    void everyCiValuesFileLintsAndRendersObjectsOfTheirKubernetesTypes(String ciCase) throws Exception {
        Helm.Result lint = helm.lint(helm.ciValues(ciCase));
        assertEquals(0, lint.exitCode(), "helm lint --strict with ci/" + ciCase + "-values.yaml:\n" + lint.stdout()
                + lint.stderr());

        Rendered rendered = Rendered.parse(helm.template(helm.ciValues(ciCase)));
        Map<String, Integer> kinds = new TreeMap<>();
        rendered.all().forEach(o -> kinds.merge(o.getKind(), 1, Integer::sum));
        Map<String, Integer> expected = new TreeMap<>(Map.of("ServiceAccount", 2, "ClusterRole", 2,
                "ClusterRoleBinding", 2, "Role", 1, "RoleBinding", 1, "Deployment", 1, "DaemonSet", 1, "Service", 2));
        if (ciCase.equals("monitoring")) {
            expected.putAll(Map.of("ServiceMonitor", 2, "PodMonitor", 1, "ConfigMap", 1));
        }
        assertEquals(expected, kinds, "kinds rendered with ci/" + ciCase + "-values.yaml");

        String namespace = ciCase.equals("custom-namespace-images") ? "nfchain-system" : "nfchain";
        for (HasMetadata o : rendered.all()) {
            String where = o.getKind() + "/" + o.getMetadata().getName();
            boolean clusterScoped = o instanceof ClusterRole || o.getKind().equals("ClusterRoleBinding");
            String expectedNamespace = o.getKind().equals("ConfigMap") ? "monitoring" : namespace;
            assertEquals(clusterScoped ? null : expectedNamespace, o.getMetadata().getNamespace(), where);
            Map<String, String> labels = o.getMetadata().getLabels();
            assertEquals("nfchain", labels.get("app.kubernetes.io/part-of"), where);
            assertEquals(RELEASE, labels.get("app.kubernetes.io/instance"), where);
            assertEquals("Helm", labels.get("app.kubernetes.io/managed-by"), where);
        }
    }

    @Test
    void defaultImagesAreTheChartsAppVersion() throws Exception {
        String version = appVersion();
        Rendered rendered = Rendered.parse(helm.template(helm.ciValues("defaults")));
        Container controller = controller(rendered);
        Container agent = agent(rendered);
        assertEquals("nfchain/controller:" + version, controller.getImage());
        assertEquals("nfchain/datapath-agent:" + version, agent.getImage());
        assertEquals("nfchain/function-runner:" + version, env(controller, "NFCHAIN_CONTROLLER_RUNNER_IMAGE"));
        assertEquals("IfNotPresent", controller.getImagePullPolicy());
        assertEquals(List.of(), deployment(rendered).getSpec().getTemplate().getSpec().getImagePullSecrets());
    }

    @Test
    void theControllerElectsALeaderInItsOwnNamespaceAndKnowsTheSocketDirectory() throws Exception {
        Rendered rendered = Rendered.parse(helm.template(helm.ciValues("defaults")));
        Container controller = controller(rendered);
        assertEquals("nfchain-controller", env(controller, "NFCHAIN_CONTROLLER_LEASE_NAME"));
        EnvVar namespace = controller.getEnv().stream()
                .filter(e -> e.getName().equals("NFCHAIN_CONTROLLER_LEASE_NAMESPACE")).findFirst().orElseThrow();
        assertEquals("metadata.namespace", namespace.getValueFrom().getFieldRef().getFieldPath());
        // The Role that lets it hold the Lease names the same Lease.
        assertEquals(List.of("nfchain-controller"), rendered.one(Role.class, RELEASE + "-controller-leader-election")
                .getRules().get(1).getResourceNames());
        // NF pods mount /run/nfchain/<instance> from the directory the agent serves sockets in.
        assertEquals(env(agent(rendered), "NFCHAIN_AGENT_SOCKET_DIRECTORY"),
                env(controller, "NFCHAIN_CONTROLLER_SOCKET_DIRECTORY"));
    }

    @Test
    void imagesRegistryTagsAndPullSecretsAreAsConfigured() throws Exception {
        Rendered rendered = Rendered.parse(helm.template(helm.ciValues("custom-namespace-images")));
        Container controller = controller(rendered);
        Container agent = agent(rendered);
        String registry = "registry.example.com:5000/mirror/";
        assertEquals(registry + "nfchain/controller:0.1.0-rc2", controller.getImage(), "the controller's own tag");
        assertEquals(registry + "nfchain/datapath-agent:0.1.0-rc1", agent.getImage(), "the shared tag");
        assertEquals(registry + "nfchain/function-runner:0.1.0-rc3",
                env(controller, "NFCHAIN_CONTROLLER_RUNNER_IMAGE"));
        assertEquals("Always", controller.getImagePullPolicy());
        assertEquals("Always", agent.getImagePullPolicy());
        for (PodSpec pod : List.of(deployment(rendered).getSpec().getTemplate().getSpec(),
                daemonSet(rendered).getSpec().getTemplate().getSpec())) {
            assertEquals(List.of("example-registry"),
                    pod.getImagePullSecrets().stream().map(LocalObjectReference::getName).toList());
        }
        assertEquals(2, deployment(rendered).getSpec().getReplicas());
        assertEquals("nfchain-leader", env(controller, "NFCHAIN_CONTROLLER_LEASE_NAME"));
        assertEquals(List.of("nfchain-leader"), rendered.one(Role.class, RELEASE + "-controller-leader-election")
                .getRules().get(1).getResourceNames());
        assertEquals(Map.of("node-role.example.com/dataplane", ""),
                daemonSet(rendered).getSpec().getTemplate().getSpec().getNodeSelector());
    }

    @ParameterizedTest
    @ValueSource(strings = {"defaults", "monitoring", "hugepages-1gi", "custom-namespace-images"})
    void onlyTheAgentIsPrivilegedAndTheControllerIsLockedDown(String ciCase) throws Exception {
        Rendered rendered = Rendered.parse(helm.template(helm.ciValues(ciCase)));
        for (HasMetadata o : rendered.all()) {
            PodSpec pod = o instanceof Deployment d ? d.getSpec().getTemplate().getSpec()
                    : o instanceof DaemonSet s ? s.getSpec().getTemplate().getSpec() : null;
            if (pod == null) {
                continue;
            }
            for (Container c : pod.getContainers()) {
                boolean privileged = c.getSecurityContext() != null
                        && Boolean.TRUE.equals(c.getSecurityContext().getPrivileged());
                boolean isAgent = o instanceof DaemonSet && c.getName().equals("agent");
                assertEquals(isAgent, privileged, o.getKind() + "/" + o.getMetadata().getName() + " container "
                        + c.getName() + ": only the agent may be privileged");
            }
        }

        PodSpec controllerPod = deployment(rendered).getSpec().getTemplate().getSpec();
        assertEquals(Boolean.TRUE, controllerPod.getSecurityContext().getRunAsNonRoot());
        assertTrue(controllerPod.getSecurityContext().getRunAsUser() > 0, "the controller runs as a non-zero uid");
        assertEquals("RuntimeDefault", controllerPod.getSecurityContext().getSeccompProfile().getType());
        assertFalse(Boolean.TRUE.equals(controllerPod.getHostNetwork()), "the controller stays off the host network");
        assertTrue(controllerPod.getVolumes().stream().allMatch(v -> v.getHostPath() == null),
                "the controller mounts nothing from the host");
        SecurityContext sc = controller(rendered).getSecurityContext();
        assertEquals(Boolean.TRUE, sc.getRunAsNonRoot());
        assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem());
        assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), sc.getCapabilities().getDrop());
        assertTrue(sc.getCapabilities().getAdd() == null || sc.getCapabilities().getAdd().isEmpty());
        assertProbes(controller(rendered));
    }

    @Test
    void theAgentRunsInKubernetesModeWithTheHostAccessItNeeds() throws Exception {
        Rendered rendered = Rendered.parse(helm.template(helm.ciValues("defaults")));
        PodSpec pod = daemonSet(rendered).getSpec().getTemplate().getSpec();
        Container agent = agent(rendered);
        assertEquals("kubernetes", env(agent, "NFCHAIN_AGENT_MODE"));
        EnvVar nodeName = agent.getEnv().stream().filter(e -> e.getName().equals("NFCHAIN_AGENT_NODE_NAME"))
                .findFirst().orElseThrow();
        assertEquals("spec.nodeName", nodeName.getValueFrom().getFieldRef().getFieldPath());
        assertEquals("/run/nfchain", env(agent, "NFCHAIN_AGENT_SOCKET_DIRECTORY"));
        assertEquals(Boolean.TRUE, pod.getHostNetwork());
        assertEquals(Map.of("nfchain.io/datapath", "true"), pod.getNodeSelector());

        assertEquals("/run/nfchain", hostPathMountedAt(pod, agent, "/run/nfchain"));
        assertEquals("DirectoryOrCreate", volumeMountedAt(pod, agent, "/run/nfchain").getHostPath().getType());
        assertEquals("/sys", hostPathMountedAt(pod, agent, "/sys"));
        assertEquals("/dev/vfio", hostPathMountedAt(pod, agent, "/dev/vfio"));
        assertEquals("HugePages-2Mi", volumeMountedAt(pod, agent, "/dev/hugepages").getEmptyDir().getMedium());
        assertEquals(new Quantity("256Mi"), agent.getResources().getLimits().get("hugepages-2Mi"));
        assertEquals(new Quantity("256Mi"), agent.getResources().getRequests().get("hugepages-2Mi"));
        assertProbes(agent);
    }

    @Test
    void oneGibHugepagesReachTheVolumeAndTheResources() throws Exception {
        Rendered rendered = Rendered.parse(helm.template(helm.ciValues("hugepages-1gi")));
        PodSpec pod = daemonSet(rendered).getSpec().getTemplate().getSpec();
        Container agent = agent(rendered);
        assertEquals("HugePages-1Gi", volumeMountedAt(pod, agent, "/dev/hugepages").getEmptyDir().getMedium());
        assertEquals(new Quantity("2Gi"), agent.getResources().getLimits().get("hugepages-1Gi"));
        assertEquals(new Quantity("2Gi"), agent.getResources().getRequests().get("hugepages-1Gi"));
        assertNotNull(agent.getResources().getLimits().get("cpu"));
        assertFalse(agent.getResources().getLimits().containsKey("hugepages-2Mi"));
        assertEquals("2", env(agent, "NFCHAIN_AGENT_CPU"));
        assertEquals("busy", env(agent, "NFCHAIN_AGENT_IDLE_STRATEGY"));
        assertEquals("nfchain.io/datapath", pod.getTolerations().get(0).getKey());
    }

    @Test
    void hugepagesOffLeavesNoHugepagesVolumeOrRequest() throws Exception {
        Rendered rendered = Rendered.parse(helm.template(helm.ciValues("custom-namespace-images")));
        PodSpec pod = daemonSet(rendered).getSpec().getTemplate().getSpec();
        assertTrue(pod.getVolumes().stream().noneMatch(v -> v.getEmptyDir() != null
                && v.getEmptyDir().getMedium() != null && v.getEmptyDir().getMedium().startsWith("HugePages")));
        assertTrue(agent(rendered).getResources().getLimits().keySet().stream().noneMatch(k -> k.startsWith("hugepages")));
    }

    static String appVersion() throws IOException {
        String chart = Files.readString(Helm.require().chart().resolve("Chart.yaml"));
        Matcher m = Pattern.compile("(?m)^appVersion:\\s*\"?([^\"\\s]+)\"?\\s*$").matcher(chart);
        assertTrue(m.find(), "Chart.yaml has an appVersion");
        return m.group(1);
    }

    static Deployment deployment(Rendered rendered) {
        return rendered.one(Deployment.class, RELEASE + "-controller");
    }

    static DaemonSet daemonSet(Rendered rendered) {
        return rendered.one(DaemonSet.class, RELEASE + "-agent");
    }

    static Container controller(Rendered rendered) {
        return deployment(rendered).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    static Container agent(Rendered rendered) {
        return daemonSet(rendered).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    static String env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " has no env " + name));
    }

    private static void assertProbes(Container c) {
        assertEquals("/q/health/live", c.getLivenessProbe().getHttpGet().getPath(), c.getName());
        assertEquals("/q/health/ready", c.getReadinessProbe().getHttpGet().getPath(), c.getName());
        assertEquals("http", c.getLivenessProbe().getHttpGet().getPort().getStrVal());
        assertTrue(c.getPorts().stream().anyMatch(p -> "http".equals(p.getName())), c.getName() + " names its port");
    }

    private static Volume volumeMountedAt(PodSpec pod, Container c, String path) {
        VolumeMount mount = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " mounts nothing at " + path));
        return pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + mount.getName()));
    }

    private static String hostPathMountedAt(PodSpec pod, Container c, String path) {
        Volume v = volumeMountedAt(pod, c, path);
        assertNotNull(v.getHostPath(), path + " is a hostPath");
        return v.getHostPath().getPath();
    }
}
