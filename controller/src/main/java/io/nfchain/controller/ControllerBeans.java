package io.nfchain.controller;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.nfchain.controller.model.ControllerSettings;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurationServiceCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The controller's parts as CDI beans, for the Quarkus host. The reconcilers take them in their
 * constructors; QOSDK registers the reconcilers and exports JOSDK's meters through Micrometer.
 */
@ApplicationScoped
public class ControllerBeans {
    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    ControllerSettings settings(
            @ConfigProperty(name = "nfchain.controller.runner-image", defaultValue = "nfchain/function-runner:0.1.0") String image,
            @ConfigProperty(name = "nfchain.controller.socket-directory", defaultValue = "/run/nfchain") String socketDirectory,
            @ConfigProperty(name = "nfchain.controller.default-drain", defaultValue = "PT0S") Duration drain) {
        return new ControllerSettings(image, socketDirectory, drain);
    }

    @Produces
    @Singleton
    ControllerMetrics metrics(MeterRegistry registry) {
        return new ControllerMetrics(registry);
    }

    @Produces
    @Singleton
    RolloutJournal journal() {
        return new RolloutJournal();
    }

    /** One active controller per cluster: a Lease in the controller's namespace (the pod's, in a cluster). */
    @Produces
    @Singleton
    LeaderElectionConfiguration leaderElection(
            @ConfigProperty(name = "nfchain.controller.lease-name", defaultValue = "nfchain-controller") String lease,
            @ConfigProperty(name = "nfchain.controller.lease-namespace") Optional<String> namespace) {
        return namespace.map(n -> new LeaderElectionConfiguration(lease, n)).orElseGet(() -> new LeaderElectionConfiguration(lease));
    }

    @Produces
    @Singleton
    ConfigurationServiceCustomizer noServerSideApply() {
        return () -> NfchainOperator::configure;
    }
}
