package io.nfchain.controller.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.nfchain.api.v1alpha1.FunctionType;
import io.nfchain.api.v1alpha1.NetworkFunction;
import io.nfchain.api.v1alpha1.NetworkFunctionSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stateless, thread-safe. The pod of one NF instance, as DESIGN.md section 8 wants it: unprivileged
 * (non-root, no capabilities, no privilege escalation, RuntimeDefault seccomp), a read-only root
 * with an emptyDir for /tmp, Guaranteed QoS with whole cores (requests equal limits), huge pages
 * only when the function asks, and of the host only its own memif socket directory.
 */
public final class PodModel {
    public static final String CONTAINER = "function";
    /** A user id of no account in the runner image: the pod needs none. */
    public static final long RUN_AS_USER = 65532L;
    static final String DEFAULT_MEMORY = "512Mi";

    private PodModel() {}

    public static Pod pod(FunctionInstance instance, NetworkFunction nf, ControllerSettings settings, OwnerReference owner) {
        String socketDir = settings.socketDirectory() + "/" + instance.name();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", "nfchain-function");
        labels.put(Names.LABEL_MANAGED_BY, Names.MANAGED_BY);
        labels.put(Names.LABEL_CHAIN, instance.chain());
        labels.put(Names.LABEL_FUNCTION, instance.function());
        labels.put(Names.LABEL_INSTANCE, instance.name());
        labels.put(Names.LABEL_HOP, Integer.toString(instance.hopIndex()));
        List<Volume> volumes = new ArrayList<>();
        List<VolumeMount> mounts = new ArrayList<>();
        volumes.add(new VolumeBuilder().withName("memif").withNewHostPath()
                .withPath(socketDir).withType("DirectoryOrCreate").endHostPath().build());
        mounts.add(new VolumeMountBuilder().withName("memif").withMountPath(socketDir).build());
        volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().withSizeLimit(new Quantity("64Mi"))
                .endEmptyDir().build());
        mounts.add(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
        NetworkFunctionSpec.Resources r = nf.getSpec().resources;
        boolean hp2 = r != null && r.hugepages2Mi != null;
        boolean hp1 = r != null && r.hugepages1Gi != null;
        if (hp2 || hp1) {
            // With both sizes a volume per size: the kubelet refuses medium HugePages then.
            if (hp2) {
                volumes.add(hugepages("hugepages-2mi", hp1 ? "HugePages-2Mi" : "HugePages"));
                mounts.add(new VolumeMountBuilder().withName("hugepages-2mi").withMountPath("/dev/hugepages").build());
            }
            if (hp1) {
                volumes.add(hugepages("hugepages-1gi", hp2 ? "HugePages-1Gi" : "HugePages"));
                mounts.add(new VolumeMountBuilder().withName("hugepages-1gi")
                        .withMountPath(hp2 ? "/dev/hugepages-1Gi" : "/dev/hugepages").build());
            }
        }
        return new PodBuilder()
                .withNewMetadata()
                    .withName(instance.name())
                    .withNamespace(instance.namespace())
                    .withLabels(labels)
                    .addToAnnotations(Names.ANNOTATION_SPEC_HASH, instance.specHash())
                    .addToAnnotations(Names.ANNOTATION_NODE, instance.node())
                    .withOwnerReferences(owner == null ? List.of() : List.of(owner))
                .endMetadata()
                .withNewSpec()
                    .withNodeName(instance.node())
                    .withRestartPolicy("Always")
                    .withAutomountServiceAccountToken(false)
                    .withEnableServiceLinks(false)
                    .withTerminationGracePeriodSeconds(10L)
                    .withNewSecurityContext()
                        .withRunAsNonRoot(true)
                        .withRunAsUser(RUN_AS_USER)
                        .withRunAsGroup(RUN_AS_USER)
                        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                    .endSecurityContext()
                    .withContainers(container(instance, nf, settings, socketDir, mounts))
                    .withVolumes(volumes)
                .endSpec()
                .build();
    }

    private static Volume hugepages(String name, String medium) {
        return new VolumeBuilder().withName(name).withNewEmptyDir().withMedium(medium).endEmptyDir().build();
    }

    private static Container container(FunctionInstance instance, NetworkFunction nf, ControllerSettings settings,
            String socketDir, List<VolumeMount> mounts) {
        Map<String, Quantity> amounts = amounts(nf.getSpec().resources);
        return new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(InstanceModel.image(nf, settings))
                .withImagePullPolicy("IfNotPresent")
                .withEnv(env(instance, nf, socketDir))
                .addNewPort().withName("http").withContainerPort(ControllerSettings.FUNCTION_HTTP_PORT)
                    .withProtocol("TCP").endPort()
                .withNewResources().withRequests(amounts).withLimits(amounts).endResources()
                .withNewReadinessProbe()
                    .withNewHttpGet().withPath("/q/health/ready").withNewPort(ControllerSettings.FUNCTION_HTTP_PORT)
                    .endHttpGet()
                    .withPeriodSeconds(2).withFailureThreshold(3)
                .endReadinessProbe()
                .withNewLivenessProbe()
                    .withNewHttpGet().withPath("/q/health/live").withNewPort(ControllerSettings.FUNCTION_HTTP_PORT)
                    .endHttpGet()
                    .withInitialDelaySeconds(10).withPeriodSeconds(10)
                .endLivenessProbe()
                .withNewSecurityContext()
                    .withRunAsNonRoot(true)
                    .withPrivileged(false)
                    .withAllowPrivilegeEscalation(false)
                    .withReadOnlyRootFilesystem(true)
                    .withNewCapabilities().withDrop("ALL").endCapabilities()
                    .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .withVolumeMounts(mounts)
                .build();
    }

    /** Requests equal limits, whole cores: the kubelet's test for Guaranteed QoS. */
    static Map<String, Quantity> amounts(NetworkFunctionSpec.Resources r) {
        Map<String, Quantity> m = new TreeMap<>();
        m.put("cpu", new Quantity(Integer.toString(r == null || r.cpu == null ? 1 : r.cpu)));
        m.put("memory", new Quantity(r == null || r.memory == null ? DEFAULT_MEMORY : r.memory));
        if (r != null && r.hugepages2Mi != null) {
            m.put("hugepages-2Mi", new Quantity(r.hugepages2Mi));
        }
        if (r != null && r.hugepages1Gi != null) {
            m.put("hugepages-1Gi", new Quantity(r.hugepages1Gi));
        }
        return m;
    }

    private static List<EnvVar> env(FunctionInstance instance, NetworkFunction nf, String socketDir) {
        NetworkFunctionSpec s = nf.getSpec();
        List<EnvVar> env = new ArrayList<>();
        if (s.type != null) {
            env.add(plain("NFCHAIN_FUNCTION_TYPE", InstanceModel.runnerType(s.type)));
        }
        env.add(plain("NFCHAIN_FUNCTION_INSTANCE", instance.name()));
        env.add(plain("NFCHAIN_FUNCTION_LINKS_0__SOCKET", socketDir + "/memif.sock"));
        if (s.socketLog2RingSize != null) {
            env.add(plain("NFCHAIN_FUNCTION_LINKS_0__LOG2_RING_SIZE", s.socketLog2RingSize.toString()));
        }
        if (s.resources != null && s.resources.hugepages2Mi != null) {
            env.add(plain("NFCHAIN_FUNCTION_LINKS_0__HUGEPAGES", "true"));
        }
        if (InstanceModel.runsCharging(InstanceModel.nodeType(nf))) {
            // Usage outlives the pod: the usage state, its memif region (which the node entry lets the
            // agent accept unsealed) and the offline records live in the instance's directory on the node.
            // Link 0 is the agent's link for charging alone and for upf+qos+charging, whose last stage it is.
            env.add(plain("NFCHAIN_CHARGING_STATE_DIR", socketDir + "/charging-state"));
            env.add(plain("NFCHAIN_FUNCTION_LINKS_0__REGION_FILE", socketDir + "/charging-state/memif-region"));
            env.add(plain("NFCHAIN_CHARGING_RECORDS_FILE", socketDir + "/usage.records"));
        }
        // The HTTP port serves gRPC, metrics and health; on the pod IP only, where the agent and the probes reach it.
        env.add(new EnvVarBuilder().withName("QUARKUS_HTTP_HOST").withNewValueFrom().withNewFieldRef()
                .withApiVersion("v1").withFieldPath("status.podIP").endFieldRef().endValueFrom().build());
        env.add(plain("QUARKUS_HTTP_PORT", Integer.toString(ControllerSettings.FUNCTION_HTTP_PORT)));
        if (s.config != null) {
            String problem = configProblem(s);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            new TreeMap<>(s.config).forEach((k, v) -> env.add(plain(configEnvName(s.type, k), v)));
        }
        return env;
    }

    /**
     * Why the function's config cannot become its pod's environment, or null: a key of a pipeline
     * ({@code upf+qos+charging}) that does not start with one of its stages, {@code upf.},
     * {@code qos.} or {@code charging.}. The CRD's CEL rule refuses such keys; this is the
     * controller's own check, for a spec that reached it anyway.
     */
    public static String configProblem(NetworkFunctionSpec s) {
        if (s.type == null || s.type.stages().size() == 1 || s.config == null) {
            return null;
        }
        List<String> stray = new TreeMap<>(s.config).keySet().stream().filter(k -> !namesAStage(s.type, k)).toList();
        if (stray.isEmpty()) {
            return null;
        }
        List<String> prefixes = s.type.stages().stream().map(t -> t.text() + ".").toList();
        return "config keys of " + s.type.text() + " start with the function they set ("
                + String.join(", ", prefixes.subList(0, prefixes.size() - 1)) + " or " + prefixes.getLast()
                + "); these do not: " + stray;
    }

    /**
     * The variable a config key becomes: {@code NFCHAIN_<TYPE>_<KEY>}; for a pipeline the key
     * starts with its stage ({@code upf.n3-ipv4} is {@code NFCHAIN_UPF_N3_IPV4}, as
     * {@code nfchain.upf.n3-ipv4} is for the upf alone); an image's is {@code NFCHAIN_FUNCTION_<KEY>}.
     */
    static String configEnvName(FunctionType type, String key) {
        if (type == null) {
            return "NFCHAIN_FUNCTION_" + envWord(key);
        }
        if (type.stages().size() > 1) {
            return "NFCHAIN_" + envWord(key);
        }
        return "NFCHAIN_" + envWord(InstanceModel.runnerType(type)) + "_" + envWord(key);
    }

    private static boolean namesAStage(FunctionType pipeline, String key) {
        return pipeline.stages().stream().anyMatch(stage -> key.startsWith(stage.text() + "."));
    }

    /**
     * A configuration key as SmallRye Config reads it from the environment: every character
     * other than a letter or digit becomes {@code _}, upper case ({@code interfaces[0].address}
     * is {@code INTERFACES_0__ADDRESS}).
     */
    static String envWord(String key) {
        StringBuilder sb = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            sb.append(Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
        }
        return sb.toString().toUpperCase(Locale.ROOT);
    }

    private static EnvVar plain(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }
}
