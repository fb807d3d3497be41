package io.nfchain.functions.runner;

import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /q/health/live}: the poll thread runs. {@code /q/health/ready}: every memif link is
 * connected to the agent, so the agent may send traffic (and Kubernetes may count the pod in a
 * make-before-break switch).
 */
public final class FunctionHealth {
    private FunctionHealth() {}

    @Liveness
    @Singleton
    static class PollThread implements HealthCheck {
        private final FunctionRuntime runtime;

        PollThread(FunctionRuntime runtime) {
            this.runtime = runtime;
        }

        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.named("poll-thread")
                    .status(runtime.runner().isRunning())
                    .withData("errors", runtime.runner().stats().errors())
                    .build();
        }
    }

    @Readiness
    @Singleton
    static class Links implements HealthCheck {
        private final FunctionRuntime runtime;

        Links(FunctionRuntime runtime) {
            this.runtime = runtime;
        }

        @Override
        public HealthCheckResponse call() {
            HealthCheckResponseBuilder response = HealthCheckResponse.named("memif-links")
                    .status(runtime.allLinksConnected());
            for (int k = 0; k < runtime.linkCount(); k++) {
                var link = runtime.link(k);
                response.withData("link" + k, link.isConnected() ? "connected" : "down: " + link.lastError().text());
            }
            return response.build();
        }
    }
}
