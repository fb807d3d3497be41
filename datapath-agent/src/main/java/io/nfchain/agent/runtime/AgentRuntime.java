package io.nfchain.agent.runtime;

import io.nfchain.agent.datapath.Datapath;
import io.nfchain.agent.datapath.DatapathWorker;
import io.nfchain.agent.inventory.InventoryReader;
import io.nfchain.agent.kubernetes.KubernetesNodeSync;
import io.nfchain.agent.port.PortFactory;
import io.nfchain.agent.spec.NodeSpec;
import io.nfchain.agent.spec.NodeSpecReader;
import io.nfchain.agent.spec.SpecException;
import io.nfchain.core.runtime.AgentRunner;
import io.nfchain.core.runtime.IdleConfig;
import io.nfchain.core.runtime.IdleStrategies;
import io.nfchain.core.runtime.IdleStrategy;
import io.nfchain.core.runtime.NanoClock;
import io.nfchain.core.runtime.RunnerSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.BitSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The agent process: one datapath worker on its poll thread, the {@link Datapath} that feeds it
 * plans, and what drives it: in local mode the node file it watches, in Kubernetes mode its
 * {@code DatapathNode} ({@link KubernetesNodeSync}). A bad node file at start stops the process
 * with a message naming the field; a bad change later is refused and logged (and in Kubernetes
 * mode written to the status), and the chains that were running keep running. Everything else
 * (gRPC, metrics, health) reads from here. Local mode never asks for the Kubernetes client.
 */
@Startup
@Singleton
public class AgentRuntime {
    private static final Logger LOG = Logger.getLogger(AgentRuntime.class);

    private final AgentConfig config;
    private final DatapathWorker worker;
    private final AgentRunner runner;
    private final IdleStrategy idleStrategy;
    private final Datapath datapath;
    private final ScheduledExecutorService control;
    private final KubernetesNodeSync kubernetes;
    private volatile FileTime nodeFileTime;
    private volatile String lastError = "";

    AgentRuntime(AgentConfig config, Instance<KubernetesClient> kubernetesClient) throws IOException {
        this.config = config;
        boolean kubernetesMode = kubernetesMode(config);
        if (config.burstSize() < 1 || config.burstSize() > 256) {
            throw new IllegalArgumentException("nfchain.agent.burst-size: must be 1..256, not " + config.burstSize());
        }
        if (config.frameBytes() < 64 || config.frameBytes() > 9216) {
            throw new IllegalArgumentException("nfchain.agent.frame-bytes: must be 64..9216, not " + config.frameBytes());
        }
        if (!IdleStrategies.NAMES.contains(config.idleStrategy())) {
            throw new IllegalArgumentException("nfchain.agent.idle-strategy: '" + config.idleStrategy()
                    + "' is not one of " + IdleStrategies.NAMES);
        }
        NodeSpec initial = NodeSpec.EMPTY;
        if (config.nodeFile().isPresent()) {
            Path file = config.nodeFile().get();
            try {
                nodeFileTime = Files.getLastModifiedTime(file);
                initial = NodeSpecReader.read(file, config.socketDirectory());
            } catch (SpecException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
            }
        }
        worker = new DatapathWorker("worker-0", NanoClock.SYSTEM, config.burstSize(), config.frameBytes(),
                config.drainTime().toNanos());
        idleStrategy = IdleStrategies.create(config.idleStrategy(), IdleConfig.defaults());
        RunnerSettings settings = RunnerSettings.named("datapath-worker-0");
        if (config.cpu().isPresent()) {
            BitSet cpus = new BitSet();
            cpus.set(config.cpu().getAsInt());
            settings = settings.withCpus(cpus);
        }
        runner = new AgentRunner(worker, idleStrategy, error -> LOG.errorf(error, "datapath worker: %s", error),
                NanoClock.SYSTEM, settings);
        runner.start();
        datapath = new Datapath(worker, PortFactory.standard(), config.applyTimeout());
        try {
            datapath.apply(initial);
        } catch (RuntimeException e) {
            close();
            throw new IllegalArgumentException(config.nodeFile().map(Path::toString).orElse("node spec") + ": "
                    + e.getMessage(), e);
        }
        control = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("agent-control").daemon()
                .factory());
        control.scheduleWithFixedDelay(this::reap, 100, 100, TimeUnit.MILLISECONDS);
        if (kubernetesMode) {
            kubernetes = new KubernetesNodeSync(kubernetesClient.get(), config.nodeName().orElseThrow(), datapath,
                    config.socketDirectory(), new InventoryReader(config.sysfsRoot()), config.statusInterval(),
                    config.statusCountersInterval(), Clock.systemUTC());
            kubernetes.start();
        } else {
            kubernetes = null;
        }
        if (config.nodeFile().isPresent()) {
            long ms = Math.max(100, config.reloadInterval().toMillis());
            control.scheduleWithFixedDelay(this::reload, ms, ms, TimeUnit.MILLISECONDS);
        }
        LOG.infof("agent started: %d port(s), %d function(s), %d chain(s)%s", initial.ports().size(),
                initial.functions().size(), initial.chains().size(), kubernetesMode
                        ? "; the spec comes from DatapathNode " + config.nodeName().orElseThrow()
                        : config.nodeFile().map(f -> " from " + f).orElse(""));
    }

    /** Checks the mode and what goes with it: true for Kubernetes mode. */
    private static boolean kubernetesMode(AgentConfig config) {
        switch (config.mode()) {
            case AgentConfig.LOCAL -> {
                return false;
            }
            case AgentConfig.KUBERNETES -> {
                if (config.nodeName().filter(n -> !n.isBlank()).isEmpty()) {
                    throw new IllegalArgumentException("nfchain.agent.node-name: required in kubernetes mode (the "
                            + "DatapathNode's name; a DaemonSet passes spec.nodeName)");
                }
                if (config.nodeFile().isPresent()) {
                    throw new IllegalArgumentException("nfchain.agent.node-file: local mode only; in kubernetes mode "
                            + "the spec is the DatapathNode's");
                }
                return true;
            }
            default -> throw new IllegalArgumentException("nfchain.agent.mode: '" + config.mode()
                    + "' is not local or kubernetes");
        }
    }

    private void reap() {
        try {
            for (String function : datapath.reapDrained()) {
                LOG.infof("function %s drained and released", function);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "releasing drained links: %s", e.getMessage());
        }
    }

    private void reload() {
        Path file = config.nodeFile().orElseThrow();
        try {
            FileTime time = Files.getLastModifiedTime(file);
            if (time.equals(nodeFileTime)) {
                return;
            }
            nodeFileTime = time;
            NodeSpec next = NodeSpecReader.read(file, config.socketDirectory());
            datapath.apply(next);
            lastError = "";
            LOG.infof("%s applied: plan %d", file, datapath.plan().generation());
        } catch (IOException | RuntimeException e) {
            lastError = file + ": " + e.getMessage();
            LOG.errorf("%s refused, the running chains are unchanged: %s", file, e.getMessage());
        }
    }

    public AgentConfig config() {
        return config;
    }

    public Datapath datapath() {
        return datapath;
    }

    public AgentRunner runner() {
        return runner;
    }

    public IdleStrategy idleStrategy() {
        return idleStrategy;
    }

    /**
     * Why the last change of the node file (in Kubernetes mode: of the DatapathNode) was refused;
     * empty after a good one. In Kubernetes mode also not empty until the DatapathNode was read.
     */
    public String lastError() {
        if (kubernetes != null) {
            var state = kubernetes.specState();
            if (state.observedGeneration() == null) {
                return "DatapathNode " + kubernetes.nodeName() + " not read yet";
            }
            return state.refusal();
        }
        return lastError;
    }

    @PreDestroy
    void close() {
        if (kubernetes != null) {
            kubernetes.close();
        }
        if (control != null) {
            control.shutdownNow();
        }
        runner.close();
        datapath.close();
        LOG.info("agent stopped");
    }
}
