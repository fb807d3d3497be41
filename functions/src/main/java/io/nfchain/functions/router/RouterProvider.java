package io.nfchain.functions.router;

import io.nfchain.functions.runner.FunctionProvider;
import io.nfchain.functions.sdk.NetworkFunction;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/** Lets the runner host the router: {@code nfchain.function.type=router} with {@link RouterConfig}. */
@Singleton
public class RouterProvider implements FunctionProvider {
    private final RouterConfig config;

    RouterProvider(RouterConfig config) {
        this.config = config;
    }

    @Override
    public String type() {
        return RouterFunction.TYPE;
    }

    @Override
    public NetworkFunction<?> create() {
        List<RouterConfig.Interface> configured = config.interfaces().orElse(List.of());
        if (configured.isEmpty()) {
            throw new IllegalArgumentException("nfchain.router.interfaces: a router needs at least one interface "
                    + "(nfchain.router.interfaces[0].mac=...)");
        }
        List<RouterInterface> interfaces = new ArrayList<>();
        for (int k = 0; k < configured.size(); k++) {
            RouterConfig.Interface c = configured.get(k);
            try {
                interfaces.add(RouterInterface.of(c.name().orElse("if" + k), c.mac(), c.ipv4().orElse(""),
                        c.ipv6().orElse(""), c.mtu()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("nfchain.router.interfaces[" + k + "]: " + e.getMessage(), e);
            }
        }
        try {
            return new RouterFunction(interfaces, config.icmpRatePerSecond(), config.icmpBurst(),
                    config.learnedNeighbors(), config.neighborTimeout().toNanos());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("nfchain.router: " + e.getMessage(), e);
        }
    }
}
