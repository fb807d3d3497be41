package io.nfchain.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.re2j.Pattern;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Not thread-safe (caches compiled patterns). One generated CRD's schema, checked the way an API
 * server checks a custom resource without a cluster: the OpenAPI constraints the CRDs use (type,
 * required, enum, pattern, lengths, bounds, item and property counts, map-list keys, unknown
 * fields) and every {@code x-kubernetes-validations} rule, compiled with cel-java and evaluated
 * with {@code self} bound to the value at the rule's schema location. Patterns run on RE2
 * (re2j, which cel-java brings), the syntax of the API server's Go regexp.
 *
 * <p>As an API server does: null fields count as absent; rules run where their value is present
 * and of the schema's type. Not modelled: defaulting before validation (no rule reads a
 * defaulted field), formats, and the rules' cost estimate.
 */
final class CrdSchema {
    private static final YAMLMapper YAML = new YAMLMapper();
    /**
     * Kubernetes CEL is standard CEL plus libraries; the rules use the strings extension (split,
     * substring). {@code self} is declared per rule with the type its schema gives it.
     */
    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addCompilerLibraries(CelExtensions.strings())
            .addRuntimeLibraries(CelExtensions.strings())
            .build();

    /** One rule at one schema location, compiled. */
    record Rule(String kind, String location, String expression, String message, CelRuntime.Program program) {
        String id() {
            return kind + " " + location + ": " + expression;
        }
    }

    /** A rule that evaluated to false for the value at {@code path}. */
    record Violation(String path, String message, Rule rule) {}

    /** What checking one object found. */
    record Result(List<String> schemaErrors, List<Violation> violations, List<String> evaluationErrors) {
        boolean accepted() {
            return schemaErrors.isEmpty() && violations.isEmpty() && evaluationErrors.isEmpty();
        }

        @Override
        public String toString() {
            return "schema errors " + schemaErrors + ", rule violations "
                    + violations.stream().map(v -> v.path() + ": " + v.message()).toList()
                    + ", evaluation errors " + evaluationErrors;
        }
    }

    final String kind;
    private final JsonNode root;
    private final List<Rule> rules = new ArrayList<>();
    private final Map<JsonNode, List<Rule>> rulesAt = new IdentityHashMap<>();
    private final Map<String, Pattern> patterns = new LinkedHashMap<>();

    private CrdSchema(JsonNode crd) {
        this.kind = crd.at("/spec/names/kind").asText();
        this.root = crd.at("/spec/versions/0/schema/openAPIV3Schema");
        collect(root, "");
    }

    /** The schema of one CRD document (YAML text). */
    static CrdSchema parse(String crdYaml) {
        try {
            return new CrdSchema(YAML.readTree(crdYaml));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Rule> rules() {
        return rules;
    }

    private void collect(JsonNode schema, String location) {
        JsonNode validations = schema.get("x-kubernetes-validations");
        if (validations != null) {
            List<Rule> here = new ArrayList<>();
            for (JsonNode v : validations) {
                String expression = v.path("rule").asText();
                here.add(new Rule(kind, location.isEmpty() ? "." : location, expression, v.path("message").asText(),
                        compile(expression, celType(schema))));
            }
            rules.addAll(here);
            rulesAt.put(schema, here);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            collect(e.getValue(), location + "." + e.getKey());
        }
        if (schema.has("items")) {
            collect(schema.get("items"), location + "[]");
        }
        if (schema.path("additionalProperties").isObject()) {
            collect(schema.get("additionalProperties"), location + "{}");
        }
    }

    /**
     * The type an API server gives {@code self} here, as near as cel-java's types go: an object
     * with properties becomes a map of dyn (its fields differ in type), so field types are checked
     * when the rule runs, not when it compiles.
     */
    static CelType celType(JsonNode schema) {
        return switch (schema.path("type").asText("")) {
            case "string" -> SimpleType.STRING;
            case "integer" -> SimpleType.INT;
            case "number" -> SimpleType.DOUBLE;
            case "boolean" -> SimpleType.BOOL;
            case "array" -> ListType.create(celType(schema.path("items")));
            case "object" -> MapType.create(SimpleType.STRING, schema.path("additionalProperties").isObject()
                    ? celType(schema.get("additionalProperties")) : SimpleType.DYN);
            default -> SimpleType.DYN;
        };
    }

    private static CelRuntime.Program compile(String expression, CelType self) {
        CelValidationResult compiled = CEL.toCelBuilder().addVar("self", self).build().compile(expression);
        try {
            CelType result = compiled.getAst().getResultType();
            if (!result.equals(SimpleType.BOOL) && !result.equals(SimpleType.DYN)) {
                throw new IllegalStateException("rule gives " + result + ", not bool: " + expression);
            }
            return CEL.createProgram(compiled.getAst());
        } catch (CelValidationException e) {
            throw new IllegalStateException("rule does not compile: " + expression + "\n" + compiled.getErrorString(), e);
        } catch (CelEvaluationException e) {
            throw new IllegalStateException("rule cannot be planned: " + expression, e);
        }
    }

    /** Checks one custom resource (the whole object, apiVersion to status). */
    Result check(JsonNode object) {
        Result result = new Result(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        check(root, object, "", result, true);
        return result;
    }

    private void check(JsonNode schema, JsonNode value, String path, Result out, boolean top) {
        String at = path.isEmpty() ? "." : path;
        String type = schema.path("type").asText("");
        if (!hasType(value, type)) {
            out.schemaErrors.add(at + ": must be " + type + ", not " + describe(value));
            return;
        }
        checkScalar(schema, value, at, out);
        if (value.isObject()) {
            checkObject(schema, value, path, out, top);
        } else if (value.isArray()) {
            checkArray(schema, value, path, out);
        }
        List<Rule> here = rulesAt.get(schema);
        if (here != null) {
            Object self = toCel(value);
            for (Rule rule : here) {
                evaluate(rule, self, at, out);
            }
        }
    }

    private static void evaluate(Rule rule, Object self, String at, Result out) {
        try {
            Object verdict = rule.program().eval(Map.of("self", self));
            if (!(verdict instanceof Boolean b)) {
                out.evaluationErrors.add(at + ": rule gave " + verdict + ", not a bool: " + rule.expression());
            } else if (!b) {
                out.violations.add(new Violation(at, rule.message(), rule));
            }
        } catch (CelEvaluationException e) {
            out.evaluationErrors.add(at + ": " + rule.expression() + ": " + e.getMessage());
        }
    }

    private void checkScalar(JsonNode schema, JsonNode value, String at, Result out) {
        if (schema.has("enum")) {
            boolean found = false;
            for (JsonNode e : schema.get("enum")) {
                found |= e.equals(value);
            }
            if (!found) {
                out.schemaErrors.add(at + ": enum: " + describe(value) + " is not one of " + schema.get("enum"));
            }
        }
        if (value.isTextual()) {
            String s = value.asText();
            int length = s.codePointCount(0, s.length());
            if (schema.has("pattern") && !pattern(schema.get("pattern").asText()).matcher(s).find()) {
                out.schemaErrors.add(at + ": pattern: " + describe(value) + " does not match " + schema.get("pattern"));
            }
            if (schema.has("maxLength") && length > schema.get("maxLength").asLong()) {
                out.schemaErrors.add(at + ": maxLength: longer than " + schema.get("maxLength"));
            }
            if (schema.has("minLength") && length < schema.get("minLength").asLong()) {
                out.schemaErrors.add(at + ": minLength: shorter than " + schema.get("minLength"));
            }
        }
        if (value.isNumber()) {
            if (schema.has("minimum") && value.asDouble() < schema.get("minimum").asDouble()) {
                out.schemaErrors.add(at + ": minimum: " + value + " < " + schema.get("minimum"));
            }
            if (schema.has("maximum") && value.asDouble() > schema.get("maximum").asDouble()) {
                out.schemaErrors.add(at + ": maximum: " + value + " > " + schema.get("maximum"));
            }
        }
    }

    private void checkObject(JsonNode schema, JsonNode value, String path, Result out, boolean top) {
        String at = path.isEmpty() ? "." : path;
        for (JsonNode required : schema.path("required")) {
            JsonNode v = value.get(required.asText());
            if (v == null || v.isNull()) {
                out.schemaErrors.add(at + ": required: " + required.asText() + " is missing");
            }
        }
        int present = 0;
        JsonNode properties = schema.get("properties");
        JsonNode additional = schema.get("additionalProperties");
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNull()) {
                continue;
            }
            present++;
            String child = path + "." + e.getKey();
            if (top && (e.getKey().equals("apiVersion") || e.getKey().equals("kind") || e.getKey().equals("metadata"))) {
                continue; // the API server's own fields, outside the CRD's schema
            }
            if (properties != null && properties.has(e.getKey())) {
                check(properties.get(e.getKey()), e.getValue(), child, out, false);
            } else if (additional != null && additional.isObject()) {
                check(additional, e.getValue(), path + "{" + e.getKey() + "}", out, false);
            } else if (!schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                out.schemaErrors.add(child + ": unknown field (the API server would drop it)");
            }
        }
        if (schema.has("maxProperties") && present > schema.get("maxProperties").asInt()) {
            out.schemaErrors.add(at + ": maxProperties: more than " + schema.get("maxProperties"));
        }
    }

    private void checkArray(JsonNode schema, JsonNode value, String path, Result out) {
        String at = path.isEmpty() ? "." : path;
        if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
            out.schemaErrors.add(at + ": maxItems: more than " + schema.get("maxItems"));
        }
        if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
            out.schemaErrors.add(at + ": minItems: fewer than " + schema.get("minItems"));
        }
        if ("map".equals(schema.path("x-kubernetes-list-type").asText())) {
            Set<List<JsonNode>> keys = new HashSet<>();
            for (int i = 0; i < value.size(); i++) {
                List<JsonNode> key = new ArrayList<>();
                for (JsonNode k : schema.get("x-kubernetes-list-map-keys")) {
                    key.add(value.get(i).get(k.asText()));
                }
                if (!keys.add(key)) {
                    out.schemaErrors.add(at + "[" + i + "]: duplicate key " + key);
                }
            }
        }
        JsonNode items = schema.get("items");
        for (int i = 0; i < value.size(); i++) {
            check(items, value.get(i), path + "[" + i + "]", out, false);
        }
    }

    private Pattern pattern(String regex) {
        return patterns.computeIfAbsent(regex, Pattern::compile);
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber() && value.canConvertToLong();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> true;
        };
    }

    /** A JSON value as CEL sees it: maps, lists, int64, double, string, bool; null fields absent. */
    static Object toCel(JsonNode v) {
        if (v.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNull()) {
                    m.put(e.getKey(), toCel(e.getValue()));
                }
            }
            return m;
        }
        if (v.isArray()) {
            List<Object> l = new ArrayList<>();
            for (JsonNode e : v) {
                l.add(toCel(e));
            }
            return l;
        }
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        return v.asText();
    }

    static String describe(JsonNode v) {
        if (v.isObject()) {
            return "a mapping";
        }
        if (v.isArray()) {
            return "a list";
        }
        String text = v.toString();
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
