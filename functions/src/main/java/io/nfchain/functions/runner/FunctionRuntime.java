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
 * The function this process hosts (or the pipeline of functions, one poll loop for all of
 * them) and the poll thread that runs it: built from
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
    private final List<NetworkFunction<?>> stages;
    private final String name;
    private final FunctionWorker<?> worker;
    private final List<MemifClient> links;
    private final IdleStrategy idleStrategy;
    private final MemifWakeupSource wakeupSource;
    private final AgentRunner runner;

    FunctionRuntime(FunctionConfig config, @All List<FunctionProvider> providers) {
        this.config = config;
        // before any provider builds: a pipeline sizes its shared state by the burst
        if (config.burstSize() < 1 || config.burstSize() > 256) {
            throw new IllegalArgumentException("nfchain.function.burst-size: must be 1..256, not " + config.burstSize());
        }
        this.stages = List.copyOf(provider(config.type(), providers).createStages());
        this.function = stages.getFirst();
        this.name = String.join("+", stages.stream().map(NetworkFunction::name).toList());
        NetworkFunction<?> last = stages.getLast();
        if (config.links().size() != last.outputs().size()) {
            throw new IllegalArgumentException("nfchain.function.links: " + name + " has outputs "
                    + last.outputs() + ", so it needs " + last.outputs().size() + " links, not "
                    + config.links().size());
        }
        if (!IdleStrategies.NAMES.contains(config.idleStrategy())) {
            throw new IllegalArgumentException("nfchain.function.idle-strategy: '" + config.idleStrategy()
                    + "' is not one of " + IdleStrategies.NAMES);
        }
        this.links = new ArrayList<>();
        for (int k = 0; k < config.links().size(); k++) {
            links.add(MemifClient.create(linkConfig(k, config.links().get(k), config)));
        }
        this.worker = worker(function, stages.subList(1, stages.size()), links, config);
        this.wakeupSource = new MemifWakeupSource(2 * links.size());
        worker.attach(wakeupSource);
        this.idleStrategy = IdleStrategies.create(config.idleStrategy(),
                IdleConfig.defaults().withWakeupSource(wakeupSource));
        // the first stage's name: a thread's name in /proc holds 15 characters
        RunnerSettings settings = RunnerSettings.named(function.name() + "-poll");
        if (config.cpu().isPresent()) {
            BitSet cpus = new BitSet();
            cpus.set(config.cpu().getAsInt());
            settings = settings.withCpus(cpus);
        }
        this.runner = new AgentRunner(worker, idleStrategy,
                error -> LOG.errorf(error, "%s poll loop: %s", name, error), NanoClock.SYSTEM, settings);
        runner.start();
        LOG.infof("%s started: %d link(s), idle strategy %s", name, links.size(), config.idleStrategy());
    }

    private static <C extends Enum<C> & FunctionCounter> FunctionWorker<C> worker(NetworkFunction<C> function,
            List<NetworkFunction<?>> later, List<MemifClient> links, FunctionConfig config) {
        return new FunctionWorker<>(function, later, links, NanoClock.SYSTEM, config.burstSize(), config.headroomBytes());
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

    /** The function, or a pipeline's first stage. */
    public NetworkFunction<?> function() {
        return function;
    }

    /** The functions the poll loop runs, in order: one, unless the type is a pipeline ({@code upf+qos+charging}). */
    public List<NetworkFunction<?>> stages() {
        return stages;
    }

    /** The first stage that is a {@code type}, or null: how a service finds the function it serves. */
    public <T> T stage(Class<T> type) {
        for (NetworkFunction<?> f : stages) {
            if (type.isInstance(f)) {
                return type.cast(f);
            }
        }
        return null;
    }

    /** The function's name, or the stages' joined by '+': what metrics and the API call this runner's function. */
    public String name() {
        return name;
    }

    /** The outputs packets leave by: the last stage's, one per link. */
    public List<String> outputs() {
        return stages.getLast().outputs();
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
        LOG.infof("%s stopped", name);
    }
}
