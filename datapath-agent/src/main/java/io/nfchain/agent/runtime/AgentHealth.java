package io.nfchain.agent.runtime;

import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /q/health/live}: the datapath worker's poll thread runs. {@code /q/health/ready}: the
 * node spec is applied (and the last change of the node file was not refused).
 */
public final class AgentHealth {
    private AgentHealth() {}

    @Liveness
    @Singleton
    static class Worker implements HealthCheck {
        private final AgentRuntime runtime;

        Worker(AgentRuntime runtime) {
            this.runtime = runtime;
        }

        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.named("datapath-worker").status(runtime.runner().isRunning())
                    .withData("errors", runtime.runner().stats().errors()).build();
        }
    }

    @Readiness
    @Singleton
    static class Spec implements HealthCheck {
        private final AgentRuntime runtime;

        Spec(AgentRuntime runtime) {
            this.runtime = runtime;
        }

        @Override
        public HealthCheckResponse call() {
            String error = runtime.lastError();
            return HealthCheckResponse.named("node-spec").status(error.isEmpty())
                    .withData("plan", runtime.datapath().plan().generation())
                    .withData("lastError", error.isEmpty() ? "none" : error).build();
        }
    }
}
