package io.nfchain.e2e.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The objects of one {@code helm template} run, each parsed by fabric8 into its Kubernetes type.
 * Not thread-safe (tests use one per render).
 *
 * <p>Parsing is strict where fabric8 is lenient: fabric8 keeps fields it does not know in
 * {@code additionalProperties} instead of failing, so a misspelt field in a template
 * ({@code readOnlyRootFilesytem}) would parse and be ignored by the API server's defaulting. Every
 * typed object is walked and any such leftover fails the test with its path.
 */
final class Rendered {
    /** API groups whose kinds fabric8 models; an object of these must never come back generic. */
    private static final Set<String> BUILT_IN_GROUPS = Set.of("", "apps", "rbac.authorization.k8s.io",
            "apiextensions.k8s.io", "coordination.k8s.io", "policy", "networking.k8s.io");

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final List<HasMetadata> objects;

    private Rendered(List<HasMetadata> objects) {
        this.objects = objects;
    }

    /** Parses a multi-document YAML stream as helm prints it. */
    static Rendered parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : yaml.split("(?m)^---\\s*$")) {
            if (document.lines().allMatch(line -> line.isBlank() || line.stripLeading().startsWith("#"))) {
                continue;
            }
            Object parsed = SERIALIZATION.unmarshal(document);
            if (!(parsed instanceof HasMetadata object)) {
                fail("a rendered document is not a Kubernetes object (" + parsed.getClass().getName() + "):\n" + document);
                return null;
            }
            String group = group(object.getApiVersion());
            if (BUILT_IN_GROUPS.contains(group)) {
                assertTrue(!(object instanceof GenericKubernetesResource),
                        object.getKind() + " " + object.getMetadata().getName() + " (" + object.getApiVersion()
                                + ") did not parse as its Kubernetes type: a wrong apiVersion or kind");
                List<String> unknown = new ArrayList<>();
                findUnknownFields(object, object.getKind(), unknown, new IdentityHashMap<>());
                assertEquals(List.of(), unknown, "fields the " + object.getKind() + " type does not have");
            }
            objects.add(object);
        }
        return new Rendered(objects);
    }

    private static String group(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    List<HasMetadata> all() {
        return objects;
    }

    /** Every object of {@code type}. */
    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The one object of {@code type} named {@code name}; fails when absent. */
    <T extends HasMetadata> T one(Class<T> type, String name) {
        T found = all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst().orElse(null);
        assertNotNull(found, "no " + type.getSimpleName() + " " + name + " among " + names());
        return found;
    }

    /** Generic objects (kinds fabric8 does not model, e.g. ServiceMonitor) of {@code kind}. */
    List<GenericKubernetesResource> generic(String kind) {
        return all(GenericKubernetesResource.class).stream().filter(o -> kind.equals(o.getKind())).toList();
    }

    List<String> names() {
        return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
    }

    /** Adds to {@code unknown} the path of every non-empty additionalProperties map under {@code value}. */
    private static void findUnknownFields(Object value, String path, List<String> unknown, Map<Object, Object> seen) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof Enum<?> || seen.put(value, value) != null) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> findUnknownFields(v, path + "." + k, unknown, seen));
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                findUnknownFields(item, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            String name = getter.getName();
            if (getter.getParameterCount() != 0 || !name.startsWith("get") || name.equals("getClass")
                    || Modifier.isStatic(getter.getModifiers())) {
                continue;
            }
            Object child = invoke(getter, value);
            if (name.equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
                continue;
            }
            findUnknownFields(child, path + "." + decapitalize(name.substring(3)), unknown, seen);
        }
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            return null;
        }
    }

    private static String decapitalize(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
