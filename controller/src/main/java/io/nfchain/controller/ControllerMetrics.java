package io.nfchain.controller;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Thread-safe. The controller's own meters, beside the JOSDK reconciliation meters QOSDK exports:
 * placements by outcome, chains that cannot be placed now, pod and node-spec writes.
 */
public final class ControllerMetrics {
    private final Counter placed;
    private final Counter unschedulable;
    private final Counter podsCreated;
    private final Counter podsDeleted;
    private final Counter nodeSpecWrites;
    private final Counter nodeSpecConflicts;
    private final Counter hopSwitches;
    private final Set<String> unschedulableChains = ConcurrentHashMap.newKeySet();

    public ControllerMetrics(MeterRegistry registry) {
        placed = Counter.builder("nfchain.controller.placements").tag("outcome", "placed")
                .description("Chain placements that found nodes").register(registry);
        unschedulable = Counter.builder("nfchain.controller.placements").tag("outcome", "unschedulable")
                .description("Chain placements that found no room").register(registry);
        Gauge.builder("nfchain.controller.unschedulable.chains", unschedulableChains, Set::size)
                .description("ServiceChains that cannot be placed now").register(registry);
        podsCreated = Counter.builder("nfchain.controller.pods.created").register(registry);
        podsDeleted = Counter.builder("nfchain.controller.pods.deleted").register(registry);
        nodeSpecWrites = Counter.builder("nfchain.controller.node.spec.writes").register(registry);
        nodeSpecConflicts = Counter.builder("nfchain.controller.node.spec.conflicts")
                .description("DatapathNode spec writes retried after another writer won").register(registry);
        hopSwitches = Counter.builder("nfchain.controller.hop.switches")
                .description("Hops moved to a replacement instance (make-before-break)").register(registry);
    }

    public void placement(String chainKey, boolean success) {
        (success ? placed : unschedulable).increment();
        if (success) {
            unschedulableChains.remove(chainKey);
        } else {
            unschedulableChains.add(chainKey);
        }
    }

    public void forget(String chainKey) {
        unschedulableChains.remove(chainKey);
    }

    public int unschedulableChains() {
        return unschedulableChains.size();
    }

    public void podCreated() {
        podsCreated.increment();
    }

    public void podDeleted() {
        podsDeleted.increment();
    }

    public void nodeSpecWritten() {
        nodeSpecWrites.increment();
    }

    public void nodeSpecConflict() {
        nodeSpecConflicts.increment();
    }

    public void hopSwitched() {
        hopSwitches.increment();
    }
}
