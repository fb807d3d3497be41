package io.nfchain.api.v1alpha1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The CEL rules of the generated CRDs, evaluated for real (cel-java) against the samples: valid
 * samples pass every rule and every OpenAPI constraint the checker models; each invalid sample
 * is refused by exactly the rule (location and message) or schema constraint it names; every rule
 * is shown to refuse something.
 */
class CelRulesTest {
    private final Map<String, CrdSchema> schemas = Samples.committedSchemas();

    @Test
    void validSamplesPassEveryRuleAndConstraint() {
        int checked = 0;
        for (String plural : Samples.PLURALS) {
            CrdSchema schema = schemas.get(plural);
            for (JsonNode doc : Samples.documents("valid", plural)) {
                assertEquals(schema.kind, doc.path("kind").asText(), plural + "/" + Samples.name(doc));
                CrdSchema.Result result = schema.check(doc);
                assertTrue(result.accepted(), plural + "/" + Samples.name(doc) + ": " + result);
                checked++;
            }
        }
        assertTrue(checked >= 8, "valid samples: " + checked);
    }

    @Test
    void eachInvalidSampleIsRefusedByExactlyTheRuleItNames() {
        for (String plural : Samples.PLURALS) {
            CrdSchema schema = schemas.get(plural);
            List<JsonNode> docs = Samples.documents("invalid", plural);
            assertFalse(docs.isEmpty(), plural + " has no invalid samples");
            for (JsonNode doc : docs) {
                String what = plural + "/" + Samples.name(doc);
                CrdSchema.Result result = schema.check(doc);
                assertEquals(List.of(), result.evaluationErrors(), what);
                String rule = Samples.annotation(doc, "rule");
                if (rule != null) {
                    assertEquals(List.of(), result.schemaErrors(), what + ": a rule sample must pass the schema");
                    List<String> got = result.violations().stream().map(v -> v.path() + ": " + v.message()).toList();
                    assertEquals(List.of(Samples.annotation(doc, "at") + ": " + rule), got, what);
                } else {
                    String expected = Samples.annotation(doc, "schema");
                    assertNotNull(expected, what + " names neither a rule nor a schema error");
                    assertEquals(List.of(), result.violations(), what + ": " + result);
                    List<String> prefixes = List.of(expected.split(" ; "));
                    assertEquals(prefixes.size(), result.schemaErrors().size(), what + ": " + result);
                    for (int i = 0; i < prefixes.size(); i++) {
                        assertTrue(result.schemaErrors().get(i).startsWith(prefixes.get(i)),
                                what + ": expected '" + prefixes.get(i) + "...', got " + result.schemaErrors());
                    }
                }
            }
        }
    }

    @Test
    void everyRuleRefusesAtLeastOneSample() {
        Set<String> all = new TreeSet<>();
        Set<String> refused = new TreeSet<>();
        for (String plural : Samples.PLURALS) {
            CrdSchema schema = schemas.get(plural);
            schema.rules().forEach(r -> all.add(r.id()));
            for (JsonNode doc : Samples.documents("invalid", plural)) {
                schema.check(doc).violations().forEach(v -> refused.add(v.rule().id()));
            }
        }
        Set<String> neverRefused = new TreeSet<>(all);
        neverRefused.removeAll(refused);
        assertEquals(Set.of(), neverRefused, "rules no invalid sample breaks (add one to samples/invalid)");
        assertTrue(all.size() >= 20, "rules found: " + all.size());
    }

    @Test
    void everyRuleHasAReadableMessageAndNeedsNoOldSelf() {
        List<String> bad = new ArrayList<>();
        for (CrdSchema schema : schemas.values()) {
            for (CrdSchema.Rule r : schema.rules()) {
                if (r.message().isBlank() || r.message().length() > 200 || r.expression().contains("oldSelf")) {
                    bad.add(r.id() + " -> '" + r.message() + "'");
                }
            }
        }
        // oldSelf (transition rules) would need a second variable and update samples; none is used yet.
        assertEquals(List.of(), bad);
    }
}
