package io.nfchain.functions.runner;

import io.nfchain.functions.sdk.NetworkFunction;
import java.util.List;

/**
 * Makes the network function of one type. Each built-in function has one, as a CDI bean; the
 * runner picks the one whose {@link #type()} the configuration names.
 */
public interface FunctionProvider {
    /** The configuration value that selects this function: {@code router}. */
    String type();

    /** A new function instance, with empty rules. */
    NetworkFunction<?> create();

    /**
     * The functions the runner's poll loop runs, in pipeline order (see
     * {@link io.nfchain.functions.sdk.FunctionWorker}): {@link #create()} alone, unless the
     * provider hosts a pipeline of functions in one process.
     */
    default List<NetworkFunction<?>> createStages() {
        return List.of(create());
    }
}
