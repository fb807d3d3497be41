package io.nfchain.controller.model;

import java.time.Duration;

/**
 * Immutable. What the controller's model needs beyond the custom resources.
 *
 * @param runnerImage the image of built-in functions ({@code nfchain/function-runner:<version>})
 * @param socketDirectory the agent's memif socket directory on every node ({@code /run/nfchain})
 * @param defaultDrain how long an old instance keeps its pod after its hop moved, when the
 *     function's updateStrategy names no drainSeconds
 */
public record ControllerSettings(String runnerImage, String socketDirectory, Duration defaultDrain) {
    public static final int FUNCTION_HTTP_PORT = 9091;

    public static ControllerSettings defaults() {
        return new ControllerSettings("nfchain/function-runner:0.1.0", "/run/nfchain", Duration.ZERO);
    }
}
