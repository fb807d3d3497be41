package io.nfchain.functions.acl;

import io.nfchain.core.runtime.NanoClock;
import io.nfchain.functions.runner.FunctionProvider;
import io.nfchain.functions.sdk.NetworkFunction;
import jakarta.inject.Singleton;
import java.util.List;

/** Lets the runner host the ACL: {@code nfchain.function.type=acl} with {@link AclConfig}. */
@Singleton
public class AclProvider implements FunctionProvider {
    private final AclConfig config;

    AclProvider(AclConfig config) {
        this.config = config;
    }

    @Override
    public String type() {
        return AclFunction.TYPE;
    }

    /** An acl with no rules yet (every packet gets the default action), on the runner's clock. */
    @Override
    public NetworkFunction<?> create() {
        return create(config, NanoClock.SYSTEM);
    }

    /** Builds from {@code config}; a bad value fails with a message naming its property. */
    static AclFunction create(AclConfig config, NanoClock clock) {
        AclAction defaultAction = switch (config.defaultAction()) {
            case "permit" -> AclAction.PERMIT;
            case "deny" -> AclAction.DENY;
            default -> throw new IllegalArgumentException("nfchain.acl.default-action: must be permit or deny, not '"
                    + config.defaultAction() + "'");
        };
        AclClassifier initial = AclClassifier.compile(AclRuleSet.validate(List.of(), defaultAction));
        if (!config.stateful()) {
            return new AclFunction(AclEngine.stateless(initial), clock::nanoTime);
        }
        if (config.maxFlows() < 1 || config.maxFlows() > FlowTable.MAX_FLOWS) {
            throw new IllegalArgumentException("nfchain.acl.max-flows: must be 1.." + FlowTable.MAX_FLOWS + ", not "
                    + config.maxFlows());
        }
        AclConfig.Timeouts t = config.timeouts();
        FlowTimeouts timeouts;
        try {
            timeouts = new FlowTimeouts(t.tcpEstablished().toNanos(), t.tcpTransitory().toNanos(), t.udp().toNanos(),
                    t.other().toNanos());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("nfchain.acl.timeouts: " + e.getMessage(), e);
        }
        return new AclFunction(AclEngine.stateful(initial, config.maxFlows(), timeouts, config.dropWhenFull()), clock::nanoTime);
    }
}
