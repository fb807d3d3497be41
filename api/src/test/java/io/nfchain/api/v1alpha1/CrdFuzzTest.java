package io.nfchain.api.v1alpha1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Mutated valid samples (fields deleted, added, retyped, set to edge values and to other kinds'
 * values, list items duplicated or dropped) checked against the committed CRDs: checking never
 * throws; a CEL evaluation error is counted and reported, and on an object the schema accepts it
 * fails the test (there it would reach a user as an unreadable error, not the rule's message).
 */
class CrdFuzzTest {
    private static final int MUTANTS = Integer.getInteger("nfchain.fuzz.mutants", 6000);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Values that pass some pattern or enum of the schema, and values that break them. */
    private static final String[] STRINGS = {"10.0.0.0/8", "10.1.0.0/16", "2001:db8::/32", "::1", "::/0", "80",
        "1-2", "2-1", "1024-65535", "65535-0", "0-65535", "70000", "tcp", "udp", "icmp", "icmpv6", "6", "17", "300",
        "imix", "2Mi", "3Mi", "4Mi", "1Gi", "1024Mi", "512Mi", "eth0", "wan", "out", "acl", "router", "fail-open",
        "fail-closed", "FailOpen", "FailClosed", "MakeBeforeBreak", "memif", "af_packet", "gen", "pcap", "sink",
        "vfio-pci", "kernel", "0000:3b:00.0", "2-3", "0,1", "", " ", "-", "x".repeat(70), "\u00e9t\u00e9",
        "a/memif.sock", "True"};
    private static final long[] NUMBERS = {-1, 0, 1, 2, 14, 15, 63, 64, 65, 1500, 4094, 4095, 9216, 9217, 65535,
        65536, 1_000_000, 4_294_967_295L, 4_294_967_296L, Long.MAX_VALUE, Long.MIN_VALUE};

    @Test
    void mutatedSamplesAreCheckedWithoutCrashing() {
        long seed = Long.getLong("nfchain.fuzz.seed", System.nanoTime());
        Random random = new Random(seed);
        Map<String, CrdSchema> schemas = Samples.committedSchemas();
        List<String> plurals = new ArrayList<>();
        List<JsonNode> seeds = new ArrayList<>();
        TreeSet<String> fieldNames = new TreeSet<>();
        Map<String, List<Map.Entry<String, JsonNode>>> fields = new java.util.HashMap<>();
        for (String plural : Samples.PLURALS) {
            for (JsonNode doc : Samples.documents("valid", plural)) {
                plurals.add(plural);
                seeds.add(doc);
                collectNames(doc, plural, fieldNames, fields);
            }
        }
        String[] names = fieldNames.toArray(String[]::new);
        int accepted = 0;
        int schemaRefused = 0;
        int ruleRefused = 0;
        int errorsOnSchemaInvalid = 0;
        List<String> errorsOnSchemaValid = new ArrayList<>();
        TreeSet<String> rulesHit = new TreeSet<>();
        for (int i = 0; i < MUTANTS; i++) {
            int s = random.nextInt(seeds.size());
            JsonNode mutant = seeds.get(s).deepCopy();
            int rounds = 1 + random.nextInt(3);
            for (int r = 0; r < rounds; r++) {
                mutate(mutant, plurals.get(s), random, names, fields);
            }
            CrdSchema.Result result;
            try {
                result = schemas.get(plurals.get(s)).check(mutant);
            } catch (RuntimeException | StackOverflowError e) {
                throw new AssertionError("seed " + seed + ", mutant " + i + " made the check throw: " + mutant, e);
            }
            if (!result.schemaErrors().isEmpty()) {
                schemaRefused++;
                errorsOnSchemaInvalid += result.evaluationErrors().isEmpty() ? 0 : 1;
            } else if (!result.evaluationErrors().isEmpty()) {
                errorsOnSchemaValid.add(result.evaluationErrors() + " for " + mutant);
            } else if (!result.violations().isEmpty()) {
                ruleRefused++;
                result.violations().forEach(v -> rulesHit.add(v.rule().id()));
            } else {
                accepted++;
            }
        }
        String summary = "seed " + seed + ": " + MUTANTS + " mutants, " + accepted + " accepted, " + schemaRefused
                + " refused by the schema (" + errorsOnSchemaInvalid + " of them also with CEL evaluation errors,"
                + " as an API server would report them), " + ruleRefused + " refused by a rule (" + rulesHit.size() + " distinct rules)";
        System.out.println("CrdFuzzTest " + summary);
        if (!errorsOnSchemaValid.isEmpty()) {
            fail(summary + "; CEL evaluation errors on objects the schema accepts (" + errorsOnSchemaValid.size()
                    + "), first: " + errorsOnSchemaValid.get(0));
        }
        assertEquals(MUTANTS, accepted + schemaRefused + ruleRefused);
        // Not vacuous: the mutations reach all three outcomes.
        assertTrue(accepted > MUTANTS / 50 && schemaRefused > MUTANTS / 50 && ruleRefused > MUTANTS / 200, summary);
    }

    /** Field names, and every field by the location of its object ({@code servicechains.spec.hops[]}). */
    private static void collectNames(JsonNode node, String location, TreeSet<String> names,
            Map<String, List<Map.Entry<String, JsonNode>>> fields) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                names.add(e.getKey());
                fields.computeIfAbsent(location, k -> new ArrayList<>()).add(Map.entry(e.getKey(), e.getValue()));
                collectNames(e.getValue(), location + "." + e.getKey(), names, fields);
            }
        } else if (node.isArray()) {
            node.forEach(n -> collectNames(n, location + "[]", names, fields));
        }
    }

    /** A place in the tree: a field of an object or an element of an array, and where both are. */
    private record Slot(JsonNode parent, String field, int index, String parentLocation, String location) {}

    private static void mutate(JsonNode root, String plural, Random random, String[] names,
            Map<String, List<Map.Entry<String, JsonNode>>> fields) {
        List<Slot> slots = new ArrayList<>();
        slots(root.get("spec"), plural + ".spec", slots);
        if (root.has("status") && random.nextInt(4) == 0) {
            slots(root.get("status"), plural + ".status", slots);
        }
        if (slots.isEmpty()) {
            ((ObjectNode) root).set("spec", F.objectNode());
            return;
        }
        Slot slot = slots.get(random.nextInt(slots.size()));
        JsonNode current = slot.parent instanceof ObjectNode o ? o.get(slot.field) : slot.parent.get(slot.index);
        switch (random.nextInt(8)) {
            case 0 -> remove(slot);
            case 1 -> set(slot, value(random, 0));
            case 2 -> {
                if (current.isObject()) {
                    ((ObjectNode) current).set(names[random.nextInt(names.length)], value(random, 0));
                } else {
                    set(slot, value(random, 0));
                }
            }
            case 3 -> {
                if (current.isArray() && !current.isEmpty()) {
                    ArrayNode a = (ArrayNode) current;
                    if (random.nextBoolean()) {
                        a.add(a.get(random.nextInt(a.size())).deepCopy());
                    } else {
                        a.remove(random.nextInt(a.size()));
                    }
                } else {
                    set(slot, F.textNode(STRINGS[random.nextInt(STRINGS.length)]));
                }
            }
            case 4 -> set(slot, F.numberNode(NUMBERS[random.nextInt(NUMBERS.length)]));
            case 5, 6 -> {
                // A field some sample has at the same kind of place, with that sample's value: well
                // typed, often where a rule forbids it (interface on a memif port, mix beside frameBytes).
                boolean inside = current.isObject();
                String location = inside ? slot.location : slot.parentLocation;
                List<Map.Entry<String, JsonNode>> candidates = fields.get(location);
                JsonNode target = inside ? current : slot.parent;
                if (candidates != null && target instanceof ObjectNode o) {
                    Map.Entry<String, JsonNode> f = candidates.get(random.nextInt(candidates.size()));
                    o.set(f.getKey(), f.getValue().deepCopy());
                } else {
                    remove(slot);
                }
            }
            default -> {
                if (slot.parent instanceof ObjectNode o) {
                    o.set(names[random.nextInt(names.length)], current.deepCopy());
                } else {
                    set(slot, F.textNode(STRINGS[random.nextInt(STRINGS.length)]));
                }
            }
        }
    }

    private static void slots(JsonNode node, String location, List<Slot> out) {
        if (node == null) {
            return;
        }
        if (node.isObject()) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                out.add(new Slot(node, name, -1, location, location + "." + name));
                slots(node.get(name), location + "." + name, out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                out.add(new Slot(node, null, i, location, location + "[]"));
                slots(node.get(i), location + "[]", out);
            }
        }
    }

    private static void remove(Slot slot) {
        if (slot.parent instanceof ObjectNode o) {
            o.remove(slot.field);
        } else {
            ((ArrayNode) slot.parent).remove(slot.index);
        }
    }

    private static void set(Slot slot, JsonNode value) {
        if (slot.parent instanceof ObjectNode o) {
            o.set(slot.field, value);
        } else {
            ((ArrayNode) slot.parent).set(slot.index, value);
        }
    }

    private static JsonNode value(Random random, int depth) {
        return switch (random.nextInt(depth > 1 ? 6 : 9)) {
            case 0, 1, 2 -> F.textNode(STRINGS[random.nextInt(STRINGS.length)]);
            case 3 -> F.numberNode(NUMBERS[random.nextInt(NUMBERS.length)]);
            case 4 -> F.booleanNode(random.nextBoolean());
            case 5 -> random.nextBoolean() ? F.nullNode() : F.numberNode(0.5);
            case 6 -> F.objectNode();
            case 7 -> {
                ArrayNode a = F.arrayNode();
                int n = random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    a.add(value(random, depth + 1));
                }
                yield a;
            }
            default -> F.objectNode().set("name", F.textNode(STRINGS[random.nextInt(STRINGS.length)]));
        };
    }
}
