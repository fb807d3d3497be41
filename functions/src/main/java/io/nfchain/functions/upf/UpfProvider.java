package io.nfchain.functions.upf;

import io.nfchain.functions.runner.FunctionProvider;
import io.nfchain.functions.sdk.NetworkFunction;
import jakarta.inject.Singleton;

/**
 * Lets the runner host the upf: {@code nfchain.function.type=upf} with {@link UpfConfig}. Its
 * sessions are served by {@link io.nfchain.functions.session.SessionGrpcService} (the upf is a
 * {@link io.nfchain.functions.session.SessionHost}).
 */
@Singleton
public class UpfProvider implements FunctionProvider {
    private final UpfConfig config;

    UpfProvider(UpfConfig config) {
        this.config = config;
    }

    @Override
    public String type() {
        return UpfFunction.TYPE;
    }

    /** A upf with no sessions yet: every packet is SESSION_UNKNOWN until ApplySessions. */
    @Override
    public NetworkFunction<?> create() {
        return new UpfFunction(UpfSettings.from(config));
    }
}
