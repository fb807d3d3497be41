package io.nfchain.e2e.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.nfchain.e2e.LocalNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Monitoring is off by default and, when on, scrapes what exists: each ServiceMonitor selects a
 * Service of the chart by its labels and port name, and every metric the Grafana dashboard queries
 * is one the agent or the NF runner registers (read from their sources, so a renamed meter breaks
 * this test rather than a dashboard panel in production).
 */
class ChartMonitoringTest {
    private static final Pattern METRIC = Pattern.compile("\\bnfchain_[a-z0-9_]+");

    private final Helm helm = Helm.require();

    @Test
    void nothingForMonitoringIsRenderedByDefault() throws Exception {
        Rendered rendered = Rendered.parse(helm.template(helm.ciValues("defaults")));
        assertEquals(List.of(), rendered.generic("ServiceMonitor"));
        assertEquals(List.of(), rendered.generic("PodMonitor"));
        assertEquals(List.of(), rendered.all(ConfigMap.class));
    }

    @Test
    void serviceMonitorsSelectTheChartsServicesByLabelAndPort() throws Exception {
        Rendered rendered = Rendered.parse(helm.template(helm.ciValues("monitoring")));
        List<GenericKubernetesResource> monitors = rendered.generic("ServiceMonitor");
        assertEquals(2, monitors.size());
        for (GenericKubernetesResource monitor : monitors) {
            assertEquals("monitoring.coreos.com/v1", monitor.getApiVersion());
            assertEquals("kube-prometheus-stack", monitor.getMetadata().getLabels().get("release"));
            Map<String, String> selector = monitor.get("spec", "selector", "matchLabels");
            List<Service> selected = rendered.all(Service.class).stream()
                    .filter(s -> s.getMetadata().getLabels().entrySet().containsAll(selector.entrySet())).toList();
            assertEquals(1, selected.size(), monitor.getMetadata().getName() + " selects one Service");
            List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
            assertEquals("/q/metrics", endpoints.get(0).get("path"));
            assertEquals("15s", endpoints.get(0).get("interval"));
            String port = (String) endpoints.get(0).get("port");
            assertTrue(selected.get(0).getSpec().getPorts().stream().anyMatch(p -> port.equals(p.getName())),
                    "Service " + selected.get(0).getMetadata().getName() + " has port " + port);
        }
        List<GenericKubernetesResource> podMonitors = rendered.generic("PodMonitor");
        assertEquals(1, podMonitors.size());
        List<Map<String, Object>> endpoints = podMonitors.get(0).get("spec", "podMetricsEndpoints");
        assertEquals("http", endpoints.get(0).get("port"), "the NF container's port, as the controller names it");
        assertEquals("/q/metrics", endpoints.get(0).get("path"));
    }

    @Test
    void theDashboardQueriesOnlyMetricsTheAgentAndRunnerExport() throws Exception {
        Rendered rendered = Rendered.parse(helm.template(helm.ciValues("monitoring")));
        ConfigMap dashboard = rendered.all(ConfigMap.class).get(0);
        assertEquals("1", dashboard.getMetadata().getLabels().get("grafana_dashboard"));
        JsonNode json = new ObjectMapper().readTree(dashboard.getData().get("nfchain.json"));
        assertEquals("nfchain-datapath", json.get("uid").asText());

        List<String> expressions = new ArrayList<>();
        json.findValues("expr").forEach(e -> expressions.add(e.asText()));
        json.findValues("query").forEach(q -> expressions.add(q.isTextual() ? q.asText() : q.path("query").asText()));
        Set<String> queried = new TreeSet<>();
        for (String expr : expressions) {
            Matcher m = METRIC.matcher(expr);
            while (m.find()) {
                queried.add(m.group());
            }
        }
        assertTrue(queried.size() >= 15, "the dashboard covers agent and NF metrics: " + queried);

        Path root = LocalNode.repositoryRoot();
        Set<String> exported = new TreeSet<>();
        exported.addAll(exportedNames(root.resolve(
                "datapath-agent/src/main/java/io/nfchain/agent/runtime/AgentMetrics.java")));
        exported.addAll(exportedNames(root.resolve(
                "functions/src/main/java/io/nfchain/functions/runner/FunctionMetrics.java")));
        Set<String> unknown = new TreeSet<>(queried);
        unknown.removeAll(exported);
        assertEquals(Set.of(), unknown, "dashboard metrics nobody exports (exported: " + exported + ")");
        assertTrue(queried.stream().anyMatch(q -> q.startsWith("nfchain_agent_")), "agent panels: " + queried);
        assertTrue(queried.stream().anyMatch(q -> q.startsWith("nfchain_link_")), "NF link panels: " + queried);
    }

    /**
     * The Prometheus names of the meters a Micrometer source file registers: dots become
     * underscores, counters get {@code _total}, gauges do not. A literal ending in {@code _} is a
     * prefix the code completes with one of the file's lower-case word literals.
     */
    static Set<String> exportedNames(Path source) throws Exception {
        String text = Files.readString(source);
        Set<String> gauges = new TreeSet<>();
        Matcher g = Pattern.compile("Gauge\\.builder\\(\"(nfchain[._][a-z0-9_.]+)\"").matcher(text);
        while (g.find()) {
            gauges.add(g.group(1).replace('.', '_'));
        }
        Set<String> words = new TreeSet<>();
        Matcher w = Pattern.compile("\"([a-z]+)\"").matcher(text);
        while (w.find()) {
            words.add(w.group(1));
        }
        Set<String> names = new TreeSet<>();
        Matcher literal = Pattern.compile("\"(nfchain[._][a-z0-9_.]+)\"").matcher(text);
        while (literal.find()) {
            String base = literal.group(1).replace('.', '_').replaceFirst("_total$", "");
            if (base.endsWith("_")) {
                words.forEach(word -> names.add(base + word + "_total"));
            } else {
                names.add(gauges.contains(base) ? base : base + "_total");
            }
        }
        assertFalse(names.isEmpty(), "no meter names found in " + source);
        return names;
    }
}
