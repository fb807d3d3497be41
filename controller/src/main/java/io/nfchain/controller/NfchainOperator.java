package io.nfchain.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetricsV2;
import io.micrometer.core.instrument.MeterRegistry;
import io.nfchain.controller.model.ControllerSettings;
import io.nfchain.controller.reconciler.NetworkFunctionReconciler;
import io.nfchain.controller.reconciler.ServiceChainReconciler;
import java.time.Clock;

/**
 * Not thread-safe to build; the operator it returns is. The controller without Quarkus: both
 * reconcilers on a plain JOSDK {@link Operator} against any {@link KubernetesClient}. Tests,
 * {@code nfchain bench operator} and the e2e test run it against the fabric8 mock API server:
 *
 * <pre>{@code
 * var op = NfchainOperator.create(client, Clock.systemUTC(), ControllerSettings.defaults(), registry, journal);
 * op.start();   // informers synced, reconciling
 * ...
 * op.stop();    // the client stays open: it is the caller's
 * }</pre>
 */
public final class NfchainOperator {
    private NfchainOperator() {}

    public static Operator create(KubernetesClient client, Clock clock, ControllerSettings settings,
            MeterRegistry registry, RolloutJournal journal) {
        return create(client, clock, settings, registry, journal, null);
    }

    /**
     * As {@link #create(KubernetesClient, Clock, ControllerSettings, MeterRegistry, RolloutJournal)},
     * reconciling only while it holds the lease {@code leaderElection} names (null: always).
     */
    public static Operator create(KubernetesClient client, Clock clock, ControllerSettings settings,
            MeterRegistry registry, RolloutJournal journal, LeaderElectionConfiguration leaderElection) {
        ControllerMetrics metrics = new ControllerMetrics(registry);
        Operator operator = new Operator(o -> {
            o.withKubernetesClient(client).withCloseClientOnStop(false)
                    .withMetrics(MicrometerMetricsV2.newBuilder(registry).build());
            if (leaderElection != null) {
                o.withLeaderElectionConfiguration(leaderElection);
            }
            configure(o);
        });
        operator.register(new ServiceChainReconciler(clock, settings, metrics, journal));
        operator.register(new NetworkFunctionReconciler(clock));
        return operator;
    }

    /**
     * What the controller needs of JOSDK however it is hosted: no server-side apply (status and
     * finalizers are merge patches; the mock API server and older clusters take them).
     */
    public static void configure(ConfigurationServiceOverrider o) {
        o.withUseSSAToPatchPrimaryResource(false).withSSABasedCreateUpdateMatchForDependentResources(false);
    }
}
