package io.nfchain.functions.runner;

import io.nfchain.core.memif.MemifClient;
import io.nfchain.core.memif.MemifWakeupSource;
import io.nfchain.core.runtime.AgentRunner;
import io.nfchain.core.runtime.IdleConfig;
import io.nfchain.core.runtime.IdleStrategies;
import io.nfchain.core.runtime.IdleStrategy;
import io.nfchain.core.runtime.NanoClock;
import io.nfchain.core.runtime.RunnerSettings;
import io.nfchain.functions.sdk.FunctionCounter;
import io.nfchain.functions.sdk.FunctionWorker;
import io.nfchain.functions.sdk.NetworkFunction;
import io.quarkus.arc.All;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The one function this process hosts and the poll thread that runs it: built from
 * {@link FunctionConfig} at startup (a bad configuration stops the process with a message
 * naming the property), closed at shutdown. Everything else in the runner (metrics, health,
 * the gRPC services) reads from here; only the poll thread touches the datapath.
 */
@Startup
@Singleton
public class FunctionRuntime {
    private static final Logger LOG = Logger.getLogger(FunctionRuntime.class);

    private final FunctionConfig config;
    private final NetworkFunction<?> function;
    private final FunctionWorker<?> worker;
    private final List<MemifClient> links;
    private final IdleStrategy idleStrategy;
    private final MemifWakeupSource wakeupSource;
    private final AgentRunner runner;

    FunctionRuntime(FunctionConfig config, @All List<FunctionProvider> providers) {
        this.config = config;
        this.function = provider(config.type(), providers).create();
        if (config.links().size() != function.outputs().size()) {
            throw new IllegalArgumentException("nfchain.function.links: " + function.name() + " has outputs "
                    + function.outputs() + ", so it needs " + function.outputs().size() + " links, not "
                    + config.links().size());
        }
        if (!IdleStrategies.NAMES.contains(config.idleStrategy())) {
            throw new IllegalArgumentException("nfchain.function.idle-strategy: '" + config.idleStrategy()
                    + "' is not one of " + IdleStrategies.NAMES);
        }
        if (config.burstSize() < 1 || config.burstSize() > 256) {
            throw new IllegalArgumentException("nfchain.function.burst-size: must be 1..256, not " + config.burstSize());
        }
        this.links = new ArrayList<>();
        for (int k = 0; k < config.links().size(); k++) {
            links.add(MemifClient.create(linkConfig(k, config.links().get(k), config)));
        }
        this.worker = worker(function, links, config);
        this.wakeupSource = new MemifWakeupSource(2 * links.size());
        worker.attach(wakeupSource);
        this.idleStrategy = IdleStrategies.create(config.idleStrategy(),
                IdleConfig.defaults().withWakeupSource(wakeupSource));
        RunnerSettings settings = RunnerSettings.named(function.name() + "-poll");
        if (config.cpu().isPresent()) {
            BitSet cpus = new BitSet();
            cpus.set(config.cpu().getAsInt());
            settings = settings.withCpus(cpus);
        }
        this.runner = new AgentRunner(worker, idleStrategy,
                error -> LOG.errorf(error, "%s poll loop: %s", function.name(), error), NanoClock.SYSTEM, settings);
        runner.start();
        LOG.infof("%s started: %d link(s), idle strategy %s", function.name(), links.size(), config.idleStrategy());
    }

    private static <C extends Enum<C> & FunctionCounter> FunctionWorker<C> worker(NetworkFunction<C> function,
            List<MemifClient> links, FunctionConfig config) {
        return new FunctionWorker<>(function, links, NanoClock.SYSTEM, config.burstSize(), config.headroomBytes());
    }

    private static FunctionProvider provider(String type, List<FunctionProvider> providers) {
        return providers.stream().filter(p -> p.type().equals(type)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("nfchain.function.type: no function '" + type
                        + "'; this runner has " + providers.stream().map(FunctionProvider::type).sorted().toList()));
    }

    /**
     * Link {@code k}'s client. Receiving in place, its posted buffers keep the function's headroom
     * (rounded up to a cache line) and it keeps a spare buffer for every packet of a burst.
     */
    private static MemifClient.Config linkConfig(int k, FunctionConfig.Link link, FunctionConfig function) {
        String where = "nfchain.function.links[" + k + "]: ";
        try {
            MemifClient.Config config = MemifClient.Config.of(link.socket())
                    .withInterfaceId(link.interfaceId())
                    .withSecret(link.secret().orElse(""))
                    .withRings(1, link.log2RingSize())
                    .withBufferBytes(link.bufferBytes())
                    .withHugepages(link.hugepages())
                    .withRegionFile(link.regionFile().orElse(null));
            return function.receiveInPlace()
                    ? config.withInPlace((function.headroomBytes() + 63) & ~63, function.burstSize())
                    : config;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + e.getMessage(), e);
        }
    }

    public FunctionConfig config() {
        return config;
    }

    public NetworkFunction<?> function() {
        return function;
    }

    public FunctionWorker<?> worker() {
        return worker;
    }

    /** Link {@code k}'s client: read its state and counters only (the poll thread drives it). */
    public MemifClient link(int k) {
        return links.get(k);
    }

    public int linkCount() {
        return links.size();
    }

    public AgentRunner runner() {
        return runner;
    }

    public IdleStrategy idleStrategy() {
        return idleStrategy;
    }

    /** Whether every link is connected to the agent: the function is ready for traffic. */
    public boolean allLinksConnected() {
        for (MemifClient link : links) {
            if (!link.isConnected()) {
                return false;
            }
        }
        return true;
    }

    @PreDestroy
    void stop() {
        runner.close(); // the worker's onClose disconnects its links on the poll thread
        wakeupSource.close();
        LOG.infof("%s stopped", function.name());
    }
}
