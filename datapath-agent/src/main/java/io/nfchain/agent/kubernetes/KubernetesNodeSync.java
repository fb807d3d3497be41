package io.nfchain.agent.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.nfchain.agent.datapath.Datapath;
import io.nfchain.agent.inventory.InventoryReader;
import io.nfchain.agent.port.MemifPort;
import io.nfchain.agent.kubernetes.NodeStatusModel.SpecState;
import io.nfchain.agent.spec.NodeSpec;
import io.nfchain.agent.spec.NodeSpecReader;
import io.nfchain.agent.spec.SpecException;
import io.nfchain.api.v1alpha1.DatapathNode;
import io.nfchain.api.v1alpha1.DatapathNodeSpec;
import io.nfchain.api.v1alpha1.DatapathNodeStatus;
import java.net.HttpURLConnection;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Thread-safe: everything it does runs on its own single thread ({@code agent-kubernetes}).
 * Kubernetes mode: keeps the node's {@code DatapathNode} (cluster-scoped, named as the node) and
 * the datapath in step, level-triggered.
 * <ul>
 *   <li>At start it reads the resource; when there is none it creates one with an empty spec, so
 *       the controller finds the node and its inventory. It then applies the spec and watches the
 *       resource with an informer. Every add or update makes it look at the newest copy; a
 *       generation (of the same uid) it has already applied or refused is not applied again, so its
 *       own status writes do not re-apply the spec. A deleted resource is created again, empty,
 *       and the empty spec is applied: no resource means no chains.
 *   <li>The spec goes through the node file's path: serialised to JSON, read by
 *       {@link NodeSpecReader} (strict, naming the field), then {@link Datapath#apply}. A refused
 *       spec leaves the running one as it is; the status says why. A hop moved to a new function
 *       instance moves make-before-break ({@link HopMoves}): the new link first, up to
 *       {@link #SWITCH_TIMEOUT}, then the hop, the old link draining.
 *   <li>The status ({@link NodeStatusModel}) is written through the status subresource after
 *       every apply and every {@code statusInterval} when it changed; a change of counters alone
 *       is written at most every {@code countersInterval}. A 409 (someone wrote in between) is
 *       retried with a fresh read.
 * </ul>
 */
public final class KubernetesNodeSync implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KubernetesNodeSync.class);
    private static final int STATUS_ATTEMPTS = 5;
    private static final long RETRY_MS = 2000;
    /** How long a hop's move waits for its new function to connect (make-before-break). */
    static final Duration SWITCH_TIMEOUT = Duration.ofSeconds(10);

    private final KubernetesClient client;
    private final String nodeName;
    private final Datapath datapath;
    private final Path socketDirectory;
    private final InventoryReader inventory;
    private final Duration statusInterval;
    private final Duration countersInterval;
    private final Clock clock;
    private final KubernetesSerialization json;
    private final ScheduledExecutorService thread;
    private SharedIndexInformer<DatapathNode> informer;
    private volatile SpecState spec = SpecState.NONE;
    private String observedUid = "";
    private List<Condition> lastConditions;
    private String lastStatus = "";
    private String lastStatusShape = "";
    private long lastWriteMs = Long.MIN_VALUE / 2;

    public KubernetesNodeSync(KubernetesClient client, String nodeName, Datapath datapath, Path socketDirectory,
            InventoryReader inventory, Duration statusInterval, Duration countersInterval, Clock clock) {
        this.client = client;
        this.nodeName = Objects.requireNonNull(nodeName);
        this.datapath = datapath;
        this.socketDirectory = socketDirectory;
        this.inventory = inventory;
        this.statusInterval = statusInterval;
        this.countersInterval = countersInterval;
        this.clock = clock;
        this.json = client.getKubernetesSerialization();
        this.thread = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("agent-kubernetes")
                .daemon().factory());
    }

    /** Starts in the background: an unreachable API server is retried, the datapath runs on meanwhile. */
    public void start() {
        thread.execute(this::bootstrap);
        long ms = Math.max(100, statusInterval.toMillis());
        thread.scheduleWithFixedDelay(() -> writeStatus(false), ms, ms, TimeUnit.MILLISECONDS);
    }

    /** How the last spec fared (any thread). */
    public SpecState specState() {
        return spec;
    }

    public String nodeName() {
        return nodeName;
    }

    private Resource<DatapathNode> resource() {
        return client.resources(DatapathNode.class).withName(nodeName);
    }

    private void bootstrap() {
        try {
            DatapathNode node = resource().get();
            converge(node);
            informer = resource().runnableInformer(0);
            informer.addEventHandler(new ResourceEventHandler<>() {
                @Override
                public void onAdd(DatapathNode obj) {
                    thread.execute(KubernetesNodeSync.this::convergeToLatest);
                }

                @Override
                public void onUpdate(DatapathNode oldObj, DatapathNode newObj) {
                    thread.execute(KubernetesNodeSync.this::convergeToLatest);
                }

                @Override
                public void onDelete(DatapathNode obj, boolean deletedFinalStateUnknown) {
                    thread.execute(KubernetesNodeSync.this::convergeToLatest);
                }
            });
            informer.start();
            LOG.infof("watching DatapathNode %s", nodeName);
        } catch (RuntimeException e) {
            LOG.errorf("DatapathNode %s: %s; retrying in %d ms", nodeName, e.getMessage(), RETRY_MS);
            thread.schedule(this::bootstrap, RETRY_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void convergeToLatest() {
        try {
            converge(latest());
        } catch (RuntimeException e) {
            LOG.errorf(e, "DatapathNode %s: %s", nodeName, e.getMessage());
        }
    }

    /** The newest copy the informer has; a read when it has none yet. */
    private DatapathNode latest() {
        if (informer != null && informer.hasSynced()) {
            return informer.getStore().getByKey(nodeName);
        }
        return resource().get();
    }

    /** Applies {@code node}'s spec unless its generation was applied or refused already. */
    private void converge(DatapathNode node) {
        if (node == null) {
            node = create();
        }
        String uid = Objects.requireNonNullElse(node.getMetadata().getUid(), "");
        long generation = Objects.requireNonNullElse(node.getMetadata().getGeneration(), 0L);
        SpecState was = spec;
        if (uid.equals(observedUid) && was.observedGeneration() != null && was.observedGeneration() == generation) {
            return;
        }
        observedUid = uid;
        if (lastConditions == null && node.getStatus() != null) {
            lastConditions = node.getStatus().conditions; // keep transition times across agent restarts
        }
        spec = apply(node.getSpec(), generation);
        writeStatus(true);
    }

    /** The node file's path: the strict reader, then {@link Datapath#apply}. */
    private SpecState apply(DatapathNodeSpec nodeSpec, long generation) {
        try {
            String document = nodeSpec == null ? "{}" : json.asJson(nodeSpec);
            NodeSpec next = NodeSpecReader.parse(document, socketDirectory);
            HopMoves.Staged staged = HopMoves.staged(datapath.spec(), next, this::linkUp);
            if (staged != null) {
                datapath.apply(staged.spec());
                awaitLinks(staged.waitFor());
            }
            datapath.apply(next);
            LOG.infof("DatapathNode %s generation %d applied: plan %d", nodeName, generation,
                    datapath.plan().generation());
            return SpecState.applied(generation);
        } catch (SpecException e) {
            LOG.errorf("DatapathNode %s generation %d refused, the running chains are unchanged: %s", nodeName,
                    generation, e.getMessage());
            return new SpecState(generation, e.getMessage(), NodeStatusModel.SPEC_REJECTED);
        } catch (RuntimeException e) {
            LOG.errorf(e, "DatapathNode %s generation %d could not be applied, the running chains are unchanged",
                    nodeName, generation);
            return new SpecState(generation, String.valueOf(e.getMessage()), NodeStatusModel.APPLY_FAILED);
        }
    }

    private boolean linkUp(String function) {
        MemifPort link = datapath.functionLinks().get(function);
        return link != null && link.isUp();
    }

    /**
     * Waits (at most {@link #SWITCH_TIMEOUT}) until the new functions' links are up. When one
     * does not come up, the spec is applied all the same: it is what is wanted, and the hop's
     * failure policy says what happens to its packets meanwhile.
     */
    private void awaitLinks(Set<String> functions) {
        long deadline = System.nanoTime() + SWITCH_TIMEOUT.toNanos();
        while (!functions.stream().allMatch(this::linkUp)) {
            if (System.nanoTime() > deadline) {
                LOG.warnf("DatapathNode %s: %s not connected within %d ms; moving the hops anyway", nodeName,
                        functions.stream().filter(f -> !linkUp(f)).toList(), SWITCH_TIMEOUT.toMillis());
                return;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.infof("DatapathNode %s: %s connected; moving their hops", nodeName, functions);
    }

    private DatapathNode create() {
        DatapathNode node = new DatapathNode();
        node.setMetadata(new ObjectMetaBuilder().withName(nodeName)
                .addToLabels("app.kubernetes.io/managed-by", "nfchain-agent").build());
        node.setSpec(new DatapathNodeSpec());
        try {
            DatapathNode created = client.resource(node).create();
            LOG.infof("DatapathNode %s created with an empty spec", nodeName);
            return created;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                return resource().require(); // someone (the controller) created it first
            }
            throw e;
        }
    }

    /**
     * Writes the status when it changed, a change of counters alone not more often than
     * countersInterval; {@code force}: always.
     */
    private void writeStatus(boolean force) {
        try {
            DatapathNodeStatus status = NodeStatusModel.status(inventory.read(), datapath, spec, lastConditions,
                    clock.instant());
            String full = json.asJson(status);
            String shape = withoutCounters(full);
            long now = clock.millis();
            if (!force && (full.equals(lastStatus)
                    || shape.equals(lastStatusShape) && now - lastWriteMs < countersInterval.toMillis())) {
                return;
            }
            if (!put(status)) {
                if (!force) {
                    converge(null); // deleted, and the informer has not said so yet: the API server is the truth
                }
                return;
            }
            lastConditions = status.conditions;
            lastStatus = full;
            lastStatusShape = shape;
            lastWriteMs = now;
        } catch (RuntimeException e) {
            if (thread.isShutdown()) {
                return; // closing: the write was interrupted on purpose
            }
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            LOG.errorf("DatapathNode %s: status not written: %s", nodeName, cause.getMessage());
        }
    }

    /** Writes {@code status}; false when the resource is gone. */
    private boolean put(DatapathNodeStatus status) {
        DatapathNode current = informer != null && informer.hasSynced() ? informer.getStore().getByKey(nodeName) : null;
        for (int attempt = 1; ; attempt++) {
            if (current == null) {
                current = resource().get();
            }
            if (current == null) {
                return false;
            }
            DatapathNode copy = new DatapathNode();
            copy.setMetadata(new ObjectMetaBuilder(current.getMetadata()).build());
            copy.setSpec(current.getSpec());
            copy.setStatus(status);
            try {
                client.resource(copy).updateStatus();
                return true;
            } catch (KubernetesClientException e) {
                boolean stale = e.getCode() == HttpURLConnection.HTTP_CONFLICT
                        || e.getCode() == HttpURLConnection.HTTP_NOT_FOUND;
                if (!stale || attempt == STATUS_ATTEMPTS) {
                    throw e;
                }
                current = null; // written in between (409), or the cached copy is of a deleted one (404): read it again
            }
        }
    }

    /** The status without what changes with traffic alone: the ports' counters and the totals. */
    private String withoutCounters(String statusJson) {
        JsonNode tree = json.unmarshal(statusJson, JsonNode.class);
        if (tree instanceof ObjectNode o) {
            o.remove("counters");
            for (JsonNode port : o.path("ports")) {
                if (port instanceof ObjectNode p) {
                    p.remove(List.of("rxPackets", "txPackets", "drops"));
                }
            }
        }
        return tree.toString();
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (informer != null) {
            informer.close();
        }
    }
}
