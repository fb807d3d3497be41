package io.nfchain.functions.ttlguard;

import io.nfchain.functions.runner.FunctionProvider;
import io.nfchain.functions.sdk.NetworkFunction;
import jakarta.inject.Singleton;

/** Lets the runner host ttl-guard: {@code nfchain.function.type=ttl-guard}. */
@Singleton
public class TtlGuardProvider implements FunctionProvider {
    @Override
    public String type() {
        return TtlGuardFunction.TYPE;
    }

    @Override
    public NetworkFunction<?> create() {
        return new TtlGuardFunction();
    }
}
