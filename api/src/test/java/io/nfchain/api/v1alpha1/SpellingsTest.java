package io.nfchain.api.v1alpha1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** text() is the JSON spelling of each enum constant, and of() reads it back. */
class SpellingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void textIsTheJsonSpellingAndOfReadsItBack() throws Exception {
        for (PortType t : PortType.values()) {
            assertEquals('"' + t.text() + '"', JSON.writeValueAsString(t));
            assertEquals(t, PortType.of(t.text()));
        }
        for (NodeFailurePolicy p : NodeFailurePolicy.values()) {
            assertEquals('"' + p.text() + '"', JSON.writeValueAsString(p));
            assertEquals(p, NodeFailurePolicy.of(p.text()));
        }
        for (FunctionType t : FunctionType.values()) {
            assertEquals('"' + t.text() + '"', JSON.writeValueAsString(t));
            assertEquals(t, FunctionType.of(t.text()));
        }
        assertEquals(NodeFailurePolicy.FAIL_OPEN, FailurePolicy.FailOpen.toNode());
        assertEquals(NodeFailurePolicy.FAIL_CLOSED, FailurePolicy.FailClosed.toNode());
    }

    @Test
    void unknownSpellingsAreRefusedByName() {
        assertEquals("'veth' is not a port type (memif, af_packet, gen, pcap, sink)",
                assertThrows(IllegalArgumentException.class, () -> PortType.of("veth")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> NodeFailurePolicy.of("FailOpen"));
        assertEquals("'firewall' is not a built-in function (router, acl, qos, charging, upf, ttl-guard,"
                + " upf+qos+charging)",
                assertThrows(IllegalArgumentException.class, () -> FunctionType.of("firewall")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> FunctionType.of("ROUTER"));
    }

    /** The runner's UserPlaneProvider.TYPE, and its stages in packet order. */
    @Test
    void theUserPlaneIsUpfQosAndChargingInOnePod() {
        assertEquals(FunctionType.USER_PLANE, FunctionType.of("upf+qos+charging"));
        assertEquals(List.of(FunctionType.UPF, FunctionType.QOS, FunctionType.CHARGING),
                FunctionType.USER_PLANE.stages());
        assertEquals(List.of(FunctionType.CHARGING), FunctionType.CHARGING.stages());
    }
}
