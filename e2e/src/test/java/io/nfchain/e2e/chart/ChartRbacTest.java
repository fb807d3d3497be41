package io.nfchain.e2e.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Least privilege, checked exactly: each role's rules are compared to the list below, so a rule
 * that widens (a verb, a resource, a wildcard) fails here and has to be argued for in review.
 */
class ChartRbacTest {
    private static final String R = ChartRenderTest.RELEASE;

    private final Helm helm = Helm.require();

    @Test
    void theControllersClusterRoleIsExactlyWhatItReconciles() throws Exception {
        Rendered rendered = Rendered.parse(helm.template(helm.ciValues("defaults")));
        assertEquals(Set.of(
                "nfchain.io | networkfunctions,servicechains | - | get,list,patch,update,watch",
                "nfchain.io | networkfunctions/status,servicechains/status | - | patch,update",
                "nfchain.io | networkfunctions/finalizers,servicechains/finalizers | - | update",
                "nfchain.io | datapathnodes | - | get,list,update,watch",
                "core | pods | - | create,delete,get,list,patch,watch",
                "core | nodes | - | get,list,watch",
                "core | events | - | create"),
                rules(rendered.one(ClusterRole.class, R + "-controller").getRules()));
    }

    @Test
    void theControllersLeaseRoleIsItsOwnNamespaceAndLeaseOnly() throws Exception {
        Rendered rendered = Rendered.parse(helm.template(helm.ciValues("defaults")));
        Role role = rendered.one(Role.class, R + "-controller-leader-election");
        assertEquals("nfchain", role.getMetadata().getNamespace());
        assertEquals(Set.of("coordination.k8s.io | leases | - | create",
                "coordination.k8s.io | leases | nfchain-controller | get,update"), rules(role.getRules()));
        RoleBinding binding = rendered.one(RoleBinding.class, R + "-controller-leader-election");
        assertEquals("Role", binding.getRoleRef().getKind());
        assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
        assertBoundTo(binding.getSubjects(), R + "-controller", "nfchain");
    }

    @Test
    void theAgentReadsAndCreatesDatapathNodesAndWritesOnlyTheirStatus() throws Exception {
        Rendered rendered = Rendered.parse(helm.template(helm.ciValues("defaults")));
        assertEquals(Set.of(
                "nfchain.io | datapathnodes | - | create,get,list,watch",
                "nfchain.io | datapathnodes/status | - | update",
                "core | nodes | - | get"),
                rules(rendered.one(ClusterRole.class, R + "-agent").getRules()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"defaults", "monitoring", "hugepages-1gi", "custom-namespace-images"})
    void noWildcardsNoSecretsAndEachBindingNamesItsOwnServiceAccount(String ciCase) throws Exception {
        Rendered rendered = Rendered.parse(helm.template(helm.ciValues(ciCase)));
        String namespace = ciCase.equals("custom-namespace-images") ? "nfchain-system" : "nfchain";
        List<PolicyRule> all = Stream.concat(
                rendered.all(ClusterRole.class).stream().flatMap(r -> r.getRules().stream()),
                rendered.all(Role.class).stream().flatMap(r -> r.getRules().stream())).toList();
        assertFalse(all.isEmpty());
        for (PolicyRule rule : all) {
            for (List<String> field : List.of(rule.getApiGroups(), rule.getResources(), rule.getVerbs())) {
                assertFalse(field.contains("*"), "a wildcard in " + rules(List.of(rule)));
            }
            assertFalse(rule.getResources().stream().anyMatch(r -> r.equals("secrets") || r.startsWith("secrets/")),
                    "secrets access in " + rules(List.of(rule)));
            assertTrue(rule.getNonResourceURLs() == null || rule.getNonResourceURLs().isEmpty());
            assertFalse(rule.getVerbs().contains("escalate") || rule.getVerbs().contains("bind")
                    || rule.getVerbs().contains("impersonate"));
        }
        for (String component : List.of("controller", "agent")) {
            ClusterRoleBinding binding = rendered.one(ClusterRoleBinding.class, R + "-" + component);
            assertEquals(R + "-" + component, binding.getRoleRef().getName());
            assertBoundTo(binding.getSubjects(), R + "-" + component, namespace);
        }
        assertEquals(R + "-controller", ChartRenderTest.deployment(rendered).getSpec().getTemplate().getSpec()
                .getServiceAccountName());
        assertEquals(R + "-agent", ChartRenderTest.daemonSet(rendered).getSpec().getTemplate().getSpec()
                .getServiceAccountName());
        Set<String> accounts = rendered.all().stream().filter(o -> o.getKind().equals("ServiceAccount"))
                .map(HasMetadata::getMetadata).map(m -> m.getNamespace() + "/" + m.getName()).collect(Collectors.toSet());
        assertEquals(Set.of(namespace + "/" + R + "-controller", namespace + "/" + R + "-agent"), accounts);
    }

    private static void assertBoundTo(List<Subject> subjects, String account, String namespace) {
        assertEquals(1, subjects.size());
        assertEquals("ServiceAccount", subjects.get(0).getKind());
        assertEquals(account, subjects.get(0).getName());
        assertEquals(namespace, subjects.get(0).getNamespace());
    }

    /** Each rule as "groups | resources | resourceNames | verbs", each list sorted; "core" is the "" group, "-" none. */
    private static Set<String> rules(List<PolicyRule> rules) {
        Set<String> out = new TreeSet<>();
        for (PolicyRule r : rules) {
            out.add(sorted(r.getApiGroups()) + " | " + sorted(r.getResources()) + " | " + sorted(r.getResourceNames())
                    + " | " + sorted(r.getVerbs()));
        }
        return out;
    }

    private static String sorted(List<String> values) {
        if (values == null || values.isEmpty()) {
            return "-";
        }
        return values.stream().map(v -> v.isEmpty() ? "core" : v).sorted().collect(Collectors.joining(","));
    }
}
