package io.nfchain.api.v1alpha1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The valid samples read into the model classes with fabric8's serializer (as the controller and
 * the agent read them from the API server) and write back unchanged: the samples the CEL tests
 * use are the classes' shape, and nothing is lost on the way through the classes.
 */
class SamplesRoundTripTest {
    private static final Map<String, Class<? extends HasMetadata>> TYPES = Map.of("networkfunctions",
            NetworkFunction.class, "servicechains", ServiceChain.class, "datapathnodes", DatapathNode.class,
            "datapathpolicies", DatapathPolicy.class);

    @Test
    void validSamplesSurviveTheClasses() throws Exception {
        KubernetesSerialization client = new KubernetesSerialization();
        ObjectMapper json = new ObjectMapper();
        int n = 0;
        for (String plural : Samples.PLURALS) {
            for (JsonNode doc : Samples.documents("valid", plural)) {
                HasMetadata resource = client.unmarshal(json.writeValueAsString(doc), TYPES.get(plural));
                assertEquals(TYPES.get(plural), resource.getClass());
                JsonNode back = json.readTree(client.asJson(resource));
                assertEquals(withEmptyListsDropped(doc), withEmptyListsDropped(back), plural + "/" + Samples.name(doc));
                n++;
            }
        }
        assertTrue(n >= 8);
    }

    @Test
    void conditionsHelpersFindTheReadyCondition() throws Exception {
        KubernetesSerialization client = new KubernetesSerialization();
        JsonNode doc = Samples.documents("valid", "networkfunctions").get(2);
        NetworkFunction nf = client.unmarshal(new ObjectMapper().writeValueAsString(doc), NetworkFunction.class);
        assertTrue(Conditions.isTrue(nf.getStatus().conditions, Conditions.READY));
        assertEquals("InstancesReady", Conditions.find(nf.getStatus().conditions, Conditions.READY).getReason());
        assertEquals(null, Conditions.find(nf.getStatus().conditions, Conditions.DEGRADED));
        assertEquals(FunctionType.ACL, nf.getSpec().type);
    }

    /** The classes start lists empty (so code can add to them); an absent list and [] mean the same. */
    private static JsonNode withEmptyListsDropped(JsonNode node) {
        JsonNode copy = node.deepCopy();
        drop(copy);
        return copy;
    }

    private static void drop(JsonNode node) {
        if (node.isObject()) {
            var it = node.fields();
            while (it.hasNext()) {
                var e = it.next();
                if (e.getValue().isArray() && e.getValue().isEmpty()) {
                    it.remove();
                } else {
                    drop(e.getValue());
                }
            }
        } else if (node.isArray()) {
            node.forEach(SamplesRoundTripTest::drop);
        }
    }
}
