package io.nfchain.bench.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.api.acl.v1.Action;
import io.nfchain.api.acl.v1.ReplaceRulesRequest;
import io.nfchain.api.acl.v1.Rule;
import io.nfchain.functions.acl.AclAction;
import io.nfchain.functions.acl.AclRuleSet;
import io.nfchain.functions.acl.AclRuleSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class AclControlClientTest {

    @Test
    void everyFieldGivenIsWrittenAndEveryFieldLeftOutStaysUnset() {
        AclRuleSet set = AclRuleSet.validate(List.of(
                AclRuleSpec.builder(AclAction.SET_DSCP).setDscp(46).src("10.1.0.0/16").dst("10.2.3.4/32").protocol(6)
                        .srcPorts(1024, 65_535).dstPorts(443, 443).dscp(0).tcpFlags(0x10, 0x12).build(),
                AclRuleSpec.builder(AclAction.DENY).dst("2001:db8::/32").build(),
                AclRuleSpec.builder(AclAction.PERMIT).build()), AclAction.DENY);
        ReplaceRulesRequest request = AclControlClient.request(set);
        assertEquals(Action.DENY, request.getDefaultAction());
        assertFalse(request.hasStateful()); // as the runner is configured
        assertEquals(3, request.getRulesCount());

        Rule full = request.getRules(0);
        assertEquals(Action.SET_DSCP, full.getAction());
        assertEquals(46, full.getSetDscp());
        assertEquals("10.1.0.0/16", full.getSrcPrefix());
        assertEquals("10.2.3.4/32", full.getDstPrefix());
        assertEquals(6, full.getProtocol());
        assertEquals(1024, full.getSrcPorts().getFirst());
        assertEquals(65_535, full.getSrcPorts().getLast());
        assertEquals(443, full.getDstPorts().getFirst());
        assertTrue(full.hasDscp());
        assertEquals(0, full.getDscp());
        assertEquals(0x10, full.getTcpFlagsValue());
        assertEquals(0x12, full.getTcpFlagsMask());

        Rule v6 = request.getRules(1);
        assertEquals("2001:db8::/32", v6.getDstPrefix());
        assertEquals("", v6.getSrcPrefix());
        assertFalse(v6.hasProtocol());
        assertFalse(v6.hasDstPorts());
        assertFalse(v6.hasDscp());

        Rule any = request.getRules(2);
        assertEquals(Action.PERMIT, any.getAction());
        assertEquals(Rule.newBuilder().setAction(Action.PERMIT).build(), any);
    }
}
