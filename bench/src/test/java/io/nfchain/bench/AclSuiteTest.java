package io.nfchain.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AclSuiteTest {
    private static final Map<String, Object> JMH = Map.of("acl_ns_10", 40.0, "alloc_bytes_per_packet", 0.002,
            "meets_targets", false);

    @Test
    void theTargetIsTheFunctionsRatioWithNoAllocation() {
        Map<String, Object> met = AclSuite.combine(JMH, Map.of("acl_mpps_10", 1.0, "acl_mpps_meets_target", true));
        assertEquals(true, met.get("meets_targets"));
        assertEquals(40.0, met.get("acl_ns_10"));
        assertEquals("meets_targets", List.copyOf(met.keySet()).getLast());

        assertEquals(false, AclSuite.combine(JMH, Map.of("acl_mpps_meets_target", false)).get("meets_targets"));
        assertEquals(false, AclSuite.combine(Map.of("alloc_bytes_per_packet", 0.07),
                Map.of("acl_mpps_meets_target", true)).get("meets_targets"));
        assertEquals(false, AclSuite.combine(JMH, Map.of()).get("meets_targets"));
    }
}
