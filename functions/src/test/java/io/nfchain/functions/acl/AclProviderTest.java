package io.nfchain.functions.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.nfchain.api.acl.v1.Action;
import io.nfchain.api.acl.v1.GetRulesResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The acl built from {@code nfchain.acl.*}: each bad value refused with its property named. */
class AclProviderTest {
    private record Timeouts(Duration tcpEstablished, Duration tcpTransitory, Duration udp, Duration other)
            implements AclConfig.Timeouts {}

    private record Config(boolean stateful, int maxFlows, boolean dropWhenFull, String defaultAction,
            AclConfig.Timeouts timeouts) implements AclConfig {}

    private static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(7440), Duration.ofSeconds(240),
            Duration.ofSeconds(300), Duration.ofSeconds(60));

    @Test
    void buildsStatelessOrStatefulWithTheDefaultActionConfigured() {
        AclFunction stateless = AclProvider.create(new Config(false, 0, true, "permit", DEFAULTS), () -> 0);
        assertNull(stateless.engine().flows(), "max-flows is not read when stateless");
        GetRulesResponse rules = stateless.control().getRules();
        assertEquals(Action.PERMIT, rules.getDefaultAction());
        AclFunction stateful = AclProvider.create(new Config(true, 1000, true, "deny", DEFAULTS), () -> 0);
        assertNotNull(stateful.engine().flows());
        assertEquals(1000, stateful.engine().flows().maxFlows());
        assertEquals(Action.DENY, stateful.control().getRules().getDefaultAction());
    }

    @Test
    void badValuesNameTheirProperty() {
        assertRefused(new Config(false, 1, true, "maybe", DEFAULTS), "nfchain.acl.default-action: ");
        assertRefused(new Config(true, 0, true, "deny", DEFAULTS), "nfchain.acl.max-flows: ");
        assertRefused(new Config(true, FlowTable.MAX_FLOWS + 1, true, "deny", DEFAULTS), "nfchain.acl.max-flows: ");
        assertRefused(new Config(true, 10, true, "deny", new Timeouts(Duration.ofSeconds(1), Duration.ZERO,
                Duration.ofSeconds(1), Duration.ofSeconds(1))), "nfchain.acl.timeouts: ");
    }

    private static void assertRefused(AclConfig config, String start) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AclProvider.create(config, () -> 0));
        assertEquals(start, e.getMessage().substring(0, start.length()), e.getMessage());
    }
}
